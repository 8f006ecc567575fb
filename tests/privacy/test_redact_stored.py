"""`privacy redact-stored`: questions logged by earlier versions get today's redaction."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from bot.core.concierge import Concierge
from bot.settings import ROOT
from bot.store import Store, upgrade
from bot.store.rewrite import rewrite_questions
from bot.store.tables import QueryEntry, UnmetRequest

OLD = "my colleague Siobhan gave me SSN 078-05-1120, can Jasper read it?"


async def _log_like_an_old_version(store: Store, count: int = 3) -> None:
    for _ in range(count):
        entry = QueryEntry(platform="slack", asker="p" * 32, question=OLD, outcome="unmet")
        unmet = UnmetRequest(platform="slack", asker="p" * 32, question=OLD, reason="no_match")
        query_id, _ = await store.queries.record(entry, unmet)
        await store.handoffs.open(platform="slack", query_id=query_id, asker_id="U1",
                                  asker="p" * 32, question=OLD, answer="No approved tool")


async def _questions(store: Store) -> list[str]:
    async with store.engine.connect() as connection:
        return [row[0] for row in await connection.execute(text(
            "SELECT question FROM query_log UNION ALL SELECT question FROM unmet_requests "
            "UNION ALL SELECT question FROM handoffs"))]


async def test_stored_questions_are_re_redacted_in_batches(store: Store,
                                                           concierge: Concierge) -> None:
    await _log_like_an_old_version(store)
    index = await concierge.index()
    changed = await rewrite_questions(store.sessions, lambda t: concierge.redact(t, index),
                                      batch=2)
    assert changed == {"query_log": 3, "unmet_requests": 3, "handoffs": 3}
    expected = "my colleague [NAME] gave me SSN [NATIONAL_ID], can Jasper read it?"
    assert await _questions(store) == [expected] * 9
    again = await rewrite_questions(store.sessions, lambda t: concierge.redact(t, index))
    assert again == {"query_log": 0, "unmet_requests": 0, "handoffs": 0}


def _cli(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DATABASE_URL"))}
    env.update(DATABASE_URL=url, PSEUDONYM_KEY="cli-test-key-0123456789")
    return subprocess.run([sys.executable, str(ROOT / "app.py"), "privacy", "redact-stored"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


async def test_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        await _log_like_an_old_version(store, 1)
    finally:
        await store.close()
    result = _cli(url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert ("Re-redacted 1 logged question(s), 1 unmet request(s) and 1 question(s) "
            "passed on to IT.") in result.stdout
    store = Store.open(url)
    try:
        stored = await _questions(store)
    finally:
        await store.close()
    assert all("078-05-1120" not in q and "Siobhan" not in q for q in stored)
