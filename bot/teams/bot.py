"""The Teams bot: each activity becomes one conversation-core call; its Reply is delivered.

Duplicates (Teams retries, other replicas) are claimed in the shared event ledger and
answered once; messages and installs store a minimal reference for proactive posts.
No wording or decisions live here: failures go to `turns.error_handler`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsActivityHandler, TeamsInfo
from botbuilder.schema import Activity, ConversationReference
from botbuilder.schema.teams import (
    FileConsentCardResponse,
    TaskModuleMessageResponse,
    TaskModuleResponse,
)

from bot.core.conversation import Actor, Request, Surface, Typed, as_action
from bot.core.reply import Reply
from bot.runtime import Runtime
from bot.teams.delivery import Delivery, dialog_response
from bot.teams.handoff import CURRENT_TURN, TeamsITDesk
from bot.teams.incoming import (
    Uploaded,
    conversation_of,
    fetch_file,
    proactive_reference,
    read,
    read_data,
)
from bot.transport.cache import TTLCache
from bot.transport.claims import EventClaims

__all__ = ["ConciergeTeamsBot", "Later", "dedupe_key"]

_log = logging.getLogger(__name__)
#: Runs a callback later in a proactive turn on this conversation (after an invoke's answer).
Later = Callable[[ConversationReference, Callable[[TurnContext], Awaitable[None]]], None]
_WHO = "concierge.who"


def dedupe_key(activity: Activity) -> str | None:
    """Teams message ids are only unique per conversation, so the conversation is part of it."""
    if not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation else ""
    digest = hashlib.sha256((conversation or "").encode()).hexdigest()[:16]
    return f"teams:{activity.id}:{digest}"


class ConciergeTeamsBot(TeamsActivityHandler):
    """Personal chats and channel @mentions: messages, card clicks, dialogs, files."""

    def __init__(self, runtime: Runtime, delivery: Delivery, later: Later, *,
                 allow_loopback_http: bool = False) -> None:
        self.conversation = runtime.conversation
        # The ledger Slack shares; not in memory: a failed turn is answered on redelivery.
        self.claims = EventClaims(runtime.store.events, runtime.settings.event_lease_seconds)
        self.refs = runtime.store.conversations  # where proactive posts may go
        self.delivery = delivery
        self.later = later
        self._loopback = allow_loopback_http
        # Email and UPN per person, reused five minutes (one roster call per person).
        self._rosters: TTLCache[str, tuple[str, ...]] = TTLCache(300.0)
        self.it_desk: TeamsITDesk | None = None  # set when TEAMS_IT_CONVERSATION is

    async def on_turn(self, turn_context: TurnContext) -> None:
        """Claim → answer → post → finish; a redelivery after a crash is answered once."""
        CURRENT_TURN.set(turn_context)  # this turn's task only: who a handoff is from
        async with self.claims.once(dedupe_key(turn_context.activity)) as first:
            if first:
                await super().on_turn(turn_context)

    async def remember(self, turn_context: TurnContext) -> None:
        """Store (or refresh) this conversation's reference for proactive messages."""
        activity = turn_context.activity
        conv_id, kind = conversation_of(activity)
        if not conv_id or not activity.service_url:
            return
        try:
            await self.refs.upsert(platform="teams", conversation_id=conv_id, kind=kind,
                                   reference=proactive_reference(activity, conv_id))
        except Exception:
            _log.warning("could not store the Teams conversation reference")

    async def who(self, turn_context: TurnContext) -> tuple[Actor, Surface]:
        """The acting person (with roster aliases, looked up once per turn) and the surface."""
        known: tuple[Actor, Surface] | None = turn_context.turn_state.get(_WHO)
        if known is None:
            known = turn_context.turn_state[_WHO] = await self._who(turn_context)
        return known

    async def _who(self, turn_context: TurnContext) -> tuple[Actor, Surface]:
        activity = turn_context.activity
        kind = conversation_of(activity)[1]
        surface = Surface(platform="teams", prefix="", personal=kind == "personal")
        sender = activity.from_property
        if sender is None or not (sender.aad_object_id or sender.id):
            return Actor("unknown", "teams"), surface
        ids = tuple(a for a in (sender.id, sender.aad_object_id) if a)
        return Actor(sender.aad_object_id or sender.id, "teams",
                     ids + await self._roster(turn_context, sender.id)), surface

    async def _roster(self, turn_context: TurnContext, member_id: str | None) -> tuple[str, ...]:
        """Email and UPN from the Teams roster, cached a few minutes per person."""
        if not member_id:
            return ()

        async def load() -> tuple[str, ...]:
            member = await TeamsInfo.get_member(turn_context, member_id)
            return tuple(a for a in (getattr(member, "email", None),
                                     getattr(member, "user_principal_name", None)) if a)

        # Roster unavailable (e.g. dev mode): ids only, asked again next turn.
        return await self._rosters.get(
            f"{turn_context.activity.service_url}|{member_id}", load, default=(),
            errors=(Exception,), keep_failures=False, on_error=lambda _: _log.info(
                "could not look up the Teams member; admin check by id only"))

    async def run(self, turn_context: TurnContext, request: Request | Uploaded | None) -> Reply:
        """One core call for one request; file requests fetch the attached file first."""
        actor, surface = await self.who(turn_context)
        if not isinstance(request, Uploaded):
            return await self.conversation.on_request(actor, request, surface)
        content = await fetch_file(request.url, allow_loopback_http=self._loopback)
        return await self.conversation.on_file(actor, request.intent, request.filename,
                                               content, request.args, surface)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.from_property and activity.recipient and \
                activity.from_property.id == activity.recipient.id:
            return  # never answer ourselves
        await self.remember(turn_context)
        if self.it_desk is not None and await self.it_desk.relay(turn_context):
            return  # IT's reply in an Ask IT thread: relayed to the asker
        request = read(activity)
        reply = await self.run(turn_context, request)
        clicked = activity.value is not None and not (activity.text or "").strip()
        await self.delivery.deliver(turn_context, reply,
                                    origin=as_action(request),
                                    replace_id=activity.reply_to_id if clicked else None)
        actor, surface = await self.who(turn_context)
        if isinstance(request, Typed) and not clicked and surface.personal:
            for notice in await self.conversation.notices(actor):
                await self.delivery.deliver(turn_context, notice)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self.remember(turn_context)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        # Not the SDK's roster-fetching dispatch: one Bot Connector call less per install.
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if any(m.id == bot_id for m in activity.members_added or []):
            await self.remember(turn_context)
            if conversation_of(activity)[1] == "personal":  # the welcome
                actor, surface = await self.who(turn_context)
                await self.delivery.deliver(turn_context,
                                            await self.conversation.home(actor, surface))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        """Dialogs here (the SDK's dispatch serializes twice, which fails); the rest to it."""
        activity = turn_context.activity
        if activity.name not in ("task/fetch", "task/submit"):
            return await super().on_invoke_activity(turn_context)
        value = activity.value if isinstance(activity.value, dict) else {}
        reply = await self.run(turn_context, read_data(value.get("data")))
        if reply.form is not None:  # the form, or the same form with its errors
            return InvokeResponse(status=200, body=dialog_response(reply))
        if activity.name == "task/fetch" or reply.kind == "error":  # said in the dialog
            return InvokeResponse(status=200, body=TaskModuleResponse(
                task=TaskModuleMessageResponse(value=reply.text)))
        # Submitted: close the dialog and post the result after the invoke's answer (a
        # what-if follow-up takes far longer than Teams waits), replacing the opener card.
        opener = activity.reply_to_id

        async def post(proactive: TurnContext) -> None:
            await self.delivery.deliver(proactive, reply, replace_id=opener)

        self.later(TurnContext.get_conversation_reference(activity), post)
        return InvokeResponse(status=200)

    async def on_teams_file_consent_accept(
            self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """The person accepted the file: produce it again (fresh, re-checked) and upload it."""
        reply = await self.run(turn_context, read_data(file_consent_card_response.context))
        if reply.attachment is None:  # e.g. no longer an admin: say so instead
            await self.delivery.deliver(turn_context, reply)
            return
        await self.delivery.upload(turn_context, reply, file_consent_card_response)

    async def on_teams_file_consent_decline(
            self, turn_context: TurnContext, file_consent_card_response: FileConsentCardResponse
    ) -> None:
        """Declined: nothing to upload and nothing to say."""
