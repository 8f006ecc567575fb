"""Delivers the leadership digest to a Slack channel or user: one message, chart inline.

The chart is uploaded first, privately (files_upload_v2 without a channel), and shown in
the digest message itself as an image block with alt text, not as a thread reply people
have to open. The message (every figure, as text) is the delivery: a failed upload is
logged and the digest goes out without the picture, so it is never sent twice.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.insights.chart import alt_text, chart_title
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


def digest_blocks(digest: Digest, chart_file: str | None = None) -> list[dict[str, Any]]:
    """Block Kit for the digest: a header, the chart, one section per part, a privacy note."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline(digest)[:150]}}
    ]
    if chart_file:
        blocks.append({"type": "image", "slack_file": {"id": chart_file},
                       "alt_text": alt_text(digest.weeks)[:2000],
                       "title": {"type": "plain_text", "text": chart_title(digest.weeks)[:2000]}})
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
            chart_file = await self._upload_chart(digest, chart_png) if chart_png else None
            await self.client.chat_postMessage(
                channel=channel, text=text(digest)[:_MAX_TEXT],
                blocks=digest_blocks(digest, chart_file), unfurl_links=False, unfurl_media=False,
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            raise DeliveryError(f"Slack refused the digest: {error}",
                                permanent=error in _PERMANENT) from None
        except (SlackClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}") from None

    async def _upload_chart(self, digest: Digest, chart_png: bytes) -> str | None:
        """Upload the chart privately; its file id for an image block, None if it failed."""
        try:
            uploaded = await self.client.files_upload_v2(
                file=chart_png,
                filename=f"ai-tool-digest-{digest.period}.png",
                title=chart_title(digest.weeks),
                alt_txt=alt_text(digest.weeks)[:1000],
            )
            files = uploaded.get("files") or [uploaded.get("file") or {}]
            return str(files[0]["id"]) if files and files[0].get("id") else None
        except (SlackApiError, SlackClientError, OSError, TimeoutError, KeyError) as exc:
            _log.warning("digest chart upload failed; the digest goes out without it",
                         extra={"error": type(exc).__name__})
            return None
