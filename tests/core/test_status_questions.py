"""A question about a prohibited tool's standing is answered with its status, not refused.

"whats the deal with public AI tools, can we use any of them?" names the council's
prohibited entry ("Third-party or public AI tools") by an alias that is also the trigger
of its red line: the name is no request, so the answer is the tool's status ("No") with
the line, as for "is public AI ok?".
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import PolicyIndex
from bot.core.advisor import advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


@pytest.mark.semantic
@pytest.mark.parametrize("text", [
    "whats the deal with public AI tools, can we use any of them?",
    "is public AI ok?",
])
def test_a_status_question_about_a_prohibited_tool_gets_its_status(text: str) -> None:
    index = build_index(1, load_policy(HELDOUT / "derbyshire-cc" / "policy"),
                        lambda: make_backend("hybrid"))
    answer = advise_message(index, text)
    assert answer.outcome == "tool_status", answer.text
    assert "no-public-ai-tools" in {r.id for r in answer.red_lines}


@pytest.mark.semantic
def test_asking_the_prohibited_tool_to_do_the_work_is_still_refused() -> None:
    index = build_index(1, load_policy(HELDOUT / "derbyshire-cc" / "policy"),
                        lambda: make_backend("hybrid"))
    answer = advise_message(index, "chuck the draft budget into some free AI site to check "
                                   "the maths")
    assert answer.outcome == "blocked", answer.text


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.mark.semantic
@pytest.mark.parametrize(("name", "text", "line"), [
    ("tracklements", "can I have the Copilot app on my personal phone for work?",
     "no-unauthorised-devices"),
    ("tate-law", "can I use my own Claude Pro subscription for firm stuff",
     "no-client-info-in-consumer-ai"),
])
def test_using_a_tool_on_a_personal_device_or_account_is_a_status_question(
    name: str, text: str, line: str
) -> None:
    """Which device or account a tool is used on asks no act of it: the answer is the
    tool's status with the line on personal devices or accounts, not a refusal (the
    line's trigger "personal mobile devices" refused it before)."""
    answer = advise_message(_index(name), text)
    assert answer.outcome == "tool_status", answer.text
    assert line in {r.id for r in answer.red_lines}


@pytest.mark.semantic
def test_a_personal_account_asked_to_do_the_work_with_client_data_is_refused() -> None:
    answer = advise_message(_index("tate-law"), "paste the Ortiz client file into my own "
                                                "Claude Pro account and summarise it")
    assert answer.outcome == "blocked", answer.text


@pytest.mark.semantic
def test_asking_what_the_policy_says_is_no_request_to_refuse() -> None:
    """ "what does our policy say" asks about the rules (the learned block decision read
    the loan question beside it as a request the accountability line forbids)."""
    answer = advise_message(_index("commbank"), "customer on the line wants to know if they "
                            "can break their fixed rate home loan early, what does our "
                            "policy say")
    assert answer.outcome == "answered", answer.text


@pytest.mark.semantic
@pytest.mark.parametrize("text", [
    "what does 'proprietary information' mean in the AI guidelines?",
    "what counts as confidential?",
])
def test_what_a_word_of_the_rules_means_gets_the_data_levels_with_its_line(text: str) -> None:
    answer = advise_message(_index("walmart"), text)
    assert answer.outcome == "help", answer.text
    assert answer.extra.get("topic") == "data_levels"
    assert [r.id for r in answer.red_lines] == ["no-sensitive-confidential-info"]


@pytest.mark.semantic
@pytest.mark.parametrize("text", [
    "can I use the Copilot app on my personal phone?",
    "use copilot on my own laptop?",
])
def test_the_device_a_tool_runs_on_is_no_data(text: str) -> None:
    """The sample policy's personal data class gives "phone numbers" as an example, so
    "use the Copilot app on my personal phone" read the phone as personal data (a data
    check, "my personal phone counts as Confidential data")."""
    index = build_index(1, load_policy(Path(__file__).parents[2] / "policies"),
                        lambda: make_backend("hybrid"))
    answer = advise_message(index, text)
    assert answer.outcome == "tool_status", answer.text
    assert answer.data_check is None
    data = advise_message(index, "use copilot on customer phone numbers")
    assert data.outcome == "data_check", data.text
