"""Policy tests run as an employee's question would be answered; failures say what and why."""

from __future__ import annotations

from bot.core.advisor import PolicyIndex, build_index
from bot.core.policy_tests import run_policy_tests
from bot.policy import Policy
from bot.policy.files import PolicyTestItem, policy_to_data, read_policy, validate_data
from bot.runtime import matcher_factory
from bot.settings import ROOT, Settings


def _index(policy: Policy) -> PolicyIndex:
    return build_index(0, policy, matcher_factory(Settings()), None)  # type: ignore[call-arg]


def _item(data: object, line: int = 7) -> PolicyTestItem:
    return PolicyTestItem("tests.yaml", line, data)


def test_the_sample_policy_passes_its_own_tests() -> None:
    loaded = read_policy(ROOT / "policies")
    report = run_policy_tests(_index(loaded.policy), loaded.tests)
    assert report.ok, report.text()
    assert report.total == len(loaded.tests) >= 15


def test_a_policy_change_that_breaks_a_fact_fails_with_a_readable_reason() -> None:
    loaded = read_policy(ROOT / "policies")
    data = policy_to_data(loaded.policy)
    midjourney = next(t for t in data["tools"] if t["id"] == "midjourney")
    midjourney["status"] = "approved"
    report = run_policy_tests(_index(validate_data(data)), loaded.tests)
    assert not report.ok
    failure, second = report.failures
    assert second.label == "images come from Firefly, not Midjourney"
    assert second.problems == ("midjourney is named but must not be",)
    assert failure.label == "Midjourney is prohibited, with approved alternatives"
    assert failure.where.startswith(f"{ROOT / 'policies'}/tests.yaml:")
    assert "midjourney is not refused" in failure.problems
    assert "asked: midjourney (approved)" in failure.answer
    assert "2 failed" in report.text()
    assert "FAIL" in report.text()


def test_each_kind_of_expectation_is_checked() -> None:
    policy = read_policy(ROOT / "policies").policy
    report = run_policy_tests(_index(policy), [
        _item({"ask": "is midjourney approved?", "outcome": "answered", "first": "midjourney",
               "tools": ["deepl-pro"], "not_tools": ["adobe-firefly"], "refused": "adobe-firefly",
               "red_lines": "no-secrets", "use_case": "write-code"}),
    ])
    [failure] = report.failures
    assert failure.problems == (
        "expected outcome answered, got tool_status",
        "expected midjourney first, got no tool",
        "deepl-pro is not named",
        "adobe-firefly is named but must not be",
        "adobe-firefly is not refused",
        "red line no-secrets is not shown",
        "expected use case write-code, got none",
    )


def test_tests_that_cannot_run_are_reported_with_did_you_mean() -> None:
    policy = read_policy(ROOT / "policies").policy
    report = run_policy_tests(_index(policy), [
        _item({"ask": "is grammarly ok?", "refused": "gramarly-business"}, line=3),
        _item({"ask": "hi", "outcom": "help"}, line=9),
        _item({"ask": "hi", "outcome": "helpp"}, line=12),
    ])
    assert report.total == 0
    assert not report.ok
    errors = [str(e) for e in report.errors]
    assert errors[0] == ("tests.yaml:3: refused (test 'is grammarly ok?'): unknown tool "
                         "'gramarly-business'; did you mean `grammarly-business`?")
    assert errors[1] == "tests.yaml:9: tests[1].outcom: unknown field; did you mean `outcome`?"
    assert "unknown outcome 'helpp'; did you mean `help`?" in errors[2]
