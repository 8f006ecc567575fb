"""Delivers the leadership digest (the core's `digest_reply` as a card) proactively.

Teams only lets a bot post where it was installed, through the reference stored then.
"""

from __future__ import annotations

import logging

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import ConversationReference

from bot.core.insights.digest import Digest
from bot.core.ports import DeliveryError, References
from bot.core.views.digest import digest_reply
from bot.render.adaptive import to_card
from bot.settings import Settings
from bot.teams.delivery import card_activity, top_level
from bot.teams.sender import status_of

__all__ = ["TeamsNotifier"]

_log = logging.getLogger(__name__)


class TeamsNotifier:
    """Sends digests through a CloudAdapter to stored conversation references."""

    def __init__(self, adapter: BotAdapter, refs: References, *, app_id: str = "") -> None:
        self.adapter = adapter
        self.refs = refs
        self.app_id = app_id

    @classmethod
    def from_settings(cls, settings: Settings, refs: References) -> TeamsNotifier:
        from bot.teams.auth import build_adapter  # the same checked auth as the chat endpoint

        adapter, _authenticated = build_adapter(settings)
        return cls(adapter, refs, app_id=settings.microsoft_app_id or "")

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        """Post to the conversation `destination`; raise DeliveryError on failure."""
        data = await self.refs.get("teams", destination)
        if data is None:
            raise DeliveryError(
                "No stored Teams conversation reference for this destination: install the "
                "bot in that chat or channel first."
            )
        reference = ConversationReference().deserialize(dict(data))
        activity = card_activity(to_card(digest_reply(digest, chart_png)))

        async def _post(turn_context: TurnContext) -> None:
            await turn_context.send_activity(activity)

        try:
            await self.adapter.continue_conversation(reference, top_level(_post),
                                                     bot_app_id=self.app_id)
        except Exception as exc:  # msrest raises its own types; classify by HTTP status
            status = status_of(exc)
            _log.warning("Teams digest delivery failed", extra={"status": status})
            raise DeliveryError(
                f"Teams refused the digest (status {status or type(exc).__name__})",
                permanent=status in {403, 404},
            ) from None
