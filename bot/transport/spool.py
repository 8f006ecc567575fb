"""What the front acked and the answering process has not finished: kept on disk until done.

Slack and Teams never redeliver what was acked, so an acked request lost with a crashed
answering process would never be answered. The front appends each request here before
it acks (written to the file, so it outlives any process; with `fsync`, fdatasync'd
too, so it outlives a power loss, at a cost to the acks); the answering
process reports each one done once its work (answer, post, claim finished) has ended,
and the front appends a done mark. Whatever is not done when the answering process is
replaced, or when a whole server died (its spool file found unlocked by the next one),
is handed over again. The event claims (claim → answer → post → finish) make a replay of
something already posted a no-op: answering is at least once, posting exactly once.

A record is a header (length, CRC-32, sequence number, type) and, for an entry, the
pickled (kind, payload). One spool per front, `spool-<id>.log`, flock'd through
`spool-<id>.lock` while its front lives; a torn last record (a crash mid-write, never
acked) is ignored. Concurrent acks share one fdatasync (a group commit in one thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import pickle
import struct
import uuid
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["Spool", "SpoolError"]

_log = logging.getLogger(__name__)
_HEAD = struct.Struct("!IIQB")  # payload length, CRC-32 of the payload, sequence, type
_ENTRY, _DONE = 1, 2
#: Past this size the file is rewritten with only what is pending (or emptied when nothing is).
COMPACT_BYTES = 8 * 1024 * 1024


class SpoolError(OSError):
    """The spool cannot take a request (disk full, gone): refuse it (503), never ack and lose it."""


def _records(data: bytes) -> Iterator[tuple[int, int, int, bytes]]:
    """(offset, type, sequence, payload) of each whole record; stops at a torn or bad one."""
    at = 0
    while at + _HEAD.size <= len(data):
        length, crc, seq, kind = _HEAD.unpack_from(data, at)
        body = data[at + _HEAD.size: at + _HEAD.size + length]
        if len(body) < length or zlib.crc32(body) != crc or kind not in (_ENTRY, _DONE):
            return
        yield at, kind, seq, body
        at += _HEAD.size + length


def _record(kind: int, seq: int, body: bytes = b"") -> bytes:
    return _HEAD.pack(len(body), zlib.crc32(body), seq, kind) + body


def pending_in(data: bytes) -> dict[int, bytes]:
    """sequence -> entry payload of the entries without a done mark, in order."""
    entries: dict[int, bytes] = {}
    for _, kind, seq, body in _records(data):
        if kind == _ENTRY:
            entries[seq] = body
        else:
            entries.pop(seq, None)
    return entries


class Spool:
    """One front's spool in `directory`; `adopted` holds what dead fronts left undone."""

    def __init__(self, directory: Path, *, fsync: bool = False) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.directory, self.fsync = directory, fsync
        name = f"spool-{uuid.uuid4().hex[:12]}"
        self.path, self._lock_path = directory / f"{name}.log", directory / f"{name}.lock"
        self._lock = os.open(self._lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        self._size = 0
        self._seq = 0
        self._offsets: dict[int, int] = {}  # pending sequence -> offset of its entry
        self._synced = 0  # every sequence up to this one is on disk
        self._flush: asyncio.Future[None] | None = None
        self._syncer = ThreadPoolExecutor(1, thread_name_prefix="spool-sync")
        self._adopt()

    @property
    def pending(self) -> int:
        return len(self._offsets)

    def _adopt(self) -> None:
        """Take over the spools of fronts that died (their lock is free): their undone
        entries become ours (written and synced here first), then their files go."""
        for lock_path in sorted(self.directory.glob("spool-*.lock")):
            if lock_path == self._lock_path:
                continue
            try:
                fd = os.open(lock_path, os.O_WRONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # its front is alive
                os.close(fd)
                continue
            log_path = lock_path.with_suffix(".log")
            try:
                data = log_path.read_bytes()
            except FileNotFoundError:
                data = b""
            undone = pending_in(data)
            for body in undone.values():
                self._append(_ENTRY, body)
            if undone:
                os.fdatasync(self._fd)
                _log.warning("took over requests a previous server acked and did not answer",
                             extra={"count": len(undone)})
            self._synced = self._seq
            with contextlib.suppress(FileNotFoundError):
                log_path.unlink()
            lock_path.unlink(missing_ok=True)
            os.close(fd)

    def _append(self, kind: int, body: bytes, seq: int | None = None) -> int:
        if seq is None:
            self._seq += 1
            seq = self._seq
        data = _record(kind, seq, body)
        written = os.write(self._fd, data)
        if written != len(data):  # a short write (disk full): keep the file whole
            os.ftruncate(self._fd, self._size)
            raise SpoolError("the spool could not be written completely")
        if kind == _ENTRY:
            self._offsets[seq] = self._size
        self._size += written
        return seq

    async def add(self, kind: str, payload: Any) -> int:
        """Keep a request until it is done; returns once it is on disk. SpoolError if not."""
        body = pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            seq = self._append(_ENTRY, body)
        except OSError as exc:
            raise SpoolError(str(exc)) from exc
        if self.fsync:
            await self._durable(seq)
        return seq

    async def _durable(self, seq: int) -> None:
        """Wait until `seq` is fdatasync'd; writes made while one sync runs share the next."""
        while self._synced < seq:
            if self._flush is None:
                self._flush = asyncio.ensure_future(self._sync(self._seq))
            await asyncio.shield(self._flush)

    async def _sync(self, upto: int) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(self._syncer, os.fdatasync, self._fd)
        except OSError as exc:
            raise SpoolError(str(exc)) from exc
        finally:
            self._flush = None
        self._synced = max(self._synced, upto)

    def done(self, seq: int) -> None:
        """The answering process finished it: never hand it over again (a lost done mark
        costs a replay, which the event claims turn into nothing)."""
        if self._offsets.pop(seq, None) is None:
            return
        try:
            self._append(_DONE, b"", seq)
            if self._size > COMPACT_BYTES and self._flush is None:  # no sync on the old file
                self._compact()
        except OSError as exc:
            _log.warning("spool done mark not written", extra={"error": str(exc)})

    def entries(self) -> list[tuple[int, str, Any]]:
        """What is pending, oldest first: (sequence, kind, payload), to hand over again."""
        out = []
        for seq, offset in sorted(self._offsets.items()):
            head = os.pread(self._fd, _HEAD.size, offset)
            length = _HEAD.unpack(head)[0]
            kind, payload = pickle.loads(os.pread(self._fd, length, offset + _HEAD.size))
            out.append((seq, kind, payload))
        return out

    def _compact(self) -> None:
        """Rewrite the file with the pending entries alone (the lock file stays locked)."""
        keep = [(seq, os.pread(self._fd, _HEAD.size + _HEAD.unpack(
            os.pread(self._fd, _HEAD.size, offset))[0], offset))
            for seq, offset in sorted(self._offsets.items())]
        fresh = self.path.with_suffix(".tmp")
        fd = os.open(fresh, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        at, offsets = 0, {}
        for seq, record in keep:
            os.write(fd, record)
            offsets[seq], at = at, at + len(record)
        os.fdatasync(fd)
        os.replace(fresh, self.path)
        os.close(self._fd)
        self._fd, self._size, self._offsets = fd, at, offsets
        self._synced = self._seq

    def close(self) -> None:
        """At a clean stop: with nothing pending the files go; else the next server adopts them."""
        self._syncer.shutdown(wait=True)
        os.close(self._fd)
        if not self._offsets:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._lock_path.unlink(missing_ok=True)
        os.close(self._lock)
