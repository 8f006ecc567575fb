"""Delivers a neutral Reply to Teams: a card, updated in place, a dialog, a file, a follow-up.

A click's reply replaces the clicked card, so old buttons disappear. A form opens in a
dialog (task module), through a card whose button repeats the request, so the dialog
shows the current form and admin rights are checked again. A file goes through a
consent card in a personal chat (bots cannot attach files elsewhere, so there it
follows as a code block). A `follow`ing reply is sent, then updated in place.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from botbuilder.core import CardFactory, MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment
from botbuilder.schema.teams import (
    FileConsentCardResponse,
    TaskModuleContinueResponse,
    TaskModuleResponse,
    TaskModuleTaskInfo,
)

from bot.core.reply import Action, Reply
from bot.errors import InputError
from bot.render.adaptive import to_card, to_form_dialog, to_form_opener
from bot.render.adaptive_files import FILE_CONSENT, file_consent, file_text
from bot.teams.incoming import trusted_url
from bot.teams.sender import ReplySender
from bot.transport.download import upload

__all__ = ["FILE_CONSENT", "Delivery", "card_activity", "dialog_response", "top_level"]

_log = logging.getLogger(__name__)
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
_UPLOAD_FAILED = "I couldn't save the file to your OneDrive; please try again."


def card_activity(card: Mapping[str, Any]) -> Activity:
    """A message carrying one Adaptive Card, with its fallback as the notification summary."""
    activity = MessageFactory.attachment(CardFactory.adaptive_card(dict(card)))
    activity.summary = str(card.get("fallbackText", ""))[:200]
    return activity


def top_level(work: Callable[[TurnContext], Awaitable[None]]
              ) -> Callable[[TurnContext], Awaitable[None]]:
    """Proactive posts as new messages, not replies to the SDK's made-up activity id."""

    async def run(proactive: TurnContext) -> None:
        proactive.activity.id = None
        await work(proactive)

    return run


def dialog_response(reply: Reply) -> TaskModuleResponse:
    """The `task/fetch` / `task/submit` answer that shows `reply.form` in a dialog."""
    task = to_form_dialog(reply)["task"]["value"]
    card = task["card"]
    return TaskModuleResponse(task=TaskModuleContinueResponse(value=TaskModuleTaskInfo(
        title=task.get("title"), height=task.get("height"), width=task.get("width"),
        card=Attachment(content_type=card["contentType"], content=card["content"]))))


class Delivery:
    """Sends replies through one ReplySender (its retries apply to sends and updates)."""

    def __init__(self, sender: ReplySender, *, allow_loopback_http: bool = False) -> None:
        self.sender = sender
        self._loopback = allow_loopback_http

    async def deliver(self, turn_context: TurnContext, reply: Reply, *,
                      origin: Action | None = None, replace_id: str | None = None) -> str | None:
        """Post (or update in place) `reply`; the id of the message that now shows it."""
        if reply.form is not None and origin is not None:
            return await self.show(turn_context, card_activity(to_form_opener(reply, origin)),
                                   replace_id if reply.replace else None)
        shown = await self.show(turn_context, card_activity(to_card(reply)),
                                replace_id if reply.replace else None)
        if reply.attachment is not None and origin is not None:
            await self._file(turn_context, reply, origin)
        if reply.follow is not None and shown is not None:
            async for later in reply.follow():
                shown = await self.show(turn_context, card_activity(to_card(later)), shown)
        return shown

    async def show(self, turn_context: TurnContext, activity: Activity,
                   replace_id: str | None) -> str | None:
        """Update `replace_id` in place when given, else (or when refused) send anew."""
        if replace_id:
            if await self.sender.update(turn_context, replace_id, activity) is not None:
                return replace_id
            _log.info("Teams card could not be updated in place; sending a new one")
            activity.id = None
        sent = await self.sender.send(turn_context, activity)
        return sent.id if sent is not None else None

    async def _file(self, turn_context: TurnContext, reply: Reply, origin: Action) -> None:
        assert reply.attachment is not None
        kind = turn_context.activity.conversation.conversation_type \
            if turn_context.activity.conversation else None
        await self.sender.send(turn_context, MessageFactory.attachment(
            Attachment().deserialize(file_consent(reply.attachment, origin)))
            if kind in (None, "personal") else MessageFactory.text(file_text(reply.attachment)))

    async def upload(self, turn_context: TurnContext, reply: Reply,
                     consent: FileConsentCardResponse) -> None:
        """Upload an accepted file to the URL Teams gave, then show it as a file card."""
        info = consent.upload_info
        if reply.attachment is None or info is None or not info.upload_url or \
                not trusted_url(info.upload_url, allow_loopback_http=self._loopback):
            _log.warning("file consent without a usable upload URL; nothing uploaded")
            raise InputError(_UPLOAD_FAILED)
        data = reply.attachment.content.encode()
        size = len(data)
        await upload(info.upload_url, data, failed=_UPLOAD_FAILED, headers={
            "Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"})
        card = Attachment(content_type=FILE_INFO_CARD, name=info.name,
                          content_url=info.content_url,
                          content={"uniqueId": info.unique_id, "fileType": info.file_type})
        await self.sender.send(turn_context, MessageFactory.attachment(card))
