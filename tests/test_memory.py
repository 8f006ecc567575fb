"""Freed heap goes back to the operating system (`bot.memory`), measured on this process."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.memory import malloc_trim, release_memory


def _rss_mb() -> float:
    found = re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text())
    assert found is not None
    return int(found.group(1)) / 1024


def _burst_freed() -> list[bytes]:
    """Like a burst: many request-sized blocks (glibc's heap, not Python's arenas), a few
    of which outlive it, so the freed pages lie between them and the heap's top stays."""
    blocks = [bytes(2048) for _ in range(40_000)]  # about 80 MB
    return blocks[::64]


async def test_the_heap_a_burst_freed_is_handed_back() -> None:
    if malloc_trim() is None:
        pytest.skip("not glibc")
    kept = _burst_freed()
    before = _rss_mb()
    stop = asyncio.Event()
    task = asyncio.create_task(release_memory(stop, every=0.05))
    await asyncio.sleep(0.3)
    stop.set()
    await task
    after = _rss_mb()
    assert len(kept) == 625
    assert before - after > 40, (before, after)  # glibc kept these ~75 MB until trimmed


async def test_it_stops_when_told() -> None:
    stop = asyncio.Event()
    stop.set()
    await asyncio.wait_for(release_memory(stop, every=3600), 1)
