"""Reading on Harbor County (tests/fixtures/policies/harbor-county.yaml): another product
that shares a word with the policy's tool, personal data the policy's classes describe in
other words, and data-class examples written a little differently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

HARBOR = Path(__file__).parents[1] / "fixtures" / "policies" / "harbor-county.yaml"


@pytest.fixture(scope="module")
def harbor() -> PolicyIndex:
    return build_index(1, load_policy(HARBOR), lambda: make_backend("lexical"))


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("is github copilot ok for my python scripts?", "GitHub Copilot"),
        ("can we use GitHub Copilot to review pull requests", "GitHub Copilot"),
        ("copilot studio to build a permit bot?", "Microsoft Copilot Studio"),
        ("claude code allowed?", "Claude Code"),
    ],
)
def test_a_longer_name_of_another_product_is_not_the_policys_tool(
    harbor: PolicyIndex, text: str, product: str
) -> None:
    answer = advise_message(harbor, text)
    assert answer.outcome == "tool_status", answer.text
    assert answer.asked_tool is not None
    assert answer.asked_tool.id is None, answer.text
    assert answer.asked_tool.name == product
    assert answer.headline.startswith(f"{product} is not in our AI tool policy"), answer.text
    # the policy's rule for unlisted tools comes with it
    assert "may not be used for county work" in answer.text


@pytest.mark.parametrize(
    "text",
    [
        "is copilot allowed?",
        "m365 copilot ok for drafting letters?",
        "copilot for microsoft 365, can I use it",
        "microsoft 365 copilot?",
    ],
)
def test_the_policys_own_tool_is_still_named(harbor: PolicyIndex, text: str) -> None:
    answer = advise_message(harbor, text)
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "m365-copilot", answer.text
