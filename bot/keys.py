"""The pseudonym key: never stored with the data it protects.

Asker ids are logged as keyed HMACs. With the key in the same database, anyone with a
copy of it (a backup, a read replica, a leaked dump) and a list of user ids could
re-identify every asker. So the key comes from PSEUDONYM_KEY or PSEUDONYM_KEY_FILE;
on PostgreSQL one of them is required; on a SQLite file a key is generated once into a
separate file next to the database, readable by its owner only (0600).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.settings import Settings, SettingsError
from bot.store.urls import sqlite_database

__all__ = ["key_file_for", "resolve_pseudonym_key"]

_log = logging.getLogger(__name__)


def key_file_for(database_url: str) -> Path | None:
    """`<db>.pseudonym-key` next to a SQLite file; None for other databases or in-memory."""
    database = sqlite_database(database_url)
    if database is None:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).with_name(Path(database).name + ".pseudonym-key")


def _read(path: Path, setting: str) -> bytes:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SettingsError(f"{setting}: cannot read the key file {path} ({exc.strerror}).") \
            from None
    if len(value) < 16:
        raise SettingsError(f"{setting}: the key in {path} is shorter than 16 characters.")
    return value.encode()


def _generated(path: Path) -> bytes:
    """Create the key file once (0600, exclusive create, so two processes agree)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            _log.warning("pseudonym key file was readable by others; made it 0600")
            with contextlib.suppress(OSError):
                path.chmod(0o600)
        return _read(path, "PSEUDONYM_KEY_FILE")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    _log.info("generated a pseudonym key next to the database; back it up separately",
                 extra={"kind": "pseudonym_key"})
    return _read(path, "PSEUDONYM_KEY_FILE")


def resolve_pseudonym_key(settings: Settings) -> bytes:
    """The key from the settings, the key file, or (SQLite only) a generated key file.

    Raises:
        SettingsError: on PostgreSQL (or any server database) with neither
            PSEUDONYM_KEY nor PSEUDONYM_KEY_FILE set, or an unreadable key file.
    """
    if settings.pseudonym_key and settings.pseudonym_key.get_secret_value():
        return settings.pseudonym_key.get_secret_value().encode()
    if settings.pseudonym_key_file is not None:
        return _read(settings.pseudonym_key_file, "PSEUDONYM_KEY_FILE")
    path = key_file_for(settings.database_url)
    if path is not None:
        return _generated(path)
    if sqlite_database(settings.database_url) is not None:
        return secrets.token_hex(32).encode()  # in-memory database: dies with the process
    raise SettingsError(
        "PSEUDONYM_KEY (or PSEUDONYM_KEY_FILE) is required with a database server: the key "
        "of the asker pseudonyms must not live in the database it protects. Generate one "
        "with `python -c 'import secrets; print(secrets.token_hex(32))'`."
    )
