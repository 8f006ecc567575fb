"""Replies under throttling: the fake Bot Connector answers 429/412/5xx/413/403 on purpose."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from botbuilder.core import CardFactory, MessageFactory

from bot.teams.app import TEAMS_BOT
from bot.teams.sender import ReplySender, shorter
from bot.transport.backoff import Backoff
from bot.transport.retry_after import parse_retry_after
from tests.teams.conftest import make_activity

FAST = Backoff(attempts=5, base_delay=0.01, max_delay=0.05, budget=2.0)


async def _served(serve, teams_settings, policy: Backoff | None = None):
    served = await serve(teams_settings())
    if policy is not None:  # a faster schedule: same code path, shorter waits
        served.runner.app[TEAMS_BOT].delivery.sender = ReplySender(policy)
    return served


async def test_429_with_retry_after_is_retried_after_waiting(serve, teams_settings, connector):
    served = await _served(serve, teams_settings)
    connector.fail_next(429, code="Throttled", retry_after=1)
    started = asyncio.get_running_loop().time()  # the clock of the fake's `at`
    response = await served.post(make_activity(connector.url, "help"))
    assert response.status == 201
    assert asyncio.get_running_loop().time() - started < 1.0  # acked before the retry
    [reply] = await connector.wait_for(1, within=10)
    elapsed = reply.at - started
    assert connector.attempts == 2
    assert len(connector.sent) == 1
    assert 1.0 <= elapsed < 10.0  # waited as told, still well inside Teams' 15 s


@pytest.mark.parametrize("status", [429, 412, 500, 502, 503, 504])
async def test_transient_failures_are_retried_once_delivered(serve, teams_settings, connector,
                                                             status):
    served = await _served(serve, teams_settings, FAST)
    connector.fail_next(status, times=2)
    assert (await served.post(make_activity(connector.url, "list"))).status == 201
    await served.settle()
    assert connector.attempts == 3  # msrest adds no retries of its own
    [reply] = connector.sent
    assert reply.cards[0]["body"][0]["text"].startswith("AI tools at")


async def test_message_writes_blocked_is_never_retried(serve, teams_settings, connector):
    served = await _served(serve, teams_settings, FAST)
    connector.fail_next(403, times=3, code="MessageWritesBlocked")
    assert (await served.post(make_activity(connector.url, "help"))).status == 201
    await served.settle()
    assert connector.attempts == 1
    assert connector.sent == []


async def test_endless_throttling_gives_up_after_the_attempt_limit(serve, teams_settings,
                                                                   connector):
    served = await _served(serve, teams_settings, FAST)
    connector.fail_next(429, times=50)
    started = time.monotonic()
    assert (await served.post(make_activity(connector.url, "help"))).status == 201
    await served.settle()
    assert time.monotonic() - started < 5
    assert connector.attempts == FAST.attempts
    assert connector.sent == []


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 29, 20, 0, 0, tzinfo=UTC)
    assert parse_retry_after("10") == 10.0
    assert parse_retry_after("0.5") == 0.5
    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True),
                             now=now) == 7.0
    assert parse_retry_after("Sun, 29 Nov 2026 19:59:00 GMT", now=now) == 0.0  # in the past
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-3") is None
    assert parse_retry_after(None) is None


async def test_retry_after_is_waited_in_full_not_capped(serve, teams_settings, connector):
    """The finding: `Retry-After: 10` was retried after 4 s (the backoff cap)."""
    served = await _served(serve, teams_settings, FAST)  # backoff cap 0.05 s
    connector.fail_next(429, code="Throttled", retry_after=1.5)
    started = asyncio.get_running_loop().time()
    assert (await served.post(make_activity(connector.url, "help"))).status == 201
    [reply] = await connector.wait_for(1, within=10)
    assert connector.attempts == 2
    assert reply.at - started >= 1.5


async def test_retry_after_as_an_http_date_is_honoured(serve, teams_settings, connector):
    served = await _served(serve, teams_settings, Backoff(base_delay=0.01, max_delay=0.05))
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
    connector.fail_next(503, retry_after=format_datetime(when, usegmt=True))
    assert (await served.post(make_activity(connector.url, "help"))).status == 201
    [_reply] = await connector.wait_for(1, within=10)
    assert connector.attempts == 2
    assert time.time() >= when.timestamp() - 0.05  # not retried before the date


async def test_a_retry_after_longer_than_we_wait_is_not_retried_early(serve, teams_settings,
                                                                     connector):
    served = await _served(serve, teams_settings,
                           Backoff(attempts=5, base_delay=0.01, max_delay=0.05,
                                       max_retry_after=2.0, budget=5.0))
    connector.fail_next(429, retry_after=120)
    assert (await served.post(make_activity(connector.url, "help"))).status == 201
    await served.settle()
    assert connector.attempts == 1  # giving up beats retrying 2 minutes too early
    assert connector.sent == []


async def test_413_gets_a_shorter_text_reply(serve, teams_settings, connector):
    """A card the service refuses as too large is answered with its plain-text fallback."""
    served = await _served(serve, teams_settings, FAST)
    connector.max_bytes = 6000  # the catalogue card is far larger; its fallback is not
    assert (await served.post(make_activity(connector.url, "list"))).status == 201
    await served.settle()
    [reply] = connector.sent
    assert connector.attempts == 2
    assert not reply.activity.get("attachments")
    assert reply.activity["text"].startswith("AI tools at")
    assert len(reply.activity["text"]) < 6000


def test_shorter_turns_a_card_into_text_then_halves_the_text():
    card = {"type": "AdaptiveCard", "version": "1.5", "fallbackText": "word " * 2000,
            "body": [{"type": "TextBlock", "text": "word " * 2000}]}
    first = shorter(MessageFactory.attachment(CardFactory.adaptive_card(card)))
    assert first is not None
    assert not first.attachments
    assert len(first.text) <= 4000
    assert first.text.endswith("too large to send)")
    second = shorter(first)
    assert second is not None
    assert len(second.text) <= len(first.text) // 2
    assert shorter(MessageFactory.text("short")) is None
