"""`/aitools` for everyone, and the buttons under answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.slack.conftest import USER, SlackHarness, button, buttons


def _text(params: dict[str, Any]) -> str:
    return json.dumps(params.get("blocks", [])) + str(params.get("text", ""))


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
    prohibited, by_job = listing["text"].split("Prohibited:")[1].split("By job")
    assert "DeepSeek" in prohibited  # listed as prohibited, with why
    assert "DeepSeek" not in by_job  # never offered for a job
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
    helpful = button(reply, "Helpful")
    assert await slack.click(helpful, user="U0SOMEONE2") == 200
    thanks = await slack.fake.wait_for("response_url", count=2)
    assert "Only the person who asked" in thanks[1].params["text"]
    assert await slack.click(helpful) == 200
    thanks = await slack.fake.wait_for("response_url", count=3)
    assert "Thanks for the feedback" in thanks[2].params["text"]
    entry = await slack.runtime.store.queries.get(int(json.loads(helpful)["query_id"]))
    assert entry is not None
    assert entry.feedback == "helpful"


async def test_not_what_i_needed_logs_an_unmet_request(slack: SlackHarness) -> None:
    reply = await _respond(slack, "What can I use to summarize a PDF?")
    assert await slack.click(button(reply, "Not what I needed"), user=USER) == 200
    await slack.fake.wait_for("response_url", count=2)
    unmet = await slack.runtime.store.unmet.list()
    assert [u.question for u in unmet] == ["What can I use to summarize a PDF?"]


async def test_i_need_this_too_counts_one_vote_per_person(slack: SlackHarness) -> None:
    reply = await _respond(slack, "share Is there an AI that can water the office plants?")
    vote = button(reply, "I need this too")
    for voter in ("U0VOTER001", "U0VOTER001", "U0VOTER002"):
        assert await slack.click(vote, user=voter) == 200
    replies = await slack.fake.wait_for("response_url", count=4)
    texts = sorted(r.params["text"] for r in replies[1:])
    assert ["already" in t for t in texts] == [False, False, True]
    await asyncio.sleep(0.2)
    (record,) = await slack.runtime.store.unmet.list()
    assert record.votes >= 2
    assert slack.fake.unknown == []


async def test_a_button_runs_its_command_as_the_clicker(slack: SlackHarness) -> None:
    """A `{"c": …}` button is the same as typing the command (here: `list`)."""
    assert await slack.click(json.dumps({"c": "list"})) == 200
    (listing,) = await slack.fake.wait_for("response_url")
    assert "ChatGPT Enterprise" in _text(listing.params)
    assert await slack.click("") == 200  # a link button: Slack still expects an ack
    assert await slack.click("not json") == 200  # an out-of-date button: nothing happens
    await asyncio.sleep(0.3)
    assert len(slack.fake.calls_to("response_url")) == 1


async def test_a_rating_replaces_the_answer_in_place_without_its_rating_buttons(
        slack: SlackHarness) -> None:
    reply = await _respond(slack, "What can I use to summarize a PDF?")
    labels = [b["text"]["text"] for b in buttons(reply)]
    assert "Helpful" in labels
    assert await slack.click(button(reply, "Helpful")) == 200
    rated = (await slack.fake.wait_for("response_url", count=2))[1].params
    assert rated["replace_original"] is True
    assert "Microsoft 365 Copilot" in _text(rated)  # the same answer
    assert "Thanks for the feedback — noted." in _text(rated)
    left = [b["text"]["text"] for b in buttons(rated)]
    assert left == [x for x in labels if x not in ("Helpful", "Not what I needed")]
    assert "Ask IT" in left

    assert await slack.click(button(reply, "Helpful")) == 200  # a second click
    again = (await slack.fake.wait_for("response_url", count=3))[2].params
    assert "already have your feedback" in again["text"]
    assert not again.get("replace_original")  # the rated answer stays as it is
    assert await slack.runtime.store.unmet.list() == []
