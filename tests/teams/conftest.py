"""Teams fixtures: a running concierge web app, a fake Bot Connector, Activity JSON builders.

`Served.say` posts one message activity (a text, or a card click's `value`) and returns
the cards of every reply it got; `Served.invoke` posts an invoke (dialog fetch/submit,
file consent) and returns the HTTP answer's JSON. `buttons`, `inputs` and `text_of` read
cards without depending on where the renderer puts things.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams.app import TEAMS_TURNS
from tests.fakes.bot_connector import FakeBotConnector
from tests.render.cardcheck import schema_errors
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


@pytest.fixture(autouse=True)
async def _every_card_validates(connector: FakeBotConnector) -> AsyncIterator[None]:
    """Every Adaptive Card sent or updated in a test validates against its declared schema."""
    yield
    for card in connector.cards:
        assert schema_errors(card) == [], card


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

    async def say(self, connector: FakeBotConnector, text: str | None = None, *,
                  aad: str = USER_AAD, value: dict[str, Any] | None = None,
                  within: float = 10.0, **extra: Any) -> list[dict[str, Any]]:
        """One message activity from `aad`; the cards of every reply (sent or updated)."""
        before = len(connector.sent)
        body = make_activity(connector.url, text, value=value, aad=aad, user_id=f"29:{aad}",
                             **extra)
        assert (await self.post(body)).status == 201
        await self.settle(within)
        return [card for record in connector.sent[before:] for card in record.cards]

    async def invoke(self, connector: FakeBotConnector, name: str, value: dict[str, Any], *,
                     aad: str = USER_AAD, within: float = 10.0,
                     **extra: Any) -> dict[str, Any] | None:
        """One invoke activity; the JSON of its HTTP answer (None when empty)."""
        body = make_activity(connector.url, None, value=value, aad=aad, user_id=f"29:{aad}",
                             activity_type="invoke", name=name, **extra)
        response = await self.post(body)
        assert response.status == 200, await response.text()
        raw = await response.read()
        await self.settle(within)
        answer = json.loads(raw) if raw.strip() and raw.strip() != b"null" else None
        if answer is not None and answer["task"]["type"] == "continue":
            card = answer["task"]["value"]["card"]["content"]
            assert schema_errors(card) == [], card  # every dialog validates too
        return answer  # type: ignore[no-any-return]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def buttons(card: dict[str, Any]) -> list[dict[str, Any]]:
    """Every action of a card, wherever the renderer placed it (body, actions, show-cards)."""
    return [n for n in _walk(card) if str(n.get("type", "")).startswith("Action.")]


def button(card: dict[str, Any], title: str) -> dict[str, Any]:
    found = [b for b in buttons(card) if b.get("title") == title]
    assert found, f"no button {title!r} in {[b.get('title') for b in buttons(card)]}"
    return found[0]


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The card's inputs by id."""
    return {n["id"]: n for n in _walk(card) if str(n.get("type", "")).startswith("Input.")}


def text_of(card: dict[str, Any]) -> str:
    """All the text a person reads on the card (body, actions, fallback), as one string."""
    return json.dumps(card, ensure_ascii=False)


def dialog_card(answer: dict[str, Any] | None) -> dict[str, Any]:
    """The Adaptive Card of a `task/fetch` / `task/submit` answer that shows a dialog."""
    assert answer is not None
    assert answer["task"]["type"] == "continue", answer
    return answer["task"]["value"]["card"]["content"]  # type: ignore[no-any-return]


async def open_dialog(served: Served, connector: FakeBotConnector, card: dict[str, Any], *,
                      aad: str) -> dict[str, Any]:
    """Click the card's dialog button (`task/fetch`); the dialog's card."""
    [opener] = [b for b in buttons(card) if isinstance(b.get("data"), dict)
                and b["data"].get("msteams", {}).get("type") == "task/fetch"]
    return dialog_card(await served.invoke(connector, "task/fetch", {"data": opener["data"]},
                                           aad=aad))


def submit_data(dialog: dict[str, Any], title: str | None = None) -> dict[str, Any]:
    """The data a dialog's submit button sends (without the inputs' values)."""
    submits = [b for b in buttons(dialog) if b.get("type") == "Action.Submit"
               and (title is None or b.get("title") == title)]
    assert submits, f"no submit {title!r}"
    return dict(submits[0]["data"])


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
