"""A refused request shows the red lines that concern the tool it names (issue 9 §5).

Lakeside Clinic is a small policy written for these tests: its Copilot has two
prohibitions and one line that guides its use; a rule covers tools it does not list.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.policy import Policy


def _line(line_id: str, title: str, rule: str, triggers: list[str]) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
            "triggers": triggers}


POLICY = {
    "meta": {"organization": "Lakeside Clinic", "contact": "the practice manager"},
    "use_cases": [
        {"id": "write", "name": "Draft letters and emails",
         "description": "Write letters and emails.",
         "examples": ["draft an email to a supplier", "write a letter to a patient",
                      "summarise this report"]},
    ],
    "tools": [
        {"id": "copilot", "name": "Microsoft Copilot", "aliases": ["Copilot"],
         "status": "approved", "summary": "The clinic's assistant.", "good_for": ["write"]},
    ],
    "red_lines": [
        _line("no-patient-records", "No patient records in any AI tool",
              "Patient records never go into an AI tool.", ["patient records"]),
        _line("copilot-no-legal", "Not allowed in Copilot: legal disputes",
              "Do not use Copilot for legal disputes.", ["legal dispute"]),
        _line("copilot-check", "Check what Copilot writes before sending it",
              "Read Copilot's drafts before they go out.", ["unchecked"]),
        _line("approved-only", "Personal and unapproved AI accounts are not covered",
              "Work happens in the clinic's approved tools; anything else needs IT's "
              "approval first.", ["personal account"]),
    ],
}


@pytest.fixture(scope="module")
def clinic() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("lexical"))


def _lines(index: PolicyIndex, text: str) -> tuple[str, list[str]]:
    answer = advise_message(index, text)
    return answer.outcome, [r.id for r in answer.red_lines]


def test_a_refusal_about_a_listed_tool_shows_its_other_prohibitions(
    clinic: PolicyIndex,
) -> None:
    outcome, lines = _lines(clinic, "paste the patient records into Copilot and summarise them")
    assert outcome == "blocked"
    assert lines[0] == "no-patient-records"  # the refusing line leads
    assert "copilot-no-legal" in lines
    assert "copilot-check" not in lines  # guides the tool's use, refuses nothing
    assert "approved-only" not in lines  # Copilot is approved


def test_a_refusal_about_an_unlisted_tool_shows_the_rule_for_unlisted_tools(
    clinic: PolicyIndex,
) -> None:
    outcome, lines = _lines(clinic, "paste the patient records into Gemini and summarise them")
    assert outcome == "blocked"
    assert lines == ["no-patient-records", "approved-only"]


def test_answers_that_refuse_nothing_are_left_as_they_were(clinic: PolicyIndex) -> None:
    assert _lines(clinic, "is Copilot approved?") == ("tool_status", [])
    assert _lines(clinic, "draft an email to a supplier with Copilot")[1] == []
