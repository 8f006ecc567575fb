"""Labels read as use cases and never carry a person's name; examples get names scrubbed."""

from __future__ import annotations

import pytest

from bot.core.insights.labels import scrub_names, shown_examples
from bot.core.insights.phrasing import gerund, job_phrase, use_case_label


@pytest.mark.parametrize(("question", "label"), [
    ("Is there an AI tool that can do voice-overs for our training videos?",
     "Voice-overs for training videos"),
    ("how can I scan handwritten delivery notes into the system",
     "Scanning handwritten delivery notes"),
    ("Can I use AI to forecast how many warehouse staff we need next month?",
     "Forecasting how many warehouse staff"),
    ("Tom Becker wants to extract text from handwritten goods-received notes, what is approved?",
     "Extracting text from handwritten goods-received notes"),
    ("route planning for field technicians visiting customer sites each day",
     "Route planning for field technicians visiting customer sites"),
    ("hi team, any approved way to summarise Sarah's meeting notes please?",
     "Summarising meeting notes"),
])
def test_a_request_becomes_a_use_case_label(question: str, label: str) -> None:
    assert use_case_label(job_phrase(question)) == label


def test_gerunds() -> None:
    assert [gerund(v) for v in ("scan", "create", "forecast", "edit", "dub", "see")] == [
        "scanning", "creating", "forecasting", "editing", "dubbing", "seeing"]


@pytest.mark.parametrize(("text", "scrubbed"), [
    ("make slides for the board? Priya Raman asked me",
     "make slides for the board? [NAME] asked me"),
    ("Tom Becker wants a transcript", "[NAME] wants a transcript"),
    ("summarise Sarah's notes", "summarise [NAME]'s notes"),
    ("my manager Siobhan needs slides", "my manager [NAME] needs slides"),
    ("send the deck to Maria please", "send the deck to [NAME] please"),
    ("Is there a tool for Excel?", "Is there a tool for Excel?"),
    ("Can Microsoft Teams record this?", "Can Microsoft Teams record this?"),
    ("Translate the contract into German", "Translate the contract into German"),
])
def test_names_are_scrubbed_from_examples(text: str, scrubbed: str) -> None:
    assert scrub_names(text) == scrubbed


def test_small_groups_show_no_example() -> None:
    examples = ["ask one", "ask two for Maria", "ask three", "ask four"]
    assert shown_examples(examples, askers=4, min_group_size=5) == ()
    assert shown_examples(examples, askers=5, min_group_size=5) == (
        "ask one", "ask two for [NAME]", "ask three")
