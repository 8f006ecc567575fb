"""bench/red_line_paths.py: recall, must-not and unasked counts, and each unasked line's
path, on a real dev policy (San Francisco's, tests/fixtures/heldout/sf-city) with three
questions labelled here by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from red_line_paths import main  # noqa: E402

QUESTIONS = [
    # the rule for unlisted tools (about data), shown though no label asks for it with
    # data going in: unasked, by "unlisted"
    {"q": "can I paste a resident's complaint letter into DeepSeek?",
     "outcome": ["tool_status", "data_check"], "kind": "unknown-tool"},
    # asked for and shown
    {"q": "let AI decide which applicants get the grant", "outcome": ["blocked", "answered"],
     "red_lines": ["human-decisions"]},
    # a decision people made, asked about: must not be shown, and is not
    {"q": "recap what the board decided at the meeting",
     "outcome": ["answered", "unmet"], "not_red_lines": ["human-decisions"]},
]


def test_counts_and_paths(tmp_path: Path, capsys: object) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in QUESTIONS), encoding="utf-8")
    policy = ROOT / "tests" / "fixtures" / "heldout" / "sf-city" / "policy"
    assert main([str(policy), str(questions), "--matcher", "lexical"]) == 0
    out = dict(line.split(": ", 1) for line in capsys.readouterr().out.splitlines())  # type: ignore[attr-defined]
    assert (out["expected"], out["recalled"]) == ("1", "1")
    assert (out["must_not"], out["false"]) == ("1", "0")
    assert (out["unlabelled"], out["unasked"]) == ("2", "1")
    assert out["unasked_lines_by_path"] == "{'unlisted': 1}"
