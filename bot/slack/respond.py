"""`respond()` through a command's `response_url`, retried and logged when it fails.

Bolt's own `respond` posts once: a 500 or a reset connection lost the answer without
a log line. Here connection errors, 429 and 5xx are retried with capped, jittered
backoff (`bot.transport.retry`; a response_url stays valid for half an hour); a final
failure is logged (never the body) and raised, so the caller's claim is released.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.webhook import WebhookResponse

from bot.transport.backoff import Backoff
from bot.transport.retry import GaveUp, Transient, with_retries
from bot.transport.retry_after import retry_after_in

__all__ = ["RespondFailed", "RetryingRespond"]

_log = logging.getLogger(__name__)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_POLICY = Backoff(attempts=4)


class RespondFailed(RuntimeError):
    """Every attempt to post through the response_url failed."""


class RetryingRespond(AsyncRespond):
    """Drop-in for Bolt's `respond` (installed by a middleware) that retries transient failures."""

    def __init__(self, *, response_url: str | None, policy: Backoff = _POLICY,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, **kwargs: Any) -> None:
        super().__init__(response_url=response_url, **kwargs)
        self.policy = policy
        self._sleep = sleep

    async def __call__(self, *args: Any, **kwargs: Any) -> WebhookResponse:
        async def attempt() -> WebhookResponse:
            try:
                response = await super(RetryingRespond, self).__call__(*args, **kwargs)
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                raise Transient(type(exc).__name__) from None
            if response.status_code in RETRY_STATUSES:
                raise Transient(f"HTTP {response.status_code}", retry_after_in(response.headers))
            if response.status_code >= 400:
                # Logged and returned, as Bolt's own respond returns it: raising here
                # could reach Bolt before it has sent the ack, turning the slash
                # command's own HTTP answer into an error.
                _log.error("response_url post refused; not retrying",
                           extra={"status": response.status_code})
            return response

        try:
            return await with_retries(attempt, self.policy, what="response_url post", log=_log,
                                      sleep=self._sleep)
        except GaveUp as exc:
            raise RespondFailed(str(exc)) from None
