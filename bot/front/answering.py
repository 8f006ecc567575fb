"""The answering process: everything after the front's ack, by the single-process handlers.

It builds the runtime (store, policy, answer workers), the Bolt app and the Teams
bot exactly as one `serve` process would, and runs what the front hands over
through them; the digest and housekeeping run here too (a server on Slack Socket
Mode stays one process). It runs at a lower CPU priority (ANSWER_NICE), with its
answer workers, so the front's acks get the CPU first. If the front disappears
(killed), it ends at once, as the answer workers do with it: what the front acked is
in its spool, handed to the next server's answering process (`bot.transport.spool`),
and the platforms' redeliveries are answered once the event's lease lapses.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import signal
import socket
import sys
from typing import Any

from bot.background import background_tasks, flush_pending
from bot.core.answer_pool import exit_with_parent
from bot.errors import ConciergeError
from bot.front.app import wire
from bot.observability import metrics
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from bot.store.health import WriteProbe
from bot.transport.handoff import serve_frames, write_frame
from bot.web import readiness

__all__ = ["Answering", "run"]

_log = logging.getLogger(__name__)


class Answering:
    """What the front hands over, run by the same handlers as in a single process."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.probe = WriteProbe.for_engine(runtime.store.engine)
        settings = runtime.settings
        self.bolt: Any = None
        self.slack_deps: Any = None
        self.teams: Any = None
        if settings.slack_enabled:
            from bot.slack.app import build_bolt_app

            self.bolt, self.slack_deps = build_bolt_app(runtime)
            self.secret = settings.slack_signing_secret.get_secret_value() \
                if settings.slack_signing_secret else ""
        if settings.teams_enabled:
            from bot.teams.app import teams_turns, turn_runner

            adapter, bot, turns = teams_turns(runtime)
            self.teams = (turns, turn_runner(adapter, bot, turns))

    async def handle(self, kind: str, payload: Any, acked: bool = False) -> Any:
        if kind == "slack" and self.bolt is not None:
            from slack_bolt.request.async_request import AsyncBoltRequest

            from bot.slack.app import to_aiohttp_response
            from bot.slack.payloads import signed_now

            raw, headers, query = payload
            if acked:  # verified by the front; handed over again it may be minutes old
                headers = signed_now(self.secret, raw, headers)
            with metrics.platform_scope("slack"):  # the listeners' tasks copy this context
                response = await self.bolt.async_dispatch(
                    AsyncBoltRequest(body=raw, query=query, headers=headers))
            return wire(to_aiohttp_response(response))
        if kind == "teams" and self.teams is not None:
            from botbuilder.schema import Activity

            body, auth_header = payload
            with metrics.platform_scope("teams"):
                return wire(await self.teams[1](Activity().deserialize(body), body,
                                                auth_header, auth_header))
        if kind == "ready":
            status, state = await readiness(self.runtime, self.probe)
            return status, {"Content-Type": "application/json"}, json.dumps(state).encode()
        if kind == "metrics":
            return metrics.render()
        raise ValueError(f"nothing here handles {kind!r}")

    async def drain(self) -> None:
        """Finish the replies owed (each platform's held work), then close the Slack client."""
        grace = self.runtime.settings.shutdown_timeout
        if self.slack_deps is not None:
            from bot.slack.app import close_session

            await self.slack_deps.inflight.drain(grace)
            await close_session(self.slack_deps.client)
        if self.teams is not None:
            await self.teams[0].drain(grace)


def _failure(exc: BaseException) -> tuple[str, str]:
    """How a start-up failure is reported by the front, as `serve` would report it."""
    kind = "settings" if isinstance(exc, SettingsError) else "concierge" \
        if isinstance(exc, ConciergeError) else "os" if isinstance(exc, OSError) else "crash"
    return kind, str(exc) if kind != "crash" else f"{type(exc).__name__}: {exc}"


async def _main(settings: Settings, sock: socket.socket) -> int:
    reader, writer = await asyncio.open_unix_connection(sock=sock)
    runtime: Runtime | None = None
    try:
        runtime = await Runtime.start(settings, answer_pool=True)
        side = Answering(runtime)
    except Exception as exc:
        if _failure(exc)[0] == "crash":
            _log.exception("the answering process could not start")
        if runtime is not None:  # its answer workers would keep this process alive
            await runtime.close()
        write_frame(writer, ("failed", _failure(exc)))
        with contextlib.suppress(ConnectionError):  # the front may be gone already
            await writer.drain()
        return 1
    gc.collect()
    gc.freeze()  # start-up objects live as long as the process: out of the collector's way
    gc.set_threshold(20_000, 50, 100)
    stop = asyncio.Event()
    tasks = background_tasks(runtime, stop)
    write_frame(writer, ("ready", None))
    if not await serve_frames(reader, writer, side.handle):
        _log.error("the front process is gone; the answering process stops now")
        os._exit(1)  # no drain: a redelivery is answered once the lease lapses
    stop.set()
    await side.drain()
    await asyncio.gather(*tasks, return_exceptions=True)
    await flush_pending(runtime)
    await runtime.close()
    with contextlib.suppress(ConnectionError):
        writer.close()
    return 0


def run(settings: Settings, sock: socket.socket) -> None:
    """The answering process's entry point (spawned by `bot.front.process`)."""
    from bot.observability.logging import configure_logging

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the group: the front stops us
    exit_with_parent(at_once=True)  # a front killed while this one starts or hangs ends it
    with contextlib.suppress(OSError):
        os.nice(settings.answer_nice)  # the answer workers it starts inherit it
    configure_logging(settings.log_level, settings.log_format)
    sys.exit(asyncio.run(_main(settings, sock)))
