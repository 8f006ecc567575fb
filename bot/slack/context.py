"""What every Slack listener needs: the runtime, the admin service, dedupe and task tracking.

One `SlackDeps` is built per Bolt app and handed to each listener module's
`register()`, so nothing lives in module globals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge
from bot.core.insights.candidates import CandidateReview
from bot.errors import ConciergeError, InputError, NotAuthorized, StoreUnavailable
from bot.runtime import Runtime
from bot.store import Actor
from bot.store.state import Claim

__all__ = ["SlackDeps", "polite_error"]

_log = logging.getLogger(__name__)
_SEEN_MAX = 5000
_GROUP_TTL = 60.0

UNAVAILABLE = ("Sorry, I can't reach the AI tool policy right now. "
               "Please try again in a minute or two.")
GENERIC = "Sorry, something went wrong on my side. Please try again in a moment."


def polite_error(exc: BaseException) -> str:
    """The sentence a user sees for a failure: the core's own wording when it is safe."""
    if isinstance(exc, StoreUnavailable):
        return UNAVAILABLE
    if isinstance(exc, InputError | NotAuthorized):
        return str(exc)
    if isinstance(exc, ConciergeError):
        return str(exc)
    return GENERIC


@dataclass
class SlackDeps:
    runtime: Runtime
    client: AsyncWebClient
    admin: PolicyAdmin = field(init=False)
    review: CandidateReview = field(init=False)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _seen: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _groups: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict)
    _emails: dict[str, tuple[float, str | None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        settings = self.runtime.settings
        # User-group ids count as admin entries; membership arrives as aliases.
        self.admin = PolicyAdmin(
            self.runtime.store, admins=[*settings.admins, *settings.admin_usergroups]
        )
        self.review = CandidateReview(self.runtime.store, admin=self.admin,
                                      min_group_size=settings.min_group_size, settings=settings)

    @property
    def concierge(self) -> Concierge:
        return self.runtime.concierge

    def hold(self) -> None:
        """Keep a strong reference to the running listener task so it finishes on shutdown.

        Bolt starts listeners with `asyncio.ensure_future` and keeps no reference.
        """
        task = asyncio.current_task()
        if task is not None and task not in self.tasks:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def drain(self, grace: float = 10.0) -> None:
        """Let in-flight answers finish (SIGTERM) before the process exits."""
        pending = [t for t in self.tasks if not t.done() and t is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=grace)

    def seen_here(self, key: str) -> bool:
        """Whether this process already claimed `key` (memory only, for the pre-ack path)."""
        return key in self._seen

    async def first_event(self, body: dict[str, Any]) -> bool:
        """Claim the event id of an Events API body; bodies without one always pass."""
        event_id = body.get("event_id")
        return not event_id or await self.first_delivery(f"slack:{event_id}")

    @contextlib.asynccontextmanager
    async def once(self, body: dict[str, Any]) -> AsyncIterator[bool]:
        """Answer an Events API body at most once across replicas and restarts.

        Yields False when it is a duplicate. Otherwise the event is claimed with a
        lease for the block (claim → answer → post), finished when the block ends,
        and released when it fails, so a redelivery answers it again. A redelivery
        that finds a claim whose replica died answers once that claim's lease ends.
        """
        event_id = body.get("event_id")
        key = f"slack:{event_id}"
        if not event_id:
            yield True
            return
        if key in self._seen:
            yield False
            return
        self._remember(key)
        ledger = self.runtime.store.events
        try:
            claim = await ledger.acquire(key, self.runtime.settings.event_lease_seconds)
        except Exception:  # database trouble: answering beats silence
            _log.warning("event ledger unavailable; deduplicating in memory only")
            yield True
            return
        if claim in (Claim.BUSY, Claim.DONE):
            _log.info("duplicate Slack event ignored",
                      extra={"event_id": event_id, "claim": claim.value})
            yield False
            return
        if claim is Claim.RETAKEN:
            _log.warning("answering a redelivered event whose first claim lapsed",
                         extra={"event_id": event_id})
        async with ledger.answering(key):
            yield True

    def _remember(self, key: str) -> None:
        self._seen[key] = None
        if len(self._seen) > _SEEN_MAX:
            self._seen.popitem(last=False)

    async def first_delivery(self, key: str) -> bool:
        """True the first time any replica sees `key` (event ids shared through the database).

        While the database is down, an in-process memory still stops local duplicates.
        """
        if key in self._seen:
            return False
        self._remember(key)
        try:
            return await self.runtime.store.events.claim(key)
        except Exception:  # database trouble: answering beats silence
            _log.warning("event ledger unavailable; deduplicating in memory only")
            return True

    async def _groups_of(self, user_id: str, groups: Iterable[str]) -> set[str]:
        member_of: set[str] = set()
        now = time.monotonic()
        for group in groups:
            cached = self._groups.get(group)
            if cached is None or now - cached[0] > _GROUP_TTL:
                try:
                    reply = await self.client.usergroups_users_list(usergroup=group)
                    users = frozenset(reply.get("users") or [])
                except SlackApiError:
                    _log.warning("could not read admin user group", extra={"usergroup": group})
                    users = cached[1] if cached else frozenset()
                self._groups[group] = (now, users)
                cached = self._groups[group]
            if user_id in cached[1]:
                member_of.add(group)
        return member_of

    async def _admin_entries_have_emails(self) -> bool:
        entries = list(self.runtime.settings.admins)
        with contextlib.suppress(Exception):  # policy unavailable: settings alone decide
            entries += list((await self.concierge.index()).policy.meta.admins)
        return any("@" in entry for entry in entries)

    async def _email_of(self, user_id: str) -> str | None:
        """The user's email from users.info (scope users:read.email), cached for a minute."""
        now = time.monotonic()
        cached = self._emails.get(user_id)
        if cached is not None and now - cached[0] <= _GROUP_TTL:
            return cached[1]
        email: str | None = None
        try:
            reply = await self.client.users_info(user=user_id)
            user = reply.get("user") or {}
            profile = (user.get("profile") or {}) if isinstance(user, dict) else {}
            value = profile.get("email") if isinstance(profile, dict) else None
            email = value if isinstance(value, str) and "@" in value else None
        except SlackApiError:
            _log.warning("could not read the user's email for the admin check")
            email = cached[1] if cached else None
        self._emails[user_id] = (now, email)
        return email

    async def actor(self, body: dict[str, Any], bot_team: str | None) -> tuple[Actor, list[str]]:
        """The acting Slack user and their admin aliases (user groups, email).

        A request from another workspace than the bot's is given a team-qualified id,
        so it can never match an admin entry and the refusal is audited.
        """
        raw_user, raw_team = body.get("user"), body.get("team")
        user_obj = raw_user if isinstance(raw_user, dict) else {}
        user = str(body.get("user_id") or user_obj.get("id") or raw_user or "")
        team = body.get("team_id") or (raw_team.get("id") if isinstance(raw_team, dict)
                                       else raw_team) or user_obj.get("team_id")
        if bot_team and team and team != bot_team:
            return Actor(f"{team}/{user}", "slack"), []
        groups = self.runtime.settings.admin_usergroups
        aliases = sorted(await self._groups_of(user, groups)) if groups and user else []
        # ADMINS may list emails (they work for Teams too): look the user's email up.
        if user and await self._admin_entries_have_emails():
            email = await self._email_of(user)
            if email:
                aliases.append(email)
        return Actor(user, "slack"), aliases
