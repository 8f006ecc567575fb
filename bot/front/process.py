"""The answering process as `serve`'s child: started, connected, restarted if it dies.

A spawned process (no fork of a running event loop) gets one end of a socket pair;
the front keeps the other (`Handoff`). While it is away (restarting) hand-offs are
refused with a 503 that the platforms retry, rather than acked and lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import socket
from multiprocessing.process import BaseProcess
from typing import Any

from bot.errors import ConciergeError
from bot.settings import Settings, SettingsError
from bot.transport.handoff import Handoff, HandoffClosed, read_frame

__all__ = ["AnsweringProcess", "StartFailed"]

_log = logging.getLogger(__name__)
#: Loading the policy, the sentence model and the answer workers on a busy machine.
START_TIMEOUT = 600.0
RESTART_PAUSE = 1.0


class StartFailed(Exception):
    """The answering process died before it was ready (its own log line says why)."""


class AnsweringProcess:
    """`send`/`call` to the current answering process; `stop` ends it gracefully."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.process: BaseProcess | None = None
        self.handoff: Handoff | None = None
        self.restarts = 0
        self._stopping = False
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start it and wait until it serves; start-up errors are raised here, as in-process."""
        await self._spawn()
        self._watch = asyncio.create_task(self._restart_when_gone(), name="answering-watch")

    async def _spawn(self) -> None:
        ours, theirs = socket.socketpair()
        from bot.front.answering import run

        context = multiprocessing.get_context("spawn")
        process = context.Process(target=run, args=(self.settings, theirs),
                                  name="concierge-answering")
        process.start()
        theirs.close()
        reader, writer = await asyncio.open_unix_connection(sock=ours)
        async with asyncio.timeout(START_TIMEOUT):
            first = await read_frame(reader)
        if first is None or first[0] != "ready":
            writer.close()
            await asyncio.to_thread(process.join, 10)
            raise _start_error(first[1] if first else ("crash", "it exited while starting"))
        self.process, self.handoff = process, Handoff(reader, writer)
        _log.info("answering process ready", extra={"pid": process.pid})

    async def _restart_when_gone(self) -> None:
        while not self._stopping and self.handoff is not None:
            await self.handoff.closed.wait()
            if self._stopping:
                return
            _log.error("the answering process exited; starting another",
                       extra={"exitcode": self.process.exitcode if self.process else None})
            await self.handoff.close()
            if self.process is not None:
                await asyncio.to_thread(self.process.join, 10)
            self.restarts += 1
            await asyncio.sleep(RESTART_PAUSE)
            try:
                await self._spawn()
            except Exception as exc:  # tried again after the pause
                _log.error("the answering process could not start again",
                           extra={"error": type(exc).__name__})

    def send(self, kind: str, payload: Any) -> bool:
        return self.handoff is not None and self.handoff.send(kind, payload)

    async def call(self, kind: str, payload: Any, within: float) -> Any:
        if self.handoff is None:
            raise HandoffClosed(kind)
        return await self.handoff.call(kind, payload, within)

    async def stop(self, grace: float) -> bool:
        """Ask it to finish its held work and exit; True when it did within `grace` (+5 s)."""
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
        process, handoff = self.process, self.handoff
        if process is None or handoff is None:
            return True
        with contextlib.suppress(ConnectionError):
            await handoff.stop()
        await asyncio.to_thread(process.join, grace + 5.0)
        if process.is_alive():
            _log.warning("the answering process did not stop in time; terminating it")
            process.terminate()
            await asyncio.to_thread(process.join, 5.0)
        await handoff.close()
        return process.exitcode == 0


def _start_error(failure: tuple[str, str]) -> Exception:
    kind, message = failure
    if kind == "settings":
        return SettingsError(message)
    if kind == "concierge":
        return ConciergeError(message)
    if kind == "os":
        return OSError(message)
    return StartFailed(message)
