"""Data red lines shown with data checks: the class a line names however the policy spells
it, and data said to be not yet public is no harmless data (real policy, real index)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.harmless_data import said_harmless
from bot.core.matching.registry import make_backend
from bot.policy import Policy


def _line(line_id: str, title: str, rule: str, triggers: list[str]) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.", "triggers": triggers}


POLICY: dict[str, Any] = {
    "meta": {"organization": "Osprey Agency", "contact": "the IT desk"},
    "data_classes": [
        {"id": "public", "label": "Information already published",
         "description": "Published.", "examples": ["a published report", "press releases"]},
        {"id": "non_public", "label": "Information that has not been made public",
         "description": "Drafts and internal papers.",
         "examples": ["a draft work programme", "internal briefing notes"]},
    ],
    "use_cases": [
        {"id": "summarise", "name": "Summarise documents",
         "description": "Summarise reports and papers.",
         "examples": ["summarise this report", "give me the key points of this paper",
                      "shorten this document"]},
    ],
    "tools": [
        {"id": "helper", "name": "Osprey Helper", "status": "approved",
         "summary": "The agency's assistant.", "good_for": ["summarise"],
         "max_data_class": "public"},
    ],
    "red_lines": [
        _line("no-non-public", "Never share non-public information with online AI tools",
              "Staff never share non-public information with an online AI tool.",
              ["classified annex"]),
    ],
}


@pytest.fixture(scope="module")
def osprey() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("lexical"))


def test_a_class_id_with_an_underscore_is_named_by_its_hyphenated_words(
    osprey: PolicyIndex,
) -> None:
    assert osprey.scope.by_class == {"non_public": ("no-non-public",)}
    answer = advise_message(osprey, "can I paste a draft work programme into Osprey Helper?")
    assert answer.outcome in ("data_check", "blocked"), answer.text
    assert "no-non-public" in [r.id for r in answer.red_lines]


def test_data_not_yet_published_is_not_said_to_be_harmless() -> None:
    assert said_harmless("summarise the published report")
    assert said_harmless("anonymized figures, nothing confidential in it")
    for text in ("the proposal is all over the news but not officially published",
                 "the draft guidance we havent published yet",
                 "it isn't published yet", "tidy it before it is published"):
        assert not said_harmless(text), text
