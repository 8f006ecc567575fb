"""`python app.py ask … | head`: the reader leaves early, nothing is printed about it (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.settings import ROOT


def test_ask_into_head_prints_no_broken_pipe(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}",
               PSEUDONYM_KEY="cli-test-key-0123456789")
    questions = "Is Grok approved?\n" * 400
    command = (f"{sys.executable} {ROOT / 'app.py'} ask --json - | head -n 1; "
               "exit ${PIPESTATUS[0]}")
    result = subprocess.run(["bash", "-c", command], input=questions, capture_output=True,
                            text=True, env=env, timeout=180, cwd=tmp_path)
    assert result.stdout.count("\n") == 1
    assert '"outcome": "tool_status"' in result.stdout
    assert "Broken pipe" not in result.stderr
    assert "BrokenPipeError" not in result.stderr
    assert "Traceback" not in result.stderr
    assert result.returncode == 0
