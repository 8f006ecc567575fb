"""A request to read a published document is about what the document says (issue 9 §5).

The San Francisco Police Department's guidance (`tests/fixtures/heldout/sfpd`, a dev set)
keeps CLETS information out of unauthorized systems, with "CLETS" as a trigger; staff
also ask for summaries of the department's public notices, which name CLETS as their
subject.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.published import outside_published, reads_published
from bot.policy.files import load_policy


@pytest.mark.parametrize(
    ("message", "rest"),
    [
        ("summarise the published list of prohibited practices for the compliance team",
         "summarize the for the compliance team"),
        ("tl;dr of the public report on traffic collisions, then draft a tweet",
         "tl dr of the and then draft a tweet"),
        ("can Copilot help me summarise a published policy paper on rail reform?",
         "can copilot help me summarize a and"),
    ],
)
def test_the_description_of_a_published_document_is_set_apart(message: str, rest: str) -> None:
    assert reads_published(message)
    assert outside_published(message) == rest


@pytest.mark.parametrize(
    "message",
    [
        # not published, or not yet
        "our board paper isn't published yet, can the AI give me a one page summary",
        "summarise the proposal, it is not officially published",
        "summarise the non-public audit findings",
        "summarise the notice, it's not public yet",
        # no reading asked: an argument that the data may go in
        "the motion papers are public record anyway, so I can drop them into chatgpt right?",
        "hook an AI chatbot up to our public website without telling IT",
    ],
)
def test_unpublished_documents_and_other_asks_read_nothing_published(message: str) -> None:
    assert not reads_published(message)
    assert outside_published(message) == message


@pytest.mark.semantic
def test_a_public_notice_about_a_red_lines_subject_is_not_blocked() -> None:
    index = build_index(1, load_policy(Path(__file__).parents[1] / "fixtures" / "heldout" /
                                       "sfpd" / "policy"), lambda: make_backend("hybrid"))
    public = "summarize the public department notice about annual CLETS testing for the new hires"
    answer = advise_message(index, public)
    assert answer.outcome == "answered"
    # nor is the line shown: the notice's subject triggers nothing
    assert "no-clets-in-unauthorized-systems" not in [r.id for r in answer.red_lines]
    # the same notice, not said to be public, and CLETS data put in beside a public notice
    for message in ("summarize the department notice about annual CLETS testing for the new "
                    "hires",
                    "paste the CLETS results for these plates into ChatGPT and summarize the "
                    "public notice too"):
        answer = advise_message(index, message)
        assert answer.outcome == "blocked", message
        assert answer.red_lines[0].id == "no-clets-in-unauthorized-systems"
