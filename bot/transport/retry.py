"""One retry loop for platform calls (Slack's response_url, Teams' Bot Connector).

The call itself says what a failure means: it raises `Transient` for one worth trying
again (a reset connection, 429, 5xx), with the `Retry-After` the service asked for;
anything else it returns or raises as usual. The loop waits as `Backoff` says, never
retries before a Retry-After and never waits longer than `max_retry_after` or the
budget, and raises `GaveUp` (logged, never with the body) when it stops.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.transport.backoff import Backoff

__all__ = ["GaveUp", "Transient", "with_retries"]

T = TypeVar("T")


class Transient(Exception):
    """This attempt failed in a way that may pass; `problem` is safe to log."""

    def __init__(self, problem: str, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.problem, self.retry_after = problem, retry_after


class GaveUp(RuntimeError):
    """Every attempt failed (or the service asked to wait too long); already logged."""


async def with_retries(
    attempt: Callable[[], Awaitable[T]], policy: Backoff, *, what: str, log: logging.Logger,
    retrying: str = "%(what)s failed; retrying",
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    jitter: Callable[[float, float], float] = random.uniform,
) -> T:
    """`attempt()`'s result, trying again after each `Transient` it raises (each retry
    logged as `retrying`, formatted with `what` and the `problem`)."""
    waited, problem = 0.0, ""
    for number in range(1, policy.attempts + 1):
        try:
            result = await attempt()
        except Transient as exc:
            problem, retry_after = exc.problem, exc.retry_after
        else:
            if number > 1:
                log.info("%s delivered after a retry", what, extra={"attempt": number})
            return result
        if number == policy.attempts:
            break
        if retry_after is not None and retry_after > policy.max_retry_after:
            log.error("%s: asked to wait %.0fs (Retry-After); giving up", what, retry_after)
            raise GaveUp(problem)
        wait = policy.delay(number, retry_after, jitter)
        if waited + wait > policy.budget:
            break
        log.warning(retrying, {"what": what, "problem": problem},
                    extra={"problem": problem, "attempt": number, "retry_in_s": round(wait, 2)})
        started = time.monotonic()
        await sleep(wait)
        waited += max(wait, time.monotonic() - started)
    log.error("%s failed after every retry; the answer was not delivered", what,
              extra={"problem": problem, "attempts": policy.attempts})
    raise GaveUp(problem)
