"""A message that names several tools of the policy is answered about each (issue 9 §2:
a named tool is never ignored): "copilot vs chatgpt enterprise?" used to get Copilot's
status alone."""

from __future__ import annotations

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy


@pytest.fixture(scope="module")
def northwind(sample_policy: Policy) -> PolicyIndex:
    return build_index(1, sample_policy, lambda: make_backend("hybrid"))


@pytest.mark.parametrize(("message", "first", "second"), [
    ("copilot vs chatgpt enterprise for excel work?", "m365-copilot", "chatgpt-enterprise"),
    ("are claude and chatgpt both allowed?", "claude-team", "chatgpt-enterprise"),
])
def test_every_allowed_tool_named_gets_its_status(
    northwind: PolicyIndex, message: str, first: str, second: str
) -> None:
    answer = advise_message(northwind, message)
    assert answer.outcome == "tool_status"
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == first  # the first named stays the one asked about
    assert [t.id for t in answer.tools] == [first, second]
    assert answer.headline.startswith("Yes: ")
    for tool in answer.tools:
        assert tool.name in answer.headline
        assert f"{tool.name} is good for:" in answer.text


def test_a_prohibited_tool_beside_an_approved_one_gets_its_verdict(
    northwind: PolicyIndex,
) -> None:
    answer = advise_message(northwind, "midjourney or firefly for a campaign visual?")
    assert answer.outcome == "tool_status"
    assert answer.headline == "Midjourney is prohibited; Adobe Firefly is approved here."
    # only the allowed tool is recommended; the prohibited one is not a card
    assert [t.id for t in answer.tools] == ["adobe-firefly"]
    assert "midjourney" not in [t.id for t in answer.alternatives]


def test_one_tool_keeps_its_single_answer(northwind: PolicyIndex) -> None:
    answer = advise_message(northwind, "is chatgpt enterprise ok?")
    assert answer.headline == "Yes: ChatGPT Enterprise is approved here."
    assert [t.id for t in answer.tools] == ["chatgpt-enterprise"]
