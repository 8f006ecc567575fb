"""The Slack Web API client: explicit token and base URL, bounded retries, quiet logs.

slack_sdk retries only connection errors by default; Slack answers 429 with
`Retry-After` when a method's tier is exceeded and 5xx on incidents, so both are
retried a bounded number of times, never sleeping on a Retry-After that is too long.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.observability.withhold import Withhold, withhold
from bot.settings import Settings
from bot.transport.backoff import Backoff
from bot.transport.retry_after import retry_after_in

__all__ = ["DEFAULT_API_URL", "RateLimitRetry", "ServerErrorRetry", "make_client",
           "silence_sensitive_logs"]

DEFAULT_API_URL = "https://slack.com/api/"
_log = logging.getLogger(__name__)
_BACKOFF = Backoff(attempts=3)  # one try and two retries


class _BackedOff(AsyncRetryHandler):
    """Retry the `STATUSES` waiting as `Backoff` says (after a Retry-After when Slack sends
    one), the same timing as every platform call; never on a Retry-After too long to wait."""

    STATUSES: frozenset[int] = frozenset()

    def __init__(self, backoff: Backoff = _BACKOFF) -> None:
        super().__init__(backoff.attempts - 1)
        self.backoff = backoff

    async def _can_retry_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code not in self.STATUSES:
            return False
        wait = retry_after_in(response.headers)
        return wait is None or wait <= self.backoff.max_retry_after

    async def prepare_for_next_attempt_async(
        self, *, state: RetryState, request: HttpRequest,
        response: HttpResponse | None = None, error: Exception | None = None,
    ) -> None:
        wait = retry_after_in(response.headers) if response is not None else None
        state.next_attempt_requested = True
        status = response.status_code if response is not None else None
        _log.warning("Slack API answered %s; retrying", status, extra={"retry_after": wait})
        await asyncio.sleep(self.backoff.delay(state.current_attempt + 1, wait))
        state.increment_current_attempt()


class RateLimitRetry(_BackedOff):
    STATUSES = frozenset({429})


class ServerErrorRetry(_BackedOff):
    """Slack's transient server errors."""

    STATUSES = frozenset({500, 502, 503, 504})


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
