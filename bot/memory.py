"""Giving freed heap back to the operating system, which glibc does not do by itself.

A burst of questions (a thousand at once, most answered "busy") has every request's
body, Bolt context and reply in memory at the same time; once they are answered the
objects are freed, but glibc keeps the freed pages of its heap, so a server's RSS
rose 20-30 MB with each burst and never came down. Python held none of it
(tracemalloc: under 2 MB alive after a burst); `malloc_trim(0)` returned 104 MB of a
495 MB answering process. `release_memory` calls it every minute (tens of
milliseconds); where the C library is not glibc it does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import logging
from collections.abc import Callable

__all__ = ["RELEASE_EVERY", "malloc_trim", "release_memory"]

_log = logging.getLogger(__name__)
RELEASE_EVERY = 60.0


def malloc_trim() -> Callable[[], int] | None:
    """glibc's `malloc_trim(0)`, or None where there is none (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: int(trim(0))


async def release_memory(stop: asyncio.Event, every: float = RELEASE_EVERY) -> None:
    """Until `stop`: every `every` seconds, hand the heap's free pages back."""
    trim = malloc_trim()
    if trim is None:
        _log.info("malloc_trim is not available; freed heap stays with the process")
        return
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)
        if not stop.is_set():
            trim()
