"""Audit, query and unmet-request logs. Callers pass text that is already redacted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.asks import save_ask_vectors
from bot.store.batch import GroupCommit
from bot.store.db import commit_once, rowcount
from bot.store.records import MessageVector, QueryNote, UnmetNote
from bot.store.tables import AuditEntry, QueryEntry, UnmetRequest, UnmetVote

__all__ = [
    "AuditLog", "AuditRecord", "QueryLog", "QueryNote", "UnmetLog", "UnmetNote", "UnmetRecord",
]


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    source: str
    action: str
    target: str
    allowed: bool
    version: int | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class UnmetRecord:
    id: int
    at: datetime
    question: str
    platform: str
    closest_use_case: str | None
    score: float | None
    status: str
    votes: int


class AuditLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(
        self,
        *,
        actor: str,
        source: str,
        action: str,
        target: str = "",
        allowed: bool = True,
        version: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        async with self._sessions() as session:
            session.add(
                AuditEntry(
                    actor=actor,
                    source=source,
                    action=action,
                    target=target,
                    allowed=allowed,
                    version=version,
                    detail=detail or {},
                )
            )
            await session.commit()

    async def recent(self, *, limit: int = 50) -> list[AuditRecord]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            )
            return [
                AuditRecord(
                    r.id,
                    r.at,
                    r.actor,
                    r.source,
                    r.action,
                    r.target,
                    r.allowed,
                    r.version,
                    r.detail,
                )
                for r in rows
            ]


class QueryLog:
    """Every answer, for the digest: redacted question, outcome and what was suggested."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        # One entry per answer: entries logged at the same time share a transaction.
        self._entries = GroupCommit(self._record_many)

    async def record(
        self, entry: QueryEntry, unmet: UnmetRequest | None = None,
        vectors: tuple[MessageVector, ...] = (),
    ) -> tuple[int, int | None]:
        """Store the query (its unmet request, what its answer embedded) in one transaction;
        return the ids of the query and the request."""
        return await self._entries((entry, unmet, vectors))

    async def _record_many(
        self, items: list[tuple[QueryEntry, UnmetRequest | None, tuple[MessageVector, ...]]]
    ) -> list[tuple[int, int | None]]:
        async with self._sessions() as session:
            session.add_all([entry for entry, _, _ in items])
            await session.flush()
            unmet = []
            for entry, request, _ in items:
                if request is not None:
                    request.query_id = entry.id
                    unmet.append(request)
            if unmet:
                session.add_all(unmet)
                await session.flush()
            await save_ask_vectors(session, ((e.question, v) for e, _, v in items if v))
            await session.commit()
        return [(entry.id, request.id if request is not None else None)
                for entry, request, _ in items]

    async def log(
        self, query: QueryNote, unmet: UnmetNote | None = None
    ) -> tuple[int, int | None]:
        """Store a query (and its unmet request) described in plain values; their ids."""
        request = UnmetRequest(**unmet.columns()) if unmet else None
        return await self.record(QueryEntry(**query.columns()), request, query.vectors)

    async def set_feedback(self, query_id: int, *, asker: str, feedback: str) -> bool:
        """Record feedback; only the asker may give it. False when nothing changed.

        A repeated click (same feedback again) changes nothing, so callers can use the
        result to act once per change, e.g. file "not what I needed" as unmet only once.
        """
        async with self._sessions() as session:
            result = await session.execute(
                update(QueryEntry)
                .where(
                    QueryEntry.id == query_id,
                    QueryEntry.asker == asker,
                    (QueryEntry.feedback.is_(None)) | (QueryEntry.feedback != feedback),
                )
                .values(feedback=feedback)
            )
            await session.commit()
            return bool(rowcount(result))

    async def get(self, query_id: int) -> QueryEntry | None:
        async with self._sessions() as session:
            return await session.get(QueryEntry, query_id)

    async def count(self) -> int:
        async with self._sessions() as session:
            return int(await session.scalar(select(func.count(QueryEntry.id))) or 0)


class UnmetLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def add(self, request: UnmetRequest) -> int:
        async with self._sessions() as session:
            session.add(request)
            await session.commit()
            return request.id

    async def from_feedback(self, query_id: int, *, asker: str) -> tuple[int, str] | None:
        """File a logged query as unmet ("not what I needed"); its id and redacted question.

        None when the query is gone (e.g. purged by retention).
        """
        async with self._sessions() as session:
            entry = await session.get(QueryEntry, query_id)
            if entry is None:
                return None
            request = UnmetRequest(
                query_id=entry.id,
                platform=entry.platform,
                asker=asker,
                department=entry.department,
                question=entry.question,
                reason="feedback",
                closest_use_case=entry.use_case,
                score=entry.score,
            )
            session.add(request)
            await session.commit()
            return request.id, request.question

    async def of_query(self, query_id: int) -> int | None:
        """The unmet request an answer logged itself (not one filed by its feedback)."""
        async with self._sessions() as session:
            found = await session.scalar(
                select(func.min(UnmetRequest.id)).where(
                    UnmetRequest.query_id == query_id, UnmetRequest.reason != "feedback"))
            return int(found) if found is not None else None

    async def vote(self, unmet_id: int, *, asker: str) -> bool:
        """ "I need this too"; False when this asker already voted or the request is gone."""
        async with self._sessions() as session:
            if await session.get(UnmetRequest, unmet_id) is None:
                return False
            session.add(UnmetVote(unmet_id=unmet_id, asker=asker))
            return await commit_once(session)

    async def list(self, *, status: str | None = "open", limit: int = 50) -> list[UnmetRecord]:
        votes = (
            select(UnmetVote.unmet_id, func.count(UnmetVote.id).label("votes"))
            .group_by(UnmetVote.unmet_id)
            .subquery()
        )
        query = (
            select(UnmetRequest, func.coalesce(votes.c.votes, 0))
            .outerjoin(votes, votes.c.unmet_id == UnmetRequest.id)
            .order_by(UnmetRequest.id.desc())
            .limit(limit)
        )
        if status is not None:
            query = query.where(UnmetRequest.status == status)
        async with self._sessions() as session:
            rows = await session.execute(query)
            return [
                UnmetRecord(
                    r.id,
                    r.at,
                    r.question,
                    r.platform,
                    r.closest_use_case,
                    r.score,
                    r.status,
                    int(n),
                )
                for r, n in rows
            ]

    async def set_status(self, unmet_id: int, status: str) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                update(UnmetRequest).where(UnmetRequest.id == unmet_id).values(status=status)
            )
            await session.commit()
            return bool(rowcount(result))
