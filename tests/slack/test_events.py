"""Direct messages, mentions, retries, replicas and bots, over real signed HTTP."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from tests.fakes.slack_api import BOT_ID, BOT_USER_ID
from tests.slack.conftest import SlackHarness, StartSlack, button


def _all_text(call_params: dict) -> str:
    return json.dumps(call_params.get("blocks", [])) + str(call_params.get("text", ""))


async def test_direct_message_is_answered_in_the_dm(slack: SlackHarness) -> None:
    assert await slack.dm("What can I use to summarize a PDF?") == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "D0USERDM1"
    assert "thread_ts" not in post.params or post.params["thread_ts"] is None
    assert "Microsoft 365 Copilot" in json.dumps(post.params["blocks"])
    assert "Microsoft 365 Copilot" in post.params["text"]  # plain fallback text
    assert len(post.params["blocks"]) <= 50
    assert await slack.runtime.store.queries.count() == 1


async def test_mention_is_answered_in_its_thread_without_the_mention(
    slack: SlackHarness,
) -> None:
    status = await slack.event({"type": "app_mention", "user": "UEMPLOYEE1",
                                "text": f"<@{BOT_USER_ID}> can I use DeepSeek?",
                                "ts": "1700000000.000100", "channel": "C0GENERAL1"})
    assert status == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert post.params["channel"] == "C0GENERAL1"
    assert post.params["thread_ts"] == "1700000000.000100"
    assert "DeepSeek" in post.params["text"]
    assert "prohibited" in post.params["text"].lower()
    query_id = json.loads(button(post.params, "Helpful"))["query_id"]
    entry = await slack.runtime.store.queries.get(int(query_id))
    assert entry is not None
    assert "<@" not in entry.question


async def test_retried_event_gets_one_answer_and_one_log_entry(slack: SlackHarness) -> None:
    statuses = [await slack.event({"type": "message", "channel": "D0USERDM1",
                                   "user": "UEMPLOYEE1", "text": "translate a letter",
                                   "ts": "1700000000.000200", "channel_type": "im"},
                                  event_id="Ev0RETRIED", retry_num=n or None)
                for n in range(4)]
    assert statuses == [200, 200, 200, 200]
    await slack.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.5)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert await slack.runtime.store.queries.count() == 1


async def test_two_replicas_sharing_a_database_answer_once(start_slack: StartSlack) -> None:
    first, second = await start_slack(), await start_slack()
    event = {"type": "message", "channel": "D0USERDM1", "user": "UEMPLOYEE1",
             "text": "make slides", "ts": "1700000000.000300", "channel_type": "im"}
    results = await asyncio.gather(first.event(event, event_id="Ev0TWICE"),
                                   second.event(event, event_id="Ev0TWICE", retry_num=1))
    assert list(results) == [200, 200]
    await first.fake.wait_for("chat.postMessage")
    await asyncio.sleep(0.5)
    assert len(first.fake.calls_to("chat.postMessage")) == 1


async def test_messages_from_bots_and_itself_are_ignored(slack: SlackHarness) -> None:
    assert await slack.dm("summarize a pdf", user=BOT_USER_ID) == 200
    assert await slack.dm("summarize a pdf", bot_id="B0OTHERBOT") == 200
    assert await slack.dm("summarize a pdf", subtype="bot_message", bot_id=BOT_ID) == 200
    assert await slack.dm("summarize a pdf", subtype="message_changed") == 200
    await asyncio.sleep(0.7)
    assert slack.fake.calls_to("chat.postMessage") == []
    assert await slack.runtime.store.queries.count() == 0


async def test_a_20000_character_question_gets_a_polite_answer(slack: SlackHarness) -> None:
    assert await slack.dm("summarize " + "x" * 20_000) == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    assert "too long" in post.params["text"]
    assert all(len(b["text"]["text"]) <= 3000 for b in post.params["blocks"] if "text" in b)


async def test_mention_injection_is_escaped(slack: SlackHarness) -> None:
    question = "Is <!channel> approved? <@U0VICTIM> & <https://evil.example|x> <!here>"
    assert await slack.event({"type": "app_mention", "user": "UEMPLOYEE1",
                              "text": f"<@{BOT_USER_ID}> {question}",
                              "ts": "1700000000.000400", "channel": "C0GENERAL1"}) == 200
    assert await slack.dm(question) == 200
    posts = await slack.fake.wait_for("chat.postMessage", count=2)
    mention = next(p for p in posts if p.params["channel"] == "C0GENERAL1")
    assert "&lt;!channel&gt;" in _all_text(mention.params)
    assert "&lt;@U0VICTIM&gt; &amp; &lt;https://evil.example|x&gt;" in _all_text(mention.params)
    for post in posts:
        for live in ("<!channel>", "<!here>", "<@U0VICTIM>", "<https://evil"):
            assert live not in _all_text(post.params)


@pytest.mark.parametrize("status", [429, 503])
async def test_a_post_is_retried_no_sooner_than_retry_after(slack: SlackHarness,
                                                           status: int) -> None:
    """Every Slack retry waits as `Backoff` says: after a Retry-After, a 5xx's too."""
    slack.fake.fail_next(1, status=status, retry_after=2, method="chat.postMessage")
    assert await slack.dm("What can I use to summarize a PDF?") == 200
    await slack.fake.wait_for("chat.postMessage", within=15)
    attempts = [c for c in slack.fake.attempts if c.method == "chat.postMessage"]
    assert [c.status for c in attempts] == [status, 200]
    assert attempts[1].at - attempts[0].at >= 2.0
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_server_errors_are_retried_a_bounded_number_of_times(slack: SlackHarness) -> None:
    slack.fake.fail_next(10, status=503, retry_after=None, method="chat.postMessage")
    assert await slack.dm("What can I use to summarize a PDF?") == 200
    for _ in range(100):
        await asyncio.sleep(0.1)
        if len([c for c in slack.fake.attempts if c.method == "chat.postMessage"]) >= 3:
            break
    await asyncio.sleep(1.0)
    attempts = [c for c in slack.fake.attempts if c.method == "chat.postMessage"]
    assert [c.status for c in attempts] == [503, 503, 503]  # one try and two retries


async def test_app_home_shows_catalogue_red_lines_and_how_to_ask(slack: SlackHarness) -> None:
    assert await slack.event({"type": "app_home_opened", "user": "UEMPLOYEE1",
                              "channel": "D0USERDM1", "tab": "home"}) == 200
    (publish,) = await slack.fake.wait_for("views.publish")
    view = publish.params["view"]
    assert publish.params["user_id"] == "UEMPLOYEE1"
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert "Ask me" in text  # how to ask, with examples
    assert "/aitools" in text
    assert "Red line" in text
    assert "ChatGPT Enterprise" in text
    assert slack.fake.unknown == []


async def test_ack_is_immediate_even_when_slack_is_slow(slack: SlackHarness) -> None:
    await slack.dm("warm up: summarize a pdf")  # first request runs auth.test
    await slack.fake.wait_for("chat.postMessage")
    slack.fake.delays["chat.postMessage"] = 4.0
    started = time.monotonic()
    assert await slack.dm("What can I use to summarize a PDF?") == 200
    assert time.monotonic() - started < 1.0
    await slack.fake.wait_for("chat.postMessage", count=2, within=10)


async def test_fifty_concurrent_events_are_all_acknowledged_quickly(
    slack: SlackHarness,
) -> None:
    await slack.dm("warm up: summarize a pdf")
    await slack.fake.wait_for("chat.postMessage")

    async def timed(i: int) -> tuple[int, float]:
        started = time.monotonic()
        status = await slack.dm(f"What can I use to translate letter {i}?")
        return status, time.monotonic() - started

    results = await asyncio.gather(*(timed(i) for i in range(50)))
    assert {status for status, _ in results} == {200}
    assert max(elapsed for _, elapsed in results) < 3.0
    await slack.fake.wait_for("chat.postMessage", count=51, within=30)
