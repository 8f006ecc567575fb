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
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["preload_bundled_model", "quiet_collector", "single_threaded_blas"]

#: The settings that choose the sentence model or its threads (bot.settings.Settings).
_MODEL_SETTINGS = ("matcher", "embedding_model_dir", "semantic_model_path", "embedding_threads")


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


def _model_chosen(env_file: Path) -> bool:
    """Whether the environment or the .env file may set one of `_MODEL_SETTINGS`.

    Deliberately coarse: any mention of such a name in .env counts (a false "yes" only
    loses the head start), so no .env syntax has to be parsed here.
    """
    if any(name.lower() in _MODEL_SETTINGS for name in os.environ):
        return True
    try:
        text = env_file.read_text(encoding="utf-8", errors="replace").lower()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return any(name in text for name in _MODEL_SETTINGS)


def _load_bundled_model() -> None:
    try:
        from bot.core.matching.embedder import get_embedder

        get_embedder(threads=1)
    except Exception:  # reported by the command's own get_embedder call
        return


def preload_bundled_model(env_file: Path = Path(".env")) -> bool:
    """Start loading the bundled sentence model before the settings are even read.

    Reading the settings imports pydantic (about 0.15 s of a cold `ask`); the model's
    session takes about 0.4 s to build, mostly in native code that runs beside the
    imports on the second core. When neither the environment nor .env (the two places
    Settings reads) sets a model setting, the settings will choose the bundled model
    with one thread, so it can start now. Otherwise nothing starts here and the command
    preloads what its settings say, as before. True when the load started.
    """
    if _model_chosen(env_file):
        return False
    single_threaded_blas()  # before NumPy, which the model's thread imports
    # Not a daemon: a process must not exit while ONNX Runtime is still building the
    # session (the C++ runtime aborts), so exit waits for the load to finish.
    threading.Thread(target=_load_bundled_model, name="embedder-preload").start()
    return True
