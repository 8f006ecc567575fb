"""Replies to Teams with retry: the SDK never retries a throttled send.

Teams answers 429 (~7 messages/s per conversation), 412 and 5xx on transient trouble:
those are retried after the `Retry-After` asked for, else with capped, jittered
backoff, within a time budget (the turn runs after the 201, not within Teams' 15 s).
A 413 (too big) is answered with a shorter activity; a 403 (the user blocked or
uninstalled the bot) is never retried.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ResourceResponse

from bot.transport.backoff import Backoff as RetryPolicy
from bot.transport.retry_after import parse_retry_after

__all__ = ["RETRY_STATUSES", "ReplySender", "RetryPolicy", "shorter", "status_of"]

_log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
TEXT_LIMIT = 4000  # characters of a text-only fallback for a card that was too large
_SHORTENED = "\n\n… (shortened: the full answer was too large to send)"


def status_of(exc: BaseException) -> int | None:
    """The HTTP status of a failed Bot Connector call (msrest HttpOperationError)."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _error_code(exc: BaseException) -> str | None:
    """The Bot Connector error code, e.g. MessageWritesBlocked, when the body had one."""
    inner = getattr(getattr(exc, "error", None), "error", None)
    code = getattr(inner, "code", None)
    return code if isinstance(code, str) else None


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    value = headers.get("Retry-After")
    return parse_retry_after(value if isinstance(value, str) else None)


def _card_text(activity: Activity) -> str:
    for attachment in activity.attachments or []:
        content = getattr(attachment, "content", None)
        if isinstance(content, dict) and content.get("fallbackText"):
            return str(content["fallbackText"])
    return str(activity.text or activity.summary or "")


def shorter(activity: Activity) -> Activity | None:
    """A smaller activity after a 413, or None: a card becomes its plain-text fallback
    (what a person would read anyway), a long text is cut to half."""
    text = _card_text(activity)
    if activity.attachments and text:
        limit = TEXT_LIMIT
    elif len(text) > 400:
        limit = len(text) // 2
    else:
        return None
    if len(text) > limit:
        text = text[: limit - len(_SHORTENED)].rstrip() + _SHORTENED
    return MessageFactory.text(text)


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
        return self.policy.delay(attempt, retry_after, self._jitter)

    async def send(self, turn_context: TurnContext,
                   activity: Activity) -> ResourceResponse | None:
        """Send one activity; None when it could not be delivered (already logged)."""
        return await self._with_retries(turn_context.send_activity, activity)

    async def update(self, turn_context: TurnContext, activity_id: str,
                     activity: Activity) -> ResourceResponse | None:
        """Replace the message `activity_id` in place (same retries); None when refused."""

        async def put(changed: Activity) -> ResourceResponse | None:
            changed.id = activity_id
            return await turn_context.update_activity(changed)

        return await self._with_retries(put, activity)

    async def _with_retries(
        self, call: Callable[[Activity], Awaitable[ResourceResponse | None]], activity: Activity
    ) -> ResourceResponse | None:
        waited = 0.0
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return await call(activity)
            except Exception as exc:
                status = status_of(exc)
                if status == 403:
                    _log.warning("Teams refused the reply (403 %s); not retrying",
                                 _error_code(exc) or "Forbidden")
                    return None
                if status == 413 and attempt < self.policy.attempts:
                    smaller = shorter(activity)
                    if smaller is not None:
                        _log.warning("Teams reply too large (413); sending a shorter one")
                        activity = smaller
                        continue
                if status not in RETRY_STATUSES or attempt == self.policy.attempts:
                    _log.error("Teams reply failed (status %s, attempt %d)", status, attempt)
                    if status is None:
                        raise
                    return None
                retry_after = _retry_after(exc)
                if retry_after is not None and retry_after > self.policy.max_retry_after:
                    _log.error("Teams asked to wait %.0fs (Retry-After); giving up the reply",
                               retry_after)
                    return None
                wait = self.delay(attempt, retry_after)
                if waited + wait > self.policy.budget:
                    _log.error("Teams reply still failing after %.1fs; giving up", waited)
                    return None
                _log.info("Teams reply got %s; retry %d in %.2fs", status, attempt, wait)
                started = time.monotonic()
                await self._sleep(wait)
                waited += max(wait, time.monotonic() - started)
        return None
