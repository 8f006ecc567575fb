"""Block Kit for any neutral Reply: messages, App Home (and modals, in `blockkit_forms`).

One generic renderer, so the Slack adapter holds no view code. Every text is escaped
for mrkdwn (nobody can ping `<!channel>` or forge a link) and Slack's documented
limits are kept: 50 blocks per message and 100 per modal or App Home, 3,000 characters
per section text, 10 fields per section, 25 elements per actions block, 75 characters
of button text and 2,000 of button value.

Every button routes to one listener: `action_id` "concierge" (then "concierge:2", …,
since Slack wants action ids unique within a block) and a JSON `value` holding the
neutral action — `{"c": command}` or `{"a": id, **value}`. Link buttons carry no value;
Slack still reports their clicks, which the adapter only acknowledges.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.reply import Action, Badge, Reply, Section, Tone
from bot.render.blockkit_forms import form_values, modal_errors, to_modal
from bot.render.mrkdwn import (
    MAX_FALLBACK_CHARS,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_CHARS,
    MAX_VIEW_BLOCKS,
    Block,
    context,
    escape,
    fit_blocks,
    section,
    text_blocks,
    truncate,
)

__all__ = [
    "ACTION_ID",
    "MAX_BUTTON_TEXT",
    "MAX_BUTTON_VALUE",
    "MAX_MESSAGE_BLOCKS",
    "MAX_SECTION_CHARS",
    "MAX_VIEW_BLOCKS",
    "action_value",
    "badge_text",
    "escape",
    "fit_blocks",
    "form_values",
    "modal_errors",
    "section",
    "text_blocks",
    "to_blocks",
    "to_form_view",
    "to_home",
    "to_modal",
    "truncate",
]

ACTION_ID = "concierge"
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_FIELDS = 10
MAX_FIELD_CHARS = 2000
MAX_ACTIONS = 25
_TONE_EMOJI: dict[Tone, str] = {
    "good": ":white_check_mark:", "warning": ":warning:", "attention": ":no_entry:",
    "accent": ":information_source:", "default": "",
}
_BADGE_EMOJI: dict[Tone, str] = {
    "good": ":large_green_circle:", "warning": ":large_yellow_circle:",
    "attention": ":red_circle:", "accent": ":large_blue_circle:", "default": ":white_circle:",
}


def badge_text(badge: Badge) -> str:
    """A badge as emoji + text: colour at a glance, the word for screen readers."""
    return f"{_BADGE_EMOJI[badge.tone]} {escape(badge.text)}"


def action_value(action: Action) -> str | None:
    """The neutral action as the button's JSON value; None for links (they need none)."""
    if action.url:
        return None
    data: dict[str, str] = ({"c": action.command} if action.command is not None
                            else {"a": action.id or "", **action.value})
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _button(action: Action, index: int) -> Block | None:
    """A button, or None when it cannot be sent within Slack's limits (never cut a value)."""
    element: Block = {"type": "button", "action_id": ACTION_ID if index == 1
                      else f"{ACTION_ID}:{index}",
                      "text": {"type": "plain_text", "emoji": True,
                               "text": truncate(action.label, MAX_BUTTON_TEXT)}}
    if action.url:
        if len(action.url) > 3000:
            return None
        element["url"] = action.url
    else:
        value = action_value(action)
        if value is None or len(value) > MAX_BUTTON_VALUE:
            return None
        element["value"] = value
    if action.style:
        element["style"] = action.style
    return element


def _actions_blocks(actions: Sequence[Action]) -> list[Block]:
    buttons = [b for i, a in enumerate(actions, 1) if (b := _button(a, i)) is not None]
    return [{"type": "actions", "elements": buttons[i:i + MAX_ACTIONS]}
            for i in range(0, len(buttons), MAX_ACTIONS)]


def _split_mrkdwn(text: str, limit: int = MAX_SECTION_CHARS) -> list[str]:
    """Already-escaped mrkdwn in chunks of at most `limit`, on line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            amp = line.rfind("&", max(cut - 6, 0), cut)
            if amp > 0 and ";" not in line[amp:cut]:  # never split an &amp; entity
                cut = amp
            chunks.append(line[:cut])
            line = line[cut:].lstrip()
        if current and len(current) + len(line) + 1 > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current.strip():
        chunks.append(current)
    return chunks


def _heading(title: str | None, badge: Badge | None, tone: Tone) -> str:
    parts = []
    if title:
        mark = _TONE_EMOJI[tone] if tone == "attention" else ""
        parts.append(f"{mark} *{escape(title)}*".strip())
    if badge:
        parts.append(badge_text(badge))
    return "  ".join(parts)


def _section_blocks(item: Section) -> list[Block]:
    """One Section: heading + text (split to fit), facts as fields, its buttons."""
    head = _heading(item.title, item.badge, item.tone)
    text = "\n".join(x for x in (head, escape(item.text)) if x)
    accessory = _button(item.actions[0], 1) if len(item.actions) == 1 else None
    blocks = [section(chunk) for chunk in _split_mrkdwn(text)] if text else []
    if accessory is not None:
        if blocks:
            blocks[0]["accessory"] = accessory
        else:
            blocks.append({"type": "actions", "elements": [accessory]})
    facts = [{"type": "mrkdwn", "text": truncate(f"*{escape(f.label)}*\n{escape(f.value)}",
                                                 MAX_FIELD_CHARS)} for f in item.facts]
    blocks += [{"type": "section", "fields": facts[i:i + MAX_FIELDS]}
               for i in range(0, len(facts), MAX_FIELDS)]
    if len(item.actions) > 1:
        blocks += _actions_blocks(item.actions)
    return blocks


def _more_blocks(more: Iterable[Section]) -> list[Block]:
    """ "More options": Slack cannot fold, so the extra parts follow a divider, packed:
    parts without buttons share section blocks (one "*title* text" paragraph each),
    a part with a button gets its own block with the button beside it."""
    blocks: list[Block] = [{"type": "divider"}, context("*More options*")]
    packed: list[str] = []

    def flush() -> None:
        if packed:
            blocks.extend(section(chunk) for chunk in _split_mrkdwn("\n".join(packed)))
            packed.clear()

    for item in more:
        head = _heading(item.title, item.badge, item.tone)
        text = "\n".join(x for x in (head, escape(item.text)) if x)
        if item.actions:
            flush()
            blocks.append(section(truncate(text, MAX_SECTION_CHARS), _button(item.actions[0], 1)))
        elif text:
            packed.append(text)
    flush()
    return blocks


def _body(reply: Reply, image_file: str | None) -> list[Block]:
    mark = _TONE_EMOJI[reply.tone]
    blocks: list[Block] = [section(f"{mark} *{escape(reply.title)}*".strip())]
    if reply.image is not None and image_file:
        blocks.append({"type": "image", "slack_file": {"id": image_file},
                       "alt_text": truncate(reply.image.alt, 2000),
                       "title": {"type": "plain_text",
                                 "text": truncate(reply.image.title or "Chart", 2000)}})
    for item in reply.sections:
        blocks += _section_blocks(item)
    if reply.facts:
        blocks += _section_blocks(Section(facts=reply.facts))
    if reply.more:
        blocks += _more_blocks(reply.more)
    if reply.form is not None and reply.form.intro:
        blocks.append(section(escape(reply.form.intro)))
    return blocks


def _reply_blocks(reply: Reply, limit: int, image_file: str | None) -> list[Block]:
    tail = _actions_blocks(reply.actions)
    if reply.footer:
        tail.append(context(escape(reply.footer)))
    return fit_blocks(_body(reply, image_file), limit, tail=tail)


def to_blocks(
    reply: Reply, *, max_blocks: int = MAX_MESSAGE_BLOCKS, image_file: str | None = None
) -> tuple[list[Block], str]:
    """(blocks, fallback text) for a message.

    Args:
        reply: any Reply.
        max_blocks: 50 for messages.
        image_file: the Slack file id of the uploaded `reply.image`, when there is one.
    """
    return (_reply_blocks(reply, max_blocks, image_file),
            truncate(escape(reply.text), MAX_FALLBACK_CHARS))


def to_home(reply: Reply) -> dict[str, Any]:
    """The App Home view for a Reply (at most 100 blocks)."""
    return {"type": "home", "blocks": _reply_blocks(reply, MAX_VIEW_BLOCKS, None)}


def to_form_view(reply: Reply) -> dict[str, Any]:
    """The modal for `reply.form`, with the reply's own buttons under the fields.

    E.g. "Check impact" (its click carries the typed values; the adapter adds them).
    Cancel is the modal's own close button, and links stay out of forms. A form
    shown again with errors outside a submission (views.update) says them on top,
    since Slack shows inline errors only in answer to a submission.
    """
    if reply.form is None:
        raise ValueError("to_form_view needs a Reply with a form")
    view = to_modal(reply.form)
    extra = [a for a in reply.actions if a.id != "cancel" and not a.url]
    top = [{"type": "section", "text": {"type": "plain_text", "text": truncate(reply.text, 3000)}}
           ] if reply.form.errors else []
    view["blocks"] = [*top, *view["blocks"], *_actions_blocks(extra)][:MAX_VIEW_BLOCKS]
    return view

