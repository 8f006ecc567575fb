"""Delivers the leadership digest to a Slack channel or user: Block Kit text, then the chart.

The message (every figure, as text) is the delivery; the chart is uploaded afterwards
with files_upload_v2 into the message's thread, best effort, so a failed upload never
causes the whole digest to be sent twice.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.insights.digest import Digest
from bot.core.insights.sections import headline, sections, text
from bot.core.ports import DeliveryError
from bot.settings import Settings

__all__ = ["SlackNotifier", "digest_blocks"]

_log = logging.getLogger(__name__)

# Errors that will not go away by retrying: configuration or permission problems.
_PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "missing_scope", "user_not_found",
    "restricted_action", "team_access_not_granted",
})
_SECTION_CHARS = 3000
_MAX_TEXT = 39_000


def _escape(value: str) -> str:
    """Slack control characters only; keeps `<!channel>` in data from becoming a mention."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def digest_blocks(digest: Digest) -> list[dict[str, Any]]:
    """Block Kit for the digest: a header, one section per part, a privacy note."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline(digest)[:150]}}
    ]
    for section in sections(digest):
        body = f"*{_escape(section.title)}*\n" + "\n".join(
            f"• {_escape(line)}" for line in section.lines
        )
        if len(body) > _SECTION_CHARS:
            body = body[: _SECTION_CHARS - 1] + "…"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body}})
    blocks.append({
        "type": "context",
        "elements": [{
            "type": "mrkdwn",
            "text": "Aggregated and anonymous: no person is named, and groups of fewer than "
                    f"{digest.min_group_size} people are not shown.",
        }],
    })
    return blocks[:50]


class SlackNotifier:
    """Posts digests with one AsyncWebClient (token and base URL from settings)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackNotifier:
        from bot.slack.client import make_client  # bounded 429/5xx retries, quiet logs

        return cls(make_client(settings))

    async def _channel(self, destination: str) -> str:
        """A user id (U…/W…) is reached through the bot's direct-message channel."""
        if destination[:1] in {"U", "W"}:
            response = await self.client.conversations_open(users=destination)
            return str(response["channel"]["id"])
        return destination

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        """Post the digest to a channel id or user id; raise DeliveryError on failure."""
        try:
            channel = await self._channel(destination)
            posted = await self.client.chat_postMessage(
                channel=channel, text=text(digest)[:_MAX_TEXT], blocks=digest_blocks(digest),
                unfurl_links=False, unfurl_media=False,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            raise DeliveryError(f"Slack refused the digest: {error}",
                                permanent=error in _PERMANENT) from None
        except (SlackClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}") from None
        if chart_png:
            await self._upload_chart(channel, str(posted["ts"]), digest, chart_png)

    async def _upload_chart(
        self, channel: str, thread_ts: str, digest: Digest, chart_png: bytes
    ) -> None:
        try:
            await self.client.files_upload_v2(
                channel=channel,
                thread_ts=thread_ts,
                file=chart_png,
                filename=f"ai-tool-digest-{digest.period}.png",
                title=f"Questions per week and share unmet, to {digest.period}",
                alt_txt="Bar chart of questions per week with a line for the share unmet",
            )
        except (SlackApiError, SlackClientError, OSError, TimeoutError) as exc:
            _log.warning("digest chart upload failed; the text was delivered",
                         extra={"error": type(exc).__name__})
