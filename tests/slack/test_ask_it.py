"""Ask IT over Slack: the handoff posted to IT_CHANNEL, IT's thread reply relayed to the asker."""

from __future__ import annotations

import asyncio
import json

from tests.slack.conftest import USER, SlackHarness, StartSlack, button

IT = "C0ITDESK01"
QUESTION = "Is there an AI that can water the office plants? call me on 07700 900461"


async def _answer(slack: SlackHarness) -> dict[str, object]:
    assert await slack.dm(QUESTION) == 200
    (answer,) = await slack.fake.wait_for("chat.postMessage")
    return answer.params


async def test_ask_it_posts_to_it_and_relays_the_reply(start_slack: StartSlack) -> None:
    slack = await start_slack(it_channel=IT, phone_region="GB")
    slack.fake.names.update({USER: "Jo Employee", "U0ITPERSON": "Sam from IT"})
    ask_it = button(await _answer(slack), "Ask IT")
    assert json.loads(ask_it)["a"] == "ask_it"
    assert await slack.click(ask_it, user="U0SOMEONE2") == 200  # not their question
    (refused,) = await slack.fake.wait_for("response_url")
    assert "Only the person who asked" in refused.params["text"]

    assert await slack.click(ask_it) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=2)
    post = calls[1].params
    assert post["channel"] == IT
    shown = json.dumps(post, ensure_ascii=False)
    assert "water the office plants" in shown
    assert "07700" not in shown  # redacted, as the logs hold it
    assert "Jo Employee" in shown  # IT knows whom to help (the name is not stored)
    (confirm,) = (await slack.fake.wait_for("response_url", count=2))[1:]
    assert "Passed on to IT" in json.dumps(confirm.params)
    assert await slack.click(ask_it) == 200  # a second click posts nothing new
    await slack.fake.wait_for("response_url", count=3)
    assert len([c for c in slack.fake.calls_to("chat.postMessage")
                if c.params["channel"] == IT]) == 1

    root = slack.fake.calls_to("chat.postMessage")[1]
    ts = "1700000100.000200"
    thread = {"type": "message", "channel": IT, "channel_type": "channel"}
    assert await slack.event({**thread, "user": "U0ITPERSON", "ts": "1700000100.000300",
                              "text": "Not yet &amp; not planned"}) == 200  # not a thread
    assert await slack.event({**thread, "user": "U0ITPERSON", "ts": ts,
                              "thread_ts": "1700000000.999999", "text": "other thread"}) == 200
    posted_ts = root.result["ts"]
    assert await slack.event({**thread, "user": "U0ITPERSON", "ts": ts, "thread_ts": posted_ts,
                              "text": "Try the garden robot &amp; tell me"}) == 200
    relayed = (await slack.fake.wait_for("chat.postMessage", count=3))[2].params
    assert relayed["channel"] == USER  # the asker's DM with the app
    text = json.dumps(relayed, ensure_ascii=False)
    assert "Try the garden robot &amp; tell me" in text  # unescaped once, escaped once
    assert "Sam from IT" in text
    await asyncio.sleep(0.3)
    assert len(slack.fake.calls_to("chat.postMessage")) == 3  # the other messages: nothing


async def test_without_an_it_channel_the_button_says_how_to_reach_it(
        slack: SlackHarness) -> None:
    assert await slack.click(button(await _answer(slack), "Ask IT")) == 200
    (told,) = await slack.fake.wait_for("response_url")
    assert "can't pass questions to IT from here" in told.params["text"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_other_channel_messages_cost_nothing(start_slack: StartSlack) -> None:
    """message.channels brings every message of the bot's channels: only IT threads count,
    and nobody's aliases are looked up for the rest (users.info is rate limited)."""
    slack = await start_slack(it_channel=IT, admins=["it.lead@northwind.example"])
    for thread in (None, "1700000000.000100"):
        assert await slack.event({"type": "message", "channel": "C0RANDOM01",
                                  "channel_type": "channel", "user": USER,
                                  "text": "lunch?", "ts": "1700000000.000200",
                                  **({"thread_ts": thread} if thread else {})}) == 200
    await asyncio.sleep(0.5)
    assert slack.fake.calls_to("users.info") == []
    assert slack.fake.calls_to("chat.postMessage") == []
    assert await slack.runtime.store.queries.count() == 0
