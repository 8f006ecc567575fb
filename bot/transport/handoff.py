"""Requests handed from the acking front to the answering process over one local socket.

The front only checks a request (signature, token, shape), hands it over and acks; the
answering process does everything else. A frame is a length-prefixed pickle on a socket
pair that `serve` creates for its own child, so nothing else can write to it. `send`
costs the front a pickle and a write, with no reply awaited (the answering side's own
bounded queue turns an excess into a polite "busy"); `call` awaits the answering
side's result, for what must be answered in the HTTP body (Teams invokes, Slack forms,
readiness, metrics).

A request the front acked carries its spool sequence number (`bot.transport.spool`);
the answering side sends that number back, as a frame with ident 0, once everything
the request started has ended (`bot.transport.settle`), and the front drops it from
its spool. A request lost with the answering process is handed over again.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import pickle
import struct
from collections.abc import Awaitable, Callable
from typing import Any

from bot.transport.settle import install, settle

__all__ = ["STOP", "Handoff", "HandoffClosed", "read_frame", "serve_frames", "write_frame"]

_log = logging.getLogger(__name__)
_LENGTH = struct.Struct("!I")
#: The frame kind that asks the answering side to finish its work and exit.
STOP = "stop"
#: Bytes the front lets wait unread in the socket before it refuses (503, retried later).
MAX_BUFFERED = 8 * 1024 * 1024
#: (kind, payload, acked): `acked` for what the front checked, kept and acked already.
Handler = Callable[[str, Any, bool], Awaitable[Any]]


class HandoffClosed(ConnectionError):
    """The answering side is gone (restarting, or stopped)."""


async def read_frame(reader: asyncio.StreamReader) -> Any | None:
    """The next message, or None at the end of the stream."""
    try:
        head = await reader.readexactly(_LENGTH.size)
        return pickle.loads(await reader.readexactly(_LENGTH.unpack(head)[0]))
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


def write_frame(writer: asyncio.StreamWriter, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    writer.write(_LENGTH.pack(len(data)) + data)


class Handoff:
    """The front's end of the socket: (id, kind, payload, seq) out; (id, result) back,
    or (0, seq) when a handed-over request's work has ended (`on_done(seq)`)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 on_done: Callable[[int], None] | None = None) -> None:
        self._reader, self._writer, self._on_done = reader, writer, on_done
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self.sent = 0
        self.closed = asyncio.Event()
        self._reading = asyncio.create_task(self._read(), name="handoff-replies")

    def can_take(self) -> bool:
        """Whether the answering side is there and reading (else: refuse, 503)."""
        return not self.closed.is_set() and not self._writer.is_closing() and \
            self._writer.transport.get_write_buffer_size() <= MAX_BUFFERED

    def send(self, kind: str, payload: Any, seq: int = 0) -> bool:
        """Hand over without waiting (`seq`: its spool entry, 0 for none); False when closed."""
        if self.closed.is_set() or self._writer.is_closing():
            return False
        write_frame(self._writer, (0, kind, payload, seq))
        self.sent += 1
        return True

    async def call(self, kind: str, payload: Any, within: float) -> Any:
        """The answering side's result; HandoffClosed or TimeoutError when there is none."""
        if self.closed.is_set() or self._writer.is_closing():
            raise HandoffClosed(kind)
        ident = next(self._ids)
        future = self._waiting[ident] = asyncio.get_running_loop().create_future()
        try:
            write_frame(self._writer, (ident, kind, payload, 0))
            async with asyncio.timeout(within):
                return await future
        finally:
            self._waiting.pop(ident, None)

    async def _read(self) -> None:
        while (frame := await read_frame(self._reader)) is not None:
            ident, result = frame
            if not ident:
                if self._on_done is not None:
                    self._on_done(result)
                continue
            future = self._waiting.get(ident)
            if future is not None and not future.done():
                future.set_result(result)
        self.closed.set()
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(HandoffClosed("the answering process is gone"))

    async def stop(self) -> None:
        """Ask the answering side to finish what it holds and exit; keep reading its replies."""
        if not self._writer.is_closing():
            write_frame(self._writer, (0, STOP, None, 0))
            with contextlib.suppress(ConnectionError):
                await self._writer.drain()

    async def close(self) -> None:
        self._writer.close()
        self._reading.cancel()
        with contextlib.suppress(asyncio.CancelledError, ConnectionError):
            await self._reading


async def serve_frames(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       handle: Handler) -> bool:
    """The answering side's loop: each frame handled in its own task (a slow call never
    holds up the next hand-off). True after STOP (those tasks awaited), False at the
    end of the stream: the front is gone. A spooled request's number goes back once
    its work, and every task that work started, has ended."""
    install(asyncio.get_running_loop())
    running: set[asyncio.Task[None]] = set()

    def done(seq: int) -> None:
        if not writer.is_closing():
            write_frame(writer, (0, seq))

    async def one(ident: int, kind: str, payload: Any, seq: int) -> None:
        with settle(lambda: done(seq)) if seq else contextlib.nullcontext():
            try:
                result = await handle(kind, payload, bool(seq))
            except Exception:
                _log.exception("handed-off request failed", extra={"kind": kind})
                result = None
        if ident and not writer.is_closing():
            write_frame(writer, (ident, result))

    while (frame := await read_frame(reader)) is not None:
        ident, kind, payload, seq = frame
        if kind == STOP:
            if running:
                await asyncio.wait(running)
            return True
        task = asyncio.create_task(one(ident, kind, payload, seq), name=f"handoff-{kind}")
        running.add(task)
        task.add_done_callback(running.discard)
    return False
