"""A request whose data the message says identifies no one is no request to put in what a
data red line keeps out (issue 9 §5): the learned block decision does not weigh data lines
for it. On a dev held-out policy: PHSA keeps clinical reports and personal information
out of AI.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.data_lookup import DataLookup
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"

pytestmark = pytest.mark.semantic


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.mark.parametrize(
    ("text", "none_left"),
    [
        ("I've stripped out everything identifying", True),
        ("no patient stuff in them, they're public standards", True),
        ("none of the updates have children's names in", True),
        ("I removed the names but kept age, school and diagnosis", False),
        ("the patient names are in it", False),
        ("no time to check it", False),
    ],
)
def test_data_said_to_identify_no_one(text: str, none_left: bool) -> None:
    lookup = _index("crunch-accounting").lexicon.data
    assert isinstance(lookup, DataLookup)
    assert lookup.says_none_left(text) is none_left


def test_public_documents_with_no_patient_data_are_not_refused() -> None:
    answer = advise_message(
        _index("phsa"),
        'so the manager asked everyone on the unit to read three long accreditation '
        'documents before next week and I have literally no time between shifts, is there'
        " something approved that can give me a short version of each, they're the public"
        ' Accreditation Canada standards, no patient stuff in them',
    )
    assert answer.outcome != "blocked", answer.text


def test_names_taken_out_with_diagnoses_left_in_is_still_refused() -> None:
    answer = advise_message(
        _index("phsa"),
        "I took the names out but kept age, school and diagnosis, can copilot summarise "
        "these 15 referrals",
    )
    assert answer.outcome == "blocked", answer.text


@pytest.mark.parametrize(
    ("text", "blocked"),
    [
        # short of time, asking for a summary: no check of AI output is skipped
        ("I have no time between shifts, can copilot give me a short version of the public "
         "accreditation standards", False),
        ("no time this week, can AI summarise the new hand hygiene guideline for me", False),
        # short of time to check what the AI wrote: the check is skipped
        ("copilot wrote my discharge summary, no time to check it, I'll sign it as is", True),
    ],
)
def test_being_short_of_time_is_no_skipped_check_unless_the_check_is_named(
    text: str, blocked: bool
) -> None:
    """"no time" alone says how busy someone is; "no time to check it" skips a check."""
    assert (advise_message(_index("phsa"), text).outcome == "blocked") is blocked
