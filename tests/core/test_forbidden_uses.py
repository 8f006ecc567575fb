"""Red lines read as forbidden uses: requests in the employee's own words are blocked by
meaning, behind the literal triggers (issue 9 §5).

A county social-services policy of our own: its red lines forbid fabricating records and
automated benefit determinations, its approved jobs are letters, summaries and
translations about the same benefits. People ask for the forbidden act in words no
trigger lists; they also ask for approved work about the same things, teach about the
act, or say they will not do it.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.forbidden_uses import act_objects, forbidden_examples
from bot.core.matching.registry import make_backend
from bot.policy import Policy
from bot.policy.models import RedLine

pytestmark = pytest.mark.semantic

POLICY: dict[str, Any] = {
    "meta": {"organization": "Lakeside County Social Services", "contact": "#it-help"},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Anyone may see it."},
        {"id": "internal", "label": "Internal", "description": "Staff only."},
    ],
    "use_cases": [
        {"id": "writing", "name": "Draft letters and notices",
         "description": "Letters, notices, flyers and web pages for residents.",
         "examples": ["draft a letter about the new office hours",
                      "write a flyer for the winter coat drive",
                      "first draft of a web page on how to apply for SNAP"]},
        {"id": "summaries", "name": "Summarize public documents",
         "description": "Summaries of long public reports and rules.",
         "examples": ["summarize the state's new SNAP rules", "tl;dr of the county budget",
                      "key points of this federal guidance"]},
        {"id": "translation", "name": "Translate materials",
         "description": "Translate public materials into other languages.",
         "examples": ["translate the flyer into Spanish", "Vietnamese version of this notice",
                      "translate our website text"]},
    ],
    "tools": [
        {"id": "copilot", "name": "Microsoft Copilot", "status": "approved",
         "summary": "Chat assistant with county sign-in.",
         "good_for": ["writing", "summaries", "translation"], "max_data_class": "internal"},
    ],
    "red_lines": [
        {"id": "eligibility", "title": "No automated benefit determinations",
         "rule": "AI must not be used to determine whether an applicant receives benefits, "
                 "or how much.",
         "why": "Determinations must be made and explained by a caseworker.",
         "triggers": ["benefit determination", "eligibility determination"]},
        {"id": "fabrication", "title": "No fabricated records",
         "rule": "Staff shall not use AI to fabricate case notes, signatures or documentation.",
         "why": "Case files are legal records.",
         "triggers": ["fabricate", "fake case notes"]},
    ],
}


@pytest.fixture(scope="module")
def county() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("hybrid"))


def test_a_red_line_is_described_by_its_acts_their_objects_and_triggers() -> None:
    line = RedLine.model_validate(POLICY["red_lines"][1])
    assert forbidden_examples(line) == [
        "fabricated records",
        "fabricate case notes, signatures or documentation",
        "fabricate case notes",
        "fabricate", "fake case notes",
    ]
    assert act_objects(line) == ["records", "case notes, signatures or documentation",
                                 "case notes"]


@pytest.mark.parametrize(
    "message",
    ["make up a case note so the file looks complete",
     "sign the caseworker's name on these forms with AI",
     "have copilot sign the caseworker's name on these forms"],
)
def test_a_request_in_other_words_is_blocked_by_meaning(
    county: PolicyIndex, message: str
) -> None:
    # No trigger, theme or data class of the policy is in these words: the lexical
    # backend (no meaning) leaves them to the job matcher.
    lexical = build_index(1, county.policy, lambda: make_backend("lexical"))
    assert advise_message(lexical, message).outcome != "blocked"
    answer = advise_message(county, message)
    assert answer.outcome == "blocked", answer.text
    assert [r.id for r in answer.red_lines][:1] == ["fabrication"]
    assert not answer.logged_unmet


_OBJECT_NOT_VETOED = pytest.mark.xfail(
    strict=True, reason="nearer to the act's object than to the act is weighed, not vetoed")


@pytest.mark.parametrize(
    "message",
    [
        # approved work about the same things
        "draft a letter telling a family their food assistance was approved",
        "translate the eligibility notice into Spanish",
        # about the object of the act, not the act: the cost of weighing nearness to the
        # object rather than vetoing it (`object_gap`): on the 27 dev and 6 fresh held-out
        # policies the veto refused more true blocks than false blocks it kept away
        pytest.param("draft a memo on case note documentation standards",
                     marks=_OBJECT_NOT_VETOED),
        # teaching about the act, or saying it will not be done
        "write a tip sheet on why we never make up case notes",
        "make a quiz on spotting fabricated case notes",
        # "making anything up" is not a word of the line: only the object veto kept it out
        pytest.param("summarize a case note for my supervisor without making anything up",
                     marks=_OBJECT_NOT_VETOED),
        "write the file checklist without fabricating any signatures",
    ],
)
def test_approved_work_topics_and_negations_are_not_blocked(
    county: PolicyIndex, message: str
) -> None:
    answer = advise_message(county, message)
    assert answer.outcome != "blocked", answer.text


@pytest.mark.parametrize("message", ["is copilot ok?", "how do I get access to copilot"])
def test_a_question_about_the_tool_alone_is_not_blocked_by_meaning(
    county: PolicyIndex, message: str
) -> None:
    assert advise_message(county, message).outcome == "tool_status"


def test_naming_a_tool_a_red_line_is_about_is_no_request_for_the_act() -> None:
    # "ChatGPT Free" is near "use personal AI accounts such as free ChatGPT" by its name
    # alone: the question is about the tool (its status says no), not a forbidden act.
    data = {**POLICY, "tools": [*POLICY["tools"], {
        "id": "chatgpt-free", "name": "ChatGPT Free", "aliases": ["chatgpt"],
        "status": "prohibited", "summary": "Personal accounts."}]}
    data["red_lines"] = [*POLICY["red_lines"], {
        "id": "personal", "title": "No personal AI accounts",
        "rule": "Do not use personal AI accounts such as free ChatGPT for county work.",
        "why": "No contract protects county data there.", "triggers": ["personal account"]}]
    index = build_index(1, Policy.model_validate(data), lambda: make_backend("hybrid"))
    for message in ("is the free chatgpt ok?", "can I use the free chatgpt at work"):
        assert advise_message(index, message).outcome == "tool_status", message


def test_the_message_is_embedded_once(county: PolicyIndex) -> None:
    # The forbidden uses read the vector the matcher computed for ranking: an answer
    # embeds the message's job text once (the texts it embedded come with the answer).
    answer = advise_message(county, "sign the caseworker's name on these forms with AI")
    assert answer.outcome == "blocked"
    assert len(answer.vectors) == 1


def test_a_red_line_written_for_some_tools_holds_only_when_one_is_named() -> None:
    data = {**POLICY, "tools": [*POLICY["tools"], {
        "id": "chatgpt", "name": "ChatGPT", "status": "approved", "summary": "Chat.",
        "good_for": ["writing"]}]}
    data["red_lines"] = [{**POLICY["red_lines"][1], "applies_to": ["chatgpt"]}]
    index = build_index(1, Policy.model_validate(data), lambda: make_backend("hybrid"))
    named = advise_message(index, "have chatgpt forge the caseworker's signature on these forms")
    assert named.outcome == "blocked"
    other = advise_message(index, "have copilot forge the caseworker's signature on these forms")
    assert other.outcome != "blocked"


@pytest.mark.parametrize(
    "message",
    ["freeze my account", "please put my account on hold",
     "I need to change the name on my account"],
)
def test_an_ordinary_errand_is_no_forbidden_use(message: str) -> None:
    # Near "use personal AI accounts" by the word "account" alone: the built-in bank of
    # ordinary errands is nearer, so the errand is not refused with a red line.
    data = {**POLICY, "red_lines": [*POLICY["red_lines"], {
        "id": "personal", "title": "No personal AI accounts",
        "rule": "Do not use personal AI accounts for county work.",
        "why": "No contract protects county data there.", "triggers": ["personal account"]}]}
    index = build_index(1, Policy.model_validate(data), lambda: make_backend("hybrid"))
    assert advise_message(index, message).outcome != "blocked"
