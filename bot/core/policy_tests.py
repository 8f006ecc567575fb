"""Run a policy's own tests: each question answered as an employee would get it, facts checked.

Used by `policies test`, by `policies import` (which refuses a policy whose tests
fail unless forced) and by chat imports, so a change that would tell people
Grammarly may take customer emails never reaches them unnoticed. Questions go
through the same cleaning, redaction and `advise_message` as a real chat message.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, get_args

from pydantic import ValidationError

from bot.core.advisor import PolicyIndex, advise_message
from bot.core.concierge import Concierge, clean_text
from bot.core.redact import redact
from bot.core.replies import Answer, Outcome
from bot.errors import InputError, PolicyFileError
from bot.policy.files import LoadedPolicy, PolicyProblem, PolicyTestItem, read_policy_texts
from bot.policy.models import Policy
from bot.policy.references import did_you_mean
from bot.policy.test_spec import PolicyTest
from bot.store import Store

__all__ = [
    "PolicyTestFailure",
    "PolicyTestReport",
    "check_answer",
    "check_draft",
    "live_tests",
    "parse_tests",
    "run_policy_tests",
]

_NOT_ALLOWED = {"prohibited", "under_review"}
#: Outcomes a test may name beyond today's: `blocked` (a red line forbids the request)
#: is being added; a test written for it must not be refused as a typo.
_FUTURE_OUTCOMES = ("blocked",)


@dataclass(frozen=True)
class PolicyTestFailure:
    where: str
    label: str
    problems: tuple[str, ...]
    answer: str


@dataclass
class PolicyTestReport:
    """What ran and what failed; `errors` are tests that could not run (bad test data)."""

    total: int = 0
    failures: list[PolicyTestFailure] = field(default_factory=list)
    errors: list[PolicyProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors

    def summary(self) -> str:
        passed = self.total - len(self.failures)
        text = f"Policy tests: {passed} of {self.total} passed"
        if self.failures:
            text += f", {len(self.failures)} failed"
        if self.errors:
            text += f", {len(self.errors)} could not run"
        return text + "."

    def text(self, *, limit: int = 50) -> str:
        """A readable list of failures, for a terminal or a chat message."""
        lines = [self.summary()]
        for problem in self.errors[:limit]:
            lines.append(f"ERROR {problem}")
        for failure in self.failures[:limit]:
            lines.append(f"FAIL {failure.where}: {failure.label!r}")
            lines += [f"  - {p}" for p in failure.problems]
            lines.append(f"  answer: {failure.answer}")
        hidden = len(self.failures) + len(self.errors) - 2 * limit
        if hidden > 0:
            lines.append(f"... and {hidden} more")
        return "\n".join(lines)

    def to_detail(self) -> dict[str, Any]:
        """For the audit entry of an import."""
        return {
            "total": self.total,
            "failed": [f"{f.where}: {f.label}" for f in self.failures][:50],
            "errors": [str(e) for e in self.errors][:50],
        }


def _where(item: PolicyTestItem) -> str:
    return f"{item.file}:{item.line}" if item.line else item.file


def _unknown(
    item: PolicyTestItem, spec: PolicyTest, policy: Policy
) -> list[PolicyProblem]:
    """References a test makes that the policy lacks: a typo would make a check vacuous."""
    tools = {t.id.casefold(): t.id for t in policy.tools}
    lines = {r.id.casefold(): r.id for r in policy.red_lines}
    use_cases = {u.id.casefold(): u.id for u in policy.use_cases}
    outcomes = {o: o for o in (*get_args(Outcome), *_FUTURE_OUTCOMES)}
    checks: list[tuple[str, list[str], dict[str, str], str]] = [
        ("first", spec.first, tools, "tool"),
        ("tools", spec.tools, tools, "tool"),
        ("not_tools", spec.not_tools, tools, "tool"),
        ("refused", spec.refused, tools, "tool"),
        ("red_lines", spec.red_lines, lines, "red line"),
        ("not_red_lines", spec.not_red_lines, lines, "red line"),
        ("use_case", [spec.use_case] if spec.use_case else [], use_cases, "use case"),
        ("outcome", spec.outcome, outcomes, "outcome"),
    ]
    return [
        PolicyProblem(item.file, key,
                      f"unknown {kind} {value!r}" + did_you_mean(value, known.values()),
                      line=item.line, item=f"test {spec.label()!r}")
        for key, values, known, kind in checks
        for value in values
        if value.casefold() not in known
    ]


def parse_tests(
    items: list[PolicyTestItem], policy: Policy
) -> tuple[list[tuple[PolicyTestItem, PolicyTest]], list[PolicyProblem]]:
    """Valid tests, and a located problem for each test that cannot run."""
    tests: list[tuple[PolicyTestItem, PolicyTest]] = []
    problems: list[PolicyProblem] = []
    for index, item in enumerate(items):
        try:
            spec = PolicyTest.model_validate(item.data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                path = ".".join(str(p) for p in error["loc"])
                message = "required field is missing" if error["type"] == "missing" else (
                    "unknown field" + did_you_mean(path, PolicyTest.model_fields)
                    if error["type"] == "extra_forbidden" else str(error["msg"])
                )
                problems.append(PolicyProblem(item.file, f"tests[{index}].{path}".rstrip("."),
                                              message, line=item.line))
            continue
        unknown = _unknown(item, spec, policy)
        problems += unknown
        if not unknown:
            tests.append((item, spec))
    return tests, problems


def _named(answer: Answer) -> set[str]:
    ids = {t.id for t in answer.tools} | {t.id for t in answer.alternatives}
    if answer.asked_tool and answer.asked_tool.id:
        ids.add(answer.asked_tool.id)
    if answer.data_check:
        ids.add(answer.data_check.tool_id)
    return {i.casefold() for i in ids}


def _refused(answer: Answer) -> set[str]:
    out: set[str] = set()
    if answer.data_check and answer.data_check.allowed is False:
        out.add(answer.data_check.tool_id.casefold())
    asked = answer.asked_tool
    if asked and asked.id and (asked.status in _NOT_ALLOWED or answer.outcome == "blocked"):
        out.add(asked.id.casefold())
    return out


def _describe(answer: Answer) -> str:
    tools = ", ".join(t.id for t in answer.tools) or "none"
    lines = ", ".join(r.id for r in answer.red_lines) or "none"
    parts = [answer.outcome, f"tools: {tools}", f"red lines: {lines}"]
    if answer.asked_tool:
        parts.append(f"asked: {answer.asked_tool.id or answer.asked_tool.name} "
                     f"({answer.asked_tool.status or 'not in policy'})")
    if answer.data_check:
        verdict = {True: "allowed", False: "refused", None: "policy silent"}
        parts.append(f"data: {answer.data_check.data_class} → {answer.data_check.tool_id} "
                     f"{verdict[answer.data_check.allowed]}")
    if answer.use_case:
        parts.append(f"use case: {answer.use_case.id}")
    return " · ".join(parts)


def _fold(values: list[str]) -> list[str]:
    return [v.casefold() for v in values]


def check_answer(spec: PolicyTest, answer: Answer) -> list[str]:
    """Each expectation of `spec` that `answer` does not meet, in words; [] when it passes."""
    problems: list[str] = []
    if spec.outcome and answer.outcome.casefold() not in _fold(spec.outcome):
        problems.append(f"expected outcome {' or '.join(spec.outcome)}, got {answer.outcome}")
    first = answer.tools[0].id if answer.tools else None
    if spec.first and (first is None or first.casefold() not in _fold(spec.first)):
        problems.append(f"expected {' or '.join(spec.first)} first, got {first or 'no tool'}")
    named = _named(answer)
    problems += [f"{t} is not named" for t in spec.tools if t.casefold() not in named]
    problems += [f"{t} is named but must not be" for t in spec.not_tools if t.casefold() in named]
    refused = _refused(answer)
    problems += [f"{t} is not refused" for t in spec.refused if t.casefold() not in refused]
    shown = {r.id.casefold() for r in answer.red_lines}
    problems += [f"red line {r} is not shown" for r in spec.red_lines if r.casefold() not in shown]
    problems += [f"red line {r} is shown but must not be" for r in spec.not_red_lines
                 if r.casefold() in shown]
    if spec.use_case and (answer.use_case is None
                          or answer.use_case.id.casefold() != spec.use_case.casefold()):
        got = answer.use_case.id if answer.use_case else "none"
        problems.append(f"expected use case {spec.use_case}, got {got}")
    return problems


def answer_as_employee(index: PolicyIndex, question: str) -> Answer:
    """The answer a chat message gets: cleaned, redacted, advised (without logging)."""
    text = clean_text(question, 4000)
    return advise_message(index, redact(text).text)


def run_policy_tests(index: PolicyIndex, items: list[PolicyTestItem]) -> PolicyTestReport:
    """Run every test against the policy of `index`; never raises for a failing test."""
    tests, problems = parse_tests(items, index.policy)
    report = PolicyTestReport(total=len(tests), errors=problems)
    for item, spec in tests:
        try:
            answer = answer_as_employee(index, spec.ask)
        except InputError as exc:
            report.failures.append(
                PolicyTestFailure(_where(item), spec.label(), (str(exc),), "refused")
            )
            continue
        failed = check_answer(spec, answer)
        if failed:
            report.failures.append(
                PolicyTestFailure(_where(item), spec.label(), tuple(failed), _describe(answer))
            )
    return report


async def live_tests(store: Store, version: int | None = None) -> list[PolicyTestItem]:
    """The policy tests kept with the live (or given) version's files."""
    files = await store.policies.files(version)
    if not files:
        return []
    try:
        return read_policy_texts(files).tests
    except PolicyFileError:
        return []


async def check_draft(
    concierge: Concierge, draft: LoadedPolicy
) -> PolicyTestReport | None:
    """Run the draft's tests (or, if it has none, the live policy's) against the draft.

    None when there are no tests at all. Chat imports call this before saving.
    """
    tests = draft.tests or await live_tests(concierge.store.full())
    if not tests:
        return None
    index = await concierge.draft_index(draft.policy)
    return await asyncio.to_thread(run_policy_tests, index, tests)
