"""Repositories for leadership insights: candidates, log statistics and the digest ledger.

Everything here returns plain dataclasses or tuples, never ORM rows, and never hands out
asker pseudonyms: callers get counts of distinct askers, not who they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.insights_tables import Candidate, DigestDelivery, DigestPeriod, InsightWeek
from bot.store.tables import QueryEntry, UnmetRequest, UnmetVote, utcnow

__all__ = [
    "CandidateRecord",
    "DeliveryRecord",
    "DemandRow",
    "DigestLedger",
    "InsightStore",
    "WeekTotals",
    "aware",
]


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CandidateRecord:
    id: int
    label: str
    label_fixed: bool
    terms: list[str]
    profile: dict[str, float]
    members: int
    status: str
    reason: str | None
    merged_into: int | None
    covered_by: str | None
    created_at: datetime


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


@dataclass(frozen=True)
class WeekTotals:
    questions: int
    askers: int
    unmet: int
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class DeliveryRecord:
    destination: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


def _candidate(row: Candidate) -> CandidateRecord:
    return CandidateRecord(
        row.id, row.label, row.label_fixed, list(row.terms), dict(row.profile), row.members,
        row.status, row.reason, row.merged_into, row.covered_by, aware(row.created_at),
    )


class InsightStore:
    """Candidates and the log statistics the digest is computed from."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    # -- clustering ------------------------------------------------------------------
    async def unassigned(self, *, limit: int | None = None) -> list[tuple[int, str]]:
        """Unmet requests not yet in a candidate, oldest first (stable processing order)."""
        query = (
            select(UnmetRequest.id, UnmetRequest.question)
            .where(UnmetRequest.candidate_id.is_(None))
            .order_by(UnmetRequest.id)
        )
        if limit is not None:
            query = query.limit(limit)
        async with self._sessions() as session:
            return [(int(i), str(q)) for i, q in await session.execute(query)]

    async def assigned(self, *, limit: int) -> list[tuple[int, str, int]]:
        """The most recent requests already placed: context for IDF and labels."""
        query = (
            select(UnmetRequest.id, UnmetRequest.question, UnmetRequest.candidate_id)
            .where(UnmetRequest.candidate_id.is_not(None))
            .order_by(UnmetRequest.id.desc())
            .limit(limit)
        )
        async with self._sessions() as session:
            return [(int(i), str(q), int(c)) for i, q, c in await session.execute(query)]

    async def candidates(
        self, *, statuses: tuple[str, ...] | None = None, ids: list[int] | None = None
    ) -> list[CandidateRecord]:
        query = select(Candidate).order_by(Candidate.id)
        if statuses is not None:
            query = query.where(Candidate.status.in_(statuses))
        if ids is not None:
            query = query.where(Candidate.id.in_(ids))
        async with self._sessions() as session:
            return [_candidate(r) for r in await session.scalars(query)]

    async def get(self, candidate_id: int) -> CandidateRecord | None:
        async with self._sessions() as session:
            row = await session.get(Candidate, candidate_id)
            return _candidate(row) if row else None

    async def apply_plan(
        self,
        *,
        updates: list[dict[str, Any]],
        new: list[dict[str, Any]],
        assign: dict[int, list[int]],
        assign_new: list[list[int]],
    ) -> bool:
        """Write one clustering run atomically; False if another run claimed the requests.

        `updates` are existing candidates' new profile/members/label; `new` are candidates
        to create, whose requests are `assign_new[i]`; `assign` maps existing ids to requests.
        """
        async with self._sessions() as session:
            now = utcnow()
            for values in updates:
                cid = values.pop("id")
                await session.execute(
                    update(Candidate).where(Candidate.id == cid).values(updated_at=now, **values)
                )
            rows = [Candidate(created_at=now, updated_at=now, **values) for values in new]
            session.add_all(rows)
            await session.flush()
            pairs = list(assign.items())
            pairs += [(r.id, ids) for r, ids in zip(rows, assign_new, strict=True)]
            for cid, request_ids in pairs:
                for start in range(0, len(request_ids), 500):
                    chunk = request_ids[start : start + 500]
                    result = await session.execute(
                        update(UnmetRequest)
                        .where(UnmetRequest.id.in_(chunk), UnmetRequest.candidate_id.is_(None))
                        .values(candidate_id=cid)
                    )
                    if result.rowcount != len(chunk):  # type: ignore[attr-defined]
                        await session.rollback()
                        return False
            await session.commit()
            return True

    async def review(self, candidate_id: int, **values: Any) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                update(Candidate)
                .where(Candidate.id == candidate_id)
                .values(updated_at=utcnow(), reviewed_at=utcnow(), **values)
            )
            await session.commit()
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def merge(
        self, source: int, target: int, *, profile: dict[str, float], members: int, actor: str
    ) -> None:
        """Fold `source` into `target`: requests move, the source remembers where it went."""
        async with self._sessions() as session:
            now = utcnow()
            await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.candidate_id == source)
                .values(candidate_id=target)
            )
            await session.execute(
                update(Candidate).where(Candidate.merged_into == source).values(merged_into=target)
            )
            await session.execute(
                update(Candidate).where(Candidate.id == source).values(
                    status="merged", merged_into=target, reviewed_by=actor, reviewed_at=now,
                    updated_at=now,
                )
            )
            await session.execute(
                update(Candidate).where(Candidate.id == target).values(
                    profile=profile, members=members, updated_at=now
                )
            )
            await session.commit()

    async def set_request_status(
        self, *, candidate_id: int, status: str, only: tuple[str, ...] = ("open",)
    ) -> int:
        async with self._sessions() as session:
            result = await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.candidate_id == candidate_id, UnmetRequest.status.in_(only))
                .values(status=status)
            )
            await session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def covered_requests(self, asker: str) -> list[tuple[int, int, str]]:
        """(request id, candidate id, question) of this asker's requests that now have an answer."""
        query = select(UnmetRequest.id, UnmetRequest.candidate_id, UnmetRequest.question).where(
            UnmetRequest.asker == asker, UnmetRequest.status == "covered"
        )
        async with self._sessions() as session:
            return [(int(i), int(c), str(q)) for i, c, q in await session.execute(query)]

    async def mark_told(self, request_ids: list[int]) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.id.in_(request_ids), UnmetRequest.status == "covered")
                .values(status="answered")
            )
            await session.commit()

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
        async with self._sessions() as session:
            vote_counts = {int(c): int(n) for c, n in await session.execute(votes)}
            return [
                DemandRow(
                    int(c), int(n), int(a), vote_counts.get(int(c), 0),
                    aware(first) if first else None, aware(last) if last else None,
                    int(this or 0), int(prev or 0),
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
            unmet = await session.execute(delete(UnmetRequest).where(UnmetRequest.at < cutoff))
            # Unmet requests still kept must not point at a deleted query.
            old_queries = select(QueryEntry.id).where(QueryEntry.at < cutoff)
            await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.query_id.in_(old_queries))
                .values(query_id=None)
            )
            queries = await session.execute(delete(QueryEntry).where(QueryEntry.at < cutoff))
            await session.commit()
        return int(queries.rowcount), int(unmet.rowcount)  # type: ignore[attr-defined]


class DigestLedger:
    """Exactly-once bookkeeping: one claimed row per period, one delivery row per destination."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim_period(
        self, period: str, *, owner: str, figures: dict[str, Any]
    ) -> dict[str, Any]:
        """Insert the period with its figures unless it exists; return the stored figures."""
        async with self._sessions() as session:
            session.add(DigestPeriod(period=period, claimed_by=owner[:100], figures=figures))
            try:
                await session.commit()
                return figures
            except IntegrityError:
                await session.rollback()
        return await self.figures(period) or figures

    async def figures(self, period: str) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = await session.get(DigestPeriod, period)
            return dict(row.figures) if row else None

    async def claim_delivery(
        self, period: str, destination: str, *, owner: str, lease_until: datetime, force: bool
    ) -> int:
        """The attempt number when this caller may send now (first claim, expired lease or due
        retry), else 0: someone else is sending, it was sent, or the retry is not due yet."""
        now = utcnow()
        async with self._sessions() as session:
            session.add(DigestDelivery(
                period=period, destination=destination, owner=owner[:100],
                lease_until=lease_until, updated_at=now,
            ))
            try:
                await session.commit()
                return 1
            except IntegrityError:
                await session.rollback()
            d = DigestDelivery
            due = d.next_attempt_at <= now if not force else d.status == "failed"
            result = await session.execute(
                update(d)
                .where(
                    d.period == period,
                    d.destination == destination,
                    or_(
                        and_(d.status == "failed", due),
                        and_(d.status == "sending", d.lease_until < now),
                    ),
                )
                .values(status="sending", owner=owner[:100], lease_until=lease_until,
                        attempts=d.attempts + 1, updated_at=now)
                .returning(d.attempts)
            )
            attempts = result.scalar_one_or_none()
            await session.commit()
            return int(attempts or 0)

    async def finish(
        self,
        period: str,
        destination: str,
        *,
        owner: str,
        status: str,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        now = utcnow()
        async with self._sessions() as session:
            await session.execute(
                update(DigestDelivery)
                .where(
                    DigestDelivery.period == period,
                    DigestDelivery.destination == destination,
                    DigestDelivery.owner == owner[:100],
                )
                .values(
                    status=status, last_error=(error or None) and error[:200],
                    next_attempt_at=next_attempt_at, updated_at=now,
                    sent_at=now if status == "sent" else None,
                )
            )
            await session.commit()

    async def deliveries(self, period: str) -> list[DeliveryRecord]:
        query = select(DigestDelivery).where(DigestDelivery.period == period).order_by(
            DigestDelivery.id
        )
        async with self._sessions() as session:
            return [
                DeliveryRecord(
                    d.destination, d.status, d.attempts, d.last_error,
                    aware(d.sent_at) if d.sent_at else None,
                )
                for d in await session.scalars(query)
            ]
