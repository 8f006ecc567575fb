"""The held-out regression set for the sample policy (tests/fixtures/sample_questions.yaml).

Exact parts (help, tool status, data checks, red lines) must all be right. Use-case
matching is statistical, so it is held to a floor that a regression would break.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.core.replies import Answer
from bot.policy import Policy

QUESTIONS = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures" / "sample_questions.yaml").read_text(encoding="utf-8")
)
EXACT = [q for q in QUESTIONS if q["expect"]["outcome"] in {"help", "tool_status", "data_check"}]
MATCHED = [q for q in QUESTIONS if q["expect"]["outcome"] in {"answered", "unmet"}]


@pytest.fixture(scope="module")
def index(sample_policy: Policy) -> PolicyIndex:
    return build_index(1, sample_policy, lambda: make_backend("lexical"))


def _mismatch(answer: Answer, expect: dict[str, Any]) -> str | None:
    if answer.outcome != expect["outcome"]:
        return f"outcome {answer.outcome}"
    if (
        "use_case" in expect
        and (answer.use_case.id if answer.use_case else None) != expect["use_case"]
    ):
        return f"use case {answer.use_case}"
    if "tool" in expect and (answer.asked_tool.id if answer.asked_tool else None) != expect["tool"]:
        return f"tool {answer.asked_tool}"
    if (
        "allowed" in expect
        and (answer.data_check.allowed if answer.data_check else "-") != expect["allowed"]
    ):
        return f"allowed {answer.data_check}"
    missing = set(expect.get("red_lines", [])) - {r.id for r in answer.red_lines}
    if missing:
        return f"red lines missing {sorted(missing)}"
    return None


@pytest.mark.parametrize("case", EXACT, ids=[q["question"][:50] for q in EXACT])
def test_exact_questions(index: PolicyIndex, case: dict[str, Any]) -> None:
    answer = advise_message(index, case["question"])
    assert _mismatch(answer, case["expect"]) is None, answer.text


def test_use_case_questions_meet_the_floor(index: PolicyIndex) -> None:
    failures = []
    for case in MATCHED:
        problem = _mismatch(advise_message(index, case["question"]), case["expect"])
        if problem:
            failures.append(f"{case['question']!r}: {problem}")
    accuracy = 1 - len(failures) / len(MATCHED)
    assert accuracy >= 0.85, f"{accuracy:.0%} right; failures:\n" + "\n".join(failures)


def test_never_recommends_unapproved_tools(index: PolicyIndex, sample_policy: Policy) -> None:
    recommendable = {"standard", "approved", "pilot"}
    for case in QUESTIONS:
        answer = advise_message(index, case["question"])
        assert all(t.status in recommendable for t in answer.tools), case["question"]
        assert all(t.status in recommendable for t in answer.alternatives), case["question"]
