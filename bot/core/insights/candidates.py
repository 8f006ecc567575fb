"""Review of candidate use cases by IT or leadership, shared by the CLI, Slack and Teams.

A candidate is `open` until someone decides: `accepted` (find a tool for it), `declined`
(with a reason), `merged` into another candidate, or `covered` by an existing tool or use
case, after which its askers can be told in chat that there is now an answer. Every
decision, and every refused attempt, lands in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.admin import PolicyAdmin
from bot.core.insights.clustering import ClusterReport, refresh_candidates
from bot.core.insights.periods import period_of
from bot.errors import InputError
from bot.store import Actor, Store
from bot.store.insights import CandidateRecord, InsightStore

__all__ = ["STATUSES", "CandidateReview", "CandidateSummary", "CoverNotice"]

STATUSES = ("open", "accepted", "declined", "merged", "covered")


@dataclass(frozen=True)
class CandidateSummary:
    id: int
    label: str
    status: str
    asks: int
    askers: int
    votes: int
    asks_this_week: int
    first_seen: datetime | None
    last_seen: datetime | None
    reason: str | None
    merged_into: int | None
    covered_by: str | None
    examples: tuple[str, ...]


@dataclass(frozen=True)
class CoverNotice:
    """What to tell an asker whose unmet request now has an answer."""

    request_ids: tuple[int, ...]
    candidate_id: int
    text: str


class CandidateReview:
    """List and decide candidate use cases; only admins (or the server's CLI) may decide."""

    def __init__(self, store: Store, *, admin: PolicyAdmin | None = None) -> None:
        self.store = store
        self.insights = InsightStore(store.sessions)
        self._admin = admin or PolicyAdmin(store)

    async def refresh(self) -> ClusterReport:
        """Place new unmet requests into candidates (incremental; cheap when nothing is new)."""
        return await refresh_candidates(self.insights)

    async def list(
        self, *, status: str | None = "open", limit: int = 50, now: datetime | None = None
    ) -> list[CandidateSummary]:
        """Candidates by demand (distinct askers first); `status=None` lists every status."""
        week = period_of(now or datetime.now(UTC))
        rows = {
            r.candidate_id: r
            for r in await self.insights.demand(
                start=week.start, end=week.end, previous_start=week.previous().start
            )
        }
        statuses = None if status is None else (status,)
        cands = await self.insights.candidates(statuses=statuses)

        def demand(c: CandidateRecord) -> tuple[int, ...]:
            r = rows.get(c.id)
            return (-r.askers, -r.asks, -r.votes, c.id) if r else (0, 0, 0, c.id)

        out = []
        for c in sorted(cands, key=demand)[:limit]:
            r = rows.get(c.id)
            out.append(CandidateSummary(
                c.id, c.label, c.status, r.asks if r else 0, r.askers if r else 0,
                r.votes if r else 0, r.asks_this_period if r else 0,
                r.first_seen if r else None, r.last_seen if r else None,
                c.reason, c.merged_into, c.covered_by,
                tuple(await self.insights.examples(c.id)),
            ))
        return out

    async def _decide(self, actor: Actor, action: str, candidate_id: int) -> CandidateRecord:
        target = f"candidate:{candidate_id}"
        await self._admin.require_admin(actor, f"candidate.{action}", target)
        cand = await self.insights.get(candidate_id)
        if cand is None:
            raise InputError(f"There is no candidate #{candidate_id}.")
        if cand.status == "merged":
            raise InputError(
                f"Candidate #{candidate_id} was merged into #{cand.merged_into}; "
                "decide on that one."
            )
        return cand

    async def _audit(self, actor: Actor, action: str, candidate_id: int, **detail: object) -> None:
        await self.store.audit.record(
            actor=actor.id, source=actor.source, action=f"candidate.{action}",
            target=f"candidate:{candidate_id}", detail={k: v for k, v in detail.items() if v},
        )

    async def accept(self, candidate_id: int, *, actor: Actor, note: str | None = None) -> None:
        """A real need: IT will look for a tool (the requests stay open)."""
        await self._decide(actor, "accept", candidate_id)
        await self.insights.review(
            candidate_id, status="accepted", reason=note, reviewed_by=actor.id, label_fixed=True
        )
        await self._audit(actor, "accept", candidate_id, note=note)

    async def decline(self, candidate_id: int, *, actor: Actor, reason: str) -> None:
        """Not something the organization will support; the reason is required and kept."""
        if not reason.strip():
            raise InputError("Please give a reason for declining, e.g. --reason \"legal said no\".")
        await self._decide(actor, "decline", candidate_id)
        await self.insights.review(
            candidate_id, status="declined", reason=reason.strip(), reviewed_by=actor.id,
            label_fixed=True,
        )
        await self.insights.set_request_status(candidate_id=candidate_id, status="declined")
        await self._audit(actor, "decline", candidate_id, reason=reason.strip())

    async def merge(self, candidate_id: int, *, into: int, actor: Actor) -> int:
        """Fold a duplicate into another candidate; returns the id it ended up in."""
        source = await self._decide(actor, "merge", candidate_id)
        target = await self.insights.get(into)
        seen = {candidate_id}
        while target is not None and target.status == "merged" and target.merged_into:
            if target.id in seen:
                break
            seen.add(target.id)
            target = await self.insights.get(target.merged_into)
        if target is None:
            raise InputError(f"There is no candidate #{into}.")
        if target.id == candidate_id:
            raise InputError("A candidate cannot be merged into itself.")
        profile = dict(target.profile)
        for term, weight in source.profile.items():
            profile[term] = profile.get(term, 0.0) + weight
        await self.insights.merge(
            candidate_id, target.id, profile=profile,
            members=source.members + target.members, actor=actor.id,
        )
        await self._audit(actor, "merge", candidate_id, into=target.id)
        return target.id

    async def cover(
        self,
        candidate_id: int,
        *,
        actor: Actor,
        tool: str | None = None,
        use_case: str | None = None,
    ) -> str:
        """Link to an existing tool or use case; its askers get told there is an answer."""
        if bool(tool) == bool(use_case):
            raise InputError("Name exactly one tool (--tool ID) or use case (--use-case ID).")
        await self._decide(actor, "cover", candidate_id)
        snapshot = await self.store.policies.current()
        policy = snapshot.policy if snapshot else None
        if tool:
            known = {t.id for t in policy.tools} if policy else set()
            kind, ident = "tool", tool
        else:
            known = {u.id for u in policy.use_cases} if policy else set()
            kind, ident = "use_case", str(use_case)
        if ident not in known:
            raise InputError(f"The policy has no {kind.replace('_', ' ')} {ident!r}.")
        covered_by = f"{kind}:{ident}"
        await self.insights.review(
            candidate_id, status="covered", covered_by=covered_by, reviewed_by=actor.id,
            label_fixed=True,
        )
        told = await self.insights.set_request_status(candidate_id=candidate_id, status="covered")
        await self._audit(actor, "cover", candidate_id, covered_by=covered_by, requests=told)
        return covered_by

    async def notices_for(self, asker_pseudonym: str) -> list[CoverNotice]:
        """Answers waiting for this asker (adapters call this when the asker is next seen)."""
        pending = await self.insights.covered_requests(asker_pseudonym)
        if not pending:
            return []
        snapshot = await self.store.policies.current()
        policy = snapshot.policy if snapshot else None
        names = {}
        if policy is not None:
            names = {f"tool:{t.id}": t.name for t in policy.tools}
            names |= {f"use_case:{u.id}": u.name for u in policy.use_cases}
        by_candidate: dict[int, list[int]] = {}
        for request_id, candidate_id, _question in pending:
            by_candidate.setdefault(candidate_id, []).append(request_id)
        notices = []
        for cand in await self.insights.candidates(ids=list(by_candidate)):
            answer = names.get(cand.covered_by or "", cand.covered_by or "the policy")
            notices.append(CoverNotice(
                tuple(by_candidate[cand.id]), cand.id,
                f"Good news: you asked about “{cand.label}” and there is now an approved "
                f"answer: {answer}. Ask me again for the details.",
            ))
        return notices

    async def mark_told(self, notice: CoverNotice) -> None:
        await self.insights.mark_told(list(notice.request_ids))
