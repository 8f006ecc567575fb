"""Reading Teams activities: what they ask for (in the core's terms), where they came
from (the minimal reference kept for proactive posts), and the files they attach.

Every button the renderer draws is an `Action.Submit` whose data holds the neutral
action under "concierge", so one reader (`bot.render.clicks`) serves clicks, dialog
submits and file-consent contexts alike, as it serves Slack's buttons. Attached files
are pre-authenticated links, fetched only from Microsoft's file hosts (`bot.transport.download`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.core.conversation import Request, Typed
from bot.core.conversation.files import file_intent
from bot.render.clicks import read_click
from bot.transport.download import download
from bot.transport.hosts import on_hosts

__all__ = ["FILE_INFO", "Uploaded", "conversation_of", "fetch_file", "message_text",
           "proactive_reference", "read", "read_data", "trusted_url"]

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
#: SharePoint / OneDrive hosts that serve Teams files (commercial, GCC High/DoD, China).
TRUSTED_FILE_HOSTS = ("sharepoint.com", "sharepoint.us", "sharepoint-mil.us", "sharepoint.cn",
                      "sharepoint-df.com")
_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
_AT_TAG = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)


@dataclass(frozen=True)
class Uploaded:  # `(admin) import` / `(admin) whatif [days]` with a policy file attached
    intent: str
    filename: str
    url: str
    args: str




def message_text(activity: Activity) -> str:
    """The message's text without the bot's @mention (channels) or HTML spaces."""
    try:
        text = TurnContext.remove_recipient_mention(activity) or ""
    except Exception:  # a malformed mention entity: strip the tags instead
        text = activity.text or ""
    return _AT_TAG.sub(" ", text).replace("&nbsp;", " ").strip()


def proactive_reference(activity: Activity, conv_id: str) -> dict[str, Any]:
    """Only what `continue_conversation` needs: no user, names, activity id or locale
    (conversation and bot ids stay: the Bot Connector routes by them)."""
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


def conversation_of(activity: Activity) -> tuple[str, str]:
    """(storage id, kind); a channel thread is stored as its channel, where posts go."""
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    conv_id = (conversation.id if conversation else "") or ""
    if kind == "channel":
        conv_id = conv_id.split(";messageid=")[0]
    return conv_id, kind


def read_data(data: object) -> Request | None:
    """The request in a card's submit data (inputs beside "concierge" go with a submit
    and a click inside a form, "Check impact"); None for data we did not draw."""
    if not isinstance(data, Mapping):
        return None
    return read_click(data.get("concierge"),
                      {str(k): v for k, v in data.items() if k not in ("concierge", "msteams")})


def _attached(attachments: Sequence[Any]) -> tuple[str, str] | None:
    """(file name, download URL) of the first policy file among a message's attachments."""
    for item in attachments:
        content = getattr(item, "content", None)
        name = str(getattr(item, "name", "") or "")
        if getattr(item, "content_type", None) != FILE_INFO or not isinstance(content, dict):
            continue
        if name.lower().endswith(_SUFFIXES) and content.get("downloadUrl"):
            return name, str(content["downloadUrl"])
    return None


def read(activity: Activity) -> Request | Uploaded | None:
    """What a message activity asks for; None for a click on a card we did not draw."""
    text = message_text(activity)
    if not text and activity.value is not None:
        return read_data(activity.value)
    intent, args = file_intent(text)
    found = _attached(activity.attachments or [])
    return Uploaded(intent, found[0], found[1], args) if found and intent else Typed(text)


def trusted_url(url: str, *, allow_loopback_http: bool = False) -> bool:
    """https on a Microsoft file host; plain http on loopback only in dev mode (the fakes)."""
    return on_hosts(url, TRUSTED_FILE_HOSTS, allow_loopback_http=allow_loopback_http)


async def fetch_file(url: str, *, allow_loopback_http: bool = False) -> bytes:
    """The attached file's bytes; InputError (a polite sentence) for anything unsafe or odd."""
    return await download(
        url, hosts=TRUSTED_FILE_HOSTS, allow_loopback_http=allow_loopback_http,
        untrusted="I can only fetch files that Teams stores (SharePoint or OneDrive, over https).",
        unreachable="I couldn't fetch that file from Teams; please try again.")
