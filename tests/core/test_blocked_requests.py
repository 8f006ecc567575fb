"""Requests a red line forbids get `blocked` on policies written in other words (issue 9 §5).

A county public-health department's policy (our own, written for these tests) says its
rules as real policies do: "should not", "shall not", "is not to be used", and a
prohibition followed by a second rule in the same sentence. People name the tool they
want to use for the forbidden act ("can Copilot rank ..."): that is a request for the
act, refused with the red line, not a "Yes, Copilot is approved".
"""

from __future__ import annotations

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.redline_forbids import forbids
from bot.policy import Policy
from bot.policy.models import RedLine

_POLICY = {
    "meta": {"organization": "Lakeside County Public Health", "contact": "#it-help"},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Anyone may see it."},
        {"id": "internal", "label": "Internal", "description": "Staff only."},
    ],
    "use_cases": [
        {"id": "writing", "name": "Draft documents",
         "description": "Letters, job postings, flyers and reports.",
         "examples": ["draft a job posting for a nurse", "write a flyer for the flu clinic",
                      "first draft of the annual report"]},
        {"id": "summaries", "name": "Summarize reading",
         "description": "Summaries of long public documents.",
         "examples": ["summarize this CDC guidance", "tl;dr of the state budget",
                      "key points of a journal article"]},
    ],
    "tools": [
        {"id": "copilot", "name": "Microsoft Copilot", "status": "approved",
         "summary": "Chat assistant with county sign-in.", "good_for": ["writing", "summaries"],
         "max_data_class": "internal"},
    ],
    "red_lines": [
        {"id": "employment", "title": "Employment decisions",
         "rule": "AI should not be used to make employment decisions such as hiring, "
                 "promotion or dismissal.",
         "why": "Decisions about people need a person who can explain them.",
         "triggers": ["rank applicants", "hiring decision"]},
        {"id": "impersonation", "title": "Impersonation",
         "rule": "AI shall not be used to impersonate a real person.",
         "why": "Residents must know who speaks to them.",
         "triggers": ["impersonate"]},
        {"id": "diagnosis", "title": "Clinical judgement",
         "rule": "AI shall not diagnose clients; a nurse reviews every care plan.",
         "why": "A diagnosis needs a licensed clinician.",
         "triggers": ["diagnose"]},
    ],
}


@pytest.fixture(scope="module")
def county() -> PolicyIndex:
    return build_index(1, Policy.model_validate(_POLICY), lambda: make_backend("lexical"))


@pytest.mark.parametrize(
    ("rule", "blocks"),
    [
        ("AI should not be used to make employment decisions.", True),
        ("Staff shall not use generative AI to screen job applicants.", True),
        ("Generative AI is not to be used for legal advice.", True),
        ("AI tools will not be used to make final decisions about individuals.", True),
        ("Using AI to monitor staff is not acceptable.", True),
        # a prohibition, then a second rule: the review does not make the request fine
        ("AI must not make final decisions about patients; a clinician must review them.",
         True),
        # conditions on how to do the work still do not refuse it
        ("AI output should not be published without human review.", False),
        ("Outputs should be reviewed by a person before use.", False),
    ],
)
def test_rules_written_as_real_policies_write_them_forbid(rule: str, blocks: bool) -> None:
    line = RedLine(id="x", title="Rule", rule=rule, why="Because.", triggers=["x"])
    assert forbids(line) is blocks


def test_a_should_not_rule_blocks_the_request_it_names(county: PolicyIndex) -> None:
    answer = advise_message(county, "help me rank applicants for the epidemiologist job")
    assert answer.outcome == "blocked", answer.text
    assert [r.id for r in answer.red_lines][:1] == ["employment"]
    assert not answer.logged_unmet


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("can copilot rank applicants for the nurse opening?", "employment"),
        ("have Microsoft Copilot diagnose this client from her symptoms", "diagnosis"),
    ],
)
def test_naming_the_tool_for_a_forbidden_act_is_blocked_not_a_yes(
    county: PolicyIndex, message: str, line: str
) -> None:
    answer = advise_message(county, message)
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == line
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "copilot"


@pytest.mark.parametrize(
    "message",
    ["is copilot approved?", "can copilot draft a job posting for a nurse?",
     "how do I get access to Microsoft Copilot"],
)
def test_asking_about_the_tool_itself_still_gets_its_status(
    county: PolicyIndex, message: str
) -> None:
    assert advise_message(county, message).outcome == "tool_status"


@pytest.mark.parametrize(
    ("message", "line"),
    [
        ("can the AI approve leave requests by itself", "employment"),
        ("have it figure out which nurses qualify for the retention bonus", "employment"),
        ("two finalists for the lab manager job, just pick one for me", "employment"),
        ("write the staff memo so it sounds like it came from the health director",
         "impersonation"),
        ("answer the clinic inbox and sign with a real name of one of our nurses",
         "impersonation"),
    ],
)
def test_common_ways_of_asking_for_a_forbidden_act_block(
    county: PolicyIndex, message: str, line: str
) -> None:
    # Phrasings of the built-in themes (deciding about people, impersonation) that a
    # policy's own triggers do not list.
    answer = advise_message(county, message)
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == line
