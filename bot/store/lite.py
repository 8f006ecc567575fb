"""The store of a one-shot `ask` on SQLite, without SQLAlchemy.

A cold `python app.py ask` reads the live policy and its stored embeddings, then logs
the question: five short statements. Importing SQLAlchemy, its ORM and asyncio layers
and our tables to run them was about a third of the command's start-up. Here they run
on the standard library's sqlite3, with the connection settings `db.make_engine` uses.

Only the hot calls are here, written from the same row values as the SQLAlchemy
repositories (`records`); tests/store/test_lite.py checks that both read and write the
same rows. Everything else (importing a policy into an empty database, storing a new
version's embeddings, feedback) opens the full `Store` on first use, so a rare path is
slower, never different. `LiteStore.open` returns None, and the caller uses the full
store, for anything but an existing SQLite file at the newest migration.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.policy.models import Policy
from bot.store.records import (
    QueryNote,
    Snapshot,
    StoredEmbeddings,
    UnmetNote,
    ask_vector_rows,
    utcnow,
)
from bot.store.revision import head_revision
from bot.store.urls import sqlite_file

if TYPE_CHECKING:
    from bot.store.logs import UnmetLog
    from bot.store.repositories import Store

__all__ = ["LiteStore"]

#: What "the database is away" raises here (the full store adds SQLAlchemy's, see `errors`).
_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, OSError, ConnectionError)


def _datetime(value: str) -> datetime:
    """A DateTime column as SQLAlchemy's SQLite dialect reads it (naive, as stored)."""
    return datetime.fromisoformat(value)


def _stored(value: datetime) -> str:
    """A DateTime as SQLAlchemy's SQLite dialect stores it (its default storage format)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _bind(value: Any) -> Any:
    """A column value as SQLAlchemy binds it on SQLite: JSON columns as json.dumps text."""
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return _stored(value)
    return value


def _insert(table: str, values: dict[str, Any], suffix: str = "") -> str:
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    return f"INSERT INTO {table} ({names}) VALUES ({marks}){suffix}"


class LiteStore:
    """`Store`'s answer path on one sqlite3 connection; the rest through `full()`."""

    def __init__(self, url: str, connection: sqlite3.Connection) -> None:
        self.url = url
        self._db = connection
        self._full: Store | None = None
        self.policies = _Policies(self)
        self.embeddings = _Embeddings(self)
        self.queries = _Queries(self)

    @classmethod
    def open(cls, url: str) -> LiteStore | None:
        """The lite store of an existing SQLite database at the newest migration, else None."""
        path = sqlite_file(url)
        head = head_revision()
        if path is None or head is None or not path.is_file():
            return None
        connection = sqlite3.connect(path, timeout=30, isolation_level=None,
                                     check_same_thread=False)
        try:
            # As db.make_engine's connections (WAL is already on: the file exists).
            for pragma in ("busy_timeout=30000", "synchronous=NORMAL", "foreign_keys=ON"):
                connection.execute(f"PRAGMA {pragma}")
            at = [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]
        except sqlite3.Error:  # not our database, or never migrated
            connection.close()
            return None
        if at != [head]:  # the full store migrates it
            connection.close()
            return None
        return cls(url, connection)

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What "the database is away" raises, from this connection or the full store's."""
        return _ERRORS + (self._full.errors if self._full is not None else ())

    def full(self) -> Store:
        """The SQLAlchemy store on the same database, opened on first use."""
        if self._full is None:
            from bot.store.repositories import Store

            self._full = Store.open(self.url)
        return self._full

    @property
    def unmet(self) -> UnmetLog:
        return self.full().unmet

    def _rows(self, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[Any]:
        return self._db.execute(sql, params).fetchall()

    async def store_unmet_vectors(self, model_id: str, rows: list[tuple[int, bytes]]) -> None:
        """Keep unmet requests' embeddings; one another process stored first is kept."""
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT INTO unmet_embeddings (unmet_id, model_id, vector) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING", [(i, model_id, v) for i, v in rows])

    async def close(self) -> None:
        self._db.close()
        if self._full is not None:
            await self._full.close()


class _Policies:
    def __init__(self, store: LiteStore) -> None:
        self._store = store

    async def head_version(self) -> int:
        """The live version number, 0 when no policy was ever imported."""
        value = self._store._rows("SELECT max(version) FROM policy_versions")[0][0]
        return int(value or 0)

    async def current(self) -> Snapshot | None:
        rows = self._store._rows("SELECT version, content, created_at FROM policy_versions "
                                 "ORDER BY version DESC LIMIT 1")
        if not rows:
            return None
        version, content, created_at = rows[0]
        return Snapshot(int(version), Policy.model_validate(json.loads(content)),
                        _datetime(created_at))

    async def save(self, *args: Any, **kwargs: Any) -> int | None:
        """A new version (the default policy's first import): the full store's `save`."""
        return await self._store.full().policies.save(*args, **kwargs)


class _Embeddings:
    def __init__(self, store: LiteStore) -> None:
        self._store = store

    async def load(self, version: int, model_id: str) -> StoredEmbeddings | None:
        """The row for `version`, else the newest earlier one (see `EmbeddingCache.load`)."""
        rows = self._store._rows(
            "SELECT policy_version, model_id, fingerprint, dim, texts, vectors, calibration "
            "FROM policy_embeddings WHERE model_id = ? AND policy_version <= ? "
            "ORDER BY policy_version DESC LIMIT 1", (model_id, version))
        if not rows:
            return None
        stored_version, stored_model, fingerprint, dim, texts, blob, calibration = rows[0]
        names = json.loads(texts)
        matrix = np.frombuffer(blob, dtype=np.float32).reshape(len(names), dim)
        return StoredEmbeddings(int(stored_version), stored_model, fingerprint, list(names),
                                matrix, json.loads(calibration) if calibration else None)

    async def save(self, *args: Any, **kwargs: Any) -> bool:
        return await self._store.full().embeddings.save(*args, **kwargs)

    async def refresh(self, *args: Any, **kwargs: Any) -> bool:
        return await self._store.full().embeddings.refresh(*args, **kwargs)


class _Queries:
    def __init__(self, store: LiteStore) -> None:
        self._store = store

    async def log(self, query: QueryNote, unmet: UnmetNote | None = None
                  ) -> tuple[int, int | None]:
        """Store a query, its unmet request and what its answer embedded in one transaction
        (see `QueryLog.log`); the ids of the query and the request."""
        db = self._store._db
        with db:
            db.execute("BEGIN IMMEDIATE")
            columns = {"at": utcnow(), **query.columns()}
            cursor = db.execute(_insert("query_log", columns),
                                {k: _bind(v) for k, v in columns.items()})
            query_id = int(cursor.lastrowid or 0)
            unmet_id = None
            if unmet is not None:
                request = {"at": utcnow(), "query_id": query_id, **unmet.columns(),
                           "status": "open"}
                cursor = db.execute(_insert("unmet_requests", request),
                                    {k: _bind(v) for k, v in request.items()})
                unmet_id = int(cursor.lastrowid or 0)
            for row in ask_vector_rows([(query.question, query.vectors)] if query.vectors
                                       else []):
                values = {"at": utcnow(), **row}
                db.execute(_insert("ask_vectors", values,
                                   " ON CONFLICT (model_id, question_key) DO NOTHING"),
                           {k: _bind(v) for k, v in values.items()})
        return query_id, unmet_id

    async def set_feedback(self, query_id: int, *, asker: str, feedback: str) -> bool:
        return await self._store.full().queries.set_feedback(query_id, asker=asker,
                                                             feedback=feedback)
