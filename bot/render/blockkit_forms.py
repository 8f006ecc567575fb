"""A neutral Form as a Slack modal, its errors as `response_action: errors`, and back.

Each field is one input block whose `block_id` and `action_id` are the field id, so
the core's errors (field id -> message) map straight onto Slack's inline errors and
the submitted state maps straight back to field values. The form id and its hidden
state travel in `private_metadata`; the modal's `callback_id` is always "concierge"
so one view listener serves every form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.core.reply import Choice, Field, Form

__all__ = ["CALLBACK_ID", "form_values", "modal_error", "modal_errors", "modal_metadata",
           "read_modal", "to_modal"]

Block = dict[str, Any]
CALLBACK_ID = "concierge"
MAX_VIEW_BLOCKS = 100
MAX_TITLE = 24  # modal title, submit and close texts
MAX_OPTIONS = 100
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_LABEL = 2000
MAX_PLACEHOLDER = 150
MAX_INPUT = 3000
MAX_METADATA = 3000


def _plain(text: str, limit: int) -> Block:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(choice: Choice) -> Block:
    return {"text": _plain(choice.label, MAX_OPTION_TEXT), "value": choice.value}


def _values(field: Field) -> tuple[str, ...]:
    if isinstance(field.value, tuple):
        return field.value
    return (field.value,) if field.value else ()


def _element(field: Field) -> Block:
    if field.kind in ("choice", "multi_choice"):
        options = [_option(c) for c in field.choices
                   if c.value and len(c.value) <= MAX_OPTION_VALUE][:MAX_OPTIONS]
        chosen = [o for o in options if o["value"] in _values(field)]
        if field.kind == "choice":
            element: Block = {"type": "static_select", "action_id": field.id, "options": options}
            if chosen:
                element["initial_option"] = chosen[0]
        else:
            element = {"type": "multi_static_select", "action_id": field.id, "options": options}
            if chosen:
                element["initial_options"] = chosen
    else:
        element = {"type": "plain_text_input", "action_id": field.id,
                   "multiline": field.kind in ("multiline", "lines")}
        initial = "\n".join(_values(field)) if field.kind == "lines" else ", ".join(
            _values(field)) if field.kind == "csv" else "".join(_values(field))
        if initial:
            element["initial_value"] = initial[:MAX_INPUT]
        element["max_length"] = min(field.max_length or MAX_INPUT, MAX_INPUT)
    if field.placeholder:
        element["placeholder"] = _plain(field.placeholder, MAX_PLACEHOLDER)
    return element


def _input(field: Field) -> Block:
    block: Block = {"type": "input", "block_id": field.id, "optional": not field.required,
                    "label": _plain(field.label, MAX_LABEL), "element": _element(field)}
    hint = field.hint or {"lines": "One per line.", "csv": "Separate with commas."}.get(
        field.kind, "")
    if hint:
        block["hint"] = _plain(hint, MAX_LABEL)
    return block


def modal_metadata(form: Form) -> str:
    """The form id and hidden state, as they come back in `view.private_metadata`."""
    data = json.dumps({"form": form.id, "state": dict(form.state)}, separators=(",", ":"))
    if len(data) > MAX_METADATA:
        raise ValueError(f"form {form.id!r}: hidden state too large for a Slack modal")
    return data


def to_modal(form: Form) -> dict[str, Any]:
    """The `views.open` / `views.update` view for a form (Cancel closes it, nothing saved)."""
    blocks: list[Block] = []
    if form.intro:
        blocks.append({"type": "section", "text": {"type": "plain_text",
                                                   "text": form.intro[:MAX_INPUT]}})
    blocks += [_input(f) for f in form.fields]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": modal_metadata(form),
        "title": _plain(form.title, MAX_TITLE),
        "submit": _plain(form.submit_label, MAX_TITLE),
        "close": _plain("Cancel", MAX_TITLE),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def modal_errors(form: Form) -> dict[str, Any]:
    """The view_submission ack that shows `form.errors` inline, under each field."""
    known = {f.id for f in form.fields}
    errors = {k: v[:MAX_LABEL] for k, v in form.errors.items() if k in known}
    if not errors and form.errors and form.fields:  # an error about the whole form
        errors = {form.fields[0].id: " ".join(form.errors.values())[:MAX_LABEL]}
    return {"response_action": "errors", "errors": errors}


def form_values(state: Mapping[str, Mapping[str, Any]]) -> dict[str, object]:
    """`view.state.values` as field id -> text, or a list of values for multi choices."""
    out: dict[str, object] = {}
    for block_id, elements in state.items():
        for element in elements.values():
            kind = element.get("type")
            if kind in ("static_select", "radio_buttons"):
                selected = element.get("selected_option") or {}
                out[block_id] = selected.get("value", "")
            elif kind in ("multi_static_select", "checkboxes"):
                out[block_id] = [o["value"] for o in element.get("selected_options") or []]
            else:
                out[block_id] = element.get("value") or ""
    return out


def read_modal(view: Mapping[str, Any]) -> tuple[str, dict[str, str], dict[str, object]]:
    """A submitted modal's form id, hidden state and the values typed so far."""
    meta = json.loads(view.get("private_metadata") or "{}")
    state = meta.get("state") if isinstance(meta, dict) else None
    values = form_values((view.get("state") or {}).get("values") or {})
    return str(meta.get("form") or ""), dict(state or {}), values


def modal_error(view: Mapping[str, Any], message: str) -> dict[str, Any]:
    """`response_action: errors` with one message on the modal's first input block."""
    inputs = [b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"]
    return {"response_action": "errors", "errors": {inputs[0] if inputs else "": message}}
