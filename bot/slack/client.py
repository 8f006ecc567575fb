"""The Slack Web API client: explicit token and base URL, bounded retries, quiet logs.

slack_sdk retries only connection errors by default; Slack answers 429 with
`Retry-After` when a method's tier is exceeded and 5xx on incidents, so both are
retried a bounded number of times, never sleeping on a Retry-After that is too long.
"""

from __future__ import annotations

import asyncio
import logging
import random

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.observability.withhold import Withhold, withhold
from bot.settings import Settings
from bot.transport.retry_after import retry_after_in

__all__ = ["DEFAULT_API_URL", "RateLimitRetry", "ServerErrorRetry", "make_client",
           "silence_sensitive_logs"]

DEFAULT_API_URL = "https://slack.com/api/"
_log = logging.getLogger(__name__)


class RateLimitRetry(AsyncRetryHandler):
    """Retry 429s after `Retry-After` seconds (plus jitter), unless that is too long to wait."""

    def __init__(self, max_retry_count: int = 2, max_wait: float = 30.0) -> None:
        super().__init__(max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_in(response.headers)
        return wait is None or wait <= self.max_wait

    async def prepare_for_next_attempt_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> None:
        wait = retry_after_in(response.headers) if response is not None else None
        state.next_attempt_requested = True
        _log.warning("Slack API rate limited; retrying", extra={"retry_after": wait})
        await asyncio.sleep((1.0 if wait is None else wait) + random.random() * 0.25)
        state.increment_current_attempt()


class ServerErrorRetry(AsyncRetryHandler):
    """Retry Slack's transient server errors with exponential backoff and jitter."""

    STATUSES = frozenset({500, 502, 503, 504})

    def __init__(self, max_retry_count: int = 2, backoff: float = 0.5) -> None:
        super().__init__(max_retry_count, BackoffRetryIntervalCalculator(backoff_factor=backoff))

    async def _can_retry_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code in self.STATUSES


# Bolt logs a badly signed request's body at INFO, slack_sdk request parameters at DEBUG,
# and Bolt warns that it reads SLACK_BOT_TOKEN from the environment when given a client.
_FILTER = Withhold(chatty=("slack_sdk", "bot.slack.webclient"),
                   dropped=("As you gave `client` as well",),
                   redacted=("Invalid request signature detected",))
_FILTERED_LOGGERS = (
    "slack_bolt.AsyncRequestVerification",
    "slack_bolt.RequestVerification",
    "bot.slack.bolt",
    "bot.slack.webclient",
    "slack_sdk.web.async_base_client",
    "slack_sdk.socket_mode.aiohttp",
)


def silence_sensitive_logs() -> logging.Filter:
    """Attach the filter to every logger that may see a body (idempotent)."""
    return withhold(_FILTERED_LOGGERS, _FILTER)


def make_client(settings: Settings, *, token: str | None = None,
                session: aiohttp.ClientSession | None = None) -> AsyncWebClient:
    """An AsyncWebClient for the bot token, pointed at SLACK_API_URL when set. Give a
    `session` in a server: without one every call opens a new TCP and TLS connection."""
    secret = token or (settings.slack_bot_token.get_secret_value()
                       if settings.slack_bot_token else None)
    base_url = settings.slack_api_url or DEFAULT_API_URL
    if not base_url.endswith("/"):
        base_url += "/"
    silence_sensitive_logs()
    return AsyncWebClient(
        token=secret,
        base_url=base_url,
        timeout=15,
        logger=logging.getLogger("bot.slack.webclient"),
        retry_handlers=[AsyncConnectionErrorRetryHandler(), RateLimitRetry(), ServerErrorRetry()],
        session=session,
    )
