"""The one aiohttp server: Slack on /slack/events, Teams on /api/messages, health probes.

Adapters mount themselves only when their settings are complete, so a half
configured platform is never served unauthenticated.
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy import text

from bot.runtime import Runtime

__all__ = ["RUNTIME", "build_web_app", "run_server"]

_log = logging.getLogger(__name__)
RUNTIME: web.AppKey[Runtime] = web.AppKey("runtime", Runtime)
MAX_BODY_BYTES = 1024 * 1024


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def _readyz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    try:
        async with runtime.store.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the reason goes to the log only
        _log.warning("readiness check failed: database unreachable")
        return web.json_response({"status": "unavailable", "database": "down"}, status=503)
    return web.json_response({"status": "ready", "database": "up"})


def build_web_app(runtime: Runtime) -> web.Application:
    """The aiohttp application with every configured adapter mounted."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    settings = runtime.settings
    if settings.slack_enabled and not settings.slack_app_token:
        from bot.slack.app import mount_slack

        mount_slack(app, runtime)
    if settings.teams_enabled:
        from bot.teams.app import mount_teams

        mount_teams(app, runtime)
    return app


async def run_server(runtime: Runtime) -> None:
    """Serve until cancelled (SIGINT/SIGTERM), then finish in-flight requests."""
    import asyncio

    app = build_web_app(runtime)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=20)
    await runner.setup()
    site = web.TCPSite(runner, runtime.settings.host, runtime.settings.port)
    await site.start()
    _log.warning("serving on %s:%s", runtime.settings.host, runtime.settings.port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
