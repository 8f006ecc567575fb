"""Replies under throttling: the fake Bot Connector answers 429/412/502/504/403 on purpose."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.teams.app import TEAMS_BOT
from bot.teams.sender import ReplySender, RetryPolicy
from tests.teams.conftest import make_activity

FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, budget=2.0)


async def _served(serve, teams_settings, policy: RetryPolicy | None = None):
    served = await serve(teams_settings())
    if policy is not None:  # a faster schedule: same code path, shorter waits
        served.runner.app[TEAMS_BOT].sender = ReplySender(policy)
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


@pytest.mark.parametrize("status", [429, 412, 502, 504])
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


def test_backoff_is_capped_jittered_and_honours_retry_after():
    policy = RetryPolicy(base_delay=0.5, max_delay=4.0)
    highest = ReplySender(policy, jitter=lambda low, high: high)
    lowest = ReplySender(policy, jitter=lambda low, high: low)
    assert [highest.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert lowest.delay(3) == 0.0
    assert lowest.delay(1, retry_after=2.0) == 2.0
    assert lowest.delay(1, retry_after=60.0) == 4.0  # never beyond the cap
    real = ReplySender(policy)
    assert all(0.0 <= real.delay(4) <= 4.0 for _ in range(100))
