"""A real concierge behind the real aiohttp server, talking to a fake Slack Web API.

Requests are signed like Slack signs them and sent over HTTP to 127.0.0.1;
answers are observed where Slack would see them: on the fake Web API.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from aiohttp import web

from bot.runtime import Runtime
from bot.settings import Settings
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.servers import serve

SECRET = "test-signing-secret-for-the-concierge"
TOKEN = "xoxb-test-concierge-token"
ADMIN = "UADMIN001"
USER = "UEMPLOYEE1"
_ids = itertools.count(1)


def sign(body: str, timestamp: str, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackHarness:
    """Sends Slack-shaped, signed requests to one running server."""

    def __init__(self, runtime: Runtime, fake: FakeSlackApi, url: str, app: web.Application):
        self.runtime, self.fake, self.url, self.app = runtime, fake, url, app

    async def post(self, body: str, content_type: str, *, timestamp: str | None = None,
                   signature: str | None = None, headers: dict[str, str | None] | None = None,
                   ) -> tuple[int, str]:
        ts = timestamp if timestamp is not None else str(int(time.time()))
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sign(body, ts) if signature is None else signature,
                **(headers or {})}
        sent = {k: v for k, v in sent.items() if v is not None}
        async with aiohttp.ClientSession() as session, session.post(
            self.url, data=body.encode(), headers=sent
        ) as response:
            return response.status, await response.text()

    async def event(self, event: dict[str, Any], *, event_id: str | None = None,
                    retry_num: int | None = None) -> int:
        body = json.dumps({
            "token": "legacy-ignored", "team_id": TEAM_ID, "api_app_id": "A0CONCIERGE",
            "event": {"event_ts": event.get("ts"), **event}, "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}", "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID,
                                "user_id": "UBOT0001", "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False,
        })
        headers = ({"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
                   if retry_num else None)
        status, _ = await self.post(body, "application/json", headers=headers)
        return status

    async def dm(self, text: str, *, user: str = USER, **extra: Any) -> int:
        ts = f"{time.time():.6f}"
        return await self.event({"type": "message", "channel": "D0USERDM1", "user": user,
                                 "text": text, "ts": ts, "channel_type": "im", **extra})

    async def command(self, text: str, *, user: str = USER, team: str = TEAM_ID,
                      user_name: str = "someone") -> int:
        body = urlencode({
            "token": "legacy-ignored", "team_id": team, "team_domain": "example",
            "channel_id": "C0GENERAL1", "channel_name": "general", "user_id": user,
            "user_name": user_name, "command": "/aitools", "text": text,
            "api_app_id": "A0CONCIERGE", "is_enterprise_install": "false",
            "response_url": self.fake.response_url(f"cmd{next(_ids)}"),
            "trigger_id": f"{next(_ids)}.1234.abcdef",
        })
        status, _ = await self.post(body, "application/x-www-form-urlencoded")
        return status

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(self, value: str, *, user: str = USER, action_id: str = "concierge",
                    container: dict[str, Any] | None = None) -> int:
        """Press a button (its rendered `value`) on a message in the user's DM."""
        status, _ = await self.interact({
            "type": "block_actions", "api_app_id": "A0CONCIERGE", "token": "legacy-ignored",
            "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
            "team": {"id": TEAM_ID, "domain": "example"},
            "container": container or {"type": "message", "message_ts": "1.2",
                                       "channel_id": "D0USERDM1", "is_ephemeral": True},
            "channel": {"id": "D0USERDM1", "name": "directmessage"},
            "trigger_id": f"{next(_ids)}.2.3",  # one per click, as Slack sends it
            "response_url": self.fake.response_url(f"act{next(_ids)}"),
            "actions": [{"action_id": action_id, "block_id": "b1",
                         "type": "button", "value": value, "action_ts": "1.3",
                         "text": {"type": "plain_text", "text": "x"}}],
        })
        return status

    async def submit(self, view: dict[str, Any], overrides: dict[str, Any], *,
                     user: str = ADMIN) -> tuple[int, dict[str, Any]]:
        """Submit a view as Slack would after the user changed `overrides` in the form."""
        submitted = {**view, "id": view.get("id", "V1"), "team_id": TEAM_ID, "hash": "h",
                     "state": {"values": form_state(view, overrides)}}
        status, text = await self.interact({
            "type": "view_submission", "api_app_id": "A0CONCIERGE", "token": "legacy-ignored",
            "team": {"id": TEAM_ID, "domain": "example"}, "trigger_id": "1.2.3",
            "user": {"id": user, "username": "someone", "team_id": TEAM_ID},
            "view": submitted, "response_urls": [], "is_enterprise_install": False,
        })
        return status, (json.loads(text) if text.strip().startswith("{") else {})


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of a posted message or view (actions blocks and section accessories)."""
    found = []
    for block in params.get("blocks") or []:
        found += [e for e in block.get("elements") or [] if e.get("type") == "button"]
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"])
    return found


def button(params: dict[str, Any], label: str) -> str:
    """The value of the button whose text starts with `label` (what a click sends back)."""
    for element in buttons(params):
        if element["text"]["text"].lower().startswith(label.lower()):
            return str(element["value"])
    raise AssertionError(f"no {label!r} button in {[b['text']['text'] for b in buttons(params)]}")


def form_state(view: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The `state.values` Slack sends: initial values, with the user's changes applied."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        kind = element["type"]
        if kind == "plain_text_input":
            state = {"type": kind, "value": overrides.get(block_id, element.get("initial_value"))}
        elif kind == "static_select":
            chosen = element.get("initial_option")
            if block_id in overrides:
                chosen = next(o for o in element["options"] if o["value"] == overrides[block_id])
            state = {"type": kind, "selected_option": chosen}
        else:
            chosen_list = element.get("initial_options") or []
            if block_id in overrides:
                chosen_list = [o for o in element["options"] if o["value"] in overrides[block_id]]
            state = {"type": kind, "selected_options": chosen_list}
        values[block_id] = {element.get("action_id", "value"): state}
    return values


def slack_settings(db_url: str, fake: FakeSlackApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"database_url": db_url, "pseudonym_key": "k",
                              "slack_bot_token": TOKEN, "slack_signing_secret": SECRET,
                              "slack_api_url": fake.api_url, "admins": [ADMIN]}
    return Settings(**{**values, **overrides})


StartSlack = Callable[..., Awaitable[SlackHarness]]


@pytest.fixture
async def start_slack(db_url: str, fake_slack: FakeSlackApi) -> AsyncIterator[StartSlack]:
    """Start one server (a replica) per call, all sharing the test database."""
    cleanups: list[Callable[[], Awaitable[None]]] = []

    async def start(**overrides: Any) -> SlackHarness:
        runtime = await Runtime.start(slack_settings(db_url, fake_slack, **overrides))
        runner, url = await serve(runtime)

        async def stop() -> None:
            await runner.cleanup()
            await runtime.close()

        cleanups.append(stop)
        return SlackHarness(runtime, fake_slack, f"{url}/slack/events", runner.app)

    yield start
    for stop in reversed(cleanups):
        await stop()


@pytest.fixture
async def slack(start_slack: StartSlack) -> SlackHarness:
    return await start_slack()
