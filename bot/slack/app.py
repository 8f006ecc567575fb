"""The Bolt app, mounted on the shared aiohttp server (HTTP mode) or run over Socket Mode.

Bolt verifies every HTTP request (signature, 5-minute window) before any listener
runs; token, signing secret and client are passed explicitly so Bolt never reads the
environment. Listeners ack first and do the slow work after.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.conversation import error_reply
from bot.core.errors import log_failure, user_message
from bot.render.blockkit_forms import modal_error
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.client import make_client, silence_sensitive_logs
from bot.slack.context import SlackDeps
from bot.slack.deliver import Target, deliver
from bot.slack.listeners import target_of
from bot.slack.payloads import shape_problem, signature_ok
from bot.slack.respond import RespondFailed, RetryingRespond
from bot.transport.http import problem
from bot.transport.lazy import Once

__all__ = ["SLACK_APP", "SLACK_DEPS", "build_bolt_app", "close_session", "run_socket_mode",
           "serve_events", "to_aiohttp_response", "to_bolt_request"]

_log = logging.getLogger(__name__)
SLACK_APP: web.AppKey[AsyncApp] = web.AppKey("slack_app", AsyncApp)
SLACK_DEPS: web.AppKey[SlackDeps] = web.AppKey("slack_deps", SlackDeps)
EVENTS_PATH = "/slack/events"
Next = Callable[[], Awaitable[BoltResponse | None]]
# Slack timestamps are Unix seconds; anything else would make slack_sdk's int() raise (500).
_TIMESTAMP = re.compile(r"^\d{1,12}$")


def build_bolt_app(
    runtime: Runtime, *, client: AsyncWebClient | None = None
) -> tuple[AsyncApp, SlackDeps]:
    """The Bolt app with every listener registered; nothing is read from the environment."""
    settings = runtime.settings
    if client is None:  # one pooled session for every Web API call (keep-alive)
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64))
        client = make_client(settings, session=session)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret \
        else ""
    bolt = AsyncApp(
        name="ai-tool-concierge",
        logger=logging.getLogger("bot.slack.bolt"),
        signing_secret=secret,
        client=client,  # carries the bot token and SLACK_API_URL
        process_before_response=False,
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
        # Bolt's own ssl_check answers before verifying the signature; ours runs after.
        ssl_check_enabled=False,
    )
    silence_sensitive_logs()
    deps = SlackDeps(runtime, client)

    @bolt.middleware
    async def ssl_check(body: dict[str, Any], next_: Next) -> BoltResponse | None:
        """Slack's certificate check of a slash command URL, answered once it is verified."""
        if body.get("ssl_check") == "1":
            return BoltResponse(status=200, body="")
        return await next_()

    @bolt.middleware
    async def deduplicate(body: dict[str, Any], next_: Next) -> BoltResponse | None:
        """Retries this process already handled end here, with no I/O before the ack
        (the claim shared across replicas is written after it, `SlackDeps.once`)."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and deps.seen_here(f"slack:{event_id}"):
            _log.info("duplicate Slack event ignored", extra={"event_id": event_id})
            return BoltResponse(status=200, body="")
        return await next_()

    @bolt.middleware
    async def who_and_where(body: dict[str, Any], context: AsyncBoltContext,
                            next_: Next) -> BoltResponse | None:
        """Once per request: who acts and where replies go; the actor's aliases (Slack
        API calls) are resolved when a listener first awaits them, after its ack."""
        if context.response_url:  # every reply through the response_url is retried
            context["respond"] = RetryingRespond(response_url=context.response_url)
        context["target"] = to = target_of(body, context.get("respond"))
        if to.user:
            bot_team = context.authorize_result.team_id if context.authorize_result else None
            context["actor"] = Once(lambda: deps.actor(to.user, to.team, bot_team))
        return await next_()

    @bolt.error
    async def failed(error: Exception, body: dict[str, Any], context: AsyncBoltContext,
                     response: BoltResponse | None) -> BoltResponse | None:
        """The one place a failed Slack request becomes a log line and a polite reply
        (the core answers its own failures; these failed around it: Slack, a download)."""
        if isinstance(error, RespondFailed):
            return None  # logged where it failed; an apology by the same route would fail too
        log_failure(_log, error, "Slack request")
        if body.get("type") == "view_submission" and response is not None:  # not acked yet
            errors = modal_error(body.get("view") or {}, user_message(error))
            return BoltResponse(status=200, body=json.dumps(errors),
                                headers={"content-type": "application/json"})
        target = context.get("target")
        if not isinstance(target, Target) or not target.user or target.home:
            return None  # an App Home that failed keeps its last published tab
        if isinstance(error, SlackClientError) and target.respond is None:
            return None  # Slack refused a post: an apology the same way would fail too
        try:
            await deliver(deps.client, error_reply(error), target, notice=True)
        except Exception as exc:  # Slack itself is failing: the log line must do
            _log.warning("could not tell the person about the failure: %s", type(exc).__name__)
        return None

    listeners.register(bolt, deps)
    return bolt, deps


async def close_session(client: AsyncWebClient) -> None:
    """Close the client's pooled session once the replies owed have been sent."""
    if client.session is not None and not client.session.closed:
        await client.session.close()


async def to_bolt_request(
    request: web.Request, signing_secret: str | None = None
) -> AsyncBoltRequest | web.Response:
    """Translate an aiohttp request; refuse what Bolt would turn into a 500 (a signed
    body of the wrong shape is a 400; an unsigned one gets Bolt's 401 whatever it is)."""
    timestamp = request.headers.get("X-Slack-Request-Timestamp")
    if timestamp is not None and not _TIMESTAMP.match(timestamp):
        return problem(401, "invalid request")
    raw = await request.read()  # over client_max_size: aiohttp answers 413
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return problem(400, "body is not UTF-8")
    headers: dict[str, str | Sequence[str]] = {
        k.lower(): request.headers.getall(k) for k in request.headers}
    signed = bool(signing_secret) and signature_ok(signing_secret or "", body, headers)
    # Unparseable bodies never reach Bolt's verification: refuse unsigned ones as Bolt would.
    unusable = 401 if signing_secret and not signed else 400
    try:
        bolt_request = AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
    except Exception:  # malformed JSON or form: nothing a listener could use
        return problem(unusable, "malformed body" if unusable == 400 else "invalid request")
    if not isinstance(bolt_request.body, dict):
        return problem(unusable, "malformed body" if unusable == 400 else "invalid request")
    if signed:
        wrong = shape_problem(bolt_request.body)
        if wrong is not None:
            _log.info("signed Slack payload refused", extra={"reason": wrong[:80]})
            return problem(400, "malformed payload")
    return bolt_request


def to_aiohttp_response(bolt_response: BoltResponse) -> web.Response:
    headers = bolt_response.first_headers_without_set_cookie()
    content_type = headers.pop("content-type", None) or (
        "application/json" if bolt_response.body.startswith("{") else "text/plain"
    )
    return web.Response(
        status=bolt_response.status,
        body=bolt_response.body.encode("utf-8"),
        headers=headers,
        content_type=re.sub(r";\s*charset=utf-8", "", content_type),
    )


def serve_events(app: web.Application, settings: Settings,
                 dispatch: Callable[[AsyncBoltRequest], Awaitable[web.Response]]) -> None:
    """POST /slack/events: what passes the checks goes to `dispatch` (a front hands it off)."""
    secret = settings.slack_signing_secret
    signing_secret = secret.get_secret_value() if secret else None

    async def slack_events(request: web.Request) -> web.Response:
        translated = await to_bolt_request(request, signing_secret)
        return translated if isinstance(translated, web.Response) else await dispatch(translated)

    app.router.add_post(EVENTS_PATH, slack_events)


async def run_socket_mode(runtime: Runtime) -> None:
    """Receive everything over Socket Mode (SLACK_APP_TOKEN) until cancelled."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    token = runtime.settings.slack_app_token
    if token is None or not token.get_secret_value():
        raise ValueError("SLACK_APP_TOKEN is required for Socket Mode")
    bolt, deps = build_bolt_app(runtime)
    handler = AsyncSocketModeHandler(bolt, token.get_secret_value())
    await handler.connect_async()
    _log.warning("Slack Socket Mode connected")
    try:
        await asyncio.Event().wait()
    finally:
        await deps.inflight.drain(runtime.settings.shutdown_timeout)
        await handler.close_async()
        await close_session(deps.client)
