"""`POST /api/messages` on the shared aiohttp app: request checks, then the SDK.

The SDK's `CloudAdapter.process` answers 500 for a missing Content-Type or bad
JSON, so the body is checked first (415/400). In TEAMS_DEV_MODE, where the SDK
verifies nothing, only loopback clients are served.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity

from bot.core.admin import PolicyAdmin
from bot.render.adaptive_card import message_card
from bot.runtime import Runtime
from bot.teams.admin import TeamsAdmin
from bot.teams.auth import build_adapter, is_loopback_host
from bot.teams.bot import ConciergeTeamsBot, card_activity
from bot.teams.sender import ReplySender

__all__ = ["MESSAGES_PATH", "TEAMS_ADAPTER", "TEAMS_BOT", "mount_teams"]

_log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"
TEAMS_ADAPTER: web.AppKey[CloudAdapter] = web.AppKey("teams_adapter", CloudAdapter)
TEAMS_BOT: web.AppKey[ConciergeTeamsBot] = web.AppKey("teams_bot", ConciergeTeamsBot)


def _problem(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _check_activity(body: Any) -> str | None:
    """Why this JSON is not an activity we can process, or None when it is."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    conversation = body.get("conversation")
    if not isinstance(conversation, dict) or not isinstance(conversation.get("id"), str):
        return "the activity has no conversation id"
    if not isinstance(body.get("serviceUrl"), str) or not body["serviceUrl"].startswith("http"):
        return "the activity has no serviceUrl"
    for key in ("from", "recipient"):
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"'{key}' must be an object"
    try:
        Activity().deserialize(body)
    except Exception:
        return "the activity could not be read"
    return None


def make_handler(
    adapter: CloudAdapter, bot: ConciergeTeamsBot, *, authenticated: bool
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler; exposed for tests of other apps that mount Teams."""

    async def messages(request: web.Request) -> web.StreamResponse:
        if not authenticated and not is_loopback_host(request.remote or ""):
            return _problem(403, "Teams dev mode serves loopback clients only")
        if request.content_type != "application/json":
            return _problem(415, "expected application/json")
        raw = await request.read()  # 413 from aiohttp above client_max_size
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return _problem(400, "the body is not valid JSON")
        problem = _check_activity(body)
        if problem:
            return _problem(400, problem)
        try:
            response = await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except Exception:
            _log.exception("Teams activity could not be processed")
            return _problem(500, "internal error")
        return response or web.Response(status=201)

    return messages


def mount_teams(app: web.Application, runtime: Runtime) -> None:
    """Register `POST /api/messages`; raises TeamsConfigError for unsafe settings."""
    adapter, authenticated = build_adapter(runtime.settings)
    admin = TeamsAdmin(PolicyAdmin(runtime.store, admins=runtime.settings.admins))
    sender = ReplySender()
    bot = ConciergeTeamsBot(runtime.concierge, runtime.store, admin, sender)

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        _log.error("Teams turn failed: %s", type(error).__name__,
                   exc_info=(type(error), error, error.__traceback__))
        try:
            await sender.send(context, card_activity(message_card(
                "Sorry, something went wrong on my side. Please try again in a minute.")))
        except Exception:
            _log.warning("could not tell the user about the failed turn")

    adapter.on_turn_error = on_turn_error
    app[TEAMS_ADAPTER] = adapter
    app[TEAMS_BOT] = bot
    app.router.add_post(MESSAGES_PATH, make_handler(adapter, bot, authenticated=authenticated))
    if not authenticated:
        _log.warning("Teams is running in DEV MODE: requests are NOT authenticated "
                     "(loopback clients only)")
