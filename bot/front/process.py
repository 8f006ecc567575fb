"""The answering process as `serve`'s child: started, connected, restarted if it dies.

A spawned process (no fork of a running event loop) gets one end of a socket pair;
the front keeps the other (`Handoff`). While it is away (restarting) hand-offs are
refused with a 503 that the platforms retry, rather than acked and lost. What was
acked is in the front's spool until the answering process says it is done; whatever a
crashed answering process left undone is handed to the next one as soon as it is ready.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import socket
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bot.errors import ConciergeError
from bot.observability import metrics
from bot.settings import ROOT, Settings, SettingsError
from bot.transport.handoff import Handoff, HandoffClosed, read_frame
from bot.transport.spool import Spool, SpoolError

__all__ = ["AnsweringProcess", "StartFailed", "spool_dir_for"]

_log = logging.getLogger(__name__)
#: Loading the policy, the sentence model and the answer workers on a busy machine.
START_TIMEOUT = 600.0
RESTART_PAUSE = 1.0


def spool_dir_for(settings: Settings) -> Path:
    """SPOOL_DIR, else `<db>.spool` next to a SQLite file, else data/spool (the volume)."""
    if settings.spool_dir is not None:
        return settings.spool_dir
    url = make_url(settings.database_url)
    database = url.database or ""
    if url.drivername.startswith("sqlite") and database and database != ":memory:" \
            and not database.startswith("file:"):
        return Path(database).with_name(Path(database).name + ".spool")
    return ROOT / "data" / "spool"


class StartFailed(Exception):
    """The answering process died before it was ready (its own log line says why)."""


class AnsweringProcess:
    """`send`/`call` to the current answering process; `stop` ends it gracefully."""

    def __init__(self, settings: Settings, spool: Spool | None = None) -> None:
        self.settings = settings
        self.spool = spool
        self.process: BaseProcess | None = None
        self.handoff: Handoff | None = None
        self.restarts = 0
        self._stopping = False
        self._refusing = False
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
        handoff = Handoff(reader, writer, self.spool.done if self.spool else None)
        again = self.spool.entries() if self.spool is not None else []
        for seq, kind, payload in again:  # before anything new: nothing is awaited here
            handoff.send(kind, payload, seq)
        self.process, self.handoff = process, handoff
        _log.info("answering process ready", extra={"pid": process.pid})
        if again:
            _log.warning("handing over again requests acked but not answered",
                         extra={"count": len(again)})

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

    async def send(self, kind: str, payload: Any) -> bool:
        """Keep it (on disk) and hand it over: True when it may be acked."""
        handoff = self.handoff
        if handoff is None or not handoff.can_take():
            return False
        if self.spool is None:
            return handoff.send(kind, payload)
        if self.spool.pending >= self.settings.handover_limit:  # far behind: not more
            if not self._refusing:  # once per episode, not once per request
                _log.warning("the answering process is far behind; refusing requests (503)",
                             extra={"pending": self.spool.pending})
            self._refusing = True
            return False
        self._refusing = False
        try:
            seq = await self.spool.add(kind, payload)
        except SpoolError as exc:
            _log.error("the spool cannot keep a request; refused", extra={"error": str(exc)})
            metrics.record_platform_error(kind, "spool")
            return False
        if self.handoff is handoff:  # else replaced meanwhile: handed over with the spool
            handoff.send(kind, payload, seq)  # closed: the next one gets it from the spool
        return True

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
            self._close_spool()
            return True
        with contextlib.suppress(ConnectionError):
            await handoff.stop()
        await asyncio.to_thread(process.join, grace + 5.0)
        if process.is_alive():
            _log.warning("the answering process did not stop in time; terminating it")
            process.terminate()
            await asyncio.to_thread(process.join, 5.0)
        with contextlib.suppress(TimeoutError):  # its last "done" frames, then the end
            async with asyncio.timeout(2.0):
                await handoff.closed.wait()
        await handoff.close()
        self._close_spool()
        return process.exitcode == 0

    def _close_spool(self) -> None:
        """Undone entries stay on disk for the next server (it adopts the file)."""
        if self.spool is not None:
            if self.spool.pending:
                _log.warning("requests acked but not answered are left for the next start",
                             extra={"count": self.spool.pending})
            self.spool.close()
            self.spool = None


def _start_error(failure: tuple[str, str]) -> Exception:
    kind, message = failure
    if kind == "settings":
        return SettingsError(message)
    if kind == "concierge":
        return ConciergeError(message)
    if kind == "os":
        return OSError(message)
    return StartFailed(message)
