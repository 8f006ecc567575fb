"""Is the database really writable? The readiness probe's question.

`SELECT 1` is not enough: a SQLite file deleted while serving still answers (writes go
to the unlinked inode and are lost at restart), and a read-only file or a read-only
PostgreSQL still answers reads. So the probe writes a row inside a transaction that
is rolled back, and for a SQLite file also checks that the file on disk is still the
one that was opened and that it (and its directory, for the WAL) is writable.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["NotWritable", "WriteProbe"]


class NotWritable(Exception):
    """The database cannot take writes; the message says why (no user data)."""


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


@dataclass
class WriteProbe:
    """Built when serving starts: remembers which SQLite file was opened."""

    engine: AsyncEngine
    path: Path | None = None
    opened: tuple[int, int] | None = None

    @classmethod
    def for_engine(cls, engine: AsyncEngine) -> WriteProbe:
        url = engine.url
        database = url.database or ""
        if url.get_backend_name() != "sqlite" or not database or database == ":memory:" \
                or database.startswith("file:"):
            return cls(engine)
        path = Path(database).resolve()
        return cls(engine, path, _identity(path))

    def _check_file(self) -> None:
        if self.path is None:
            return
        now = _identity(self.path)
        if now is None:
            raise NotWritable("the SQLite file is missing")
        if self.opened is not None and now != self.opened:
            raise NotWritable("the SQLite file was replaced since start")
        if not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
            raise NotWritable("the SQLite file or its directory is read-only")

    async def check(self) -> None:
        """Raise NotWritable (or the driver's error) unless a write would be stored."""
        self._check_file()
        async with self.engine.connect() as connection:
            transaction = await connection.begin()
            try:
                await connection.execute(
                    text("INSERT INTO app_state (key, value) VALUES (:key, 'readyz')"),
                    {"key": f"readyz-{uuid.uuid4().hex}"})
            finally:
                await transaction.rollback()
