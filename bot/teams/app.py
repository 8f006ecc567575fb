"""`POST /api/messages`: request checks, auth, then the turn after a 201 ack.

The SDK answers 500 for a missing Content-Type or bad JSON, so the body is checked
first (415/400). Teams waits only 10-15 s for the HTTP answer, so everything but an
invoke (whose body is the answer) is authenticated, acknowledged and answered after.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, DeliveryModes

from bot.observability import metrics
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams.auth import build_adapter, check_settings
from bot.teams.bot import ConciergeTeamsBot
from bot.teams.delivery import Delivery, top_level
from bot.teams.handoff import TeamsITDesk
from bot.teams.sender import ReplySender
from bot.teams.turns import error_handler
from bot.transport.hosts import is_loopback_host
from bot.transport.http import json_body, problem
from bot.transport.inflight import CONCURRENCY as TURN_CONCURRENCY
from bot.transport.inflight import InFlight
from bot.transport.shapes import ids, strings

__all__ = ["MESSAGES_PATH", "TEAMS_BOT", "TEAMS_TURNS", "TURN_CONCURRENCY", "Accept", "in_body",
           "serve_messages", "teams_turns", "turn_runner"]

_log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"
TEAMS_BOT: web.AppKey[ConciergeTeamsBot] = web.AppKey("teams_bot", ConciergeTeamsBot)
TEAMS_TURNS: web.AppKey[InFlight] = web.AppKey("teams_turns", InFlight)


def _read_activity(body: Any) -> Activity | str:
    """The activity, or why this JSON is not an activity we can process."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    problem = strings(body, ("type", "serviceUrl"), required=True) \
        or ids(body, ("conversation",), required=True)
    if problem or not body["serviceUrl"].startswith("http"):
        return problem or "serviceUrl must be an http(s) URL"
    if any(body.get(key) is not None and not isinstance(body[key], dict)
           for key in ("from", "recipient")):
        return "'from' and 'recipient' must be objects"
    try:
        return Activity().deserialize(body)
    except Exception:
        return "the activity could not be read"


def _tenant_refused(activity: Activity, allowed: frozenset[str]) -> bool:
    """True (and logged) for an activity from a tenant outside TEAMS_ALLOWED_TENANTS."""
    if not allowed:
        return False
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")  # channelData.tenant.id (Teams), else conversation.tenantId
    value = tenant.get("id") if isinstance(tenant, dict) else None
    if not value and activity.conversation is not None:
        value = activity.conversation.tenant_id
    if isinstance(value, str) and value.casefold() in allowed:
        return False
    _log.warning("Teams activity from a tenant that is not allowed was refused",
                 extra={"reason": "tenant_not_allowed" if value else "no_tenant",
                        "kind": str(activity.type)[:40]})
    metrics.record_platform_error("teams", "blocked")
    return True


#: What happens to an authenticated activity: (activity, body, Authorization, auth) -> answer.
Accept = Callable[[Activity, Any, str, Any], Awaitable[web.StreamResponse]]


def in_body(activity: Activity) -> bool:
    """Invokes and expectReplies carry their result in the HTTP body: answered before it."""
    return activity.type == ActivityTypes.invoke or \
        activity.delivery_mode == DeliveryModes.expect_replies


def _handler(adapter: CloudAdapter, accept: Accept, *, authenticated: bool,
             allowed_tenants: frozenset[str]
             ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """In dev mode (nothing verified) loopback clients only; other tenants 403, unstored."""

    async def messages(request: web.Request) -> web.StreamResponse:
        if not authenticated and not is_loopback_host(request.remote or ""):
            return problem(403, "Teams dev mode serves loopback clients only")
        body = await json_body(request)
        if isinstance(body, web.Response):
            return body
        activity = _read_activity(body)
        if isinstance(activity, str):
            return problem(400, activity)
        try:
            auth_header = request.headers.get("Authorization", "")
            # The same check `process_activity` would make, done before the 201.
            auth = await adapter.bot_framework_authentication.authenticate_request(
                activity, auth_header)
            if _tenant_refused(activity, allowed_tenants):
                return problem(403, "this tenant is not served")
            return await accept(activity, body, auth_header, auth)
        except web.HTTPException:
            raise
        except PermissionError:
            return problem(401, "unauthorized")
        except Exception:
            _log.exception("Teams activity could not be processed")
            return problem(500, "internal error")

    return messages


def turn_runner(adapter: CloudAdapter, bot: ConciergeTeamsBot, runner: InFlight) -> Accept:
    """Run the turn in this process: now for an answer in the body, else after the 201."""

    async def accept(activity: Activity, _: Any, __: str, auth: Any) -> web.StreamResponse:
        if not in_body(activity):
            runner.start(lambda: adapter.process_activity(auth, activity, bot.on_turn))
            return web.Response(status=201)
        invoke = await adapter.process_activity(auth, activity, bot.on_turn)
        return web.json_response(serializer_helper(invoke.body), status=invoke.status) \
            if invoke else web.Response(status=201)

    return accept


def teams_turns(runtime: Runtime) -> tuple[CloudAdapter, ConciergeTeamsBot, InFlight]:
    """The adapter, the bot and the turns it runs: what answers activities in this process."""
    settings = runtime.settings
    adapter, authenticated = build_adapter(settings)
    turns = InFlight("teams", TURN_CONCURRENCY)
    app_id = settings.microsoft_app_id or ""

    def later(reference: ConversationReference,
              callback: Callable[[TurnContext], Awaitable[None]]) -> None:
        turns.start(lambda: adapter.continue_conversation(reference, top_level(callback),
                                                          bot_app_id=app_id))

    loopback = settings.teams_dev_mode and not authenticated
    bot = ConciergeTeamsBot(runtime, Delivery(ReplySender(), allow_loopback_http=loopback),
                            later, allow_loopback_http=loopback)
    adapter.on_turn_error = error_handler(bot.delivery)
    if settings.teams_it_conversation:  # "Ask IT" posts there; replies come back
        bot.it_desk = TeamsITDesk(runtime, adapter, bot.delivery, runtime.services.handoffs,
                                  conversation_id=settings.teams_it_conversation)
        runtime.services.desks["teams"] = bot.it_desk
    return adapter, bot, turns


def serve_messages(app: web.Application, settings: Settings, accept: Accept,
                   adapter: CloudAdapter | None = None) -> None:
    """Register `POST /api/messages`: authenticated activities go to `accept` (a front
    hands them off); raises TeamsConfigError for unsafe settings."""
    authenticated = check_settings(settings)
    allowed = settings.allowed_tenants
    if not allowed and authenticated:
        _log.warning("Teams answers activities from ANY tenant: set TEAMS_ALLOWED_TENANTS "
                     "(or MICROSOFT_APP_TENANT_ID) to serve your organization only")
    app.router.add_post(MESSAGES_PATH, _handler(adapter or build_adapter(settings)[0], accept,
                                                authenticated=authenticated,
                                                allowed_tenants=allowed))
    if not authenticated:
        _log.warning("Teams is running in DEV MODE: requests are NOT authenticated "
                     "(loopback clients only)")
