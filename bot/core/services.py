"""The services a conversation needs, built once per process by `bot.runtime`.

Adapters never construct `PolicyAdmin` or `CandidateReview` nor call the store:
they get a `Conversation` over these. The few store-facing steps the chat needs
(export, an unmet request's status, feedback ownership) are methods here, so the
conversation core reads as decisions and wording, not queries.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Protocol

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge
from bot.core.handoffs import Handoff, Handoffs, ThreadRef
from bot.core.insights.candidates import CandidateReview
from bot.errors import PolicyFileError
from bot.policy.files import PolicyProblem, dump_policy
from bot.policy.roundtrip import export_files
from bot.store import Actor, Snapshot, Store

if TYPE_CHECKING:
    from bot.core.whatif import WhatIf

__all__ = ["AdminCounts", "Exported", "Feedback", "ITDesk", "Logged", "Services"]


class Feedback(Enum):
    STORED = "stored"
    REPEATED = "repeated"
    NOT_ASKER = "not_asker"


@dataclass(frozen=True)
class Exported:
    filename: str
    content: str
    version: int


@dataclass(frozen=True)
class Logged:
    """An answer as the query log holds it: the redacted question it was computed from,
    the headline shown, the policy version, and the unmet request it logged."""

    question: str
    headline: str | None
    policy_version: int | None
    unmet_id: int | None


@dataclass(frozen=True)
class AdminCounts:
    """What waits for an admin (the App Home panel); capped, it is a glance."""

    open_candidates: int
    open_unmet: int


class ITDesk(Protocol):
    """Where one platform posts "Ask IT" requests (Slack IT_CHANNEL, Teams
    TEAMS_IT_CONVERSATION); the adapter registers it in `Services.desks`."""

    async def post(self, handoff: Handoff) -> ThreadRef:
        """Post `it_post(handoff, asker_name=…)` to IT; the thread it started. Raise on
        failure (the handoff stays open and the next click posts it again)."""
        ...


@dataclass
class Services:
    """Everything a conversation calls. `whatif` is built on first use (worker processes)."""

    concierge: Concierge
    admin: PolicyAdmin
    candidates: CandidateReview
    handoffs: Handoffs
    make_whatif: Callable[[], WhatIf] | None = None
    #: platform -> its IT destination for "Ask IT"; none: people are told how to reach IT.
    desks: dict[str, ITDesk] = field(default_factory=dict)
    _whatif: WhatIf | None = field(default=None, init=False, repr=False)

    @classmethod
    def build(cls, concierge: Concierge, *, admins: list[str] | tuple[str, ...] = (),
              min_group_size: int = 5, settings: object | None = None,
              make_whatif: Callable[[], WhatIf] | None = None) -> Services:
        """Services over one concierge; `admins` are settings ADMINS and ADMIN_USERGROUPS."""
        store = concierge.store.full()
        admin = PolicyAdmin(store, admins=admins)
        review = CandidateReview(store, admin=admin, min_group_size=min_group_size,
                                 settings=settings)
        handoffs = Handoffs(store, pseudonym=concierge.pseudonym)
        return cls(concierge, admin, review, handoffs, make_whatif)

    @property
    def store(self) -> Store:
        return self.concierge.store.full()

    @property
    def whatif(self) -> WhatIf | None:
        """The process's what-if replay service, or None when this server has none."""
        if self._whatif is None and self.make_whatif is not None:
            self._whatif = self.make_whatif()
        return self._whatif

    @property
    def can_replay(self) -> bool:
        """Whether this server replays past asks (without starting the service)."""
        return self.make_whatif is not None

    async def snapshot(self) -> Snapshot:
        """The live policy, read once for one action."""
        return _imported(await self.store.policies.current())

    async def admin_snapshot(self, actor: Actor, action: str, target: str) -> Snapshot:
        """The live policy for an admin's edit, read once and checked first for rights:
        a non-admin is refused (and audited) even before any policy is imported."""
        snapshot = await self.store.policies.current()
        await self.admin.require_admin(actor, action, target, snapshot=snapshot)
        return _imported(snapshot)

    async def export(self, actor: Actor) -> Exported:
        """The live policy as IT wrote it (comments kept for a one-file import); audited."""
        await self.admin.require_admin(actor, "export", "policy")
        snapshot = await self.snapshot()
        files = export_files(snapshot.policy, await self.store.policies.files(snapshot.version))
        content = next(iter(files.values())) if len(files) == 1 else dump_policy(snapshot.policy)
        await self.store.audit.record(actor=actor.id, source=actor.source, action="export",
                                      target="policy", version=snapshot.version)
        return Exported(f"ai-tool-policy-v{snapshot.version}.yaml", content, snapshot.version)

    async def set_unmet_status(self, actor: Actor, unmet_id: int, status: str) -> bool:
        """Mark one unmet request planned / declined / done; audited. False if it is gone."""
        await self.admin.require_admin(actor, "set_unmet_status", f"unmet:{unmet_id}")
        changed = await self.store.unmet.set_status(unmet_id, status)
        await self.store.audit.record(actor=actor.id, source=actor.source,
                                      action="set_unmet_status", target=f"unmet:{unmet_id}",
                                      allowed=True, detail={"status": status})
        return bool(changed)

    async def feedback(self, actor: Actor, query_id: int, helpful: bool) -> Feedback:
        """Rate an answer once: a second click never files the question as unmet twice."""
        key = f"feedback:{actor.source}:{query_id}:{actor.id}:{helpful}"
        if not await self.store.events.claim(key):
            return Feedback.REPEATED
        if await self.concierge.feedback(query_id, asker=actor.id, helpful=helpful):
            return Feedback.STORED
        mine = await self._own(query_id, actor) is not None
        return Feedback.REPEATED if mine else Feedback.NOT_ASKER

    async def asked(self, query_id: int, actor: Actor) -> str | None:
        """The (redacted) question of one of the actor's own answers, else None."""
        logged = await self._own(query_id, actor)
        return logged.question if logged is not None else None

    async def logged(self, query_id: int, actor: Actor) -> Logged | None:
        """What the query log holds of one of the actor's own answers, else None."""
        logged = await self._own(query_id, actor)
        if logged is None:
            return None
        return replace(logged, unmet_id=await self.store.unmet.of_query(query_id))

    async def _own(self, query_id: int, actor: Actor) -> Logged | None:
        """The logged query when the actor asked it (askers are stored as pseudonyms),
        without its unmet request: only a rebuilt answer needs that look-up."""
        entry = await self.store.queries.get(query_id)
        if entry is None or entry.asker != self.concierge.pseudonym(actor.id):
            return None
        return Logged(str(entry.question), entry.headline, entry.policy_version, None)

    async def admins_by_email(self) -> bool:
        """Whether an admin is listed by email (settings or the live policy), so a platform
        that does not say who a person is by email (Slack) must look theirs up."""
        entries = list(self.admin.listed)
        with contextlib.suppress(Exception):  # policy unavailable: settings alone decide
            entries += list((await self.concierge.index()).policy.meta.admins)
        return any("@" in entry for entry in entries)

    async def admin_counts(self, actor: Actor) -> AdminCounts | None:
        """Pending work for an admin; None for everyone else (looking is not audited)."""
        if not await self.admin.is_admin(actor):
            return None
        candidates = await self.candidates.insights.candidates(statuses=("open",))
        unmet = await self.store.unmet.list(status="open", limit=100)
        return AdminCounts(len(candidates), len(unmet))


def _imported(snapshot: Snapshot | None) -> Snapshot:
    if snapshot is None:
        raise PolicyFileError([PolicyProblem("<store>", "", "no policy imported yet")])
    return snapshot
