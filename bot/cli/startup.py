"""A command's start-up without the garbage collector.

Starting a command creates some 160,000 objects the collector tracks (modules, classes, SQLAlchemy
tables, pydantic models, the policy index) and every one of them lives until the process
exits. The collector cannot free any of them, yet each full collection walks them all:
a cold `ask` spent about a tenth of its time in collections during start-up and as much
again at exit, when the interpreter collects once more while tearing modules down.

Inside `quiet_collector()` nothing is collected; on leaving, what exists is frozen
(`gc.freeze`: moved out of the collector's sight for good) and collection resumes for
what comes after, so a long `chat` or `ask -` session still collects its own garbage.
Reference counting frees everything as usual; only cyclic garbage created during
start-up is kept, and start-up creates little.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["quiet_collector", "single_threaded_blas"]


def single_threaded_blas() -> None:
    """One OpenBLAS thread for NumPy, unless the operator chose a number.

    Call before NumPy is imported. A terminal session scores one question at a time
    (vector products a few hundred rows long), which a second BLAS thread cannot speed
    up; yet OpenBLAS starts one per core and they spin after each call: a cold `ask`
    took about 0.25 s more CPU without `OMP_NUM_THREADS=1`, taken from the core the
    sentence model loads on.
    """
    if "OPENBLAS_NUM_THREADS" not in os.environ and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


@contextmanager
def quiet_collector() -> Iterator[None]:
    """No collection inside; on leaving, freeze what exists and restore collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
