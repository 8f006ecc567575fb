"""The held-out scorer: every figure checked against a tiny fixture counted by hand.

tests/fixtures/heldout/scorer/ holds 7 labelled questions and 7 answers in the
`ask --json` shape. By hand:
- outcome right for q1, q3, q4 -> 3/7; all right (no problem at all): q1, q4 -> 2/7;
- expected tools on q1, q2, q3, q6; first tool right on q1 (b) and q3 (asked "A" = "a")
  -> top-1 2/4, top-3 2/4 (q2's right tool is only an alternative, which does not count);
- unmet expected {q4}, answered unmet {q2, q4, q5} -> tp 1, fp 2, fn 0,
  precision 1/3, recall 1, F1 0.5;
- red lines expected r1, R2 (q3) and r3 (q7); shown r1 and r3 -> recall 2/3;
- one data-check verdict labelled (q3, false) and right;
- q7 was answered by recommending tool c, which is prohibited: one unsafe answer (q1's c
  has no status, so it does not count).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from policy_score import (  # noqa: E402
    canonical_outcome,
    format_report,
    id_key,
    parse_questions,
    score,
)

FIXTURE = ROOT / "tests" / "fixtures" / "heldout" / "scorer"


@pytest.fixture(scope="module")
def report() -> dict:
    questions = parse_questions((FIXTURE / "questions.jsonl").read_text("utf-8").splitlines())
    answers = [
        json.loads(line) for line in (FIXTURE / "answers.jsonl").read_text("utf-8").splitlines()
    ]
    return score(questions, answers)


def test_headline_figures_match_the_hand_count(report: dict) -> None:
    assert report["questions"] == 7
    assert report["outcome_accuracy"] == round(3 / 7, 4)
    assert report["all_right"] == round(2 / 7, 4)
    assert report["tool_questions"] == 4
    assert report["top1"] == 0.5
    assert report["top3"] == 0.5
    assert report["unmet"] == {
        "precision": round(1 / 3, 4), "recall": 1.0, "f1": 0.5, "tp": 1, "fp": 2, "fn": 0,
    }
    assert report["red_lines"] == {"expected": 3, "shown": 2, "recall": round(2 / 3, 4),
                                   "false": 0, "must_not": 0, "unasked": 0, "unlabelled": 5}
    assert report["data_verdicts"] == {"labelled": 1, "accuracy": 1.0}
    assert report["unapproved_recommended"] == 1


def test_figures_per_kind(report: dict) -> None:
    kinds = report["per_kind"]
    assert set(kinds) == {
        "short", "named-tool", "pasted-data", "unmet", "small-talk", "non-english", "blocked",
    }
    named = kinds["named-tool"]  # q2 (all wrong) and q3 (outcome and tool right, r2 missing)
    assert (named["questions"], named["outcome_accuracy"], named["top1"]) == (2, 0.5, 0.5)
    assert named["red_lines"]["recall"] == 0.5
    assert kinds["small-talk"]["outcome_accuracy"] == 0.0
    assert kinds["small-talk"]["top1"] is None  # no expected tool: not scored
    assert kinds["blocked"]["red_lines"]["recall"] == 1.0


def test_misses_say_what_was_expected_and_what_came_back(report: dict) -> None:
    misses = {m["line"]: m for m in report["misses"]}
    assert sorted(misses) == [2, 5, 7, 8, 9]  # file lines: a comment and a blank line skipped
    assert misses[2]["problems"] == ["outcome unmet", "first tool none"]
    assert misses[5]["problems"] == ["red lines missing R2"]
    assert misses[8]["expected"]["outcome"] == "answered/language"
    assert misses[9]["got"]["outcome"] == "answered"
    assert misses[9]["problems"] == [
        "outcome answered", "recommended a tool that is not allowed: c",
    ]
    assert report["outcome_confusion"]["help"] == {"unmet": 1}
    text = format_report(report, title="fixture")
    assert "misses: 5" in text
    assert "- line 5 [pasted-data, named-tool] 'paste card 4111 1111 1111 1111 into A?'" in text
    assert "    wrong:    red lines missing R2" in text
    assert "unmet precision: 33%   recall: 100%   F1: 0.50   (tp 1, fp 2, fn 0)" in text
    assert "answers recommending a tool that is not allowed: 1" in text


def test_outcome_synonyms_and_ids() -> None:
    assert canonical_outcome("catalogue") == canonical_outcome("meta") == "help"
    assert canonical_outcome("Tool status") == "tool_status"
    assert canonical_outcome("red-line") == "blocked"
    assert canonical_outcome("unsupported_language") == "language"
    assert canonical_outcome(None) == "error"
    assert id_key("OFFICIAL: Sensitive") == id_key("official-sensitive")
    assert id_key("P1") == id_key("p1")


def test_bad_lines_are_reported_with_their_numbers() -> None:
    lines = [
        '{"q": "ok", "outcome": "help"}',
        '{"q": "", "outcome": "help"}',
        "not json",
        '{"q": "no outcome"}',
        '{"q": "x", "outcome": "help", "tools": 3}',
    ]
    with pytest.raises(ValueError, match="invalid questions file") as info:
        parse_questions(lines)
    message = str(info.value)
    for expected in ("line 2: 'q'", "line 3: not valid JSON", "line 4: 'outcome'",
                     "line 5: 'tools'"):
        assert expected in message
    assert "line 1" not in message


def test_answers_must_match_questions() -> None:
    questions = parse_questions(['{"q": "hi", "outcome": "help"}'])
    with pytest.raises(ValueError, match="1 questions but 0 answers"):
        score(questions, [])


def test_red_lines_that_must_not_show_and_unasked_ones_are_counted() -> None:
    """A negated mention that still shows its red line is a false red line; a red line on
    a question that expects none is counted as unasked (what spamming would look like)."""
    questions = parse_questions([
        '{"q": "no confidential data in it", "outcome": "answered", "not_red_lines": ["V.3"]}',
        '{"q": "summarize a report", "outcome": "answered"}',
        '{"q": "sealed file into chatgpt", "outcome": "data_check", "red_lines": ["v.3"]}',
    ])
    answers = [
        {"outcome": "answered", "red_lines": [{"id": "V.3"}, {"id": "V.5"}]},
        {"outcome": "answered", "red_lines": []},
        {"outcome": "data_check", "red_lines": [{"id": "V.3"}]},
    ]
    red = score(questions, answers)["red_lines"]
    assert (red["recall"], red["false"], red["must_not"]) == (1.0, 1, 1)
    assert (red["unasked"], red["unlabelled"]) == (1, 2)
    report = score(questions, answers)
    assert report["misses"][0]["problems"] == ["red lines shown that must not be V.3"]
    assert "false: 1 of 1 must-not   shown unasked: 1 of 2" in format_report(report)
