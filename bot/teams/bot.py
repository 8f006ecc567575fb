"""The Teams bot: turns activities into core calls and core answers into Adaptive Cards.

One turn = one activity. Duplicates (Teams retries, other replicas) are claimed
in the shared event ledger and answered once; every message and install stores
the conversation reference for the leadership digest's proactive posts.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from collections.abc import Mapping
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ActivityTypes

from bot.core.answer_pool import Busy
from bot.core.compose import help_answer
from bot.core.concierge import Concierge, Message
from bot.errors import InputError, StoreUnavailable
from bot.render.adaptive_card import (
    Card,
    message_card,
    red_lines_card,
    to_adaptive_card,
    tool_catalogue_card,
)
from bot.store import Actor, Store
from bot.store.state import Claim
from bot.teams.admin import TeamsAdmin
from bot.teams.sender import ReplySender

__all__ = ["COMMANDS", "ConciergeTeamsBot", "card_activity", "dedupe_key",
           "proactive_reference"]

_log = logging.getLogger(__name__)
COMMANDS = [
    "help: what I can do",
    "list: every AI tool and its status",
    "tool <name>: one tool's status, data limit and how to get it",
    "redlines: the rules never to break",
]
_AT_TAG = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)
_UNAVAILABLE = ("I can't reach the AI policy right now. Please try again in a minute; "
                "if it keeps happening, tell IT.")


def card_activity(card: Card) -> Activity:
    """A message carrying one Adaptive Card, with its fallback as the notification summary."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(card))
    activity.summary = str(card.get("fallbackText", ""))[:200]
    return activity


def dedupe_key(activity: Activity) -> str | None:
    """Teams message ids are only unique per conversation, so the conversation is part of it."""
    if not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation else ""
    digest = hashlib.sha256((conversation or "").encode()).hexdigest()[:16]
    return f"teams:{activity.id}:{digest}"


def proactive_reference(activity: Activity, conv_id: str) -> dict[str, Any]:
    """Only what `continue_conversation` needs to post into this conversation later.

    The user (Teams id, AAD object id, display name), the bot's and the conversation's
    display names, the activity id and the locale are left out: the digest posts to a
    conversation, never to a person. Conversation and bot ids cannot be pseudonymized
    (the Bot Connector routes by them).
    """
    conversation = activity.conversation
    kept: dict[str, Any] = {"id": conv_id}
    if conversation is not None:
        if conversation.conversation_type:
            kept["conversationType"] = conversation.conversation_type
        if conversation.tenant_id:
            kept["tenantId"] = conversation.tenant_id
        if conversation.is_group is not None:
            kept["isGroup"] = conversation.is_group
    reference: dict[str, Any] = {"conversation": kept, "channelId": activity.channel_id,
                                 "serviceUrl": activity.service_url}
    if activity.recipient is not None and activity.recipient.id:
        reference["bot"] = {"id": activity.recipient.id}
    return reference


def _user_key(activity: Activity) -> str:
    sender = activity.from_property
    return (sender.aad_object_id or sender.id or "unknown") if sender else "unknown"


def _conversation(activity: Activity) -> tuple[str, str]:
    """(storage id, kind); a channel thread is stored as its channel, where digests go."""
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    conv_id = (conversation.id if conversation else "") or ""
    if kind == "channel":
        conv_id = conv_id.split(";messageid=")[0]
    return conv_id, kind


class ConciergeTeamsBot(TeamsActivityHandler):
    """Personal chats and channel @mentions: questions, commands, card submits, admin."""

    def __init__(self, concierge: Concierge, store: Store, admin: TeamsAdmin,
                 sender: ReplySender | None = None, *, lease: float = 60.0) -> None:
        self.concierge = concierge
        self.store = store
        self.admin = admin
        self.sender = sender or ReplySender()
        self.lease = lease

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Claim → answer → post → finish; a redelivery after a crash is answered once."""
        key = dedupe_key(turn_context.activity)
        if key is None:
            await super().on_turn(turn_context)
            return
        ledger = self.store.events
        try:
            claim = await ledger.acquire(key, self.lease)
        except Exception:  # database down: answering twice beats not answering
            _log.warning("event ledger unavailable; activity not deduplicated")
            await super().on_turn(turn_context)
            return
        if claim in (Claim.BUSY, Claim.DONE):
            _log.info("duplicate Teams activity ignored", extra={"claim": claim.value})
            return
        if claim is Claim.RETAKEN:
            _log.warning("answering a redelivered Teams activity whose first claim lapsed")
        async with ledger.answering(key):
            await super().on_turn(turn_context)

    async def remember(self, turn_context: TurnContext) -> None:
        """Store (or refresh) this conversation's reference for proactive messages."""
        activity = turn_context.activity
        conv_id, kind = _conversation(activity)
        if not conv_id or not activity.service_url:
            return
        try:
            await self.store.conversations.upsert(
                platform="teams", conversation_id=conv_id, kind=kind,
                reference=proactive_reference(activity, conv_id))
        except Exception:
            _log.warning("could not store the Teams conversation reference")

    async def reply(self, turn_context: TurnContext, card: Card) -> None:
        await self.sender.send(turn_context, card_activity(card))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.remember(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # Not the SDK's roster-fetching dispatch: one Bot Connector call less per install.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if any(m.id == bot_id for m in activity.members_added or []):
            await self.remember(turn_context)
            if _conversation(activity)[1] == "personal":
                await self.reply(turn_context, await self._help_card())

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.from_property and activity.recipient and \
                activity.from_property.id == activity.recipient.id:
            return  # never answer ourselves
        await self.remember(turn_context)
        text = self._text(activity)
        try:
            if not text and isinstance(activity.value, Mapping):
                cards = await self._submit(turn_context, activity.value)
            else:
                cards = await self._message(turn_context, text)
        except InputError as exc:
            cards = [message_card(str(exc))]
        except StoreUnavailable:
            cards = [message_card(_UNAVAILABLE, style="warning")]
        except Busy as exc:  # the answer queue is full: say so rather than stay silent
            cards = [message_card(str(exc), style="warning")]
        for card in cards:
            await self.reply(turn_context, card)
        if text:
            await self._tell_covered(turn_context)

    async def _tell_covered(self, turn_context: TurnContext) -> None:
        """After the answer, tell the asker once that an earlier unmet request is now covered.

        Personal chats only (it is about their own request); one indexed query when
        nothing waits; claimed before sending so replicas never repeat it; never fails
        the turn (it is tried again the next time they write).
        """
        if _conversation(turn_context.activity)[1] != "personal":
            return
        review = self.admin.candidates.review
        try:
            notices = await review.notices_for(
                self.concierge.pseudonym(_user_key(turn_context.activity)))
            told = [n.text for n in notices if await review.mark_told(n)]
            if told:
                await self.reply(turn_context, message_card(
                    "An earlier question now has an answer", told, style="good"))
        except Exception as exc:
            _log.warning("covered-request notice not sent: %s", type(exc).__name__)

    @staticmethod
    def _text(activity: Activity) -> str:
        try:
            text = TurnContext.remove_recipient_mention(activity) or ""
        except Exception:  # malformed mention entity: fall back to stripping the tags
            text = activity.text or ""
        return _AT_TAG.sub(" ", text).replace("&nbsp;", " ").strip()

    async def _message(self, turn_context: TurnContext, text: str) -> list[Card]:
        activity = turn_context.activity
        command, _, rest = text.partition(" ")
        command = command.lower().rstrip(":")
        if command in ("help", "?", "hi", "hello") and not rest.strip():
            return [await self._help_card()]
        if command in ("list", "tools") and not rest.strip():
            return [tool_catalogue_card((await self.concierge.index()).policy)]
        if command in ("redlines", "red-lines") and not rest.strip():
            return [red_lines_card((await self.concierge.index()).policy)]
        if command == "admin":
            actor = Actor(_user_key(activity), "teams")
            words = rest.split()
            if words and words[0].lower() in ("whatif", "what-if"):
                return await self.admin.whatif_command(
                    actor, await self._aliases(turn_context), words[1:],
                    activity.attachments or [], functools.partial(self.reply, turn_context))
            return await self.admin.command(actor, await self._aliases(turn_context), rest)
        if command == "tool" and rest.strip():
            text = f"Is {rest.strip()} approved?"
        message = Message(text=text, asker=_user_key(activity), platform="teams")
        answer = await self.concierge.answer(message)
        return [to_adaptive_card(answer)]

    async def _help_card(self) -> Card:
        policy = (await self.concierge.index()).policy
        return to_adaptive_card(help_answer(policy), footer=["Commands:", *COMMANDS],
                                feedback=False)

    async def _submit(self, turn_context: TurnContext, data: Mapping[str, Any]) -> list[Card]:
        action = data.get("action")
        asker = _user_key(turn_context.activity)
        if action == "feedback":
            query_id, helpful = data.get("query_id"), data.get("helpful")
            if not isinstance(query_id, int) or not isinstance(helpful, bool):
                return [message_card("That button is out of date. Please ask again.")]
            # A second click must not file the question as unmet twice: claim it first.
            first = await self.store.events.claim(f"teams-feedback:{query_id}:{asker}:{helpful}")
            stored = first and await self.concierge.feedback(query_id, asker=asker,
                                                             helpful=helpful)
            if not stored:
                return [message_card("Thanks, I already have your feedback on that answer.")]
            if helpful:
                return [message_card("Thanks for the feedback!")]
            return [message_card("Thanks. I've passed your question to IT so they can "
                                 "improve the answer.")]
        if action == "vote":
            unmet_id = data.get("unmet_id")
            if not isinstance(unmet_id, int):
                return [message_card("That button is out of date. Please ask again.")]
            counted = await self.concierge.vote(unmet_id, asker=asker)
            return [message_card("Thanks, I've counted your vote for IT." if counted
                                 else "You've already said you need this.")]
        if isinstance(action, str) and action.startswith("admin_"):
            actor = Actor(asker, "teams")
            return await self.admin.submit(actor, await self._aliases(turn_context), data,
                                           functools.partial(self.reply, turn_context))
        return [message_card("I didn't recognise that button. Type `help` to see what I can do.")]

    async def _aliases(self, turn_context: TurnContext) -> list[str]:
        """The sender's other ids for the admin check: Teams user id, AAD id, email, UPN."""
        sender = turn_context.activity.from_property
        aliases = [a for a in (sender.id, sender.aad_object_id) if a] if sender else []
        if sender is None or not sender.id or turn_context.activity.type != ActivityTypes.message:
            return aliases
        try:
            member = await TeamsInfo.get_member(turn_context, sender.id)
        except Exception:  # roster unavailable (e.g. dev mode): ids only
            _log.info("could not look up the Teams member; admin check by id only")
            return aliases
        return aliases + [a for a in (getattr(member, "email", None),
                                      getattr(member, "user_principal_name", None)) if a]
