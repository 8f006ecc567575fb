"""Delivers the leadership digest (the core's `digest_reply`) to a Slack channel or user.

The chart is uploaded first, privately, and shown under the headline. The message
(every figure, as text) is the delivery: a failed upload is logged and the digest
goes out without the picture, so it is never sent twice.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.insights.digest import Digest
from bot.core.ports import DeliveryError
from bot.core.reply import Image
from bot.core.views.digest import digest_reply
from bot.render.blockkit import to_blocks
from bot.settings import Settings
from bot.slack.deliver import dm_channel

__all__ = ["SlackNotifier"]

_log = logging.getLogger(__name__)

# Errors that will not go away by retrying: configuration or permission problems.
_PERMANENT = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "missing_scope", "user_not_found",
    "restricted_action", "team_access_not_granted",
})


class SlackNotifier:
    """Posts digests with one AsyncWebClient (token and base URL from settings)."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    @classmethod
    def from_settings(cls, settings: Settings) -> SlackNotifier:
        from bot.slack.client import make_client  # bounded 429/5xx retries, quiet logs

        return cls(make_client(settings))

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        """Post the digest to a channel id or user id; raise DeliveryError on failure."""
        reply = digest_reply(digest, chart_png)
        try:
            # A user id (U…/W…) is reached through the bot's direct-message channel.
            channel = await dm_channel(self.client, destination) \
                if destination[:1] in {"U", "W"} else destination
            chart_file = await self._upload_chart(digest, reply.image) if reply.image else None
            blocks, text = to_blocks(reply, image_file=chart_file)
            await self.client.chat_postMessage(channel=channel, text=text, blocks=blocks,
                                               unfurl_links=False, unfurl_media=False)
        except SlackApiError as exc:
            error = str(exc.response.get("error", "unknown_error"))
            raise DeliveryError(f"Slack refused the digest: {error}",
                                permanent=error in _PERMANENT) from None
        except (SlackClientError, OSError, TimeoutError) as exc:
            raise DeliveryError(f"Slack unreachable: {type(exc).__name__}") from None

    async def _upload_chart(self, digest: Digest, image: Image) -> str | None:
        """Upload the chart privately; its file id for an image block, None if it failed."""
        try:
            uploaded = await self.client.files_upload_v2(
                file=image.png, filename=f"ai-tool-digest-{digest.period}.png",
                title=image.title, alt_txt=image.alt[:1000])
            files = uploaded.get("files") or [uploaded.get("file") or {}]
            return str(files[0]["id"]) if files and files[0].get("id") else None
        except (SlackApiError, SlackClientError, OSError, TimeoutError, KeyError) as exc:
            _log.warning("digest chart upload failed; the digest goes out without it",
                         extra={"error": type(exc).__name__})
            return None
