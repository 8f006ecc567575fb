"""A question about a prohibited tool's standing is answered with its status, not refused.

"whats the deal with public AI tools, can we use any of them?" names the council's
prohibited entry ("Third-party or public AI tools") by an alias that is also the trigger
of its red line: the name is no request, so the answer is the tool's status ("No") with
the line, as for "is public AI ok?".
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
