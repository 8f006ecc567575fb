"""mrkdwn and block helpers every Block Kit renderer shares: escaping, cutting, fitting.

All text that came from a person (questions, tool names, even policy text written by
IT) is escaped, so nobody can make the bot ping `<!channel>` or forge a link; texts
and block lists are cut to Slack's limits, always saying so when something was left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "MAX_FALLBACK_CHARS",
    "MAX_MESSAGE_BLOCKS",
    "MAX_SECTION_CHARS",
    "MAX_VIEW_BLOCKS",
    "Block",
    "context",
    "escape",
    "fit_blocks",
    "section",
    "text_blocks",
    "truncate",
]

Block = dict[str, Any]
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_CHARS = 3000
MAX_FALLBACK_CHARS = 39_000  # Slack truncates message text beyond 40,000 characters


def escape(text: str) -> str:
    """Escape the three characters Slack treats as control characters in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten to `limit` characters, marking the cut, never splitting an escape entity."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def section(mrkdwn: str, accessory: Block | None = None) -> Block:
    """A mrkdwn section; the text must already be escaped."""
    block: Block = {"type": "section", "text": {"type": "mrkdwn",
                                                 "text": truncate(mrkdwn, MAX_SECTION_CHARS)}}
    if accessory:
        block["accessory"] = accessory
    return block


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn",
                                              "text": truncate(mrkdwn, MAX_SECTION_CHARS)}]}


def _safe_cut(text: str, limit: int) -> int:
    """An index ≤ limit that does not split an `&amp;`-style entity."""
    amp = text.rfind("&", max(limit - 5, 0), limit)
    return amp if amp > 0 and ";" not in text[amp:limit] else limit


def text_blocks(text: str, *, limit: int = MAX_SECTION_CHARS) -> list[Block]:
    """Escaped text split over as many sections as needed, on line breaks where possible."""
    blocks: list[Block] = []
    chunk = ""
    for line in escape(text).splitlines():
        while len(line) > limit:
            if chunk:
                blocks.append(section(chunk))
                chunk = ""
            cut = _safe_cut(line, limit)
            blocks.append(section(line[:cut]))
            line = line[cut:]
        if len(chunk) + len(line) + 1 > limit:
            blocks.append(section(chunk))
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk.strip():
        blocks.append(section(chunk))
    return blocks


def fit_blocks(blocks: list[Block], limit: int, *, tail: Sequence[Block] = ()) -> list[Block]:
    """Keep at most `limit` blocks including `tail`, saying so when something was cut."""
    room = limit - len(tail)
    if len(blocks) <= room:
        return [*blocks, *tail]
    kept = blocks[: room - 1]
    note = context(f"_…{len(blocks) - len(kept)} more part(s) left out to fit Slack; "
                   "ask a narrower question._")
    return [*kept, note, *tail]
