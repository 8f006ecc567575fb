"""Reading Teams activities: what they ask for (in the core's terms), where they came
from (the minimal conversation reference kept for proactive posts), and safe file fetches.

Every button the renderer draws is an `Action.Submit` whose data holds the neutral
action under "concierge" (`{"c": command}`, `{"a": id, ...}`, or a form's
`{"form": id, "state": {...}}` with the inputs beside it), so one reader serves card
clicks, dialog submits and file-consent contexts alike. Files people attach arrive as
pre-authenticated download links: no token goes with them, so they are fetched only
over https from Microsoft's file hosts, without redirects and within a size limit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.core.reply import Action
from bot.errors import InputError

__all__ = ["FILE_INFO", "MAX_FILE_BYTES", "Clicked", "Submitted", "Typed", "Uploaded",
           "conversation_of", "fetch_file", "message_text", "origin_of", "proactive_reference",
           "read", "read_data", "trusted_url"]

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
MAX_FILE_BYTES = 1024 * 1024
#: SharePoint / OneDrive hosts that serve Teams files (commercial, GCC High/DoD, China).
TRUSTED_FILE_HOSTS = ("sharepoint.com", "sharepoint.us", "sharepoint-mil.us", "sharepoint.cn",
                      "sharepoint-df.com")
_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
_AT_TAG = re.compile(r"<at>[^<]*</at>", re.IGNORECASE)
_FILE_INTENTS = {"import": "import", "whatif": "whatif", "what-if": "whatif"}


@dataclass(frozen=True)
class Typed:
    """A message, or a button that runs a command as the clicking person."""

    text: str


@dataclass(frozen=True)
class Clicked:
    """A button handled by the core's `on_action` (feedback, vote, ask IT, …)."""

    action_id: str
    value: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submitted:
    """A form's submit: its id, the hidden state it carried and the inputs."""

    form_id: str
    state: Mapping[str, str]
    values: Mapping[str, object]


@dataclass(frozen=True)
class Uploaded:
    """`(admin) import` / `(admin) whatif [days]` with a policy file attached."""

    intent: Literal["import", "whatif"]
    filename: str
    url: str
    args: str


Request = Typed | Clicked | Submitted | Uploaded


def message_text(activity: Activity) -> str:
    """The message's text without the bot's @mention (channels) or HTML spaces."""
    try:
        text = TurnContext.remove_recipient_mention(activity) or ""
    except Exception:  # a malformed mention entity: strip the tags instead
        text = activity.text or ""
    return _AT_TAG.sub(" ", text).replace("&nbsp;", " ").strip()


def proactive_reference(activity: Activity, conv_id: str) -> dict[str, Any]:
    """Only what `continue_conversation` needs to post into this conversation later.

    The user (Teams id, AAD object id, display name), the bot's and the conversation's
    display names, the activity id and the locale are left out. Conversation and bot ids
    cannot be pseudonymized (the Bot Connector routes by them).
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


def conversation_of(activity: Activity) -> tuple[str, str]:
    """(storage id, kind); a channel thread is stored as its channel, where posts go."""
    conversation = activity.conversation
    kind = (conversation.conversation_type if conversation else None) or "personal"
    conv_id = (conversation.id if conversation else "") or ""
    if kind == "channel":
        conv_id = conv_id.split(";messageid=")[0]
    return conv_id, kind


def read_data(data: object) -> Request | None:
    """The neutral request in a card's submit data, or None for data we did not draw.

    Inputs beside "concierge" (a dialog's fields) go with a form submit, and with a
    callback clicked inside a form (its "Check impact" reads the fields too).
    """
    if not isinstance(data, Mapping) or not isinstance(data.get("concierge"), Mapping):
        return None
    neutral: Mapping[str, Any] = data["concierge"]
    inputs = {str(k): v for k, v in data.items() if k not in ("concierge", "msteams")}
    if isinstance(neutral.get("c"), str):
        return Typed(neutral["c"])
    if isinstance(neutral.get("a"), str):
        value = {str(k): str(v) for k, v in neutral.items() if k != "a" and v is not None}
        return Clicked(neutral["a"], {**value, **{k: str(v) for k, v in inputs.items()
                                                   if v is not None and k not in value}})
    if isinstance(neutral.get("form"), str):
        state = neutral.get("state")
        return Submitted(neutral["form"], {str(k): str(v) for k, v in state.items()}
                         if isinstance(state, Mapping) else {}, inputs)
    return None


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


def read(activity: Activity) -> Request | None:
    """What a message activity asks for; None for a click on a card we did not draw."""
    text = message_text(activity)
    if not text and activity.value is not None:
        return read_data(activity.value)
    words = text.split()
    if words[:1] and words[0].lower() == "admin":  # "admin import" or just "import"
        words = words[1:]
    found = _attached(activity.attachments or [])
    if found and words and words[0].lower() in _FILE_INTENTS:
        intent: Any = _FILE_INTENTS[words[0].lower()]
        return Uploaded(intent, found[0], found[1], " ".join(words[1:]))
    return Typed(text)


def origin_of(request: Request) -> Action | None:
    """The request as a neutral button, to repeat it later (open its form, fetch its file)."""
    if isinstance(request, Typed):
        return Action(label="", command=request.text)
    if isinstance(request, Clicked):
        return Action(label="", id=request.action_id, value=dict(request.value))
    return None


def trusted_url(url: str, *, allow_loopback_http: bool = False) -> bool:
    """https on a Microsoft file host; plain http on loopback only in dev mode (the fakes)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if allow_loopback_http and parts.scheme in ("http", "https") and \
            host in {"127.0.0.1", "localhost", "::1"}:
        return True
    return parts.scheme == "https" and any(host == h or host.endswith("." + h)
                                           for h in TRUSTED_FILE_HOSTS)


async def fetch_file(url: str, *, allow_loopback_http: bool = False) -> bytes:
    """The attached file's bytes; InputError (a polite sentence) for anything unsafe or odd."""
    if not trusted_url(url, allow_loopback_http=allow_loopback_http):
        raise InputError("I can only fetch files that Teams stores (SharePoint or OneDrive, "
                         "over https).")
    timeout = aiohttp.ClientTimeout(total=15)
    data = bytearray()
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
            url, allow_redirects=False
        ) as response:
            response.raise_for_status()
            # One read(n) may return fewer bytes than are there: count every chunk.
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > MAX_FILE_BYTES:
                    raise InputError("That file is larger than 1 MB; a policy file is much "
                                     "smaller.")
    except (aiohttp.ClientError, TimeoutError):
        raise InputError("I couldn't fetch that file from Teams; please try again.") from None
    return bytes(data)
