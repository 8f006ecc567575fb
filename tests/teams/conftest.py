"""Teams fixtures: a running concierge web app, a fake Bot Connector, Activity JSON builders."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams.app import TEAMS_TURNS
from tests.servers import serve as serve_app

ADMIN_AAD = "00000000-0000-0000-0000-00000000ad01"
USER_AAD = "00000000-0000-0000-0000-0000000000u1"
BOT_ID = "28:concierge-bot"
_ids = itertools.count(1000)


def make_activity(
    service_url: str,
    text: str | None = "help",
    *,
    value: dict[str, Any] | None = None,
    activity_id: str | None = None,
    aad: str = USER_AAD,
    user_id: str = "29:user-1",
    conversation_id: str = "a:personal-chat-1",
    conversation_type: str = "personal",
    activity_type: str = "message",
    **extra: Any,
) -> dict[str, Any]:
    """A Teams message activity as the Bot Connector posts it."""
    activity: dict[str, Any] = {
        "type": activity_type,
        "id": activity_id or str(next(_ids)),
        "timestamp": "2025-01-01T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": user_id, "name": "Pat Doe", "aadObjectId": aad},
        "conversation": {"id": conversation_id, "conversationType": conversation_type,
                         "tenantId": "tenant-1"},
        "recipient": {"id": BOT_ID, "name": "AI Tool Concierge"},
        "channelData": {"tenant": {"id": "tenant-1"}},
        "locale": "en-US",
    }
    if text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    activity.update(extra)
    return activity


@pytest.fixture
def teams_settings(db_url: str) -> Callable[..., Settings]:
    """Settings for a Teams runtime; dev mode on loopback unless credentials are given."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": db_url, "pseudonym_key": "test-key", "host": "127.0.0.1",
            "admins": [ADMIN_AAD], "teams_dev_mode": True,
        }
        values.update(overrides)
        return Settings(**values)

    return make


class Served:
    """The concierge's aiohttp app running on 127.0.0.1 with a free port."""

    def __init__(self, runtime: Runtime, runner: web.AppRunner, url: str) -> None:
        self.runtime, self.runner, self.url = runtime, runner, url
        self.session = aiohttp.ClientSession()

    async def post(self, body: Any, *, headers: dict[str, str] | None = None,
                   raw: bytes | None = None) -> aiohttp.ClientResponse:
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        if raw is not None:
            return await self.session.post(self.url + "/api/messages", data=raw, headers=hdrs)
        return await self.session.post(self.url + "/api/messages", json=body, headers=hdrs)

    async def settle(self, within: float = 10.0) -> None:
        """Wait until every acknowledged turn has finished: replies follow the 201."""
        assert await self.runner.app[TEAMS_TURNS].drain(within), "Teams turns still running"


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Settings], Any]]:
    started: list[Served] = []

    async def start(settings: Settings) -> Served:
        runtime = await Runtime.start(settings)
        runner, url = await serve_app(runtime)
        served = Served(runtime, runner, url)
        started.append(served)
        return served

    yield start
    for served in started:
        await served.session.close()
        await served.runner.cleanup()
        await served.runtime.close()
