"""`serve`: run the chat adapters (HTTP server, and Slack Socket Mode when configured)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from bot.runtime import Runtime
from bot.settings import Settings

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser("serve", help="run the Slack/Teams server (port from PORT)")
    serve.set_defaults(handler=_serve)


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web import run_server

    runtime = await Runtime.start(settings)
    tasks = [asyncio.create_task(run_server(runtime), name="http")]
    if settings.slack_app_token and settings.slack_bot_token:
        from bot.slack.app import run_socket_mode

        tasks.append(asyncio.create_task(run_socket_mode(runtime), name="slack-socket-mode"))
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception():
                raise task.exception()  # type: ignore[misc]
    finally:
        for task in [*tasks, stopper]:
            task.cancel()
        await asyncio.gather(*tasks, stopper, return_exceptions=True)
        await runtime.close()
    return 0
