"""Work that outlives the request that started it: answers after the ack, follow-ups.

The event loop keeps only weak references to tasks, so they are held here until they
end; at most `limit` run at once, so answer work cannot starve the acks; and shutdown
waits for them (`drain`) before the process exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from bot.core.answer_pool import Busy
from bot.observability import metrics

__all__ = ["CONCURRENCY", "InFlight"]

_log = logging.getLogger(__name__)
CONCURRENCY = 32


class InFlight:
    """The background tasks of one adapter (`platform` names them in logs and metrics)."""

    def __init__(self, platform: str, limit: int = CONCURRENCY, *,
                 queue_limit: int | None = None) -> None:
        self.platform = platform
        self.limit = limit
        self.queue_limit = queue_limit  # `slot` callers allowed to wait (None: no bound)
        self.queued = 0
        self.tasks: set[asyncio.Task[Any]] = set()
        self._slots = asyncio.Semaphore(limit)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Run the block (a listener's work after its ack) in one of `limit` slots.

        Unbounded, every event of a burst interleaved its steps with the acks on the
        event loop, and a loop iteration grew with the backlog. Beyond `queue_limit`
        waiting, Busy at once: the person is told to try again, nothing piles up.
        """
        if self._slots.locked() and self.queue_limit is not None \
                and self.queued >= self.queue_limit:
            metrics.record_busy()
            raise Busy()
        self.queued += 1
        try:
            await self._slots.acquire()
        finally:
            self.queued -= 1
        try:
            yield
        finally:
            self._slots.release()

    def hold(self) -> None:
        """Hold the running task too (Bolt starts listeners and keeps no reference)."""
        task = asyncio.current_task()
        if task is not None and task not in self.tasks:
            self._keep(task)

    def start(self, work: Callable[[], Awaitable[Any]]) -> asyncio.Task[None]:
        """Run `work()` once a slot is free (the task copies this context); failures are logged."""
        task = asyncio.create_task(self._run(work), name=f"{self.platform}-work")
        self._keep(task)
        return task

    def _keep(self, task: asyncio.Task[Any]) -> None:
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _run(self, work: Callable[[], Awaitable[Any]]) -> None:
        async with self._slots:
            try:
                await work()
            except Exception as exc:  # errors inside a turn were already answered
                _log.error("%s work failed after the ack: %s", self.platform,
                           type(exc).__name__, exc_info=(type(exc), exc, exc.__traceback__))
                metrics.record_platform_error(self.platform, "turn_error")

    async def drain(self, grace: float = 10.0) -> bool:
        """Wait up to `grace` seconds for what is running; True when nothing is left."""
        pending = [t for t in self.tasks if not t.done() and t is not asyncio.current_task()]
        if not pending:
            return True
        _, still = await asyncio.wait(pending, timeout=grace)
        if still:
            _log.warning("shutdown: %s work still running after the grace period",
                         self.platform, extra={"count": len(still)})
        return not still
