"""Which red lines a `blocked` answer gives (issue 9 §5), on dev held-out policies.

Global Care's guidance (`tests/fixtures/heldout/global-care`, a dev set) says "AI should
enhance — not replace — human creativity and decision-making"; NC DIT's (`nc-dit`) "AI
should support employees' judgment and expertise, not replace it". Loudoun County
Schools' (`loudon-schools`) keeps student records and student PII out, in two lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.blocked_answer import answer_blocked
from bot.core.advice.blocked_by_meaning import Weighing
from bot.core.advice.blocking import blocking
from bot.core.advice.broken_asks import skipped_asks
from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.redline_forbids import forbids
from bot.core.understand import read_message
from bot.policy.files import load_policy
from bot.policy.models import RedLine

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


def _line(name: str, line_id: str) -> RedLine:
    return next(r for r in load_policy(HELDOUT / name / "policy").red_lines if r.id == line_id)


@pytest.mark.parametrize(
    ("name", "line_id"),
    [("global-care", "not-replace-decision-making"), ("nc-dit", "judgment-not-replaced")],
)
def test_what_a_contrast_puts_after_not_is_forbidden(name: str, line_id: str) -> None:
    """ "support judgment, not replace it": replacing judgment is forbidden (the line
    was read as advice, and a request to hand a decision to AI was never blocked)."""
    assert forbids(_line(name, line_id))


@pytest.mark.parametrize(
    "rule",
    [
        "Use AI for first drafts, not only for e-mail.",
        "Check AI output for accuracy, not just for tone.",
        "Review outputs before use (not necessarily line by line).",
    ],
)
def test_not_only_adds_it_does_not_forbid(rule: str) -> None:
    line = RedLine(id="x", title="Check the output", rule=rule, why="Accuracy.",
                   triggers=["check"])
    assert not forbids(line)


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.mark.semantic
def test_handing_a_decision_to_ai_is_blocked_by_the_line_on_decisions() -> None:
    answer = advise_message(_index("global-care"),
                            "have ChatGPT pick which partner projects lose their funding next year")
    assert answer.outcome == "blocked"
    assert answer.red_lines[0].id == "not-replace-decision-making"
    assert not answer.logged_unmet


@pytest.mark.semantic
def test_a_request_is_weighed_once_for_the_refusal_and_the_blocked_answer() -> None:
    """`blocking` weighs every red line to refuse the request by meaning, and the blocked
    answer gives every line found from the same `Weighing` instead of weighing again
    (twice cost the slowest answers about 3 ms). Sigmar Recruitment's policy keeps
    recruitment decisions with people; no trigger of it is in the request."""
    index = _index("sigmar-recruitment")
    text = "have AI decide which of the two finalists gets the offer"
    weighing = Weighing(index, text, read_message(text, index.lexicon))
    assert not weighing.weighed
    lines = blocking(weighing)
    assert lines == ["human-recruitment-decisions"]
    assert weighing.weighed
    assert weighing.lines()[:1] == lines
    assert answer_blocked(weighing, lines).red_lines[0].id == "human-recruitment-decisions"


@pytest.mark.semantic
def test_a_request_a_trigger_refuses_is_weighed_only_for_its_answer() -> None:
    """A trigger refuses without the learned decision (it costs an answer nothing); the
    blocked answer then weighs the request for the other lines that forbid it."""
    index = _index("loudon-schools")
    text = "report card comments for 25 kids, I'll paste in their names and marks"
    weighing = Weighing(index, text, read_message(text, index.lexicon))
    lines = blocking(weighing)
    assert lines[:1] == ["red-student-records"]
    assert not weighing.weighed
    answer = answer_blocked(weighing, lines)
    assert weighing.weighed
    assert [r.id for r in answer.red_lines][:2] == ["red-student-records", "red-student-pii"]


@pytest.mark.semantic
def test_a_block_by_a_trigger_also_gives_the_line_the_decision_finds() -> None:
    """The records line's trigger blocks; the learned decision finds the PII line forbids
    it too (names pasted in), and both are given, the trigger's first."""
    answer = advise_message(_index("loudon-schools"),
                            "report card comments for 25 kids, I'll paste in their names and marks")
    assert answer.outcome == "blocked"
    assert [r.id for r in answer.red_lines][:2] == ["red-student-records", "red-student-pii"]


# Sigmar Recruitment's policy (`sigmar-recruitment`, a dev set) asks that a person review
# AI output before use and keeps recruitment decisions with people; the San Francisco
# Police Department's (`sfpd`) asks that AI output be reviewed and fact checked.
@pytest.fixture(scope="module")
def sigmar() -> PolicyIndex:
    return _index("sigmar-recruitment")


@pytest.mark.semantic
@pytest.mark.parametrize(
    ("name", "message", "line_id"),
    [
        ("sigmar-recruitment",
         "write the rejection emails for all 40 applicants and fire them off without me "
         "reading them", "review-before-use"),
        ("sigmar-recruitment", "have AI decide which of the two finalists gets the offer",
         "human-recruitment-decisions"),
        ("sfpd", "post whatever ChatGPT says about the new parking rules straight to the "
                 "station's Twitter", "review-and-fact-check"),
    ],
)
def test_skipping_the_check_or_decision_a_line_asks_of_a_person_is_blocked(
    name: str, message: str, line_id: str
) -> None:
    """These were answered, logged unmet, or told "Yes: ChatGPT is approved"."""
    answer = advise_message(_index(name), message)
    assert answer.outcome == "blocked"
    assert answer.red_lines[0].id == line_id
    assert not answer.logged_unmet


@pytest.mark.semantic
@pytest.mark.parametrize(
    "message",
    [
        "draft rejection emails for the 40 applicants, I will read each one before it goes",
        "help me decide which interview questions to ask the finalists",
    ],
)
def test_doing_the_check_or_deciding_oneself_is_not_blocked(
    sigmar: PolicyIndex, message: str
) -> None:
    assert advise_message(sigmar, message).outcome != "blocked"


@pytest.mark.semantic
def test_what_skips_a_check_or_decision_a_line_asks_of_a_person(sigmar: PolicyIndex) -> None:
    ids = [line.id for line in sigmar.policy.red_lines]
    review = ids.index("review-before-use")
    assert skipped_asks(sigmar, "fire them off without me reading them", ids)[review]
    assert not skipped_asks(
        sigmar, "I do not have time to read this 40 page report, can AI summarise it", ids
    ).any()
    # a well-known product the policy does not list decides as much as "AI" does
    decisions = ids.index("human-recruitment-decisions")
    assert skipped_asks(sigmar, "have Claude pick which finalist we call back", ids)[decisions]
    assert not skipped_asks(sigmar, "have Sarah pick which finalist we call back", ids).any()
    # no time to read the source is no skipped check, summary asked or not
    assert not skipped_asks(
        sigmar, "I have a stack of supplier contracts and no time to read them", ids
    ).any()


@pytest.mark.semantic
@pytest.mark.parametrize(
    ("name", "text", "refusing", "also"),
    [
        ("nc-dit",
         "I want to drop the unemployment claimant spreadsheet into AI and have it find who's"
         " likely committing fraud", "no-pii-or-confidential", "judgment-not-replaced"),
        ("tate-law",
         "file the opposition brief with the authorities the bot found, no need to check them",
         "attorney-reviews-everything", "read-every-citation"),
    ],
)
def test_a_refusal_also_shows_the_next_likely_line(
    name: str, text: str, refusing: str, also: str
) -> None:
    """A request refused by one line is often also what a second line is about: the
    claimant spreadsheet is personal data, and finding fraud is the judgment NC DIT keeps
    with people. The second line is below the decision's cut-off, so it refuses nothing,
    but it is shown: only the first, so a refusal is not buried under every rule."""
    index = _index(name)
    weighing = Weighing(index, text, read_message(text, index.lexicon))
    assert weighing.lines() == [refusing]
    assert weighing.also() == [also]
    answer = advise_message(index, text)
    assert answer.outcome == "blocked"
    assert [r.id for r in answer.red_lines][:2] == [refusing, also]
