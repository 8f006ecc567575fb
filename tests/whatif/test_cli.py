"""`python app.py policies whatif DRAFT` as IT runs it: a real process on a seeded database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.core.concierge import Concierge
from bot.runtime import matcher_factory
from bot.settings import ROOT, Settings
from bot.store import Store, upgrade
from tests.conftest import SAMPLE_POLICY
from tests.whatif.seed import approve_synthesia, seed_asks, write_draft


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env["PSEUDONYM_KEY"] = "cli-test"
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True,
                          text=True, env=env, timeout=180, cwd=tmp_path)


async def _seed(tmp_path: Path) -> int | None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        concierge = Concierge(store, make_matcher=matcher_factory(Settings(database_url=url)),
                              pseudonym_key=b"cli-test")
        await concierge.start(SAMPLE_POLICY)
        seeded = await seed_asks(concierge)
        live = (await store.policies.current()).policy  # type: ignore[union-attr]
        write_draft(approve_synthesia(live), tmp_path / "draft")
        return seeded.video_candidate
    finally:
        await store.close()


async def test_whatif_reports_newly_answered_asks(tmp_path: Path) -> None:
    candidate = await _seed(tmp_path)

    plain = run(tmp_path, "policies", "whatif", "draft")
    assert plain.returncode == 0, plain.stderr
    assert "What-if: draft against live policy version 1" in plain.stdout
    assert "Replayed 27 asks from 14 people over the last 90 days" in plain.stdout
    assert "Approving Synthesia would answer 12 asks from 7 people" in plain.stdout
    assert f"python app.py candidates cover {candidate} --tool synthesia" in plain.stdout

    as_json = run(tmp_path, "policies", "whatif", "draft", "--days", "30", "--json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    assert (report["asks_replayed"], report["days"], report["live_version"]) == (27, 30, 1)
    answered = report["newly_answered"]
    assert (answered["asks"], answered["askers"]) == (12, 7)
    assert answered["groups"]["by_cover"][0]["id"] == "synthesia"
    assert [c["id"] for c in report["covers_candidates"]] == [str(candidate)]
    for key in ("newly_unmet", "changed", "newly_blocked"):
        assert report[key]["asks"] == 0


def test_whatif_refuses_a_bad_draft_or_period_clearly(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "tools.yaml").write_text("tools: [{id: Bad Id}]\n", encoding="utf-8")
    bad = run(tmp_path, "policies", "whatif", "bad")
    assert bad.returncode == 1
    assert "error:" in bad.stderr
    assert "Traceback" not in bad.stderr
    days = run(tmp_path, "policies", "whatif", str(SAMPLE_POLICY), "--days", "0")
    assert days.returncode == 1
    assert "between 1 and" in days.stderr
