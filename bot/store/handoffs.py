"""Questions passed on to IT ("Ask IT", issue 13 §4) and where IT discusses them.

A row holds what IT is shown (the redacted question and the answer's headline), who
asked (the platform user id, kept only so IT's reply can be relayed to them, and the
pseudonym the logs use), and the IT-side thread once the post exists, so a reply in
that thread finds its way back. Never raw message text. Retention deletes old rows
(`LogStatistics.delete_before`, run by RETENTION_DAYS) with the logs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import commit_once, rowcount
from bot.store.tables import HandoffEntry, QueryEntry

__all__ = ["ORIGIN_REFS", "HandoffLog", "HandoffRecord", "LoggedQuery", "OpenedHandoff"]

#: `conversation_refs.platform` of the rows saying where a handoff's asker gets IT's
#: reply (Teams: their personal chat), keyed by handoff id; retention deletes them with
#: their handoff.
ORIGIN_REFS = "teams-handoff"


@dataclass(frozen=True)
class HandoffRecord:
    id: int
    created_at: datetime
    platform: str
    query_id: int | None
    asker_id: str
    asker: str
    question: str
    answer: str
    origin_channel: str | None
    origin_thread: str | None
    it_channel: str | None
    it_thread: str | None
    status: str


@dataclass(frozen=True)
class OpenedHandoff:
    """What `HandoffLog.open` found: the row, and whether this call created it."""

    record: HandoffRecord
    created: bool


@dataclass(frozen=True)
class LoggedQuery:
    """The parts of a logged query a handoff needs (all already redacted)."""

    id: int
    platform: str
    asker: str
    question: str
    headline: str | None
    outcome: str
    tools: tuple[str, ...]
    red_lines: tuple[str, ...]


def _record(row: HandoffEntry) -> HandoffRecord:
    created = row.created_at
    if created.tzinfo is None:  # SQLite returns naive datetimes; everything stored is UTC
        created = created.replace(tzinfo=UTC)
    return HandoffRecord(
        row.id, created, row.platform, row.query_id, row.asker_id, row.asker,
        row.question, row.answer, row.origin_channel, row.origin_thread,
        row.it_channel, row.it_thread, row.status,
    )


class HandoffLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def query(self, query_id: int) -> LoggedQuery | None:
        """The logged query a handoff is opened from, or None when it is gone."""
        async with self._sessions() as session:
            row = await session.get(QueryEntry, query_id)
            if row is None:
                return None
            return LoggedQuery(row.id, row.platform, row.asker, row.question, row.headline,
                               row.outcome, tuple(row.tools or ()), tuple(row.red_lines or ()))

    async def open(
        self, *, platform: str, query_id: int, asker_id: str, asker: str, question: str,
        answer: str, origin_channel: str | None = None, origin_thread: str | None = None,
    ) -> OpenedHandoff:
        """Store a handoff, or return the one already opened for this query (any replica)."""
        for _attempt in range(2):
            async with self._sessions() as session:
                row = HandoffEntry(
                    platform=platform, query_id=query_id, asker_id=asker_id[:200],
                    asker=asker, question=question, answer=answer,
                    origin_channel=origin_channel, origin_thread=origin_thread, status="open",
                )
                session.add(row)
                if await commit_once(session):
                    return OpenedHandoff(_record(row), created=True)
            async with self._sessions() as session:
                found = await session.scalar(
                    select(HandoffEntry).where(HandoffEntry.query_id == query_id))
                if found is not None:
                    return OpenedHandoff(_record(found), created=False)
            # The other row was deleted in between (retention): insert again.
        raise RuntimeError(f"handoff for query {query_id} could not be stored")

    async def get(self, handoff_id: int) -> HandoffRecord | None:
        async with self._sessions() as session:
            row = await session.get(HandoffEntry, handoff_id)
            return _record(row) if row is not None else None

    async def set_thread(self, handoff_id: int, channel: str, thread: str) -> bool:
        """Remember the IT post; False when the handoff is gone."""
        async with self._sessions() as session:
            result = await session.execute(
                update(HandoffEntry).where(HandoffEntry.id == handoff_id)
                .values(it_channel=channel, it_thread=thread, status="posted"))
            await session.commit()
            return bool(rowcount(result))

    async def set_status(self, handoff_id: int, status: str) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                update(HandoffEntry).where(HandoffEntry.id == handoff_id).values(status=status))
            await session.commit()
            return bool(rowcount(result))

    async def by_thread(self, platform: str, channel: str, thread: str) -> HandoffRecord | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(HandoffEntry).where(
                    HandoffEntry.platform == platform,
                    HandoffEntry.it_channel == channel,
                    HandoffEntry.it_thread == thread,
                ).order_by(HandoffEntry.id.desc()).limit(1))
            return _record(row) if row is not None else None
