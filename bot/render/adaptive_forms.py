"""Adaptive Card forms for policy edits (tool, use case, red line) and their parsing.

Pure and platform-neutral: a form is a card whose inputs are named `f_<field>`;
the submitted values come back as a flat dict, which `parse_form` turns into a
policy item dict plus the list of missing or malformed fields. Validation of the
whole policy stays in the core (`PolicyAdmin.upsert`); its problems are shown
back in the same form by passing them as `errors`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.policy.models import Policy, Status
from bot.render.adaptive_card import Card, fit_card, text_block

__all__ = ["FORM_KINDS", "FormField", "form_card", "form_values", "parse_form"]

Choices = Callable[[Policy], list[tuple[str, str]]]


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    kind: str = "text"  # text | multiline | lines | csv | choice | multichoice | url
    required: bool = False
    choices: Choices | None = None
    placeholder: str = ""


def _use_cases(policy: Policy) -> list[tuple[str, str]]:
    return [(u.name, u.id) for u in policy.use_cases]


def _tools(policy: Policy) -> list[tuple[str, str]]:
    return [(t.name, t.id) for t in policy.tools]


def _statuses(policy: Policy) -> list[tuple[str, str]]:
    return [(s.value.replace("_", " ").capitalize(), s.value) for s in Status]


def _data_classes(policy: Policy) -> list[tuple[str, str]]:
    return [("No company data / not stated", "")] + [(d.label, d.id) for d in policy.data_classes]


def _targets(policy: Policy) -> list[tuple[str, str]]:
    return _tools(policy) + [(f"Any {label.lower()} tool", value)
                             for label, value in _statuses(policy)]


_ID = FormField("id", "Id (lowercase, e.g. chatgpt-enterprise)", required=True)
FORM_KINDS: dict[str, tuple[str, tuple[FormField, ...]]] = {
    "tool": ("tool", (
        _ID,
        FormField("name", "Name", required=True),
        FormField("aliases", "Other names people type (comma separated)", "csv"),
        FormField("status", "Status", "choice", required=True, choices=_statuses),
        FormField("summary", "Summary", "multiline", required=True),
        FormField("good_for", "Good for (use cases)", "multichoice", choices=_use_cases),
        FormField("not_good_for", "Not good for (one per line)", "lines"),
        FormField("max_data_class", "Most sensitive data allowed", "choice",
                  choices=_data_classes),
        FormField("access_text", "How to get access"),
        FormField("access_url", "Access link (https://…)", "url"),
        FormField("alternatives", "Approved alternatives", "multichoice", choices=_tools),
        FormField("owner", "Owner"),
        FormField("contact", "Contact"),
    )),
    "use_case": ("use case", (
        _ID,
        FormField("name", "Name", required=True),
        FormField("description", "Description", "multiline", required=True),
        FormField("examples", "Example questions (one per line; three or more match best)", "lines",
                  required=True),
    )),
    "red_line": ("red line", (
        _ID,
        FormField("title", "Title", required=True),
        FormField("rule", "Rule", "multiline", required=True),
        FormField("why", "Why", "multiline", required=True),
        FormField("triggers", "Trigger phrases (one per line)", "lines", required=True),
        FormField("applies_to", "Applies to (empty: everything)", "multichoice",
                  choices=_targets),
    )),
}


def _as_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ("\n" if kind == "lines" else ",").join(str(v) for v in value)
    return str(value)


def form_values(kind: str, item: Mapping[str, Any]) -> dict[str, str]:
    """Prefill values (input id -> string) for editing an existing policy item."""
    flat = dict(item)
    access = flat.pop("access", None) or {}
    if kind == "tool":
        flat["access_text"], flat["access_url"] = access.get("text"), access.get("url")
    return {f"f_{f.key}": _as_text(flat.get(f.key), f.kind) for f in FORM_KINDS[kind][1]}


def _input(field: FormField, policy: Policy, value: str) -> Card:
    base: Card = {"id": f"f_{field.key}", "label": field.label, "isRequired": field.required}
    if field.required:
        base["errorMessage"] = f"{field.label} is required"
    if field.kind in ("choice", "multichoice") and field.choices:
        choices = [{"title": title, "value": val} for title, val in field.choices(policy)]
        return {"type": "Input.ChoiceSet", **base, "choices": choices, "value": value,
                "isMultiSelect": field.kind == "multichoice",
                "style": "filtered" if field.kind == "multichoice" else "compact"}
    card: Card = {"type": "Input.Text", **base, "value": value,
                  "isMultiline": field.kind in ("multiline", "lines")}
    if field.kind == "url":
        card["style"] = "Url"
    if field.key == "id":
        card["regex"] = "^[a-z0-9][a-z0-9_-]{0,62}$"
    return card


def form_card(
    kind: str,
    policy: Policy,
    *,
    values: Mapping[str, str] | None = None,
    errors: Sequence[str] = (),
    expected_version: int | None = None,
    editing: str | None = None,
    notice: Sequence[str] = (),
) -> Card:
    """An add/edit form; `errors` (from parse_form or PolicyFileError) are shown on top.

    `notice` is the impact of the change on past asks ("Check impact"), shown above it.
    """
    noun, fields = FORM_KINDS[kind]
    values = values or {}
    title = f"Edit {noun} {editing}" if editing else f"Add a {noun}"
    body: list[Card] = [text_block(title, weight="Bolder", size="Medium")]
    if errors:
        body.append({"type": "Container", "style": "attention", "items": [
            text_block("Nothing was saved. Please fix:", weight="Bolder"),
            *(text_block(f"• {e}", spacing="None") for e in errors[:20]),
        ]})
    if notice:
        body.append({"type": "Container", "style": "accent", "items": [
            text_block("Impact on past asks", weight="Bolder"),
            *(text_block(f"• {line}", spacing="None") for line in notice[:8]),
        ]})
    body += [_input(f, policy, values.get(f"f_{f.key}", "")) for f in fields]
    data = {"action": "admin_save", "kind": kind, "expected_version": expected_version,
            "editing": editing or ""}
    impact = {**data, "action": "admin_impact"}
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "fallbackText": f"{title}: this form needs a client that shows Adaptive Cards.",
        "msteams": {"width": "Full"},
        "body": body,
        "actions": [{"type": "Action.Submit", "title": "Save", "data": data},
                    {"type": "Action.Submit", "title": "Check impact", "data": impact}],
    }
    return fit_card(card)


def _split(value: str, kind: str) -> list[str]:
    sep = "\n" if kind == "lines" else ","
    return [part.strip() for part in value.split(sep) if part.strip()]


def parse_form(kind: str, submitted: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The policy item a submitted form describes, and what is missing from it.

    Only known inputs are read (anything else in the payload is ignored), every
    value is coerced to text and stripped, and list fields are split.
    """
    item: dict[str, Any] = {}
    errors: list[str] = []
    for field in FORM_KINDS[kind][1]:
        raw = submitted.get(f"f_{field.key}")
        value = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
        if field.required and not value:
            errors.append(f"{field.label}: required")
            continue
        if field.kind in ("lines", "csv", "multichoice"):
            item[field.key] = _split(value.replace("\n", ",") if field.kind == "multichoice"
                                     else value, "lines" if field.kind == "lines" else "csv")
        elif value:
            item[field.key] = value
    if kind == "tool":
        access = {k: item.pop(f"access_{k}") for k in ("text", "url") if f"access_{k}" in item}
        if access:
            item["access"] = access
        item.setdefault("max_data_class", None)
    return item, errors
