"""Repositories for leadership insights: candidate use cases and the unmet requests in them.

Everything here returns plain dataclasses or tuples, never ORM rows, and never hands out
asker pseudonyms: callers get counts of distinct askers, not who they are. The log
statistics live in `insight_stats.py` (mixed into `InsightStore`), the digest's
exactly-once bookkeeping in `digest_ledger.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import commit_once, rowcount
from bot.store.insight_stats import DemandRow, LogStatistics, WeekTotals, aware
from bot.store.insights_tables import Candidate, UnmetEmbedding
from bot.store.tables import UnmetRequest, utcnow

__all__ = [
    "CandidateRecord",
    "DemandRow",
    "InsightStore",
    "WeekTotals",
    "aware",
]


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
    centroid: bytes | None = None  # summed member embeddings, float32
    centroid_model: str | None = None


def _candidate(row: Candidate) -> CandidateRecord:
    return CandidateRecord(
        row.id, row.label, row.label_fixed, list(row.terms), dict(row.profile), row.members,
        row.status, row.reason, row.merged_into, row.covered_by, aware(row.created_at),
        row.centroid, row.centroid_model,
    )


class InsightStore(LogStatistics):
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

    async def without_vector(self, model_id: str, *, limit: int = 5000) -> list[tuple[int, str]]:
        """Unmet requests not yet embedded with `model_id`, oldest first."""
        done = select(UnmetEmbedding.unmet_id).where(UnmetEmbedding.model_id == model_id)
        query = (
            select(UnmetRequest.id, UnmetRequest.question)
            .where(UnmetRequest.id.not_in(done))
            .order_by(UnmetRequest.id)
            .limit(limit)
        )
        async with self._sessions() as session:
            return [(int(i), str(q)) for i, q in await session.execute(query)]

    async def store_vectors(self, model_id: str, rows: list[tuple[int, bytes]]) -> None:
        """Keep embeddings; one another replica stored first is left as it is."""
        async with self._sessions() as session:
            session.add_all(UnmetEmbedding(unmet_id=i, model_id=model_id, vector=v)
                            for i, v in rows)
            if await commit_once(session):
                return
        for request_id, vector in rows:  # a race with another replica: one by one
            async with self._sessions() as session:
                session.add(UnmetEmbedding(unmet_id=request_id, model_id=model_id, vector=vector))
                await commit_once(session)

    async def unassigned_vectors(self, model_id: str) -> list[tuple[int, str, bytes]]:
        """(id, question, vector) of unmet requests not yet in a candidate, oldest first."""
        query = (
            select(UnmetRequest.id, UnmetRequest.question, UnmetEmbedding.vector)
            .join(UnmetEmbedding, UnmetEmbedding.unmet_id == UnmetRequest.id)
            .where(UnmetRequest.candidate_id.is_(None), UnmetEmbedding.model_id == model_id)
            .order_by(UnmetRequest.id)
        )
        async with self._sessions() as session:
            return [(int(i), str(q), bytes(v)) for i, q, v in await session.execute(query)]

    async def members(
        self, candidate_ids: list[int], model_id: str, *, limit: int = 200
    ) -> dict[int, list[tuple[str, bytes | None]]]:
        """The most recent (question, vector) of each candidate, for labels and centroids."""
        out: dict[int, list[tuple[str, bytes | None]]] = {}
        if not candidate_ids:
            return out
        vec = (
            select(UnmetEmbedding.unmet_id, UnmetEmbedding.vector)
            .where(UnmetEmbedding.model_id == model_id)
            .subquery()
        )
        query = (
            select(UnmetRequest.candidate_id, UnmetRequest.question, vec.c.vector)
            .outerjoin(vec, vec.c.unmet_id == UnmetRequest.id)
            .where(UnmetRequest.candidate_id.in_(candidate_ids))
            .order_by(UnmetRequest.id.desc())
        )
        async with self._sessions() as session:
            for cid, question, vector in await session.execute(query):
                rows = out.setdefault(int(cid), [])
                if len(rows) < limit:
                    rows.append((str(question), bytes(vector) if vector is not None else None))
        return out

    async def assigned(self, *, limit: int) -> list[tuple[int, str, int]]:
        """The most recent requests already placed: context for IDF and labels."""
        query = (
            select(UnmetRequest.id, UnmetRequest.question, UnmetRequest.candidate_id)
            .where(UnmetRequest.candidate_id.is_not(None))
            .order_by(UnmetRequest.id.desc())
            .limit(limit)
        )
        async with self._sessions() as session:
            return [(int(i), str(q), int(c)) for i, q, c in await session.execute(query)
                    if c is not None]

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
                    if rowcount(result) != len(chunk):
                        await session.rollback()
                        return False
            await session.commit()
            return True

    async def update_candidate(self, candidate_id: int, **values: Any) -> None:
        """Housekeeping values (e.g. a rebuilt centroid); not a review."""
        async with self._sessions() as session:
            await session.execute(
                update(Candidate).where(Candidate.id == candidate_id).values(**values)
            )
            await session.commit()

    async def review(self, candidate_id: int, **values: Any) -> bool:
        async with self._sessions() as session:
            result = await session.execute(
                update(Candidate)
                .where(Candidate.id == candidate_id)
                .values(updated_at=utcnow(), reviewed_at=utcnow(), **values)
            )
            await session.commit()
            return bool(rowcount(result))

    async def merge(
        self, source: int, target: int, *, profile: dict[str, float], members: int, actor: str,
        centroid: bytes | None = None,
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
                    profile=profile, members=members, updated_at=now,
                    **({"centroid": centroid} if centroid is not None else {}),
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
            return rowcount(result)

    async def askers_with_covered(self, limit: int) -> list[str]:
        """Askers (at most `limit`) with covered requests they have not been told about."""
        query = (select(UnmetRequest.asker).where(UnmetRequest.status == "covered")
                 .distinct().limit(limit))
        async with self._sessions() as session:
            return [str(a) for a in await session.scalars(query)]

    async def covered_requests(self, asker: str) -> list[tuple[int, int, str, datetime]]:
        """(request id, candidate id, question, asked at) of this asker's newly answered requests.

        Runs on every answer, so it is one query that the `status` index keeps cheap: only
        requests covered but not yet told are in that state.
        """
        r = UnmetRequest
        query = (
            select(r.id, r.candidate_id, r.question, r.at)
            .where(r.status == "covered", r.asker == asker)
            .order_by(r.at)
        )
        async with self._sessions() as session:
            return [
                (int(i), int(c), str(q), aware(at))
                for i, c, q, at in await session.execute(query)
                if c is not None  # covered requests name their candidate
            ]

    async def mark_told(self, request_ids: list[int]) -> int:
        """Mark requests as told; the count changed (0: another replica told them first)."""
        async with self._sessions() as session:
            result = await session.execute(
                update(UnmetRequest)
                .where(UnmetRequest.id.in_(request_ids), UnmetRequest.status == "covered")
                .values(status="answered")
            )
            await session.commit()
            return rowcount(result)
