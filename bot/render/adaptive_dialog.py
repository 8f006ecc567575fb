"""A neutral Form as Adaptive Card inputs (1.5): inline in a card, or in a Teams dialog.

Long admin forms open in a task module (`to_dialog`), short ones can sit in the chat
(`to_form_card`). Every choice has a non-empty value (the renderer refuses empty
ones), server-side errors are shown in red under their field, and Cancel submits
without inputs (`associatedInputs: none`) so half-filled required fields never
block it. Choice sets are "compact": the official 1.5 schema has no "filtered" style.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.reply import Field, Form

__all__ = ["dialog_values", "form_body", "form_card_actions", "to_dialog", "to_form_card"]

Card = dict[str, Any]


def _values(field: Field) -> tuple[str, ...]:
    if isinstance(field.value, tuple):
        return field.value
    return (field.value,) if field.value else ()


def _input(field: Field) -> Card:
    base: Card = {"id": field.id, "label": field.label, "isRequired": field.required}
    if field.required:
        base["errorMessage"] = f"{field.label} is required."
    if field.kind in ("choice", "multi_choice"):
        choices = [{"title": c.label, "value": c.value} for c in field.choices if c.value]
        out: Card = {"type": "Input.ChoiceSet", **base, "choices": choices,
                     "style": "compact"}
        if field.kind == "multi_choice":
            out["isMultiSelect"] = True
        chosen = [v for v in _values(field) if v in {c["value"] for c in choices}]
        if chosen:
            out["value"] = ",".join(chosen)
    else:
        out = {"type": "Input.Text", **base}
        joiner = "\n" if field.kind == "lines" else ", "
        value = joiner.join(_values(field)) if field.kind in ("lines", "csv") else "".join(
            _values(field))
        if value:
            out["value"] = value
        if field.kind in ("multiline", "lines"):
            out["isMultiline"] = True
        if field.kind == "url":
            out["style"] = "Url"
        if field.max_length:
            out["maxLength"] = field.max_length
    hint = field.hint or {"lines": "One per line.", "csv": "Separate with commas."}.get(
        field.kind, "")
    if field.placeholder or hint:
        out["placeholder"] = field.placeholder or hint
    return out


def form_body(form: Form) -> list[Card]:
    """The inputs, each followed by its error (red, under the field) when there is one."""
    body: list[Card] = []
    if form.intro:
        body.append({"type": "TextBlock", "text": form.intro, "wrap": True, "spacing": "Small"})
    known = {f.id for f in form.fields}
    general = [m for k, m in form.errors.items() if k not in known]
    if general:
        body.append({"type": "TextBlock", "text": " ".join(general), "wrap": True,
                     "color": "Attention", "weight": "Bolder"})
    for field in form.fields:
        body.append(_input(field))
        if field.id in form.errors:
            body.append({"type": "TextBlock", "text": form.errors[field.id], "wrap": True,
                         "color": "Attention", "size": "Small", "spacing": "None"})
    return body


def form_card_actions(form: Form) -> list[Card]:
    """Save (with the inputs) and Cancel (without): the only two ways out of a form."""
    concierge = {"form": form.id, "state": dict(form.state)}
    return [
        {"type": "Action.Submit", "title": form.submit_label, "style": "positive",
         "data": {"concierge": concierge}},
        {"type": "Action.Submit", "title": "Cancel", "associatedInputs": "none",
         "data": {"concierge": {"a": "cancel", "form": form.id}}},
    ]


def to_form_card(form: Form) -> Card:
    """The form as a card of its own (inline in the chat, or inside the dialog)."""
    body: list[Card] = [{"type": "TextBlock", "text": form.title, "wrap": True,
                         "weight": "Bolder", "size": "Medium"}, *form_body(form)]
    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.5",
        "fallbackText": f"{form.title}: open this in Teams to fill in the form.",
        "body": body,
        "actions": form_card_actions(form),
    }


def to_dialog(form: Form) -> dict[str, Any]:
    """The `task/fetch` (or `task/submit` with errors) response: the form in a dialog."""
    return {"task": {"type": "continue", "value": {
        "title": form.title,
        "width": "medium",
        "height": "large" if len(form.fields) > 5 else "medium",
        "card": {"contentType": "application/vnd.microsoft.card.adaptive",
                 "content": to_form_card(form)},
    }}}


def dialog_values(data: Mapping[str, Any]) -> dict[str, object]:
    """Submitted inputs (everything but our own `concierge` routing key)."""
    return {k: v for k, v in data.items() if k not in ("concierge", "msteams")}
