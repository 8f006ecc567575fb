"""Review of candidate use cases by IT or leadership, shared by the CLI, Slack and Teams.

A candidate is `open` until someone decides: `accepted` (find a tool for it), `declined`
(with a reason), `merged` into another candidate, or `covered` by an existing tool or use
case, after which its askers can be told in chat that there is now an answer. Every
decision, and every refused attempt, lands in the audit log.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.admin import PolicyAdmin
from bot.core.insights.clustering import ClusterReport, merged_centroid, refresh_candidates
from bot.core.insights.labels import shown_examples
from bot.core.insights.periods import period_of
from bot.core.insights.waiting import WaitingNotices
from bot.errors import InputError
from bot.policy.models import RECOMMENDABLE, Policy
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
    asks_previous_week: int = 0
    trend: str = "flat"  # new | up | down | flat (asks this week against last week)
    departments: tuple[str, ...] = ()  # only those with min_group_size distinct askers


@dataclass(frozen=True)
class CoverNotice:
    """What to tell an asker whose unmet request now has an answer."""

    request_ids: tuple[int, ...]
    candidate_id: int
    text: str


class CandidateReview:
    """List and decide candidate use cases; only admins (or the server's CLI) may decide."""

    def __init__(
        self,
        store: Store,
        *,
        admin: PolicyAdmin | None = None,
        min_group_size: int = 5,
        settings: object | None = None,
    ) -> None:
        self.store = store
        self.insights = InsightStore(store.sessions)
        self.waiting = WaitingNotices(self.insights)
        self._admin = admin or PolicyAdmin(store)
        self.min_group_size = min_group_size
        self._settings = settings  # for the embedding model (EMBEDDING_MODEL_DIR)

    async def refresh(self) -> ClusterReport:
        """Place new unmet requests into candidates (incremental; cheap when nothing is new)."""
        return await refresh_candidates(self.insights, settings=self._settings)

    async def list(
        self,
        *,
        status: str | None = "open",
        limit: int = 50,
        now: datetime | None = None,
        actor: Actor | None = None,
    ) -> list[CandidateSummary]:
        """Candidates by demand (distinct askers first); `status=None` lists every status.

        With an `actor` (chat), only admins may look; a refusal is audited.
        """
        if actor is not None:
            await self._admin.require_admin(actor, "candidate.list", "candidates")
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
                shown_examples(await self.insights.examples(c.id), r.askers if r else 0,
                               self.min_group_size),
                asks_previous_week=r.asks_previous_period if r else 0,
                trend=_trend(r.asks_this_period, r.asks_previous_period,
                             r.first_seen is not None and r.first_seen >= week.start)
                if r else "flat",
                departments=tuple(d for d, n in r.departments if n >= self.min_group_size)
                if r else (),
            ))
        return out

    async def get(self, candidate_id: int) -> CandidateRecord | None:
        return await self.insights.get(candidate_id)

    async def merge_targets(self, candidate_id: int) -> builtins.list[CandidateRecord]:
        """Where a candidate can be merged: the other open or accepted candidates."""
        found = await self.insights.candidates(statuses=("open", "accepted"))
        return [c for c in found if c.id != candidate_id]

    async def _decide(
        self, actor: Actor, action: str, candidate_id: int
    ) -> CandidateRecord:
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

    async def accept(
        self, candidate_id: int, *, actor: Actor, note: str | None = None,
    ) -> None:
        """A real need: IT will look for a tool (the requests stay open)."""
        await self._decide(actor, "accept", candidate_id)
        await self.insights.review(
            candidate_id, status="accepted", reason=note, reviewed_by=actor.id, label_fixed=True
        )
        await self._audit(actor, "accept", candidate_id, note=note)

    async def decline(
        self, candidate_id: int, *, actor: Actor, reason: str
    ) -> None:
        """Not something the organization will support; the reason is required and kept."""
        await self._decide(actor, "decline", candidate_id)
        if not reason.strip():
            raise InputError("Please give a reason for declining, e.g. \"legal said no\".")
        await self.insights.review(
            candidate_id, status="declined", reason=reason.strip(), reviewed_by=actor.id,
            label_fixed=True,
        )
        await self.insights.set_request_status(candidate_id=candidate_id, status="declined")
        await self._audit(actor, "decline", candidate_id, reason=reason.strip())

    async def merge(
        self, candidate_id: int, *, into: int, actor: Actor
    ) -> int:
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
            centroid=merged_centroid(source, target),
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
        await self._decide(actor, "cover", candidate_id)
        if bool(tool) == bool(use_case):
            raise InputError("Name exactly one tool or one use case that covers it.")
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
        self.waiting.changed()
        await self._audit(actor, "cover", candidate_id, covered_by=covered_by, requests=told)
        return covered_by

    async def notices_for(self, asker_pseudonym: str) -> builtins.list[CoverNotice]:
        """Answers waiting for this asker (adapters call this when the asker is next seen).

        No query at all when nothing is waiting for this asker, which is almost always.
        """
        if not await self.waiting.may_have(asker_pseudonym):
            return []
        pending = await self.insights.covered_requests(asker_pseudonym)
        if not pending:
            return []
        snapshot = await self.store.policies.current()
        policy = snapshot.policy if snapshot else None
        by_candidate: dict[int, list[int]] = {}
        first_ask: dict[int, tuple[str, datetime]] = {}
        for request_id, candidate_id, question, at in pending:
            by_candidate.setdefault(candidate_id, []).append(request_id)
            first_ask.setdefault(candidate_id, (question, at))
        notices = []
        for cand in await self.insights.candidates(ids=list(by_candidate)):
            question, at = first_ask[cand.id]
            if len(question) > 80:
                question = question[:79].rstrip() + "…"
            notices.append(CoverNotice(
                tuple(by_candidate[cand.id]), cand.id,
                f"Good news: you asked about “{question}” on {at.day} {at:%B %Y}; "
                f"{_recommendation(policy, cand.covered_by)} Ask me again for the details.",
            ))
        return notices

    async def mark_told(self, notice: CoverNotice) -> bool:
        """Record that the asker was told; False when someone else (a replica) already did."""
        return await self.insights.mark_told(list(notice.request_ids)) > 0


def _trend(this: int, previous: int, new: bool) -> str:
    if new:
        return "new"
    if this > previous:
        return "up"
    return "down" if this < previous else "flat"


def _recommendation(policy: Policy | None, covered_by: str | None) -> str:
    """"IT now recommends …" for a `tool:ID` or `use_case:ID` link, in the policy's words."""
    kind, _, ident = (covered_by or "").partition(":")
    if policy is not None and kind == "tool" and (tool := policy.tool(ident)) is not None:
        return f"IT now recommends {tool.name}."
    if policy is not None and kind == "use_case" and (uc := policy.use_case(ident)):
        names = [t.name for t in policy.tools if ident in t.good_for and t.status in RECOMMENDABLE]
        if names:
            return f"IT now recommends {', '.join(names[:3])} for {uc.name.lower()}."
        return f"the AI policy now covers {uc.name.lower()}."
    return "the AI policy now has an approved answer."
