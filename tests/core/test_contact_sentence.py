"""Whom to ask sits inside the answer's own sentences (`PolicyMeta.reach`): IT often write
the contact as a sentence, and "Questions: ... just ask.." read as a slip in every answer."""

from __future__ import annotations

import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy, PolicyMeta


@pytest.mark.parametrize(
    ("contact", "reach"),
    [
        ("If unsure, just ask.", "If unsure, just ask"),
        ("  #ask-it or it-help@example.com  ", "#ask-it or it-help@example.com"),
        ("the IT desk. ", "the IT desk"),
        (None, "your IT team"),
        (" . ", "your IT team"),
    ],
)
def test_reach_is_the_contact_without_its_full_stop(contact: str | None, reach: str) -> None:
    assert PolicyMeta(contact=contact).reach == reach


def test_answers_on_a_policy_whose_contact_is_a_sentence_end_it_once(
    sample_policy: Policy,
) -> None:
    """The sample policy with its contact written as IT often write it, two sentences
    ending in a full stop: each answer that names it ends the sentence once."""
    contact = "Ask in #ask-it. We answer within a working day."
    policy = sample_policy.model_copy(
        update={"meta": sample_policy.meta.model_copy(update={"contact": contact})}
    )
    index = build_index(1, policy, lambda: make_backend("lexical"))
    named = set()
    for text in ("how do I request a new AI tool?", "an AI to drive the forklift",
                 "which AI can file my expense report automatically"):
        answer = advise_message(index, text)
        shown = "\n".join([answer.text, *answer.notes])
        assert ".." not in shown, shown
        if "We answer within a working day." in shown:
            named.add(answer.outcome)
    assert named == {"help", "blocked", "unmet"}
