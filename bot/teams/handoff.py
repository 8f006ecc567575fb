"""Ask IT in Teams: the core's `it_post` as a new thread in TEAMS_IT_CONVERSATION, and
IT's replies in that thread delivered (`relayed`) to the asker's personal chat.

The asker's display name comes from the turn that clicked "Ask IT" and is never
stored, nor is IT's reply. IT replies reach the bot when they @mention it, or with
the app's `ChannelMessage.Read.Group` permission (deploy/teams/manifest.json).
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import ChannelAccount, ConversationParameters, ConversationReference

from bot.core.commands.ask_it import relay
from bot.core.handoff_views import it_post
from bot.core.handoffs import Handoff, Handoffs, ThreadRef
from bot.core.reply import Reply
from bot.errors import InputError
from bot.render.adaptive import to_card
from bot.runtime import Runtime
from bot.teams.delivery import Delivery, card_activity, top_level
from bot.teams.incoming import conversation_of, message_text, proactive_reference

__all__ = ["CURRENT_TURN", "TeamsITDesk"]

_log = logging.getLogger(__name__)
#: The turn being answered (set by the bot), so a post made on its behalf knows who asked.
CURRENT_TURN: contextvars.ContextVar[TurnContext | None] = contextvars.ContextVar(
    "teams_turn", default=None)


class TeamsITDesk:
    """Posts handoffs to one IT channel conversation and relays replies in their threads."""

    def __init__(self, runtime: Runtime, adapter: CloudAdapter, delivery: Delivery,
                 handoffs: Handoffs, *, conversation_id: str) -> None:
        self.refs = runtime.store.conversations
        self.app_id = runtime.settings.microsoft_app_id or ""
        self.adapter = adapter
        self.delivery = delivery
        self.handoffs = handoffs
        self.conversation_id = conversation_id

    async def _in(self, data: dict[str, Any] | None,
                  work: Callable[[TurnContext], Awaitable[None]]) -> bool:
        """Run `work` in a proactive turn on a stored conversation; False when none is stored."""
        if data is None:
            return False
        await self.adapter.continue_conversation(ConversationReference().deserialize(data),
                                                 top_level(work), bot_app_id=self.app_id)
        return True

    async def post(self, handoff: Handoff) -> ThreadRef:
        """A new thread in IT's channel with the question; where it is, for the replies."""
        turn = CURRENT_TURN.get()
        sender = turn.activity.from_property if turn is not None else None
        card = card_activity(to_card(it_post(handoff, asker_name=sender.name if sender
                                             else None)))
        posted: list[str] = []

        async def post_it(proactive: TurnContext) -> None:
            found = await self.delivery.show(proactive, card, None)
            posted.extend([found] if found else [])

        it_channel = await self.refs.get("teams", self.conversation_id)
        if not await self._in(it_channel, post_it) or not posted:
            _log.error("Ask IT: could not post to TEAMS_IT_CONVERSATION (is the app installed "
                       "in that channel?)")
            raise InputError("I couldn't reach IT's Teams channel just now. Please try again "
                             "later.")
        origin = await self._personal_chat(turn) if turn is not None else None
        if origin is not None:
            await self.handoffs.keep_origin(handoff.id, origin)
        return ThreadRef(self.conversation_id, posted[0])

    async def _personal_chat(self, turn: TurnContext) -> dict[str, Any] | None:
        """The asker's personal chat with the bot, opened when they asked in a channel."""
        activity = turn.activity
        conv_id, kind = conversation_of(activity)
        if kind == "personal":
            return await self.refs.get("teams", conv_id)
        tenant = activity.conversation.tenant_id if activity.conversation else None
        if activity.from_property is None or not activity.service_url:
            return None
        opened: list[dict[str, Any]] = []

        async def keep(created: TurnContext) -> None:
            chat = created.activity
            opened.append(proactive_reference(chat, chat.conversation.id))

        try:
            await self.adapter.create_conversation(
                self.app_id, keep, ConversationParameters(
                    is_group=False, bot=activity.recipient, tenant_id=tenant,
                    members=[ChannelAccount(id=activity.from_property.id)],
                    channel_data={"tenant": {"id": tenant}} if tenant else None),
                activity.channel_id, activity.service_url)
        except Exception as exc:  # IT still has the post, which names the asker
            _log.warning("Ask IT: no personal chat with the asker: %s", type(exc).__name__)
        return opened[0] if opened else None

    async def relay(self, turn_context: TurnContext) -> bool:
        """True when this message is a reply in a handoff's IT thread (then relayed)."""
        activity = turn_context.activity
        channel, _, root = (activity.conversation.id if activity.conversation else "") \
            .partition(";messageid=")
        if channel != self.conversation_id or not root:
            return False

        async def to_asker(handoff: Handoff, reply: Reply) -> bool:  # their personal chat
            async def tell(proactive: TurnContext) -> None:
                await self.delivery.show(proactive, card_activity(to_card(reply)), None)

            return await self._in(await self.handoffs.origin(handoff.id), tell)

        return await relay(self.handoffs, "teams", ThreadRef(channel, root),
                           message_text(activity), to_asker,
                           responder=activity.from_property.name if activity.from_property
                           else None)
