"""The leadership commands as IT runs them: real `python app.py` processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.core.insights.periods import period_of
from bot.settings import ROOT


def run(tmp_path: Path, *args: str, stdin: str | None = None,
        env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    env["PSEUDONYM_KEY"] = "cli-test"
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=180, cwd=tmp_path)


QUESTIONS = """Can I generate background music for a marketing video?
Is there a tool to compose background music for videos?
Can I use AI to create background music for a video?
Can I build 3D models of our products with AI?
Is Midjourney approved?
What can I use to summarize a 40-page PDF?
"""


def test_preview_candidates_review_and_retention(tmp_path: Path) -> None:
    asked = run(tmp_path, "ask", "--asker", "U0CLIUSER", "-", stdin=QUESTIONS)
    assert asked.returncode == 0, asked.stderr
    week = period_of(datetime.now(UTC)).key

    preview = run(tmp_path, "digest", "preview", "--json", "--period", week, "--chart",
                  str(tmp_path / "chart.png"))
    assert preview.returncode == 0, preview.stderr
    figures = json.loads(preview.stdout)
    assert figures["period"] == week
    assert figures["questions"] == 6
    assert figures["askers"] == 1
    assert figures["shadow_asks"] == 1
    assert figures["unmet"] >= 2
    assert "U0CLIUSER" not in preview.stdout
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")

    listed = run(tmp_path, "candidates", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    candidates = json.loads(listed.stdout)
    music = next(c for c in candidates if "music" in c["label"].lower())
    assert music["asks"] == 3

    declined = run(tmp_path, "candidates", "decline", str(music["id"]), "--reason",
                   "Legal review pending")
    assert declined.returncode == 0, declined.stderr
    after = json.loads(run(tmp_path, "candidates", "list", "--status", "declined",
                           "--json").stdout)
    assert [(c["id"], c["reason"]) for c in after] == [(music["id"], "Legal review pending")]
    bad = run(tmp_path, "candidates", "cover", str(candidates[-1]["id"]), "--tool", "nope")
    assert bad.returncode == 1
    assert "no tool 'nope'" in bad.stderr

    text = run(tmp_path, "digest", "preview", "--period", week)
    assert "Unmet needs: candidate use cases" in text.stdout
    assert "Legal review pending" not in text.stdout  # declined candidates leave the digest

    nothing = run(tmp_path, "digest", "send", "--now")
    assert nothing.returncode == 1
    assert "No destinations" in nothing.stderr

    retention = run(tmp_path, "retention", "run", "--days", "1")
    assert retention.returncode == 0, retention.stderr
    assert "Deleted 0 queries" in retention.stdout


def test_bad_period_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path, "digest", "preview", "--period", "last week")
    assert result.returncode == 1
    assert "2026-W07" in result.stderr
    assert "Traceback" not in result.stderr


def test_preview_current_week_and_every_figure_comes_from_the_json(tmp_path: Path) -> None:
    from bot.core.insights.figures import Digest
    from bot.core.insights.sections import text

    empty = run(tmp_path, "digest", "preview", "--period", "current")
    assert empty.returncode == 0, empty.stderr
    assert "No questions yet this week: the week is still in progress." in empty.stdout

    asked = run(tmp_path, "ask", "--asker", "U0CLIUSER", "-", stdin=QUESTIONS)
    assert asked.returncode == 0, asked.stderr
    as_json = run(tmp_path, "digest", "preview", "--period", "current", "--json")
    as_text = run(tmp_path, "digest", "preview", "--period", "current")
    assert as_json.returncode == as_text.returncode == 0, as_json.stderr + as_text.stderr
    figures = json.loads(as_json.stdout)
    assert figures["period"] == period_of(datetime.now(UTC)).key
    # The text is rebuilt from the JSON alone, so every figure in it can be reproduced.
    assert text(Digest.from_dict(figures)) == as_text.stdout.rstrip("\n")
    assert sum(figures["outcomes"].values()) == figures["questions"] == 6
    assert figures["unmet"] == figures["outcomes"].get("unmet", 0)
    assert figures["shadow_asks"] == sum(s["asks"] for s in figures["shadow_ai"])
    assert figures["weeks"][-1]["questions"] == figures["questions"]
    assert figures["standard_answers"] <= figures["tool_answers"]
    if figures["tool_answers"]:
        assert figures["standard_share"] == round(
            figures["standard_answers"] / figures["tool_answers"], 4)
    assert "1. What people use AI for" in as_text.stdout
    assert as_text.stdout.index("2. Unmet needs") < as_text.stdout.index("3. Unapproved tools") \
        < as_text.stdout.index("4. Moving to the approved standard") \
        < as_text.stdout.index("5. Red lines hit")

    refused = run(tmp_path, "digest", "send", "--now", "--period", "current")
    assert refused.returncode == 1
    assert "still in progress" in refused.stderr

    last = run(tmp_path, "digest", "preview", "--period", "last", "--json")
    assert json.loads(last.stdout)["period"] == period_of(datetime.now(UTC)).previous().key
