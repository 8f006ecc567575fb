"""Delivers the leadership digest to a Teams conversation, proactively.

Teams only lets a bot post where it was installed, through the conversation reference
stored when it was (`conversation_refs`). The digest goes out as one activity: an
Adaptive Card with the chart right under the headline (an Image element with a data URI
and alt text) and the figures below it; the chart is left out when it would push the
card past Teams' size limit.
"""

from __future__ import annotations

import base64
import logging
from typing import Any

from botbuilder.core import BotAdapter, CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Attachment, ConversationReference

from bot.core.insights.chart import alt_text
from bot.core.insights.digest import Digest
from bot.core.insights.sections import headline, sections
from bot.core.ports import DeliveryError
from bot.settings import Settings
from bot.store.state import ConversationRefs

__all__ = ["TeamsNotifier", "digest_card"]

_log = logging.getLogger(__name__)
_MAX_IMAGE_BYTES = 45_000  # raw PNG; base64 adds a third and the card must stay under ~80 KB


def digest_card(digest: Digest, chart_png: bytes | None = None) -> dict[str, Any]:
    """An Adaptive Card (1.4): headline, chart (when small enough), the sections as text."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": headline(digest), "weight": "Bolder", "size": "Medium",
         "wrap": True},
    ]
    if chart_png and len(chart_png) <= _MAX_IMAGE_BYTES:
        encoded = base64.b64encode(chart_png).decode("ascii")
        body.append({"type": "Image", "url": f"data:image/png;base64,{encoded}",
                     "altText": alt_text(digest.weeks), "size": "Stretch"})
    for section in sections(digest):
        body.append({"type": "TextBlock", "text": section.title, "weight": "Bolder",
                     "spacing": "Medium", "wrap": True})
        body.append({"type": "TextBlock", "text": "\n".join(f"- {line}" for line in section.lines),
                     "wrap": True, "spacing": "Small"})
    body.append({
        "type": "TextBlock", "isSubtle": True, "size": "Small", "wrap": True,
        "text": "Aggregated and anonymous: no person is named, and groups of fewer than "
                f"{digest.min_group_size} people are not shown.",
    })
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "body": body,
    }


def _status(exc: BaseException) -> int | None:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


class TeamsNotifier:
    """Sends digests through a CloudAdapter to stored conversation references."""

    def __init__(self, adapter: BotAdapter, refs: ConversationRefs, *, app_id: str = "") -> None:
        self.adapter = adapter
        self.refs = refs
        self.app_id = app_id

    @classmethod
    def from_settings(cls, settings: Settings, refs: ConversationRefs) -> TeamsNotifier:
        from bot.teams.auth import build_adapter  # the same checked auth as the chat endpoint

        adapter, _authenticated = build_adapter(settings)
        return cls(adapter, refs, app_id=settings.microsoft_app_id or "")

    def activity(self, digest: Digest, chart_png: bytes | None) -> Any:
        attachments: list[Attachment] = [CardFactory.adaptive_card(digest_card(digest, chart_png))]
        activity = MessageFactory.list(attachments)
        activity.summary = headline(digest)[:200]
        return activity

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        """Post to the conversation `destination`; raise DeliveryError on failure."""
        data = await self.refs.get("teams", destination)
        if data is None:
            raise DeliveryError(
                "No stored Teams conversation reference for this destination: install the "
                "bot in that chat or channel first."
            )
        reference = ConversationReference().deserialize(data)
        activity = self.activity(digest, chart_png)

        async def _post(turn_context: TurnContext) -> None:
            await turn_context.send_activity(activity)

        try:
            await self.adapter.continue_conversation(reference, _post, bot_app_id=self.app_id)
        except Exception as exc:  # msrest raises its own types; classify by HTTP status
            status = _status(exc)
            _log.warning("Teams digest delivery failed", extra={"status": status})
            raise DeliveryError(
                f"Teams refused the digest (status {status or type(exc).__name__})",
                permanent=status in {403, 404},
            ) from None
