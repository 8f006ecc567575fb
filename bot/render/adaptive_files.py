"""A Reply as Teams gets it other than as a card: a file (the exported policy) through a
file consent card or as text, and a card too large to send as shortened text.

Teams lets a bot send a file only in a personal chat, after the person consents; the
card's accept and decline contexts carry the same neutral data a button would (`action`),
so accepting produces the file again, fresh and re-checked. Elsewhere the file follows
as a code block.
"""

from __future__ import annotations

from typing import Any

from bot.core.reply import Action, Attachment
from bot.render.adaptive import action

__all__ = ["FILE_CONSENT", "file_consent", "file_text", "shortened"]

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
_FENCE = "```"
_SHORTENED = "\n\n… (shortened: the full answer was too large to send)"


def file_consent(file: Attachment, origin: Action) -> dict[str, Any]:
    """The consent card attachment (Bot Framework JSON) offering `file`; `origin` is the
    request that produced it."""
    context = action(origin)["data"]
    return {"contentType": FILE_CONSENT, "name": file.filename,
            "content": {"description": file.title or file.filename,
                        "sizeInBytes": len(file.content.encode()),
                        "acceptContext": context, "declineContext": context}}


def file_text(file: Attachment) -> str:
    """The file as a message: its name, then its content in a code block."""
    return f"{file.filename}\n{_FENCE}\n{file.content}\n{_FENCE}"


def shortened(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, saying so when it had to be cut (what is
    sent when Teams refuses a card or a message as too large)."""
    if len(text) <= limit:
        return text
    return text[: limit - len(_SHORTENED)].rstrip() + _SHORTENED
