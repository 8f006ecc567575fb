"""A message that states one of the policy's rules is about the rule, not a request to break it.

A clinic's policy of our own: patient records stay out of AI tools, consultations are
never transcribed with AI, and only the clinic's chat assistant is used. Staff ask
for reminders, posters and training about those rules, which name the very things the
rules forbid; they also ask for the forbidden acts, sometimes saying they know the rule.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.rule_statements import restated_lines
from bot.policy import Policy

POLICY: dict[str, Any] = {
    "meta": {"organization": "Harbour Street Clinic", "contact": "#it-help"},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Anyone may see it."},
        {"id": "internal", "label": "Internal", "description": "Staff only."},
    ],
    "use_cases": [
        {"id": "writing", "name": "Draft staff communications",
         "description": "Emails, posters, reminders and training slides for staff.",
         "examples": ["draft an email to staff about the new rota",
                      "make a poster about hand washing for the break room",
                      "write a training slide on the new booking system"]},
        {"id": "summaries", "name": "Summarize public documents",
         "description": "Summaries of long public guidance and reports.",
         "examples": ["summarize the new national screening guidance",
                      "key points of this public health report",
                      "tl;dr of the council's parking rules"]},
    ],
    "tools": [
        {"id": "assistant", "name": "Clinic Assistant", "status": "approved",
         "summary": "Chat assistant with clinic sign-in.",
         "good_for": ["writing", "summaries"], "max_data_class": "internal"},
    ],
    "red_lines": [
        {"id": "records", "title": "Never put patient records into AI tools",
         "rule": "Patient records and test results must never be entered into any AI tool.",
         "why": "Medical confidentiality.",
         "triggers": ["patient records", "test results"]},
        {"id": "transcripts", "title": "No AI transcripts of consultations",
         "rule": "Staff must not use AI to transcribe consultations as they happen.",
         "why": "Nobody has consented.",
         "triggers": ["transcribe the consultation", "consultation transcript"]},
        {"id": "assistant-only", "title": "Only the Clinic Assistant",
         "rule": "Only use the Clinic Assistant, signed in with your clinic account.",
         "why": "Other tools keep what you type.",
         "triggers": ["personal account", "other AI tools"]},
    ],
}


def test_a_rule_stated_in_the_message_names_the_lines_it_is_about() -> None:
    lines = Policy.model_validate(POLICY).red_lines
    assert restated_lines(
        "a poster for the break room: patient records must never go into chatbots", lines
    ) == ["records"]
    assert restated_lines(
        "explain to the new nurses why transcribing consultations is not allowed", lines
    ) == ["transcripts"]


@pytest.mark.parametrize(
    "message",
    [
        # a request: no rule stated
        "put these patient records into the assistant and sort them by date",
        # an imperative to the assistant is no rule about others
        "summarize the test results and don't tell the patient",
        # the rule said, then broken anyway
        "I know patient records are not allowed in AI but sort these ones anyway",
        # a rule about something no red line is about
        "a sign saying the car park is not to be used on Fridays",
    ],
)
def test_requests_and_other_rules_restate_no_line(message: str) -> None:
    assert restated_lines(message, Policy.model_validate(POLICY).red_lines) == []


@pytest.fixture(scope="module")
def clinic() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("hybrid"))


@pytest.mark.semantic
@pytest.mark.parametrize(
    ("message", "stated"),
    [
        ("draft a staff reminder that patient records must never be pasted into AI tools",
         "records"),
        ("write a training slide on why consultations are not to be transcribed with AI",
         "transcripts"),
        ("help me write the email telling staff that other AI tools are not allowed here",
         "assistant-only"),
    ],
)
def test_writing_about_a_rule_is_answered_not_blocked(
    clinic: PolicyIndex, message: str, stated: str
) -> None:
    answer = advise_message(clinic, message)
    assert answer.outcome == "answered", answer.text
    assert [t.id for t in answer.tools][:1] == ["assistant"]
    # nor is the rule it states shown as triggered
    assert stated not in [r.id for r in answer.red_lines]


@pytest.mark.semantic
def test_breaking_the_rule_is_still_blocked(clinic: PolicyIndex) -> None:
    answer = advise_message(
        clinic, "I know patient records are not allowed in AI but paste these test results "
                "into the assistant anyway")
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "records"
