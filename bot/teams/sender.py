"""Replies to Teams with retry: the SDK itself never retries a throttled send.

Teams answers 429 when a bot sends faster than ~7 messages/s per conversation,
and 412/502/504 on transient service trouble; those are retried with capped
exponential backoff and full jitter (honouring Retry-After), within a total time
budget so the turn still ends well inside Teams' 15 s. 403 (e.g.
`MessageWritesBlocked`: the user blocked or uninstalled the bot) is never retried.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ResourceResponse

__all__ = ["RETRY_STATUSES", "ReplySender", "RetryPolicy", "error_code", "status_of"]

_log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({412, 429, 502, 504})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # total tries, including the first
    base_delay: float = 0.5
    max_delay: float = 4.0  # cap of one wait, Retry-After included
    budget: float = 9.0  # total seconds spent waiting per reply


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a failed Bot Connector call (msrest HttpOperationError)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def error_code(exc: BaseException) -> str | None:
    """The Bot Connector error code, e.g. MessageWritesBlocked, when the body had one."""
    inner = getattr(getattr(exc, "error", None), "error", None)
    code = getattr(inner, "code", None)
    return code if isinstance(code, str) else None


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    try:
        value = float(headers.get("Retry-After", ""))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


class ReplySender:
    """Sends activities through a turn context, retrying throttled and transient failures."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        jitter: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Wait before retry number `attempt` (1-based): full jitter, capped."""
        ceiling = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
        wait = self._jitter(0.0, ceiling)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, self.policy.max_delay)

    async def send(
        self, turn_context: TurnContext, activity: Activity | str
    ) -> ResourceResponse | None:
        """Send one activity; None when it could not be delivered (already logged)."""
        waited = 0.0
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return await turn_context.send_activity(activity)
            except Exception as exc:
                status = status_of(exc)
                if status == 403:
                    _log.warning("Teams refused the reply (403 %s); not retrying",
                                 error_code(exc) or "Forbidden")
                    return None
                if status not in RETRY_STATUSES or attempt == self.policy.attempts:
                    _log.error("Teams reply failed (status %s, attempt %d)", status, attempt)
                    if status is None:
                        raise
                    return None
                wait = self.delay(attempt, _retry_after(exc))
                if waited + wait > self.policy.budget:
                    _log.error("Teams reply still throttled after %.1fs; giving up", waited)
                    return None
                _log.info("Teams reply got %s; retry %d in %.2fs", status, attempt, wait)
                started = time.monotonic()
                await self._sleep(wait)
                waited += max(wait, time.monotonic() - started)
        return None
