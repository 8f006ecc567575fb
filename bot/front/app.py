"""The front's aiohttp application: the same routes and checks, then a hand-off.

Slack events, slash commands and this app's button clicks are acked here with
the empty 200 Bolt would give them; Teams messages with the 201. What must be
answered in the HTTP body (a form submission, a Teams invoke, an unsigned or
unusual request, readiness) waits for the answering process's result.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from bot.observability import metrics
from bot.observability.merge import merge_expositions
from bot.settings import Settings
from bot.transport.handoff import HandoffClosed
from bot.transport.http import problem
from bot.web import base_app

__all__ = ["Link", "build_front_app", "response_of", "wire"]

_log = logging.getLogger(__name__)
#: Longer than Teams waits for an invoke (15 s) and Slack for a form (3 s): they give up first.
CALL_TIMEOUT = 30.0
_READY_TIMEOUT = 5.0
Wire = tuple[int, dict[str, str], bytes]


class Link(Protocol):
    """The hand-off to the answering process (`bot.front.process.AnsweringProcess`)."""

    async def send(self, kind: str, payload: Any) -> bool: ...

    async def call(self, kind: str, payload: Any, within: float) -> Any: ...


def wire(response: web.Response) -> Wire:
    """An answer as it travels back to the front."""
    body = response.body if isinstance(response.body, bytes) else b""
    return response.status, {"Content-Type": response.headers.get("Content-Type", "")}, body


def response_of(answer: Wire | None) -> web.Response:
    if answer is None:  # the handler failed; the answering side logged why
        return problem(500, "internal error")
    status, headers, body = answer
    return web.Response(status=status, body=body, headers=headers)


async def _call(link: Link, kind: str, payload: Any,
                within: float = CALL_TIMEOUT) -> web.Response:
    try:
        return response_of(await link.call(kind, payload, within))
    except (HandoffClosed, TimeoutError):
        return problem(503, "the answering process is not available; please try again")


async def _handed(link: Link, kind: str, payload: Any, status: int) -> web.Response:
    """The ack once the request is kept; a 503 (the platform retries later) while the
    answering side cannot take it."""
    if await link.send(kind, payload):
        return web.Response(status=status, body=b"", content_type="text/plain")
    metrics.record_platform_error(kind, "unavailable")
    return problem(503, "the answering process is not available; please try again")


def _slack(link: Link, secret: str) -> Callable[[Any], Awaitable[web.Response]]:
    from bot.slack.listeners import ACTION, COMMAND
    from bot.slack.payloads import signature_ok

    events = frozenset({"message", "app_mention", "app_home_opened"})

    def acked_empty(body: dict[str, Any]) -> bool:
        """What this app's listeners ack with an empty 200, whatever they do next."""
        if body.get("type") == "event_callback":
            return isinstance(body.get("event"), dict) and body["event"].get("type") in events
        if body.get("type") == "block_actions":
            actions = body.get("actions")
            first = actions[0] if isinstance(actions, list) and actions else None
            return isinstance(first, dict) and str(first.get("action_id", "")).startswith(ACTION)
        return body.get("command") == COMMAND and body.get("ssl_check") != "1"

    async def dispatch(request: Any) -> web.Response:  # an AsyncBoltRequest, shape-checked
        payload = (request.raw_body, request.headers, request.query)
        if acked_empty(request.body) and signature_ok(secret, request.raw_body, request.headers):
            return await _handed(link, "slack", payload, 200)
        return await _call(link, "slack", payload)  # Bolt answers it there (401, forms, ...)

    return dispatch


def _teams(link: Link) -> Callable[..., Awaitable[web.StreamResponse]]:
    from bot.teams.app import in_body

    async def accept(activity: Any, body: Any, auth_header: str, _: Any) -> web.StreamResponse:
        if in_body(activity):
            return await _call(link, "teams", (body, auth_header))
        return await _handed(link, "teams", (body, auth_header), 201)

    return accept


def build_front_app(settings: Settings, link: Link) -> web.Application:
    """Health, readiness and metrics, and each configured platform's route."""
    settings.check_platforms()
    app = base_app()

    async def readyz(_: web.Request) -> web.Response:
        return await _call(link, "ready", None, _READY_TIMEOUT)

    async def metrics_route(_: web.Request) -> web.Response:
        try:
            theirs = await link.call("metrics", None, _READY_TIMEOUT)
        except (HandoffClosed, TimeoutError):
            theirs = b""
        return web.Response(body=merge_expositions(metrics.render(), theirs or b""),
                            headers={"Content-Type": metrics.CONTENT_TYPE})

    app.router.add_get("/readyz", readyz)
    if settings.metrics_enabled:
        app.router.add_get("/metrics", metrics_route)
    if settings.slack_enabled and not settings.slack_app_token and settings.slack_signing_secret:
        from bot.slack.app import serve_events

        serve_events(app, settings, _slack(link, settings.slack_signing_secret.get_secret_value()))
    if settings.teams_enabled:
        from bot.teams.app import serve_messages

        serve_messages(app, settings, _teams(link))
    return app
