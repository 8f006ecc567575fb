"""Slack listeners' work after the ack runs in bounded slots; beyond the waiting bound the
person is told "busy" at once, and the busy counter says so."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.answer_pool import Busy
from bot.observability import metrics
from bot.transport.inflight import InFlight


def _busy_total() -> float:
    return float(metrics.ANSWERS_BUSY._value.get())


async def test_at_most_limit_run_a_bounded_few_wait_the_rest_are_told_busy() -> None:
    inflight = InFlight("slack", limit=2, queue_limit=1)
    release = asyncio.Event()
    running: list[int] = []
    peak = 0

    async def work(n: int) -> str:
        nonlocal peak
        try:
            async with inflight.slot():
                running.append(n)
                peak = max(peak, len(running))
                await release.wait()
                running.remove(n)
                return "answered"
        except Busy:
            return "busy"

    busy_before = _busy_total()
    tasks = [asyncio.create_task(work(n)) for n in range(5)]
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(running) == 2  # two slots taken, one caller waits, two were refused
    assert inflight.queued == 1
    release.set()
    outcomes = await asyncio.gather(*tasks)
    assert outcomes.count("answered") == 3
    assert outcomes.count("busy") == 2
    assert peak == 2
    assert _busy_total() == busy_before + 2
    assert inflight.queued == 0


async def test_without_a_waiting_bound_everyone_waits_their_turn() -> None:
    inflight = InFlight("teams", limit=1)
    order: list[int] = []

    async def work(n: int) -> None:
        async with inflight.slot():
            order.append(n)
            await asyncio.sleep(0)

    await asyncio.gather(*(work(n) for n in range(4)))
    assert order == [0, 1, 2, 3]


async def test_a_cancelled_waiter_gives_its_place_back() -> None:
    inflight = InFlight("slack", limit=1, queue_limit=5)
    async with inflight.slot():
        waiter = asyncio.create_task(inflight.slot().__aenter__())
        await asyncio.sleep(0)
        assert inflight.queued == 1
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        assert inflight.queued == 0
    async with inflight.slot():  # the slot itself was released
        pass
