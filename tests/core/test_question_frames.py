"""A question asked of the concierge ("can you tell me if ChatGPT is approved?") is a
question about the tool, not work asked of it (issue 9 §2): a red line about that tool
must not refuse it as a request."""

from __future__ import annotations

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.question_frames import without_question_frame
from bot.policy.models import Policy


@pytest.mark.parametrize(("message", "rest"), [
    ("can you tell me if chatgpt is approved?", "if chatgpt is approved?"),
    ("are you able to tell me if chatgpt is approved?", "if chatgpt is approved?"),
    ("do you know whether claude is allowed here", "whether claude is allowed here"),
    ("i was wondering if copilot is approved for us", "if copilot is approved for us"),
    ("Quick question: is gemini ok?", "is gemini ok?"),
    ("Thanks. Please confirm whether Claude is ok", "Thanks. whether Claude is ok"),
])
def test_the_frame_that_asks_the_concierge_is_dropped(message: str, rest: str) -> None:
    assert " ".join(without_question_frame(message).split()) == rest


@pytest.mark.parametrize("message", [
    # the tool is told to decide: its words are the request
    "have copilot tell me whether the kid meets criteria",
    "use chatgpt to check the contract for errors",
    "tell the customer their refund is approved",
])
def test_work_asked_of_a_tool_keeps_its_words(message: str) -> None:
    assert without_question_frame(message) == message


@pytest.fixture(scope="module")
def northwind(sample_policy: Policy) -> PolicyIndex:
    return build_index(1, sample_policy, lambda: make_backend("hybrid"))


@pytest.mark.parametrize("message", [
    "can you tell me if chatgpt is approved?",
    "are you able to tell me if chatgpt is approved?",
    "could you let me know whether chatgpt is allowed",
    "i was wondering if chatgpt is ok for work",
])
def test_a_status_question_asked_of_the_concierge_gets_the_status(
    northwind: PolicyIndex, message: str
) -> None:
    answer = advise_message(northwind, message)
    assert answer.outcome == "tool_status", answer.headline
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "chatgpt-enterprise"
    assert answer.headline.startswith("Yes")


def test_work_asked_of_the_tool_is_still_refused(northwind: PolicyIndex) -> None:
    answer = advise_message(northwind, "can chatgpt rank these job applicants by age")
    assert answer.outcome == "blocked"
    assert "no-automated-decisions-about-people" in [r.id for r in answer.red_lines]
