"""Start the real aiohttp application on a free loopback port, for HTTP-level tests."""

from __future__ import annotations

from aiohttp import web

from bot.runtime import Runtime
from bot.web import build_web_app

__all__ = ["serve"]


async def serve(runtime: Runtime) -> tuple[web.AppRunner, str]:
    """The running app's runner and base URL (http://127.0.0.1:PORT); port 0 picks a free one."""
    runner = web.AppRunner(build_web_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"
