"""Delivery: every answer posted once, a failed response_url post retried and logged."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.slack.conftest import ADMIN, SlackHarness


async def test_a_failed_response_url_post_is_retried_and_logged(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    """The finding: a 500 from the response_url lost the slash-command answer silently."""
    slack.fake.fail_next(2, status=500, retry_after=None, method="response_url")
    with caplog.at_level(logging.WARNING, logger="bot.slack.respond"):
        assert await slack.command("Is ChatGPT Enterprise approved?") == 200
        [answer] = await slack.fake.wait_for("response_url", within=15)
    failed = [c for c in slack.fake.attempts if c.method == "response_url" and c.status == 500]
    assert len(failed) == 2
    assert "ChatGPT Enterprise" in answer.params["text"]
    retries = [r for r in caplog.records if r.getMessage() == "response_url post failed; retrying"]
    assert len(retries) == 2
    # The log says what failed, never what was said.
    assert all("ChatGPT" not in str(r.__dict__) for r in caplog.records)


async def test_a_response_url_that_keeps_failing_is_given_up_with_an_error(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    slack.fake.fail_next(20, status=503, retry_after=None, method="response_url")
    with caplog.at_level(logging.WARNING, logger="bot.slack.respond"):
        assert await slack.command("Is ChatGPT Enterprise approved?") == 200
        for _ in range(200):
            if any(r.levelno == logging.ERROR for r in caplog.records):
                break
            await asyncio.sleep(0.1)
    attempts = [c for c in slack.fake.attempts if c.method == "response_url"]
    assert len(attempts) == 4  # bounded
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert "response_url post failed after every retry; the answer was not delivered" in errors


async def test_a_refused_response_url_is_not_retried(slack: SlackHarness) -> None:
    slack.fake.fail_next(1, status=404, retry_after=None, method="response_url")
    assert await slack.command("Is ChatGPT Enterprise approved?") == 200
    for _ in range(600):  # the answer is computed first; a loaded machine takes a while
        if any(c.method == "response_url" for c in slack.fake.attempts):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(1.5)  # longer than any retry's backoff would wait
    assert [c.status for c in slack.fake.attempts if c.method == "response_url"] == [404]


async def test_slack_retries_of_one_event_are_answered_once(slack: SlackHarness) -> None:
    """X-Slack-Retry-Num redeliveries, while answering and after, post one answer."""
    slack.fake.hold("chat.postMessage")
    event = {"type": "message", "channel": "D0USERDM1", "user": "UEMPLOYEE1",
             "text": "Is ChatGPT Enterprise approved?", "ts": "1700000000.000100",
             "channel_type": "im"}
    assert await slack.event(event, event_id="EvRetry001") == 200
    for _ in range(100):
        if slack.fake.held:
            break
        await asyncio.sleep(0.05)
    assert await slack.event(event, event_id="EvRetry001", retry_num=1) == 200
    slack.fake.release("chat.postMessage")
    await slack.fake.wait_for("chat.postMessage")
    assert await slack.event(event, event_id="EvRetry001", retry_num=2) == 200
    await asyncio.sleep(0.5)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    assert await slack.runtime.store.events.state_of("slack:EvRetry001") == "done"


async def test_a_redelivery_to_another_replica_waits_for_the_first(
        start_slack, fake_slack) -> None:
    """Replica B gets the retry while replica A still posts: B waits, sees it done, skips."""
    a = await start_slack(event_lease_seconds=30)
    b = await start_slack(event_lease_seconds=30)
    fake_slack.hold("chat.postMessage")
    event = {"type": "message", "channel": "D0USERDM1", "user": "UEMPLOYEE1",
             "text": "Is DeepL Pro approved?", "ts": "1700000000.000200", "channel_type": "im"}
    assert await a.event(event, event_id="EvReplica1") == 200
    for _ in range(100):
        if fake_slack.held:
            break
        await asyncio.sleep(0.05)
    assert await b.event(event, event_id="EvReplica1", retry_num=1) == 200
    await asyncio.sleep(0.5)  # B is now waiting on A's claim
    fake_slack.release("chat.postMessage")
    await fake_slack.wait_for("chat.postMessage")
    await asyncio.sleep(1.0)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_a_failure_is_logged_once_and_answered_politely(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    """A broken database table: one traceback in the log, one apology where it was asked."""
    from sqlalchemy import text

    async with slack.runtime.store.engine.begin() as connection:
        await connection.execute(text("DROP TABLE policy_version_details"))
    with caplog.at_level(logging.INFO):
        assert await slack.command("admin history", user=ADMIN) == 200
        [apology] = await slack.fake.wait_for("response_url", within=30)
    assert apology.params["text"].startswith("Sorry, something went wrong on my side")
    assert apology.params["response_type"] == "ephemeral"
    assert len([r for r in caplog.records if r.exc_info]) == 1
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_a_slack_api_failure_reaches_the_one_error_handler(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    """No listener catches errors: Slack refusing to open a form is logged and explained."""
    slack.fake.fail_next(1, status=400, retry_after=None, method="views.open")
    with caplog.at_level(logging.INFO, logger="bot.slack.app"):
        assert await slack.command("admin tool", user=ADMIN) == 200
        [apology] = await slack.fake.wait_for("response_url", within=30)
    assert apology.params["text"].startswith("Sorry, something went wrong on my side")
    assert apology.params["response_type"] == "ephemeral"
    # (Only this request's record: a slow earlier test's leftovers may log here too.)
    [logged] = [r for r in caplog.records if r.name == "bot.slack.app"
                and r.exc_info and "views.open" in str(r.exc_info[1])]
    assert (logged.levelno, logged.getMessage()) == (logging.ERROR,
                                                     "Slack request failed: SlackApiError")


async def test_a_refusal_is_answered_without_a_traceback(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert await slack.command("admin history") == 200
        [refused] = await slack.fake.wait_for("response_url")
    assert "only AI policy admins" in refused.params["text"]
    assert not any(r.exc_info for r in caplog.records)
