"""`serve`: run the chat adapters (HTTP server, and Slack Socket Mode when configured).

SIGTERM/SIGINT start a graceful stop: the HTTP server stops accepting, finishes
the requests in flight and the replies it owes, the answer log entries kept in
memory while the database was away are written, then the process exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import signal

from bot.background import background_tasks, flush_pending
from bot.observability.metrics import platform_scope, watch_spool
from bot.runtime import Runtime
from bot.settings import Settings

__all__ = ["add_commands"]

_log = logging.getLogger(__name__)


def add_commands(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="run the Slack/Teams server (port from PORT)")
    serve.set_defaults(handler=_serve)


async def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.web import run_server

    settings.check_platforms()  # before migrating anything: one message, exit 2
    if settings.answer_process and not settings.slack_app_token:  # Socket Mode: no HTTP acks
        return await _serve_front(settings)
    runtime = await Runtime.start(settings, answer_pool=True)
    _freeze()
    stop = _stop_on_signals()
    http = asyncio.create_task(run_server(runtime, stop), name="http")
    tasks = [http]
    background = background_tasks(runtime, stop)  # they end by themselves when stop is set
    if settings.slack_app_token and settings.slack_bot_token:
        from bot.slack.app import run_socket_mode

        with platform_scope("slack"):  # the task copies this context: answers count as Slack
            tasks.append(asyncio.create_task(run_socket_mode(runtime), name="slack-socket-mode"))
    stopper = asyncio.create_task(stop.wait())
    try:
        done, _ = await asyncio.wait([*tasks, stopper], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not stopper and task.exception():
                raise task.exception()  # type: ignore[misc]
        _log.warning("stopping: finishing in-flight work")
    finally:
        stop.set()  # the HTTP server drains itself; Socket Mode is cancelled (it drains too)
        for task in [*tasks, stopper]:
            if task is not http:
                task.cancel()
        await asyncio.gather(*tasks, stopper, *background, return_exceptions=True)
        await flush_pending(runtime)
        await runtime.close()
    return 0


def _freeze() -> None:
    """Start-up objects (policy index, libraries) live for the whole process: keep them out
    of the collector's way, so full collections stay short and acks stay fast."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)  # fewer, still small, young-generation collections


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def _serve_front(settings: Settings) -> int:
    """The front acks; the answering process (started first, niced) answers everything.

    On SIGTERM the front stops accepting, finishes its requests, then the answering
    process finishes the replies it owes and exits, and only then does the front."""
    from bot.front.app import build_front_app
    from bot.front.process import AnsweringProcess, spool_dir_for
    from bot.transport.spool import Spool
    from bot.web import serve_app

    # Before the answering process starts: what a dead server left undone is adopted.
    spool = Spool(spool_dir_for(settings), fsync=settings.spool_fsync)
    watch_spool(lambda: spool.pending)
    answering = AnsweringProcess(settings, spool)
    await answering.start()  # migrations, policy, answer workers: start-up errors come here
    stopped_cleanly = True
    try:
        app = build_front_app(settings, answering)

        async def stop_answering(_: object) -> None:
            nonlocal stopped_cleanly
            stopped_cleanly = await answering.stop(settings.shutdown_timeout)

        app.on_shutdown.append(stop_answering)
        _freeze()
        await serve_app(app, settings, _stop_on_signals())
    finally:
        await answering.stop(settings.shutdown_timeout)  # a no-op once stopped
    return 0 if stopped_cleanly else 1
