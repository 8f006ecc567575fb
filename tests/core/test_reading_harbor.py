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


@pytest.mark.parametrize(
    "text",
    [
        "can I give copilot a taxpayer's medical info so it can draft the reply",
        "upload an employee's FMLA paperwork so copilot can summarize it",
        "copilot + a coworker's disciplinary history?",
        "is copilot ok for the payroll records",
        "m365 copilot with the jail booking records, to find repeat visitors",
    ],
)
def test_personal_data_with_a_named_tool_is_a_data_check(harbor: PolicyIndex, text: str) -> None:
    """The policy's classes never say "medical", "FMLA", "payroll" or "booking": the
    data still reads as personal, in the class that holds personal information, and
    the red line about personal information comes with the verdict."""
    answer = advise_message(harbor, text)
    assert answer.outcome in {"data_check", "blocked"}, answer.text
    assert answer.data_check is not None, answer.text
    assert answer.data_check.data_class == "protected", answer.text
    assert answer.data_check.allowed is False, answer.text
    assert "no-personal-info" in {r.id for r in answer.red_lines}, answer.text


def test_personal_data_for_an_unlisted_tool_is_a_data_check(harbor: PolicyIndex) -> None:
    answer = advise_message(harbor, "claude for our patients' lab results?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.data_class == "protected"
    assert answer.data_check.allowed is False


@pytest.mark.parametrize(
    "text",
    [
        "is copilot ok for a memo on the new leave policy",
        "summarize the public health report with copilot",
        "can copilot write up the minutes of the staff meeting",
        "what's the policy on medical leave, can copilot explain it?",
        "is copilot approved?",
    ],
)
def test_work_that_names_no_one_is_no_personal_data(harbor: PolicyIndex, text: str) -> None:
    answer = advise_message(harbor, text)
    assert answer.data_check is None or answer.data_check.data_class != "protected", answer.text


@pytest.mark.parametrize(
    ("text", "data_class"),
    [
        ("can I put a published article into Perplexity", "open"),
        ("research articles that were published into perplexity?", "open"),
        ("is perplexity fine for a published article?", "open"),
        ("paste a draft memo about the budget into copilot", "internal"),
    ],
)
def test_class_examples_match_with_light_variation(
    harbor: PolicyIndex, text: str, data_class: str
) -> None:
    """ "a published research article" is met by "a published article" and "research
    articles that were published"; "a draft budget memo" by "a draft memo about the budget"."""
    answer = advise_message(harbor, text)
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.data_class == data_class, answer.text
    assert answer.data_check.allowed is True, answer.text
