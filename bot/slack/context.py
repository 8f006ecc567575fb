"""Per-app state every Slack request shares: held tasks, event claims and who is acting.

One `SlackDeps` per Bolt app, so nothing lives in module globals; the `Actor` (with
the aliases admin rights may be granted to) is resolved once per request.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.conversation import Actor
from bot.runtime import Runtime
from bot.transport.cache import TTLCache
from bot.transport.claims import EventClaims
from bot.transport.inflight import InFlight

__all__ = ["SlackDeps"]

_log = logging.getLogger(__name__)
_UNREACHABLE = (SlackClientError, aiohttp.ClientError, TimeoutError)


@dataclass
class SlackDeps:
    runtime: Runtime
    client: AsyncWebClient
    inflight: InFlight = field(default_factory=lambda: InFlight("slack"))  # held listeners
    _groups: TTLCache[str, frozenset[str]] = field(default_factory=lambda: TTLCache(60.0))
    _emails: TTLCache[str, str | None] = field(default_factory=lambda: TTLCache(60.0))

    def __post_init__(self) -> None:
        self.inflight.queue_limit = self.runtime.settings.answer_queue_limit  # then "busy"
        self.claims = EventClaims(self.runtime.store.events,
                                  self.runtime.settings.event_lease_seconds, remember=5000)

    def seen_here(self, key: str) -> bool:
        """Whether this process already claimed `key` (memory only, for the pre-ack path)."""
        return self.claims.seen_here(key)

    @contextlib.asynccontextmanager
    async def once(self, body: dict[str, Any]) -> AsyncIterator[bool]:
        """Answer an Events API body at most once across replicas and restarts: False for
        a duplicate, else claimed for the block and released if it fails."""
        event_id = body.get("event_id")
        async with self.claims.once(f"slack:{event_id}" if event_id else None) as first:
            yield first

    @contextlib.asynccontextmanager
    async def once_trigger(self, trigger_id: Any) -> AsyncIterator[bool]:
        """A slash command or button click at most once by its trigger id (Slack makes one
        per invocation)."""
        key = f"slack-trigger:{trigger_id}" if isinstance(trigger_id, str) and trigger_id \
            else None
        async with self.claims.once(key) as first:
            yield first

    async def _members(self, group: str) -> frozenset[str]:
        """Who is in an admin user group (usergroups.users.list), cached for a minute."""
        async def load() -> frozenset[str]:
            reply = await self.client.usergroups_users_list(usergroup=group)
            return frozenset(reply.get("users") or [])

        return await self._groups.get(group, load, default=frozenset(), errors=_UNREACHABLE,
                                      on_error=lambda _: _log.warning(
                                          "could not read admin user group",
                                          extra={"usergroup": group}))

    async def _email_of(self, user_id: str) -> str | None:
        """The user's email from users.info (scope users:read.email), cached for a minute."""
        async def load() -> str | None:
            user = (await self.client.users_info(user=user_id)).get("user") or {}
            profile = (user.get("profile") or {}) if isinstance(user, dict) else {}
            value = profile.get("email") if isinstance(profile, dict) else None
            return value if isinstance(value, str) and "@" in value else None

        return await self._emails.get(user_id, load, default=None, errors=_UNREACHABLE,
                                      on_error=lambda _: _log.warning(
                                          "could not read the user's email for the admin check"))

    async def actor(self, user: str, team: str | None, bot_team: str | None) -> Actor:
        """The acting Slack user with their admin aliases (user groups, email); another
        workspace's user gets a team-qualified id, which can never match an admin entry."""
        if bot_team and team and team != bot_team:
            return Actor(f"{team}/{user}", "slack")
        aliases = sorted([g for g in self.runtime.settings.admin_usergroups
                          if user in await self._members(g)])
        # ADMINS may list emails (they work for Teams too): look the user's email up.
        if await self.runtime.services.admins_by_email():
            email = await self._email_of(user)
            if email:
                aliases.append(email)
        return Actor(user, "slack", tuple(aliases))
