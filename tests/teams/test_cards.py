"""The Adaptive Card renderer and forms: pure functions over the neutral Answer and the policy."""

from __future__ import annotations

import json

from bot.core.replies import Answer, RedLineNote, ToolAdvice
from bot.render.adaptive_card import (
    MAX_CARD_BYTES,
    card_size,
    message_card,
    red_lines_card,
    to_adaptive_card,
    tool_catalogue_card,
)


def _tool(n: int, text: str = "Fine for drafting.") -> ToolAdvice:
    return ToolAdvice(id=f"t{n}", name=f"Tool {n}", status="approved", why=text, summary=text,
                      data_limit="Up to Internal data", max_data_class="internal",
                      access_text="Ask IT", access_url="https://it.example/t", caveats=(text,))


def test_answer_card_has_tools_red_lines_fallback_and_feedback():
    answer = Answer(
        outcome="answered", headline="For drafting, use:", text="plain fallback",
        tools=(_tool(1),), red_lines=(RedLineNote("r", "No secrets", "Never paste keys.",
                                                  "They leak."),),
        query_id=7, unmet_id=3,
    )
    card = to_adaptive_card(answer)
    assert card["fallbackText"] == "plain fallback"
    assert card["version"] == "1.4"
    body = json.dumps(card["body"], ensure_ascii=False)
    assert "Tool 1 · Approved" in body
    assert "Up to Internal data" in body
    assert "Why: They leak." in body
    assert "https://it.example/t" in body
    assert [a["data"] for a in card["actions"]] == [
        {"action": "feedback", "query_id": 7, "helpful": True},
        {"action": "feedback", "query_id": 7, "helpful": False},
        {"action": "vote", "unmet_id": 3},
    ]


def test_unmet_answer_says_it_was_logged():
    answer = Answer(outcome="unmet", headline="Nothing approved fits.", text="t",
                    logged_unmet=True)
    assert "logged this request" in json.dumps(to_adaptive_card(answer)["body"])


def test_huge_answers_are_shortened_below_the_teams_limit_and_say_so():
    long_text = "<script>alert(1)</script> & " + "policy text " * 300  # ~3,600 chars
    answer = Answer(outcome="answered", headline="Many tools", text=long_text * 20,
                    tools=tuple(_tool(n, long_text) for n in range(40)), query_id=1)
    card = to_adaptive_card(answer)
    assert card_size(card) <= MAX_CARD_BYTES
    assert card["body"][0]["text"] == "Many tools"
    assert "shortened to fit" in card["body"][-1]["text"]
    assert card["fallbackText"]
    assert len(card["fallbackText"]) <= 2_000
    assert card["actions"]  # feedback still possible


def test_markdown_links_from_user_text_are_defused():
    card = message_card("Is [Free AI](https://evil.example) approved?")
    assert "](" not in card["body"][0]["text"]


def test_catalogue_and_red_lines_cards_cover_the_policy(sample_policy):
    catalogue = tool_catalogue_card(sample_policy)
    red = red_lines_card(sample_policy)
    for card in (catalogue, red):
        assert card["fallbackText"]
        assert card_size(card) <= MAX_CARD_BYTES
    listed = json.dumps(catalogue)
    assert all(tool.name in listed for tool in sample_policy.tools)
    assert all(line.title in json.dumps(red) for line in sample_policy.red_lines)
