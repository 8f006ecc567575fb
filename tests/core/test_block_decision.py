"""The learned decision over (message, red line): a request a red line forbids is `blocked`
on a policy nobody tuned to, in words no trigger lists (issue 9 §5).

A town clerk's office policy of our own, written like the policies that were missed: its
red lines are a prohibition with one trigger, a rule written as an obligation ("use your
town e-mail"), and a data rule. The requests below name none of their triggers; each is
compared with the constant floor alone (`block_decision.using(None)`), which misses it.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from bot.core.advice import block_decision
from bot.core.advice.block_decision import FEATURES, BlockModel, shipped_model
from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.policy import Policy

pytestmark = pytest.mark.semantic

POLICY: dict[str, Any] = {
    "meta": {"organization": "Harbor Town Clerk's Office", "contact": "#clerk-it"},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Anyone may see it."},
        {"id": "internal", "label": "Internal", "description": "Staff only."},
    ],
    "use_cases": [
        {"id": "writing", "name": "Draft letters and notices",
         "description": "Letters, notices and web pages for residents.",
         "examples": ["draft a letter about the new office hours",
                      "write a notice for the dog licence renewal",
                      "first draft of a web page on how to register to vote"]},
        {"id": "minutes", "name": "Summarize meeting minutes",
         "description": "Summaries of public meeting minutes and agendas.",
         "examples": ["summarize last night's council minutes",
                      "key points of the planning board agenda"]},
    ],
    "tools": [
        {"id": "copilot", "name": "Microsoft Copilot", "status": "approved",
         "summary": "Chat assistant with town sign-in.",
         "good_for": ["writing", "minutes"], "max_data_class": "internal"},
    ],
    "red_lines": [
        {"id": "decisions", "title": "AI does not decide licences or permits",
         "rule": "Staff must not use AI to decide who receives a licence, permit or waiver.",
         "why": "Decisions are made and explained by the clerk.",
         "triggers": ["licence decision"]},
        {"id": "town-email", "title": "Register with your town e-mail",
         "rule": "Sign up for any AI service used for town work with your town e-mail "
                 "address only.",
         "why": "Accounts must stay with the town.",
         "triggers": ["town email"]},
    ],
}


@pytest.fixture(scope="module")
def clerk() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("hybrid"))


def _floor_only(index: PolicyIndex, message: str) -> str:
    with block_decision.using(None):
        return advise_message(index, message).outcome


def test_the_shipped_weights_are_for_these_features() -> None:
    model = shipped_model()
    assert model is not None
    assert len(model.coef) == len(FEATURES)
    assert 0.0 < model.cutoff < 1.0
    data = {**model.to_dict(), "features": list(reversed(FEATURES))}
    with pytest.raises(ValueError, match="other features"):
        BlockModel.from_dict(json.loads(json.dumps(data)))


@pytest.mark.parametrize(
    ("message", "line"),
    [
        # no approved job fits: blocked, never logged as unmet
        ("have the AI look at the applications and pick who gets the three taxi licences",
         "decisions"),
        # an approved-looking job (letters) that an obligation ("town e-mail only") forbids
        ("can I sign up for an AI writing site with my personal gmail to do town letters",
         "town-email"),
    ],
)
def test_a_request_a_red_line_forbids_is_blocked_in_other_words(
    clerk: PolicyIndex, message: str, line: str
) -> None:
    assert _floor_only(clerk, message) != "blocked"
    answer = advise_message(clerk, message)
    assert answer.outcome == "blocked", answer.text
    assert [r.id for r in answer.red_lines][:1] == [line]
    assert not answer.logged_unmet


def test_a_named_approved_tool_asked_for_the_act_is_blocked_about_that_tool(
    clerk: PolicyIndex,
) -> None:
    message = "have copilot choose which market vendors get a stall licence this summer"
    assert _floor_only(clerk, message) != "blocked"
    answer = advise_message(clerk, message)
    assert answer.outcome == "blocked", answer.text
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "copilot"
    assert [r.id for r in answer.red_lines][:1] == ["decisions"]


@pytest.mark.parametrize(
    "message",
    [
        "is copilot ok?",  # about the tool alone
        "draft a letter telling a resident their permit was approved",  # approved work
        "write the notice without deciding anything about the waivers",  # negated
        "summarize last night's council minutes on the new permit rules",
    ],
)
def test_tool_questions_approved_work_and_negations_are_not_blocked(
    clerk: PolicyIndex, message: str
) -> None:
    assert advise_message(clerk, message).outcome != "blocked"


def test_a_red_line_for_some_tools_holds_only_when_one_is_named() -> None:
    data = {**POLICY, "tools": [*POLICY["tools"], {
        "id": "chatgpt", "name": "ChatGPT", "status": "approved", "summary": "Chat.",
        "good_for": ["writing"]}]}
    data["red_lines"] = [{**POLICY["red_lines"][0], "applies_to": ["chatgpt"]},
                         POLICY["red_lines"][1]]
    index = build_index(1, Policy.model_validate(data), lambda: make_backend("hybrid"))
    act = "choose which market vendors get a stall licence this summer"
    named = advise_message(index, f"have chatgpt {act}")
    assert named.outcome == "blocked", named.text
    other = advise_message(index, f"have copilot {act}")
    assert other.outcome != "blocked"


def test_the_decision_reads_the_matchers_vector(clerk: PolicyIndex) -> None:
    answer = advise_message(
        clerk, "have the AI look at the applications and pick who gets the three taxi licences")
    assert answer.outcome == "blocked"
    assert len(answer.vectors) == 1  # one model call: the matcher's
    assert np.frombuffer(answer.vectors[0][2], dtype="<f4").shape[0] > 0


def test_a_question_repeated_is_not_read_as_a_forbidden_request(clerk: PolicyIndex) -> None:
    """Only shortness counts: beyond a few words a message's length said how the dev sets'
    writers phrased blocked requests, so a question pasted many times gets the answer it
    gets once (the burst test's paste came back `blocked` while length counted)."""
    once = "can I use copilot to draft a letter about the new office hours"
    assert advise_message(clerk, (once + " ") * 40).outcome == advise_message(
        clerk, once).outcome
    assert block_decision.SHORT_MESSAGE <= 12
