"""Replies to Teams with retry: the SDK never retries a throttled send.

Teams answers 429 (~7 messages/s per conversation), 412 and 5xx on transient trouble:
those are retried after the `Retry-After` asked for, else with capped, jittered
backoff, within a time budget (`bot.transport.retry`; the turn runs after the 201, not
within Teams' 15 s).
A 413 (too big) is answered with a shorter activity; a 403 (the user blocked or
uninstalled the bot) is never retried.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, ResourceResponse

from bot.render.adaptive_files import shortened
from bot.transport.backoff import Backoff
from bot.transport.retry import GaveUp, Transient, with_retries
from bot.transport.retry_after import retry_after_in

__all__ = ["RETRY_STATUSES", "ReplySender", "shorter", "status_of"]

_log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
TEXT_LIMIT = 4000  # characters of a text-only fallback for a card that was too large


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
        return MessageFactory.text(shortened(text, TEXT_LIMIT))
    return MessageFactory.text(shortened(text, len(text) // 2)) if len(text) > 400 else None


class ReplySender:
    """Sends activities through a turn context, retrying throttled and transient failures."""

    def __init__(self, policy: Backoff | None = None) -> None:
        self.policy = policy or Backoff()

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
        sending = [activity]  # a 413 swaps in a shorter one for the next attempt

        async def attempt() -> ResourceResponse | None:
            try:
                return await call(sending[0])
            except Exception as exc:
                status = status_of(exc)
                if status == 403:
                    _log.warning("Teams refused the reply (403 %s); not retrying",
                                 _error_code(exc) or "Forbidden")
                    return None
                smaller = shorter(sending[0]) if status == 413 else None
                if smaller is not None:
                    _log.warning("Teams reply too large (413); sending a shorter one")
                    sending[0] = smaller
                    raise Transient("413", 0.0) from None
                if status in RETRY_STATUSES:
                    raise Transient(str(status), retry_after_in(
                        getattr(getattr(exc, "response", None), "headers", None))) from None
                _log.error("Teams reply failed (status %s)", status)
                if status is None:
                    raise
                return None

        try:
            return await with_retries(attempt, self.policy, what="Teams reply", log=_log,
                                      retrying="Teams reply got %(problem)s; retrying")
        except GaveUp:
            return None
