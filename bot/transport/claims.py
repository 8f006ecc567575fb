"""Each platform event answered once, however often it is delivered.

Slack retries an event it thinks unanswered and Teams redelivers activities; replicas
share the work. The shared ledger (`EventLedger.once`, a lease) decides across
replicas and restarts; a memory of recent keys (Slack) ends a retry this process
already took before any I/O, so the ack stays fast.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import AsyncIterator

from bot.store import EventLedger

__all__ = ["EventClaims"]


class EventClaims:
    """`once(key)` per event; `remember` keys are kept in memory (0: the ledger alone)."""

    def __init__(self, ledger: EventLedger, lease: float, *, remember: int = 0) -> None:
        self.ledger, self.lease, self.remember = ledger, lease, remember
        self._seen: OrderedDict[str, None] = OrderedDict()

    def seen_here(self, key: str) -> bool:
        """Whether this process already claimed `key` (memory only, for the pre-ack path)."""
        return key in self._seen

    @contextlib.asynccontextmanager
    async def once(self, key: str | None) -> AsyncIterator[bool]:
        """False for a duplicate, else True for a block claimed (and released if it
        fails); no key (nothing to deduplicate by) is always True."""
        if not key or key in self._seen:
            yield not key
            return
        if self.remember:
            self._seen[key] = None
            if len(self._seen) > self.remember:
                self._seen.popitem(last=False)
        async with self.ledger.once(key, self.lease) as first:
            yield first
