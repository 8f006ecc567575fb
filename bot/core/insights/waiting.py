"""Who has a "your request now has an answer" notice waiting, without a query per message.

Every message asks whether its asker has such a notice, and almost nobody does: one
query per message was a transaction on the server's event loop for nothing. The askers
who have one are read at most every `refresh` seconds, one query for everyone, so a
request covered on another replica (or from the CLI) is told within that time, and one
covered through this process at once (`changed`).
"""

from __future__ import annotations

import asyncio
import time

from bot.store.insights import InsightStore

__all__ = ["WaitingNotices"]


class WaitingNotices:
    def __init__(self, insights: InsightStore, *, refresh: float = 2.0,
                 limit: int = 10_000) -> None:
        self._insights = insights
        self.refresh = refresh
        self.limit = limit  # beyond it, keep no set: every message asks the database
        self._askers: frozenset[str] | None = None  # None: too many to keep, or unknown
        self._read_at = float("-inf")
        self._generation = 0  # counts `changed`: a read that overlapped one is not fresh
        self._lock = asyncio.Lock()

    def changed(self) -> None:
        """Requests were covered here: read the askers again before the next answer."""
        self._read_at = float("-inf")
        self._generation += 1

    async def may_have(self, asker: str) -> bool:
        """False only when `asker` certainly has no notice waiting (as of `refresh` ago)."""
        fresh = time.monotonic() - self._read_at < self.refresh
        if not fresh and not (self._lock.locked() and self._askers is not None):
            async with self._lock:  # one read for all the messages arriving meanwhile
                if time.monotonic() - self._read_at >= self.refresh:
                    generation, read_at = self._generation, time.monotonic()
                    askers = await self._insights.askers_with_covered(self.limit + 1)
                    self._askers = frozenset(askers) if len(askers) <= self.limit else None
                    if generation == self._generation:
                        self._read_at = read_at
        return self._askers is None or asker in self._askers
