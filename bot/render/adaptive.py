"""Adaptive Cards (version 1.5, what Teams supports) for any neutral Reply.

One generic renderer, so the Teams adapter holds no view code. Narrow screens first:
buttons go in rows of at most three (Teams cuts button text rather than wrapping a
row), `more` folds behind an "More options" Action.ShowCard, and colour never
carries meaning alone (badges are emoji + word). Text colours are the host's named
colours that keep at least 4.5:1 contrast on Teams' light theme: the "Good" green
(2.07:1) and "Warning" yellow (1.47:1) are never used for text; red lines get a red
(5.4:1) "⛔" title rather than a tinted box.

No `msteams` extension: the official 1.5 schema refuses unknown top-level keys, and
the default width is the one the layout is designed (and measured) for.

Every Action.Submit carries `data = {"concierge": {"c": command}}` or
`{"concierge": {"a": id, **value}}`; forms add `{"concierge": {"form": id, "state": …}}`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from typing import Any

from bot.core.reply import Action, Badge, Fact, Reply, Section, Tone
from bot.core.views.admin import form_opener
from bot.render.adaptive_dialog import form_body, to_dialog, to_form_card

__all__ = [
    "BADGE_EMOJI",
    "CARD_VERSION",
    "MAX_CARD_BYTES",
    "TEXT_COLORS",
    "action",
    "card_size",
    "to_card",
    "to_dialog",
    "to_form_card",
    "to_form_dialog",
    "to_form_opener",
]

Card = dict[str, Any]
CARD_VERSION = "1.5"
MAX_CARD_BYTES = 28_000
MAX_IMAGE_CARD_BYTES = 80_000  # a digest with its chart; Teams takes ~100 KB per message
MAX_IMAGE_BYTES = 45_000  # raw PNG; base64 adds a third
MAX_FALLBACK = 6_000
ROW = 3  # buttons per row: three short labels fit 340 px without being cut
ROW_CHARS = 32  # label characters a 340 px row holds (measured: bench/render_cards.py)
#: Named text colours by tone, each ≥ 4.5:1 on Teams' light background (see tests).
TEXT_COLORS: dict[Tone, str] = {
    "default": "Default", "good": "Default", "warning": "Default",
    "attention": "Attention", "accent": "Accent",
}
BADGE_EMOJI: dict[Tone, str] = {
    "good": "🟢", "warning": "🟡", "attention": "⛔", "accent": "🔵", "default": "⚪",
}
_TITLE_EMOJI: dict[Tone, str] = {
    "good": "✅ ", "warning": "⚠️ ", "attention": "⛔ ", "accent": "", "default": "",
}


def _md(text: str) -> str:
    """Defuse markdown links in text that may echo a person's words (no clickable lures)."""
    return text.replace("](", "] (")


def _text(text: str, **style: Any) -> Card:
    return {"type": "TextBlock", "text": _md(text), "wrap": True, **style}


def action(item: Action) -> Card:
    """One neutral action as Action.OpenUrl or Action.Submit."""
    if item.url:
        out: Card = {"type": "Action.OpenUrl", "title": item.label, "url": item.url}
    else:
        data = ({"c": item.command} if item.command is not None
                else {"a": item.id or "", **item.value})
        out = {"type": "Action.Submit", "title": item.label, "data": {"concierge": data}}
        if item.id in ("cancel", "feedback", "vote"):
            out["associatedInputs"] = "none"
    if item.style:
        out["style"] = "positive" if item.style == "primary" else "destructive"
    return out


def _rows(actions: Sequence[Action], *, spacing: str = "Small") -> list[Card]:
    """ActionSets of at most ROW buttons, rows filled evenly (4 -> 2 + 2, never 3 + 1),
    and a row whose labels are too long for a phone split again: the renderer neither
    wraps a row nor shrinks its buttons, it pushes them past the card's edge."""
    if not actions:
        return []
    count = -(-len(actions) // ROW)
    size = -(-len(actions) // count)
    pending = [list(actions[i:i + size]) for i in range(0, len(actions), size)]
    rows: list[list[Action]] = []
    while pending:
        row = pending.pop(0)
        if len(row) > 1 and sum(len(a.label) for a in row) > ROW_CHARS:
            half = (len(row) + 1) // 2
            pending[:0] = [row[:half], row[half:]]
        else:
            rows.append(row)
    return [{"type": "ActionSet", "spacing": spacing, "actions": [action(a) for a in row]}
            for row in rows]


def _badge_run(badge: Badge) -> Card:
    return {"type": "TextRun", "text": f"{BADGE_EMOJI[badge.tone]} {badge.text}",
            "color": TEXT_COLORS[badge.tone], "weight": "Bolder", "size": "Small"}


def _heading(item: Section) -> Card | None:
    """Name and badge on one line (wrapping on narrow screens): status at a glance."""
    inlines: list[Card] = []
    if item.title:
        run = {"type": "TextRun", "text": _md(item.title), "weight": "Bolder"}
        if item.tone == "attention":  # a red line: red title (5.4:1 on white), ⛔ for no colour
            run.update(text=f"⛔ {run['text']}", color=TEXT_COLORS["attention"])
        inlines.append(run)
    if item.badge:
        if inlines:
            inlines.append({"type": "TextRun", "text": "  "})
        inlines.append(_badge_run(item.badge))
    return {"type": "RichTextBlock", "inlines": inlines} if inlines else None


def _facts(facts: Sequence[Fact]) -> list[Card]:
    """ "Label: value" lines that wrap as one paragraph: a FactSet's label column squeezes
    values into a narrow strip on a phone."""
    return [{"type": "RichTextBlock", "spacing": "Small", "inlines": [
        {"type": "TextRun", "text": f"{f.label}: ", "weight": "Bolder"},
        {"type": "TextRun", "text": _md(f.value)}]} for f in facts]


def _section(item: Section, *, first: bool = False) -> Card:
    items: list[Card] = []
    heading = _heading(item)
    if heading and len(item.actions) == 1 and not (item.text or item.facts):
        # Just a name and one button: side by side, a phone's line instead of two.
        items.append({"type": "ColumnSet", "columns": [
            {"type": "Column", "width": "stretch", "verticalContentAlignment": "Center",
             "items": [heading]},
            {"type": "Column", "width": "auto", "items": _rows(item.actions)}]})
    else:
        items += [heading] if heading else []
        if item.text:
            items.append(_text(item.text, spacing="None" if heading else "Default"))
        items += _facts(item.facts)
        items += _rows(item.actions)
    # No tinted box for red lines: its padding costs a phone 32 px of width per line.
    return {"type": "Container", "items": items or [_text(" ")], "spacing": "Medium",
            "separator": not first}


def _image(reply: Reply) -> Card | None:
    image = reply.image
    if image is None or len(image.png) > MAX_IMAGE_BYTES:
        return None
    encoded = base64.b64encode(image.png).decode("ascii")
    return {"type": "Image", "url": f"data:image/png;base64,{encoded}", "altText": image.alt,
            "size": "Stretch"}


def _body(reply: Reply) -> list[Card]:
    title = f"{_TITLE_EMOJI[reply.tone]}{reply.title}"
    body: list[Card] = [_text(title, weight="Bolder", size="Medium",
                              color=TEXT_COLORS[reply.tone])]
    image = _image(reply)
    if image:
        body.append(image)
    body += [_section(s, first=i == 0) for i, s in enumerate(reply.sections)]
    body += _facts(reply.facts)
    if reply.form is not None:
        body += form_body(reply.form)
    return body


def to_card(reply: Reply, *, max_bytes: int | None = None) -> Card:
    """The Adaptive Card for a Reply; `reply.text` is its fallbackText."""
    body = _body(reply)
    tail: list[Card] = []
    if reply.more:
        more = {"type": "AdaptiveCard", "body": [_section(s, first=i == 0)
                                                  for i, s in enumerate(reply.more)]}
        tail.append({"type": "ActionSet", "spacing": "Small", "actions": [
            {"type": "Action.ShowCard", "title": "More options", "card": more}]})
    tail += _rows(reply.actions, spacing="Medium")
    if reply.footer:
        tail.append(_text(reply.footer, isSubtle=True, size="Small", spacing="Small"))
    fallback = reply.text
    if len(fallback) > MAX_FALLBACK:
        fallback = fallback[: MAX_FALLBACK - 1] + "…"
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "fallbackText": fallback,
        "body": [*body, *tail],
    }
    limit = max_bytes or (MAX_IMAGE_CARD_BYTES if reply.image else MAX_CARD_BYTES)
    return _fit(card, len(tail), limit)


def card_size(card: Card) -> int:
    """Bytes of the card as Teams receives it (UTF-8 JSON)."""
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


def _shorten(node: Any, limit: int) -> None:
    """Cut every long text (and fallbackText) in place, marking the cut."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "fallbackText") and isinstance(value, str) and len(value) > limit:
                node[key] = value[: limit - 1].rstrip() + "…"
            else:
                _shorten(value, limit)
    elif isinstance(node, list):
        for item in node:
            _shorten(item, limit)


def _fit(card: Card, tail: int, limit: int) -> Card:
    """Within `limit` bytes: sections go from the end (title, buttons and footer stay),
    then long texts are cut; a note says the card was shortened."""
    if card_size(card) <= limit:
        return card
    card = json.loads(json.dumps(card))
    body = card["body"]
    note = _text("Shortened to fit in Teams: ask a narrower question for the rest.",
                 isSubtle=True, size="Small")
    head, rest = body[: len(body) - tail], body[len(body) - tail:]
    while len(head) > 1 and card_size({**card, "body": [*head, note, *rest]}) > limit:
        head.pop()
    card["body"] = [*head, note, *rest]
    for cut in (2_000, 600, 200):
        if card_size(card) <= limit:
            break
        _shorten(card, cut)
    return card


def _submits(node: object) -> Iterator[Card]:
    """Every Action.Submit of a card (top level, action sets, show-cards)."""
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit" and isinstance(node.get("data"), dict):
            yield node
        for value in node.values():
            yield from _submits(value)
    elif isinstance(node, list):
        for item in node:
            yield from _submits(item)


def to_form_opener(reply: Reply, origin: Action) -> Card:
    """A card whose one button opens `reply.form` in a Teams dialog by repeating `origin`
    (so the dialog always shows the current form, and rights are checked again)."""
    card = to_card(form_opener(reply, origin))
    for submit in _submits(card):
        submit["data"]["msteams"] = {"type": "task/fetch"}
    return card


def to_form_dialog(reply: Reply) -> Card:
    """`to_dialog(reply.form)` with the reply's own buttons (e.g. "Check impact", which
    reads the inputs) after Save; the reply's Cancel is the dialog's own."""
    assert reply.form is not None
    dialog = to_dialog(reply.form)
    content = dialog["task"]["value"]["card"]["content"]
    extra = [action(a) for a in reply.actions if a.id != "cancel" and not a.url]
    if extra:
        save, *rest = content.get("actions", [])
        content["actions"] = [save, *extra, *rest]
    return dialog
