"""Group commit: writes that arrive while one transaction is under way share the next one.

Every answer writes a few small rows (its event claim, its log entry, the claim's end).
One transaction each costs the server's event loop far more than the rows themselves
(a pool checkout, the driver's round trips, and with SQLite a hop to its thread each
time), and at a few hundred answers a second that work delays the acknowledgements
Slack and Teams wait for. Here a write that finds nothing under way is written at once,
alone (no added delay when the server is quiet); writes that arrive meanwhile wait and
go together in the next transaction. Under load the transactions per answer fall
towards 1/batch, with no timer and no write held back longer than one transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["GroupCommit"]

T = TypeVar("T")
R = TypeVar("R")


class GroupCommit(Generic[T, R]):
    """`await batch(item)` runs `write([item, ...])` for everything queued at the time and
    returns this item's result; a failed write fails every caller of that batch alike."""

    def __init__(self, write: Callable[[list[T]], Awaitable[Sequence[R]]],
                 limit: int = 100) -> None:
        self._write = write
        self.limit = limit
        self._queue: list[tuple[T, asyncio.Future[R]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.batches = 0  # transactions written (for tests and benchmarks)

    async def __call__(self, item: T) -> R:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a store reused under a new loop (tests, CLI runs)
            self._loop, self._queue, self._writer = loop, [], None
        future: asyncio.Future[R] = loop.create_future()
        self._queue.append((item, future))
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:self.limit], self._queue[self.limit:]
            self.batches += 1
            try:
                results = await self._write([item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"batch of {len(batch)} wrote {len(results)} results")
            except BaseException as exc:  # every caller gets the failure it would have had
                if isinstance(exc, asyncio.CancelledError):  # shutdown: nobody may hang
                    batch, self._queue = batch + self._queue, []
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():  # its caller may have given up waiting
                    future.set_result(result)
