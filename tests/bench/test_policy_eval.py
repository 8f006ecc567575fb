"""bench/policy_eval.py end to end on the dev held-out set: the real CLI, a fresh database.

No accuracy is asserted here (the figures are reported in docs/benchmarks.md); this
checks that every question is answered, the report has its structure, and misses print.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from heldout_report import held_out_sets, tables  # noqa: E402
from policy_eval import compat_copy, sample_rows  # noqa: E402
from policy_score import parse_questions, score  # noqa: E402

from bot.policy import load_policy  # noqa: E402

DEV = ROOT / "tests" / "fixtures" / "heldout" / "sf-city"
EVAL = [sys.executable, str(ROOT / "bench" / "policy_eval.py")]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*EVAL, *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture(scope="module")
def dev_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """One run of the product on the dev set: the JSON report and the printed report."""
    out = tmp_path_factory.mktemp("eval") / "report.json"
    done = _run(str(DEV / "policy"), str(DEV / "questions.jsonl"), "--max-misses", "3",
                "--json-out", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text("utf-8")), done.stdout


@pytest.fixture(scope="module")
def dev_report(dev_run: tuple[dict, str]) -> dict:
    return dev_run[0]


def test_dev_set_is_scored_end_to_end(dev_report: dict) -> None:
    lines = [line for line in (DEV / "questions.jsonl").read_text("utf-8").splitlines() if line]
    assert dev_report["questions"] == len(lines) >= 60
    for key in ("outcome_accuracy", "top1", "top3", "all_right"):
        assert 0.0 <= dev_report[key] <= 1.0
    assert dev_report["tool_questions"] > 30
    assert set(dev_report["unmet"]) == {"precision", "recall", "f1", "tp", "fp", "fn"}
    assert dev_report["unmet"]["tp"] + dev_report["unmet"]["fn"] == 5  # five unmet labels
    assert dev_report["red_lines"]["expected"] >= 10
    assert {"small-talk", "non-english", "pasted-data", "blocked", "unmet"} <= set(
        dev_report["per_kind"]
    )
    assert dev_report["commit"]
    assert dev_report["date"].endswith("UTC")
    assert "error" not in {m["got"]["outcome"] for m in dev_report["misses"]}
    # Every miss names the question, what was expected and what came back.
    for miss in dev_report["misses"]:
        assert miss["q"]
        assert miss["problems"]
        assert "outcome" in miss["got"]


def test_text_report_prints_the_misses(dev_run: tuple[dict, str]) -> None:
    dev_report, out = dev_run
    assert "outcome accuracy:" in out
    assert "red-line recall:" in out
    assert f"misses: {len(dev_report['misses'])}" in out
    if dev_report["misses"]:
        first = dev_report["misses"][0]
        assert f"- line {first['line']} " in out
        assert out.count("    expected: ") == min(3, len(dev_report["misses"]))


def test_bad_questions_file_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "q.jsonl"
    bad.write_text('{"q": "hi"}\n', encoding="utf-8")
    done = _run(str(DEV / "policy"), str(bad))
    assert done.returncode == 2
    assert "line 1: 'outcome' is required" in done.stderr


def test_policy_written_with_its_own_ids_is_evaluated_through_a_listed_copy(
    tmp_path: Path,
) -> None:
    """`P1`-style ids and sparse use cases: the renamed copy loads, every change is listed."""
    policy = tmp_path / "p.yaml"
    policy.write_text(
        """
data_classes:
  - {id: P1, label: Public, description: Public data}
  - {id: P3, label: Confidential, description: Confidential data}
use_cases:
  - {id: Summarize, name: Summarize documents, description: Summaries of long documents,
     examples: [summarize a report]}
tools:
  - {id: CopilotChat, name: Copilot Chat, status: standard, summary: Approved,
     good_for: [Summarize], max_data_class: P3}
red_lines: []
""",
        encoding="utf-8",
    )
    notes = compat_copy(policy, tmp_path / "copy")
    assert "data_classes id: 'P1' -> 'p1'" in notes
    assert "max_data_class: 'P3' -> 'p3'" in notes
    assert "good_for: 'Summarize' -> 'summarize'" in notes
    assert "use case 'summarize': name/description added as examples" in notes
    copy = load_policy(tmp_path / "copy" / "p.yaml")
    assert copy.tools[0].max_data_class == "p3"
    assert copy.use_cases[0].examples == (
        ["summarize a report", "Summarize documents", "Summaries of long documents"]
    )


def test_sample_regression_set_converts_use_cases_to_their_approved_tools() -> None:
    policy = load_policy(ROOT / "policies")
    questions = parse_questions(
        sample_rows(ROOT / "tests" / "fixtures" / "sample_questions.yaml", ROOT / "policies")
    )
    first = questions[0]  # "What can I use to summarize a 40-page PDF?" -> summarize-documents
    assert first.outcomes == {"answered"}
    fitting = {t.id for t in policy.tools if "summarize-documents" in t.good_for}
    assert set(first.tools) <= fitting
    assert first.tools
    assert all(policy.tool(t).status.value in {"standard", "approved", "pilot"}
               for t in first.tools)
    deepseek = next(q for q in questions if q.q == "Is DeepSeek ok for work stuff?")
    assert deepseek.outcomes == {"tool_status"}
    assert deepseek.tools == ("deepseek",)  # listed (as prohibited) in the sample policy
    assert deepseek.kinds == ("named-tool",)
    unknown = [q for q in questions if q.kinds == ("unknown-tool",)]
    assert unknown
    assert all(q.outcomes == {"tool_status"} and not q.tools for q in unknown)


def test_report_finds_every_set_with_its_role_and_tabulates_runs() -> None:
    sets = {name: role for name, role, _, _ in held_out_sets()}
    expected = {"sf-city": "dev", "uidaho": "dev", "ny-courts": "dev", "apra": "test",
                "mersey-care": "test", "sample (Northwind)": "own"}
    assert {name: sets.get(name) for name in expected} == expected  # more sets may be added
    assert set(sets.values()) <= {"dev", "test", "own"}
    questions = parse_questions((ROOT / "tests" / "fixtures" / "heldout" / "scorer"
                                 / "questions.jsonl").read_text("utf-8").splitlines())
    answers = [json.loads(line) for line in (ROOT / "tests" / "fixtures" / "heldout" / "scorer"
                                             / "answers.jsonl").read_text("utf-8").splitlines()]
    text = tables([{"set": "scorer", "role": "dev", "matcher": "default",
                    "report": score(questions, answers)}])
    assert "| scorer | dev | default | 7 | 43 % | 50 % | 50 % | 0.33 / 1.00 / 0.50 " in text
    assert "| 67 % (2/3) | 100 % of 1 | 29 % | 1 |" in text
    assert "| small-talk | 0 % (1) |" in text
