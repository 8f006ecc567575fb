"""What keeps a request from the learned `blocked` decision, on dev held-out policies
(issue 9 §5): only a topic, a negated forbidden act, a line for other tools, a rule
that asks for something when the request complies. Each rule here once refused true
blocks on policies nobody tuned to; the cases below are their shapes.

The Office of Rail and Road's guidance (`tests/fixtures/heldout/orr`, a dev set) has
lines for its generic chat service only and rules that ask for checks; Walmart's
(`walmart`) asks associates to review outputs; Global Care's (`global-care`) keeps
personal data out of prompts; the San Francisco Police Department's (`sfpd`) keeps AI
away from work product an officer attests to under penalty of perjury.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.forbidden_uses import CONTRAST, about_a_topic, mentions_a_topic
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

pytestmark = pytest.mark.semantic

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.fixture(scope="module")
def orr() -> PolicyIndex:
    return _index("orr")


@pytest.fixture(scope="module")
def walmart() -> PolicyIndex:
    return _index("walmart")


def _blocked_by(index: PolicyIndex, message: str) -> str | None:
    answer = advise_message(index, message)
    if answer.outcome != "blocked":
        return None
    assert not answer.logged_unmet
    return answer.red_lines[0].id


def test_a_negated_check_breaks_a_rule_that_asks_for_the_check(orr: PolicyIndex) -> None:
    """ "without checking" of "check outputs before using them" is the request not to
    comply, not a negated mention of a forbidden act (that was a veto)."""
    message = ("the AI's summary of the RAIB findings looks about right, I'll send it to "
               "the minister's office without checking")
    assert _blocked_by(orr, message) == "verify-outputs"


def test_a_line_for_the_jobs_tool_holds_when_no_tool_is_named(orr: PolicyIndex) -> None:
    """No tool named: the tools the answer would recommend for the job are the ones asked.
    Both lines that fit hold for ORR's chat service only, so neither was a candidate."""
    message = "can the AI summarise our unpublished draft report on station accessibility"
    line = _blocked_by(orr, message)
    assert line in {"public-domain-only-unless-authorised", "no-sensitive-personal-classified"}
    assert [r.applies_to for r in orr.policy.red_lines if r.id == line] == [["genai-services"]]


def test_a_line_for_some_tools_holds_when_no_tool_is_named_and_no_job_fits(
    orr: PolicyIndex,
) -> None:
    """Nothing named, no job fits: any tool the policy recommends may be the one asked, so
    a line written for ORR's chat service holds (the request was logged as unmet)."""
    message = "write the policy paper proposing new Delay Repay rules"
    answer = advise_message(orr, message)
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-policy-papers"
    assert not answer.logged_unmet


def test_a_word_before_team_or_office_makes_no_topic(walmart: PolicyIndex) -> None:
    message = ("whatever the bot says about the recall dates I'm just gonna post to the store "
               "team as is")
    assert mentions_a_topic(message)
    assert not about_a_topic(message)
    assert _blocked_by(walmart, message) == "review-outputs"


@pytest.mark.parametrize(
    "message",
    [
        "help me build a training module on spotting phishing emails that impersonate vendors",
        "write a tip sheet on respecting copyright when we share articles",
        "research how other regulators handle generative AI approvals",
    ],
)
def test_a_topic_is_still_no_request(message: str) -> None:
    assert about_a_topic(message)


def test_nearer_to_the_data_than_the_act_is_weighed_not_vetoed() -> None:
    """A line about data: being nearer to what goes in (donor names and postcodes) than
    to the act is the request, not a topic (the object veto holds for act lines only)."""
    index = _index("global-care")
    message = ("put the donor spreadsheet with names and postcodes into chatgpt and find who "
               "stopped giving")
    assert _blocked_by(index, message) == "no-personal-data-in-prompts"


def test_nearer_to_the_acts_object_is_weighed_not_vetoed() -> None:
    """A line about an act: a request nearer to what the act is done to (the reports)
    than to the act is still weighed. Vetoing such pairs (`object_gap` < CONTRAST) let this
    request through as `answered`; the decision blocks it with the line."""
    index = _index("sfpd")
    message = ("use AI to write up the probable cause declaration, I'll sign under penalty "
               "of perjury after")
    matcher = index.matcher
    vector = np.asarray(matcher.embed(matcher.job_texts([message]))[0], dtype=np.float32)
    gap = index.forbidden.measures(vector)["object_gap"]
    assert gap[index.forbidden.ids.index("no-ai-attested-work-product")] < CONTRAST
    assert _blocked_by(index, message) == "no-ai-attested-work-product"


@pytest.mark.parametrize(
    "message",
    [
        "summarise the published annual report on rail performance for my team",
        "is Bard approved for work?",
        "draft a training slide on why staff must check AI outputs before using them",
    ],
)
def test_approved_work_and_compliance_are_not_blocked(orr: PolicyIndex, message: str) -> None:
    assert advise_message(orr, message).outcome != "blocked"
