"""The one aiohttp server: Slack on /slack/events, Teams on /api/messages, health probes.

Adapters mount themselves only when their settings are complete, so a half
configured platform is never served unauthenticated. Every request passes one
middleware that times it for /metrics and tags the platform it belongs to, so
answers built while serving it are counted under that platform.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.observability import metrics
from bot.runtime import Runtime
from bot.settings import Settings
from bot.store.health import NotWritable, WriteProbe

__all__ = ["INFLIGHT", "RUNTIME", "InFlight", "base_app", "build_web_app", "readiness",
           "run_server", "serve_app"]

_log = logging.getLogger(__name__)
MAX_BODY_BYTES = 1024 * 1024
_READY_TIMEOUT = 3.0
_PLATFORM_ROUTES = {"/slack/events": "slack", "/api/messages": "teams"}
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class InFlight:
    """Counts requests being served, so shutdown can wait for them to finish."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def enter(self) -> None:
        self.count += 1
        self._idle.clear()

    def leave(self) -> None:
        self.count -= 1
        if self.count <= 0:
            self.count = 0
            self._idle.set()

    async def wait_idle(self, seconds: float) -> bool:
        """True when every request finished within `seconds`."""
        try:
            async with asyncio.timeout(seconds):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True


RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)
WRITE_PROBE: web.AppKey[WriteProbe] = web.AppKey("write_probe", WriteProbe)
INFLIGHT: web.AppKey[InFlight] = web.AppKey("inflight", InFlight)


def _route(request: web.Request) -> str:
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "unmatched"


@web.middleware
async def _observe(request: web.Request, handler: _Handler) -> web.StreamResponse:
    """Time and count the request; attribute answers it produces to its platform."""
    route = _route(request)
    platform = _PLATFORM_ROUTES.get(route)
    inflight = request.app[INFLIGHT]
    inflight.enter()
    started = time.perf_counter()
    status = 500
    try:
        if platform is None:
            response = await handler(request)
        else:
            # Tasks started here (Bolt's ack-first listeners) inherit the platform.
            with metrics.platform_scope(platform):
                response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        inflight.leave()
        if route != "/metrics":
            metrics.observe_http(route, status, time.perf_counter() - started)
        if platform is not None and status >= 500:
            metrics.record_platform_error(platform, "http_5xx")


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readiness(runtime: Runtime, probe: WriteProbe) -> tuple[int, dict[str, object]]:
    """Ready when the database takes writes; also says which policy version this replica serves.

    A write rolled back (not a `SELECT 1`): a deleted or read-only SQLite file, a lost
    or read-only PostgreSQL all make the replica not ready.
    """
    try:
        async with asyncio.timeout(_READY_TIMEOUT):
            await probe.check()
            index = await runtime.concierge.index()
    except Exception as exc:  # any failure means "not ready"; the reason goes to the log only
        metrics.record_database_up(False)
        _log.warning("readiness check failed: database not writable",
                     extra={"error": type(exc).__name__,
                            "reason": str(exc) if isinstance(exc, NotWritable) else None})
        return 503, {"status": "unavailable", "database": "down"}
    metrics.record_database_up(True)
    metrics.POLICY_VERSION.set(index.version)
    return 200, {"status": "ready", "database": "up", "policy_version": index.version}


async def _readyz(request: web.Request) -> web.Response:
    status, body = await readiness(request.app[RUNTIME], request.app[WRITE_PROBE])
    return web.json_response(body, status=status)


async def _metrics(request: web.Request) -> web.Response:
    """Prometheus text exposition; expose it on the internal network only."""
    return web.Response(body=metrics.render(),
                        headers={"Content-Type": metrics.CONTENT_TYPE})


def base_app() -> web.Application:
    """The aiohttp application with the request middleware and the liveness probe."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[_observe])
    app[INFLIGHT] = InFlight()
    app.router.add_get("/healthz", _healthz)
    return app


def build_web_app(runtime: Runtime) -> web.Application:
    """The aiohttp application with every configured adapter mounted."""
    runtime.settings.check_platforms()  # a half-configured platform never starts unmounted
    app = base_app()
    app[RUNTIME] = runtime
    app[WRITE_PROBE] = WriteProbe.for_engine(runtime.store.engine)
    app.router.add_get("/readyz", _readyz)
    settings = runtime.settings
    if settings.metrics_enabled:
        app.router.add_get("/metrics", _metrics)
    if settings.slack_enabled and not settings.slack_app_token:
        _mount_slack(app, runtime)
    if settings.teams_enabled:
        _mount_teams(app, runtime)
    return app


def _mount_slack(app: web.Application, runtime: Runtime) -> None:
    """POST /slack/events answered in this process; shutdown drains the replies owed."""
    from bot.slack.app import (
        SLACK_APP,
        SLACK_DEPS,
        build_bolt_app,
        close_session,
        serve_events,
        to_aiohttp_response,
    )

    bolt, deps = build_bolt_app(runtime)

    async def dispatch(request: Any) -> web.Response:  # a checked AsyncBoltRequest
        return to_aiohttp_response(await bolt.async_dispatch(request))

    async def drain(_: web.Application) -> None:
        await deps.inflight.drain(runtime.settings.shutdown_timeout)
        await close_session(deps.client)

    app[SLACK_APP], app[SLACK_DEPS] = bolt, deps
    serve_events(app, runtime.settings, dispatch)
    app.on_shutdown.append(drain)


def _mount_teams(app: web.Application, runtime: Runtime) -> None:
    """POST /api/messages with its turns run in this process; shutdown drains them."""
    from bot.teams.app import TEAMS_BOT, TEAMS_TURNS, serve_messages, teams_turns, turn_runner

    adapter, bot, turns = teams_turns(runtime)
    app[TEAMS_BOT], app[TEAMS_TURNS] = bot, turns

    async def drain(_: web.Application) -> None:
        await turns.drain(runtime.settings.shutdown_timeout)

    app.on_shutdown.append(drain)
    serve_messages(app, runtime.settings, turn_runner(adapter, bot, turns), adapter)


async def run_server(runtime: Runtime, stop: asyncio.Event | None = None) -> None:
    """Serve every adapter in this process until `stop` is set (see `serve_app`)."""
    await serve_app(build_web_app(runtime), runtime.settings, stop)


async def serve_app(app: web.Application, settings: Settings,
                    stop: asyncio.Event | None = None) -> None:
    """Serve until `stop` is set (or the task is cancelled), then shut down gracefully.

    Order matters: stop accepting connections, let requests in flight finish,
    then run the apps' shutdown hooks (Slack drains the replies its acked
    events still owe), all within SHUTDOWN_TIMEOUT seconds.
    """
    timeout = settings.shutdown_timeout
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=timeout,
                           handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    await site.start()
    _log.warning("serving", extra={"port": settings.port})
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        started = time.monotonic()
        await site.stop()  # no new connections; established ones finish their request
        if not await app[INFLIGHT].wait_idle(timeout):
            _log.warning("shutdown: requests still running after the timeout",
                         extra={"count": app[INFLIGHT].count})
        await runner.cleanup()
        _log.warning("server stopped", extra={"latency_ms": round(
            (time.monotonic() - started) * 1000)})
