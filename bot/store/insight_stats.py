"""Log statistics for leadership insights: demand per candidate, weekly totals, retention.

Mixed into `InsightStore`; counts only, never asker identities (a period's queries carry
an opaque per-call index instead of the pseudonym).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, case, cast, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import rowcount
from bot.store.embedding_tables import AskVectors
from bot.store.handoffs import ORIGIN_REFS
from bot.store.insights_tables import InsightWeek, UnmetEmbedding
from bot.store.tables import ConversationRef, HandoffEntry, QueryEntry, UnmetRequest, UnmetVote

__all__ = ["DemandRow", "LogStatistics", "WeekTotals", "aware"]


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DemandRow:
    """Demand for one candidate: counts only, no asker identities."""

    candidate_id: int
    asks: int
    askers: int
    votes: int
    first_seen: datetime | None
    last_seen: datetime | None
    asks_this_period: int
    asks_previous_period: int
    # (department, distinct askers from it), most askers first; callers apply the group rule.
    departments: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class WeekTotals:
    questions: int
    askers: int
    unmet: int
    helpful: int
    not_helpful: int


class LogStatistics:
    """Read-mostly queries over the query and unmet logs (and their retention)."""

    _sessions: async_sessionmaker[AsyncSession]

    # -- demand and figures ---------------------------------------------------------
    async def demand(
        self, *, start: datetime, end: datetime, previous_start: datetime
    ) -> list[DemandRow]:
        """Per candidate: asks, distinct askers, votes, first/last seen, this vs previous period."""
        r = UnmetRequest
        asks = (
            select(
                r.candidate_id,
                func.count(r.id),
                func.count(func.distinct(r.asker)),
                func.min(r.at),
                func.max(r.at),
                func.sum(case((and_(r.at >= start, r.at < end), 1), else_=0)),
                func.sum(case((and_(r.at >= previous_start, r.at < start), 1), else_=0)),
            )
            .where(r.candidate_id.is_not(None), r.at < end)
            .group_by(r.candidate_id)
        )
        votes = (
            select(r.candidate_id, func.count(func.distinct(UnmetVote.asker)))
            .join(UnmetVote, UnmetVote.unmet_id == r.id)
            .where(r.candidate_id.is_not(None), UnmetVote.at < end)
            .group_by(r.candidate_id)
        )
        depts = (
            select(r.candidate_id, r.department, func.count(func.distinct(r.asker)))
            .where(r.candidate_id.is_not(None), r.department.is_not(None), r.at < end)
            .group_by(r.candidate_id, r.department)
        )
        async with self._sessions() as session:
            # (The queries select only requests placed in a candidate: c is never None.)
            vote_counts = {
                int(c): int(n) for c, n in await session.execute(votes) if c is not None
            }
            by_dept: dict[int, list[tuple[str, int]]] = {}
            for c, dept, n in await session.execute(depts):
                if c is not None:
                    by_dept.setdefault(int(c), []).append((str(dept), int(n)))
            return [
                DemandRow(
                    int(c), int(n), int(a), vote_counts.get(int(c), 0),
                    aware(first) if first else None, aware(last) if last else None,
                    int(this or 0), int(prev or 0),
                    tuple(sorted(by_dept.get(int(c), []), key=lambda d: (-d[1], d[0]))),
                )
                for c, n, a, first, last, this, prev in await session.execute(asks)
            ]

    async def examples(self, candidate_id: int, *, limit: int = 3) -> list[str]:
        """The most recent distinct (redacted) questions of a candidate."""
        query = (
            select(UnmetRequest.question)
            .where(UnmetRequest.candidate_id == candidate_id)
            .order_by(UnmetRequest.at.desc(), UnmetRequest.id.desc())
            .limit(50)
        )
        async with self._sessions() as session:
            seen: list[str] = []
            for question in await session.scalars(query):
                if question.casefold() not in {s.casefold() for s in seen}:
                    seen.append(str(question))
                if len(seen) == limit:
                    break
            return seen

    async def period_queries(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """The period's query rows, with the asker reduced to an opaque per-call index."""
        q = QueryEntry
        query = select(
            q.asker, q.outcome, q.use_case, q.tools, q.red_lines, q.asked_tool,
            q.asked_tool_status, q.feedback, q.department,
        ).where(q.at >= start, q.at < end)
        async with self._sessions() as session:
            rows = (await session.execute(query)).all()
        index: dict[str, int] = {}
        return [
            {
                "asker": index.setdefault(row[0], len(index)), "outcome": row[1],
                "use_case": row[2], "tools": list(row[3] or []), "red_lines": list(row[4] or []),
                "asked_tool": row[5], "asked_tool_status": row[6], "feedback": row[7],
                "department": row[8],
            }
            for row in rows
        ]

    async def week_totals(self, start: datetime, end: datetime) -> WeekTotals:
        q = QueryEntry
        query = select(
            func.count(q.id),
            func.count(func.distinct(q.asker)),
            func.sum(case((q.outcome == "unmet", 1), else_=0)),
            func.sum(case((q.feedback == "helpful", 1), else_=0)),
            func.sum(case((q.feedback == "not_helpful", 1), else_=0)),
        ).where(q.at >= start, q.at < end)
        async with self._sessions() as session:
            n, askers, unmet, helpful, not_helpful = (await session.execute(query)).one()
        return WeekTotals(int(n), int(askers), int(unmet or 0), int(helpful or 0),
                          int(not_helpful or 0))

    async def stored_weeks(self, periods: list[str]) -> dict[str, WeekTotals]:
        query = select(InsightWeek).where(InsightWeek.period.in_(periods))
        async with self._sessions() as session:
            return {
                w.period: WeekTotals(w.questions, w.askers, w.unmet, w.helpful, w.not_helpful)
                for w in await session.scalars(query)
            }

    async def store_week(self, period: str, totals: WeekTotals) -> None:
        async with self._sessions() as session:
            if await session.get(InsightWeek, period) is None:
                session.add(InsightWeek(period=period, **totals.__dict__))
                try:
                    await session.commit()
                except IntegrityError:
                    await session.rollback()

    # -- retention --------------------------------------------------------------------
    async def oldest_log(self) -> datetime | None:
        async with self._sessions() as session:
            oldest = [
                await session.scalar(select(func.min(QueryEntry.at))),
                await session.scalar(select(func.min(UnmetRequest.at))),
            ]
        values = [aware(v) for v in oldest if v is not None]
        return min(values) if values else None

    async def delete_before(self, cutoff: datetime) -> tuple[int, int]:
        """Delete query and unmet logs older than `cutoff` (votes go with their request)."""
        async with self._sessions() as session:
            old_unmet = select(UnmetRequest.id).where(UnmetRequest.at < cutoff)
            await session.execute(delete(UnmetVote).where(UnmetVote.unmet_id.in_(old_unmet)))
            await session.execute(
                delete(UnmetEmbedding).where(UnmetEmbedding.unmet_id.in_(old_unmet)))
            unmet = await session.execute(delete(UnmetRequest).where(UnmetRequest.at < cutoff))
            # Unmet requests still kept must not point at a deleted query.
            old_queries = select(QueryEntry.id).where(QueryEntry.at < cutoff)
            await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.query_id.in_(old_queries))
                .values(query_id=None)
            )
            queries = await session.execute(delete(QueryEntry).where(QueryEntry.at < cutoff))
            # What the answers embedded, first stored when a question was first asked.
            await session.execute(delete(AskVectors).where(AskVectors.at < cutoff))
            # Handoffs hold the asker's platform id (to relay IT's reply): they go too.
            await session.execute(delete(HandoffEntry).where(HandoffEntry.created_at < cutoff))
            # ...and so do the references to the askers' chats, kept per handoff.
            handoffs = select(cast(HandoffEntry.id, String))
            await session.execute(delete(ConversationRef).where(
                ConversationRef.platform == ORIGIN_REFS,
                ConversationRef.conversation_id.not_in(handoffs)))
            await session.commit()
        return rowcount(queries), rowcount(unmet)
