"""Per-app state every Slack request shares: task tracking, event dedupe and who is acting.

One `SlackDeps` is built per Bolt app, so nothing lives in module globals. The
`Actor` (with the aliases admin rights may be granted to) is resolved here, once
per request, by the middleware in `bot.slack.app`.
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
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    _seen: OrderedDict[str, None] = field(default_factory=OrderedDict)
    _groups: dict[str, tuple[float, frozenset[str]]] = field(default_factory=dict)
    _emails: dict[str, tuple[float, str | None]] = field(default_factory=dict)

    def hold(self) -> None:
        """Keep a strong reference to the running listener task so it finishes on shutdown.

        Bolt starts listeners with `asyncio.ensure_future` and keeps no reference.
        """
        task = asyncio.current_task()
        if task is not None and task not in self.tasks:
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` after the listener, held until it ends (follow-ups); a failure is logged."""
        task = asyncio.ensure_future(work)
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("Slack follow-up failed", exc_info=task.exception())

    async def drain(self, grace: float = 10.0) -> None:
        """Let in-flight answers finish (SIGTERM) before the process exits."""
        pending = [t for t in self.tasks if not t.done() and t is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=grace)

    def seen_here(self, key: str) -> bool:
        """Whether this process already claimed `key` (memory only, for the pre-ack path)."""
        return key in self._seen

    @contextlib.asynccontextmanager
    async def once(self, body: dict[str, Any]) -> AsyncIterator[bool]:
        """Answer an Events API body at most once across replicas and restarts.

        Yields False for a duplicate. Otherwise the event is claimed with a lease for
        the block (claim → answer → post), finished when it ends and released when it
        fails, so a redelivery answers it again (`EventLedger.once`).
        """
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
        """The acting Slack user with their admin aliases (user groups, email).

        A request from another workspace than the bot's is given a team-qualified id,
        so it can never match an admin entry and the refusal is audited.
        """
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
