"""`/aitools` for everyone, and the buttons under answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.render.blockkit import FEEDBACK_HELPFUL, FEEDBACK_NOT_HELPFUL, VOTE
from tests.slack.conftest import USER, SlackHarness


def _text(params: dict[str, Any]) -> str:
    return json.dumps(params.get("blocks", [])) + str(params.get("text", ""))


def _button(params: dict[str, Any], action_id: str) -> str:
    return next(e["value"] for b in params["blocks"] if b["type"] == "actions"
                for e in b["elements"] if e["action_id"] == action_id)


async def _respond(slack: SlackHarness, text: str, **kwargs: Any) -> dict[str, Any]:
    before = len(slack.fake.calls_to("response_url"))
    assert await slack.command(text, **kwargs) == 200
    calls = await slack.fake.wait_for("response_url", count=before + 1)
    return calls[before].params


async def test_question_is_answered_ephemerally_with_the_question_echoed(
    slack: SlackHarness,
) -> None:
    reply = await _respond(slack, "What can I use to summarize a PDF?")
    assert reply["response_type"] == "ephemeral"
    assert "Microsoft 365 Copilot" in _text(reply)
    assert "You asked: What can I use to summarize a PDF?" in _text(reply)


async def test_share_posts_the_answer_in_channel(slack: SlackHarness) -> None:
    reply = await _respond(slack, "share What can I use to translate a letter?")
    assert reply["response_type"] == "in_channel"
    assert "DeepL" in _text(reply)


async def test_list_redlines_help_and_tool(slack: SlackHarness) -> None:
    listing = await _respond(slack, "list")
    assert "ChatGPT Enterprise" in _text(listing)
    assert "DeepSeek" not in _text(listing)
    assert len(listing["blocks"]) <= 50
    red_lines = await _respond(slack, "redlines")
    assert "Red line" in _text(red_lines)
    assert "Why:" in _text(red_lines)
    assert "/aitools list" in _text(await _respond(slack, "help"))
    assert "/aitools list" in _text(await _respond(slack, ""))
    tool = await _respond(slack, "tool deepseek")
    assert "prohibited" in _text(tool).lower()
    assert "not in our AI tool policy" in _text(await _respond(slack, "tool FooBarGPT"))


async def test_echoed_user_text_cannot_ping_or_forge_links(slack: SlackHarness) -> None:
    reply = await _respond(slack, "share <!channel> <!here> <@U0VICTIM> & <script> summarize")
    text = _text(reply)
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;@U0VICTIM&gt; &amp; &lt;script&gt;" in text
    for live in ("<!channel>", "<!here>", "<@U0VICTIM>", "<script>"):
        assert live not in text


async def test_helpful_feedback_is_stored_for_the_asker_only(slack: SlackHarness) -> None:
    reply = await _respond(slack, "What can I use to summarize a PDF?")
    query_id = _button(reply, FEEDBACK_HELPFUL)
    assert await slack.click(FEEDBACK_HELPFUL, query_id, user="U0SOMEONE2") == 200
    thanks = await slack.fake.wait_for("response_url", count=2)
    assert "Only the person who asked" in thanks[1].params["text"]
    assert await slack.click(FEEDBACK_HELPFUL, query_id) == 200
    thanks = await slack.fake.wait_for("response_url", count=3)
    assert "Thanks for the feedback" in thanks[2].params["text"]
    entry = await slack.runtime.store.queries.get(int(query_id))
    assert entry is not None
    assert entry.feedback == "helpful"


async def test_not_what_i_needed_logs_an_unmet_request(slack: SlackHarness) -> None:
    reply = await _respond(slack, "What can I use to summarize a PDF?")
    query_id = _button(reply, FEEDBACK_NOT_HELPFUL)
    assert await slack.click(FEEDBACK_NOT_HELPFUL, query_id, user=USER) == 200
    await slack.fake.wait_for("response_url", count=2)
    unmet = await slack.runtime.store.unmet.list()
    assert [u.question for u in unmet] == ["What can I use to summarize a PDF?"]


async def test_i_need_this_too_counts_one_vote_per_person(slack: SlackHarness) -> None:
    reply = await _respond(slack, "share Is there an AI that can water the office plants?")
    unmet_id = _button(reply, VOTE)
    for voter in ("U0VOTER001", "U0VOTER001", "U0VOTER002"):
        assert await slack.click(VOTE, unmet_id, user=voter) == 200
    replies = await slack.fake.wait_for("response_url", count=4)
    texts = sorted(r.params["text"] for r in replies[1:])
    assert ["already" in t for t in texts] == [False, False, True]
    await asyncio.sleep(0.2)
    (record,) = await slack.runtime.store.unmet.list()
    assert record.votes >= 2
    assert slack.fake.unknown == []
