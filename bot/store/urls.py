"""SQLite URLs read without SQLAlchemy (its `make_url` is most of a cold `ask`'s import of it).

`sqlite_database` reads the database part as SQLAlchemy's `make_url` does (tested
against it in tests/store/test_lite.py), for the pseudonym key's file and the lite store.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["sqlite_database", "sqlite_file"]


def sqlite_database(url: str) -> str | None:
    """The database part of a SQLite URL, "" when it has none (`sqlite://`), None when the
    URL is not SQLite's (any `sqlite` or `sqlite+driver` scheme)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.startswith("sqlite"):
        return None
    rest = rest.split("?", 1)[0]
    _host, slash, database = rest.partition("/")
    return database if slash else ""


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain SQLite URL; None for another database, an in-memory
    one, a `file:` URI, or a URL with options (`?...`)."""
    database = sqlite_database(url)
    if not database or "?" in url or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)
