"""Adaptive Cards from the neutral Answer (and the policy, for catalogue cards).

Pure functions returning plain dicts, so Teams (Bot Framework today, the
Microsoft 365 Agents SDK later) only wraps them in an attachment. Every card
carries `fallbackText`, and `fit_card` keeps the JSON under Teams' practical
message size by shortening texts and then dropping trailing blocks, with a note.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.compose import STATUS_LABELS
from bot.core.replies import Answer, RedLineNote, ToolAdvice
from bot.policy.models import Policy, Status

__all__ = [
    "CARD_VERSION",
    "MAX_CARD_BYTES",
    "card_size",
    "fit_card",
    "message_card",
    "red_lines_card",
    "text_block",
    "to_adaptive_card",
    "tool_catalogue_card",
]

Card = dict[str, Any]
CARD_VERSION = "1.4"
#: Teams accepts ~100 KB per message, but Workflows and older clients stop near 28 KB.
MAX_CARD_BYTES = 28_000
MAX_FALLBACK_CHARS = 6_000
_SHORT_TEXT = 600
_STATUS_COLORS = {
    "standard": "Good",
    "approved": "Good",
    "pilot": "Accent",
    "under_review": "Warning",
    "prohibited": "Attention",
}
_LINK = re.compile(r"\]\s*\(")


def _plain(text: str) -> str:
    """Defuse markdown links in text that may echo a user's words (no clickable lures)."""
    return _LINK.sub("] (", text)


def text_block(text: str, **style: Any) -> Card:
    return {"type": "TextBlock", "text": _plain(text), "wrap": True, **style}


def _card(body: list[Card], fallback: str, actions: Sequence[Card] = ()) -> Card:
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": _truncate(fallback, MAX_FALLBACK_CHARS),
        "msteams": {"width": "Full"},
        "body": body,
    }
    if actions:
        card["actions"] = list(actions)
    return card


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _tool_container(tool: ToolAdvice) -> Card:
    facts = [{"title": "Status", "value": _status_label(tool.status)},
             {"title": "Data", "value": tool.data_limit}]
    if tool.access_text:
        facts.append({"title": "Access", "value": tool.access_text})
    if tool.contact:
        facts.append({"title": "Contact", "value": tool.contact})
    items: list[Card] = [
        text_block(f"{tool.name} · {_status_label(tool.status)}", weight="Bolder",
                   color=_STATUS_COLORS.get(tool.status, "Default")),
        text_block(tool.why, spacing="Small"),
        {"type": "FactSet", "facts": [{**f, "value": _plain(f["value"])} for f in facts]},
    ]
    if tool.caveats:
        items.append(text_block("Not good for: " + " ".join(f"• {c}" for c in tool.caveats),
                                isSubtle=True, size="Small"))
    if tool.access_url:
        items.append({"type": "ActionSet", "actions": [
            {"type": "Action.OpenUrl", "title": f"Get {tool.name}", "url": tool.access_url}]})
    return {"type": "Container", "separator": True, "spacing": "Medium", "items": items}


def _red_line_container(line: RedLineNote) -> Card:
    return {
        "type": "Container",
        "style": "attention",
        "spacing": "Medium",
        "items": [
            text_block(f"⚠ Red line: {line.title}", weight="Bolder"),
            text_block(line.rule, spacing="Small"),
            text_block(f"Why: {line.why}", isSubtle=True, spacing="Small"),
        ],
    }


def _feedback_actions(answer: Answer) -> list[Card]:
    actions: list[Card] = []
    if answer.query_id is not None:
        actions += [
            {"type": "Action.Submit", "title": "Helpful",
             "data": {"action": "feedback", "query_id": answer.query_id, "helpful": True}},
            {"type": "Action.Submit", "title": "Not what I needed",
             "data": {"action": "feedback", "query_id": answer.query_id, "helpful": False}},
        ]
    if answer.unmet_id is not None:
        actions.append({"type": "Action.Submit", "title": "I need this too",
                        "data": {"action": "vote", "unmet_id": answer.unmet_id}})
    return actions


def to_adaptive_card(
    answer: Answer, *, footer: Iterable[str] = (), feedback: bool = True
) -> Card:
    """The Adaptive Card for an answer: tools (status, why, data limit, access), red lines.

    Args:
        answer: the core's neutral answer; `answer.text` becomes the fallback text.
        footer: extra adapter lines (e.g. the commands a platform understands).
        feedback: add "Helpful" / "Not what I needed" / "I need this too" submits.
    """
    body: list[Card] = [text_block(answer.headline, weight="Bolder", size="Medium")]
    body += [text_block(note, spacing="Small") for note in answer.notes]
    body += [_tool_container(tool) for tool in answer.tools]
    if answer.alternatives:
        body.append(text_block("Approved alternatives", weight="Bolder", separator=True))
        body += [_tool_container(tool) for tool in answer.alternatives]
    body += [_red_line_container(line) for line in answer.red_lines]
    if answer.logged_unmet and not any("logged" in n for n in answer.notes):
        body.append(text_block("I've logged this request for IT to review.", isSubtle=True))
    body += [text_block(line, isSubtle=True, size="Small") for line in footer]
    actions = _feedback_actions(answer) if feedback else []
    fallback = "\n".join([answer.text, *footer])
    return fit_card(_card(body, fallback, actions))


def message_card(title: str, lines: Sequence[str] = (), *, style: str | None = None) -> Card:
    """A short card: a bold title and plain lines (confirmations, errors, lists)."""
    body: list[Card] = [text_block(title, weight="Bolder", size="Medium")]
    body += [text_block(line, spacing="Small") for line in lines]
    if style:
        body = [{"type": "Container", "style": style, "items": body}]
    return fit_card(_card(body, "\n".join([title, *lines])))


def tool_catalogue_card(policy: Policy) -> Card:
    """Every tool grouped by status: the `list` command."""
    body: list[Card] = [text_block(f"AI tools at {policy.meta.organization}",
                                   weight="Bolder", size="Medium")]
    fallback = [f"AI tools at {policy.meta.organization}"]
    for status in Status:
        tools = sorted((t for t in policy.tools if t.status is status), key=lambda t: t.name)
        if not tools:
            continue
        label = _status_label(status.value)
        body.append(text_block(f"{label} ({len(tools)})", weight="Bolder", separator=True,
                               color=_STATUS_COLORS.get(status.value, "Default")))
        facts = [{"title": t.name, "value": _plain(_first_sentence(t.summary))} for t in tools]
        body.append({"type": "FactSet", "facts": facts})
        fallback.append(f"{label}: " + ", ".join(t.name for t in tools))
    body.append(text_block("Type `tool <name>` for the details of one tool.", isSubtle=True))
    return fit_card(_card(body, "\n".join(fallback)))


def red_lines_card(policy: Policy) -> Card:
    """Every red line with its why: the `redlines` command."""
    notes = [RedLineNote(r.id, r.title, r.rule, r.why) for r in policy.red_lines]
    body: list[Card] = [text_block("Red lines: never do these with AI tools",
                                   weight="Bolder", size="Medium")]
    body += [_red_line_container(n) for n in notes]
    if not notes:
        body.append(text_block("The policy has no red lines yet."))
    fallback = "\n".join(["Red lines:", *(f"⚠ {n.title}. {n.rule} Why: {n.why}" for n in notes)])
    return fit_card(_card(body, fallback))


def _first_sentence(text: str, limit: int = 160) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return _truncate(match.group(1) if match else text, limit)


def card_size(card: Card) -> int:
    """Bytes of the card as Teams receives it (UTF-8 JSON)."""
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


def _shorten_texts(node: Any, limit: int) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "value") and isinstance(value, str):
                node[key] = _truncate(value, limit)
            else:
                _shorten_texts(value, limit)
    elif isinstance(node, list):
        for item in node:
            _shorten_texts(item, limit)


def fit_card(card: Card, limit: int = MAX_CARD_BYTES) -> Card:
    """The card itself when small enough, else a shortened copy that says so.

    First every long text is cut, then trailing body blocks go; the headline and a
    "shortened" note always stay, and the fallback text is cut to fit as well.
    """
    if card_size(card) <= limit:
        return card
    card = json.loads(json.dumps(card))
    note = text_block("This answer was shortened to fit in Teams. Ask a narrower question "
                      "for the details.", isSubtle=True, size="Small")
    card["fallbackText"] = _truncate(card.get("fallbackText", ""), 2_000)
    _shorten_texts(card["body"], _SHORT_TEXT)
    card["body"].append(note)
    while card_size(card) > limit and len(card["body"]) > 2:
        del card["body"][-2]
    if card_size(card) > limit:  # one enormous headline: cut hard
        _shorten_texts(card["body"], 200)
    return card
