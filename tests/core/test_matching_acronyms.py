"""Workplace acronyms the embedding model reads as noise are explained before it reads a
message (`framing.with_acronyms`, `data/workplace_acronyms.txt`): terse requests such as
"need a JD for ..." were logged as unmet demand on the sample policy. Real model, real files.
"""

from __future__ import annotations

import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.framing import plain_words, with_acronyms
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("need a JD for a clerk", "need a JD (job description) for a clerk"),
        ("two jds and an nda", "two jds (job descriptions) and an nda (non-disclosure agreement)"),
        ("our KPIs for Q3", "our KPIs (key performance indicators) for Q3"),
        # Written as listed or in capitals only where the lower-case form is a word.
        ("check the SOW", "check the SOW (statement of work)"),
        ("sow the seeds, pip install it", "sow the seeds, pip install it"),
        # Parts of other words, names and addresses are left alone.
        ("JD.com and AT&T and the JD-style form", "JD.com and AT&T and the JD-style form"),
    ],
)
def test_acronyms_are_followed_by_their_words(typed: str, read: str) -> None:
    assert with_acronyms(typed) == read


def test_shorthand_and_acronyms_are_both_written_out() -> None:
    assert plain_words("pls review the NDA") == "please review the NDA (non-disclosure agreement)"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("bash out a few subject lines", "write a few subject lines"),
        ("can you bang out the minutes", "can you write the minutes"),
        ("dashed off a reply to the vendor", "write a reply to the vendor"),
        ("churning out product blurbs", "write product blurbs"),
        # Not the idiom: a bash, a bang, another verb's "out"
        ("plan the office bash out of town", "plan the office bash out of town"),
        ("the printer went bang", "the printer went bang"),
        ("pump out the flooded basement", "pump out the flooded basement"),
    ],
)
def test_colloquial_asks_for_text_are_read_as_writing(typed: str, read: str) -> None:
    assert plain_words(typed) == read


@pytest.mark.semantic
@pytest.mark.parametrize(
    ("message", "use_case"),
    [
        ("need a JD for an accounts payable clerk", "job-descriptions"),
        ("look over an NDA before I sign it", "contract-review"),
    ],
)
def test_a_terse_request_with_an_acronym_is_answered_not_unmet(
    sample_policy: Policy, message: str, use_case: str
) -> None:
    index = build_index(1, sample_policy, lambda: make_backend("hybrid"))
    answer = advise_message(index, message)
    assert answer.outcome == "answered", answer.text
    assert answer.use_case is not None
    assert answer.use_case.id == use_case
    assert not answer.logged_unmet
