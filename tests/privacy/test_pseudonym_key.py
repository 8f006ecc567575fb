"""The pseudonym key never lives in the database it protects (issue 12, privacy)."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.core.concierge import Message
from bot.keys import key_file_for
from bot.runtime import Runtime
from bot.settings import ROOT, Settings, SettingsError
from bot.store import Store, upgrade

ASKERS = [f"U0ASKER{i:03d}" for i in range(7)]


def _cli(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DATABASE_URL", "PSEUDONYM"))}
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True,
                          text=True, env={**base, **env}, timeout=120, cwd=tmp_path)


async def _ask_as_everyone(runtime: Runtime) -> None:
    for asker in ASKERS:
        await runtime.concierge.answer(Message("an AI to drive the forklift", asker, "slack"))


async def _reidentified(url: str) -> int:
    """What an attacker with a copy of the database and the list of user ids can link."""
    store = Store.open(url)
    try:
        async with store.engine.connect() as connection:
            values = [row[0] for row in await connection.execute(
                text("SELECT value FROM app_state"))]
            pseudonyms = {row[0] for row in await connection.execute(
                text("SELECT asker FROM query_log"))}
    finally:
        await store.close()
    found = 0
    for candidate in values:
        for asker in ASKERS:
            guess = hmac.new(candidate.encode(), asker.encode(), hashlib.sha256).hexdigest()[:32]
            found += guess in pseudonyms
    return found


async def test_sqlite_key_is_generated_into_a_0600_file_next_to_the_db(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'concierge.db'}"
    runtime = await Runtime.start(Settings(database_url=url))
    try:
        await _ask_as_everyone(runtime)
        first = runtime.concierge.pseudonym(ASKERS[0])
    finally:
        await runtime.close()
    key_file = key_file_for(url)
    assert key_file == tmp_path / "concierge.db.pseudonym-key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert await _reidentified(url) == 0
    # A restart reads the same key: per-asker counts stay linked.
    again = await Runtime.start(Settings(database_url=url))
    try:
        assert again.concierge.pseudonym(ASKERS[0]) == first
    finally:
        await again.close()


async def test_a_key_file_readable_by_others_is_tightened(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'concierge.db'}"
    key_file = tmp_path / "concierge.db.pseudonym-key"
    key_file.write_text("0123456789abcdef0123456789abcdef\n")
    key_file.chmod(0o644)
    runtime = await Runtime.start(Settings(database_url=url))
    await runtime.close()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


async def test_pseudonym_key_file_setting_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-docker-secret-0123456789\n")
    url = f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    runtime = await Runtime.start(Settings(database_url=url, pseudonym_key_file=secret))
    try:
        expected = hmac.new(b"from-a-docker-secret-0123456789", b"U1", hashlib.sha256)
        assert runtime.concierge.pseudonym("U1") == expected.hexdigest()[:32]
    finally:
        await runtime.close()
    assert not (tmp_path / "c.db.pseudonym-key").exists()


async def test_missing_key_file_is_one_clear_error(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"
    with pytest.raises(SettingsError, match="PSEUDONYM_KEY_FILE"):
        await Runtime.start(Settings(database_url=url, pseudonym_key_file=tmp_path / "nope"))


def test_postgresql_without_a_key_refuses_to_start(tmp_path: Path) -> None:
    """Checked before connecting: no server is needed to see the refusal."""
    result = _cli(tmp_path, "ask", "hi",
                  env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert result.returncode == 2
    assert "PSEUDONYM_KEY" in result.stderr
    assert "Traceback" not in result.stderr


async def test_the_database_copy_cannot_reidentify_askers(db_url: str) -> None:
    """The reviewer's probe: 7 of 7 askers were re-identified from a copy of the database."""
    # SQLite: the generated key (which used to go into app_state); a server needs a key.
    key = None if db_url.startswith("sqlite") else "k" * 32
    runtime = await Runtime.start(Settings(database_url=db_url, pseudonym_key=key))
    try:
        await _ask_as_everyone(runtime)
    finally:
        await runtime.close()
    assert await _reidentified(db_url) == 0


OLD_REFERENCE = {
    "activityId": "1699", "locale": "en-US", "channelId": "msteams",
    "serviceUrl": "https://smba.example/teams/",
    "user": {"id": "29:user-1", "name": "Pat Doe", "aadObjectId": "aad-0001"},
    "bot": {"id": "28:bot", "name": "AI Tool Concierge"},
    "conversation": {"id": "a:chat-1", "conversationType": "personal", "tenantId": "t-1",
                     "name": "Pat Doe"},
}


async def test_migration_drops_the_stored_key_and_personal_data_in_references(
        db_url: str) -> None:
    store = Store.open(db_url)
    try:
        await upgrade(store.engine, "0004")
        async with store.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO app_state (key, value) VALUES ('pseudonym_key', 'old'), "
                "('other', 'kept')"))
        await store.conversations.upsert(platform="teams", conversation_id="a:chat-1",
                                         kind="personal", reference=OLD_REFERENCE)
        await upgrade(store.engine)
        async with store.engine.connect() as connection:
            rows = dict((await connection.execute(
                text("SELECT key, value FROM app_state"))).all())
        reference = await store.conversations.get("teams", "a:chat-1")
    finally:
        await store.close()
    assert rows == {"other": "kept"}
    assert reference == {
        "channelId": "msteams", "serviceUrl": "https://smba.example/teams/",
        "bot": {"id": "28:bot"},
        "conversation": {"id": "a:chat-1", "conversationType": "personal", "tenantId": "t-1"},
    }
