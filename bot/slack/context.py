"""Per-app state every Slack request shares: held tasks, event dedupe and who is acting.

One `SlackDeps` per Bolt app, so nothing lives in module globals; the `Actor` (with
the aliases admin rights may be granted to) is resolved once per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Generator, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.conversation import Actor
from bot.runtime import Runtime
from bot.transport.inflight import InFlight

__all__ = ["Once", "SlackDeps"]

_log = logging.getLogger(__name__)
_SEEN_MAX = 5000
T = TypeVar("T")
_CACHE_TTL = 60.0
_UNREACHABLE = (SlackClientError, aiohttp.ClientError, TimeoutError)


class Once(Generic[T]):
    """Awaitable many times, computed once, on the first await (not before it is needed)."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self._make: Callable[[], Coroutine[Any, Any, T]] | None = make
        self._task: asyncio.Future[T] | None = None

    def __await__(self) -> Generator[Any, None, T]:
        if self._task is None:
            assert self._make is not None
            self._task, self._make = asyncio.ensure_future(self._make()), None
        return self._task.__await__()


@dataclass
class SlackDeps:
    runtime: Runtime
    client: AsyncWebClient
    inflight: InFlight = field(default_factory=lambda: InFlight("slack"))  # held listeners
    _seen: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _groups: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict)
    _emails: dict[str, tuple[float, str | None]] = field(default_factory=dict)

    def seen_here(self, key: str) -> bool:
        """Whether this process already claimed `key` (memory only, for the pre-ack path)."""
        return key in self._seen

    @contextlib.asynccontextmanager
    async def once(self, body: dict[str, Any]) -> AsyncIterator[bool]:
        """Answer an Events API body at most once across replicas and restarts: False for
        a duplicate, else claimed for the block and released if it fails (`EventLedger.once`)."""
        event_id = body.get("event_id")
        key = f"slack:{event_id}"
        if not event_id or key in self._seen:
            yield not event_id
            return
        self._seen[key] = None
        if len(self._seen) > _SEEN_MAX:
            self._seen.popitem(last=False)
        lease = self.runtime.settings.event_lease_seconds
        async with self.runtime.store.events.once(key, lease) as first:
            yield first

    async def _groups_of(self, user_id: str, groups: Iterable[str]) -> set[str]:
        member_of: set[str] = set()
        now = time.monotonic()
        for group in groups:
            cached = self._groups.get(group)
            if cached is None or now - cached[0] > _CACHE_TTL:
                try:
                    reply = await self.client.usergroups_users_list(usergroup=group)
                    users = frozenset(reply.get("users") or [])
                except _UNREACHABLE:
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
            entries += list((await self.runtime.concierge.index()).policy.meta.admins)
        return any("@" in entry for entry in entries)

    async def _email_of(self, user_id: str) -> str | None:
        """The user's email from users.info (scope users:read.email), cached for a minute."""
        now = time.monotonic()
        cached = self._emails.get(user_id)
        if cached is not None and now - cached[0] <= _CACHE_TTL:
            return cached[1]
        email: str | None = None
        try:
            reply = await self.client.users_info(user=user_id)
            user = reply.get("user") or {}
            profile = (user.get("profile") or {}) if isinstance(user, dict) else {}
            value = profile.get("email") if isinstance(profile, dict) else None
            email = value if isinstance(value, str) and "@" in value else None
        except _UNREACHABLE:
            _log.warning("could not read the user's email for the admin check")
            email = cached[1] if cached else None
        self._emails[user_id] = (now, email)
        return email

    async def actor(self, user: str, team: str | None, bot_team: str | None) -> Actor:
        """The acting Slack user with their admin aliases (user groups, email); another
        workspace's user gets a team-qualified id, which can never match an admin entry."""
        if bot_team and team and team != bot_team:
            return Actor(f"{team}/{user}", "slack")
        groups = self.runtime.settings.admin_usergroups
        aliases = sorted(await self._groups_of(user, groups)) if groups else []
        # ADMINS may list emails (they work for Teams too): look the user's email up.
        if await self._admin_entries_have_emails():
            email = await self._email_of(user)
            if email:
                aliases.append(email)
        return Actor(user, "slack", tuple(aliases))
