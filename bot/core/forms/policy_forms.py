"""The tool, red line and use case forms: defined once, rendered on both platforms.

A form is built from the live policy (choices, prefilled values when editing) and
carries the item id and the policy version it was opened on in `state`, so two
admins editing at once cannot overwrite each other. `parse_submission` turns the
submitted values back into a policy item; whole-policy validation stays in
`PolicyAdmin`, and its problems come back to the fields by `field_errors`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.core.compose import STATUS_LABELS
from bot.core.forms.errors import FormErrors
from bot.core.reply import Choice, Field, Form
from bot.policy.files import policy_to_data
from bot.policy.models import RECOMMENDABLE, Policy, Status

__all__ = ["ITEM_FORMS", "NOUNS", "SECTIONS", "item_data", "item_form", "parse_item"]

ITEM_FORMS = ("tool", "red_line", "use_case")
NOUNS = {"tool": "tool", "red_line": "red line", "use_case": "use case"}
SECTIONS = {"tool": "tools", "red_line": "red_lines", "use_case": "use_cases"}
NO_DATA = "none"
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_LISTS = {"aliases", "not_good_for", "triggers", "examples"}
_MULTI = {"good_for", "alternatives", "applies_to"}


def _statuses() -> tuple[Choice, ...]:
    return tuple(Choice(s.value, STATUS_LABELS.get(s.value, s.value)) for s in Status)


def _fields(kind: str, policy: Policy, editing: str | None) -> list[Field]:
    """The inputs of one form, without values."""
    if kind == "tool":
        recommendable = [t for t in policy.tools
                         if t.status in RECOMMENDABLE and t.id != editing]
        return [
            Field("name", "Name", required=True, max_length=200),
            Field("aliases", "Other names people type", "lines",
                  hint="One per line, e.g. GPT"),
            Field("status", "Status", "choice", required=True, choices=_statuses()),
            Field("summary", "Summary", "multiline", required=True, max_length=2000),
            Field("good_for", "Good for", "multi_choice",
                  choices=tuple(Choice(u.id, u.name) for u in policy.use_cases)),
            Field("not_good_for", "Not good for", "lines", hint="One per line"),
            Field("max_data_class", "Most sensitive data allowed", "choice", choices=(
                Choice(NO_DATA, "No company data, or not stated"),
                *(Choice(d.id, d.label) for d in policy.data_classes))),
            Field("access_text", "How to get access", "multiline"),
            Field("access_url", "Access link", "url", placeholder="https://…"),
            Field("alternatives", "Approved alternatives", "multi_choice",
                  choices=tuple(Choice(t.id, t.name) for t in recommendable),
                  hint="Only tools people may use are offered"),
            Field("owner", "Owner"),
            Field("contact", "Contact"),
        ]
    if kind == "red_line":
        targets = [Choice(t.id, t.name) for t in policy.tools] + [
            Choice(s.value, f"Every {STATUS_LABELS.get(s.value, s.value).lower()} tool")
            for s in Status]
        return [
            Field("title", "Title", required=True, max_length=200),
            Field("rule", "Rule", "multiline", required=True),
            Field("why", "Why", "multiline", required=True),
            Field("triggers", "Words that trigger it", "lines", required=True,
                  hint="One per line"),
            Field("applies_to", "Applies to", "multi_choice", choices=tuple(targets),
                  hint="Leave empty for every tool"),
        ]
    return [
        Field("name", "Name", required=True, max_length=200),
        Field("description", "Description", "multiline", required=True),
        Field("examples", "How people ask for it", "lines", required=True,
              hint="One per line; three or more match best"),
    ]


def item_data(policy: Policy, kind: str, item_id: str) -> dict[str, Any] | None:
    """One item as policy data (the shape the policy file uses), or None."""
    for item in policy_to_data(policy).get(SECTIONS[kind], []):
        if item.get("id") == item_id:
            return dict(item)
    return None


def _value(field: Field, item: Mapping[str, Any]) -> str | tuple[str, ...]:
    access = item.get("access") or {}
    if isinstance(access, str):
        access = {"url" if access.startswith("http") else "text": access}
    raw = {"access_text": access.get("text"), "access_url": access.get("url")}.get(
        field.id, item.get(field.id))
    if field.id == "max_data_class":
        return str(raw or NO_DATA)
    if field.kind == "multi_choice":
        return tuple(str(v) for v in raw or ())
    if isinstance(raw, list):
        return "\n".join(str(v) for v in raw)
    return "" if raw is None else str(raw)


def item_form(kind: str, policy: Policy, version: int, item_id: str | None = None,
              *, values: Mapping[str, object] | None = None,
              errors: Mapping[str, str] | None = None, intro: str = "") -> Form:
    """The add form (`item_id` None) or the edit form of an existing item, prefilled.

    `values` (a submission being shown again) win over the stored item.
    """
    noun = NOUNS[kind]
    item = (item_data(policy, kind, item_id) if item_id else None) or {}
    fields = _fields(kind, policy, item_id)
    if item_id is None:
        fields.insert(0, Field("id", "Id", required=True, max_length=63,
                               hint="Lowercase letters, digits, - or _, e.g. chatgpt-team"))
    shown = []
    for f in fields:
        value: str | tuple[str, ...] = _value(f, item)
        if values is not None and f.id in values:
            value = _as_values(values[f.id]) if f.kind == "multi_choice" else \
                _as_text(values[f.id])
        chosen = value if isinstance(value, tuple) else ((value,) if value else ())
        known = {c.value for c in f.choices}
        # A value the item already has stays offered (e.g. an alternative since put under
        # review), so saving the form never drops it silently.
        extra = tuple(Choice(v, v) for v in chosen if f.choices and v not in known)
        shown.append(Field(f.id, f.label, f.kind, f.required, f.choices + extra, value,
                           f.placeholder, f.hint, f.max_length))
    name = str(item.get("name") or item.get("title") or item_id or "")
    title = f"Edit {noun}: {name}" if item_id else f"Add a {noun}"
    state = {"item": item_id or "", "version": str(version)}
    return Form(kind, title, tuple(shown), "Save", state, dict(errors or {}),
                intro or (f"Editing {item.get('name') or item.get('title') or item_id} "
                          f"(policy version {version})." if item_id else ""))


def _as_text(value: object) -> str:
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def _as_values(value: object) -> tuple[str, ...]:
    """A multi-choice as Slack sends it (a list) or Teams does ("a,b")."""
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(v.strip() for v in str(value or "").split(",") if v.strip())


def _lines(value: object, *, commas: bool = False) -> list[str]:
    text = _as_text(value)
    if commas:
        text = text.replace(",", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_item(kind: str, state: Mapping[str, str], values: Mapping[str, object],
               base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The policy item a submission describes, over `base` (fields the form lacks are kept).

    Raises FormErrors (field id -> message) for what is missing or malformed.
    """
    editing = state.get("item") or ""
    item: dict[str, Any] = dict(base or {})
    errors: dict[str, str] = {}
    item_id = editing or _as_text(values.get("id")).strip().lower()
    if not editing and not _ID_RE.match(item_id):
        errors["id"] = ("Use lowercase letters, digits, - or _ (up to 63), e.g. chatgpt-team."
                        if item_id else "Give it an id, e.g. chatgpt-team.")
    item["id"] = item_id
    access: dict[str, str] = {}
    for f in _fields(kind, _EMPTY, editing or None):
        raw = values.get(f.id)
        if f.kind == "multi_choice":
            value: Any = list(_as_values(raw))
        elif f.id in _LISTS:
            value = _lines(raw, commas=f.id == "aliases")
        else:
            value = _as_text(raw).strip()
        if f.required and not value:
            errors[f.id] = f"{f.label} is required."
            continue
        if f.max_length and isinstance(value, str) and len(value) > f.max_length:
            errors[f.id] = f"Please keep it under {f.max_length} characters."
        if f.id in ("access_text", "access_url"):
            if value:
                access[f.id.removeprefix("access_")] = value
            continue
        if f.id == "max_data_class" and value in ("", NO_DATA):
            item.pop(f.id, None)  # absent means no company data, or not stated
        elif value in ("", []) and f.id not in _MULTI | _LISTS:
            item.pop(f.id, None)
        else:
            item[f.id] = value
    if kind == "tool":
        if access.get("url") and not access["url"].startswith(("https://", "http://")):
            errors["access_url"] = "A link starts with https://"
        if access:
            item["access"] = access
        else:
            item.pop("access", None)
    if errors:
        raise FormErrors(errors)
    return item


_EMPTY = Policy.model_construct(tools=[], use_cases=[], red_lines=[], data_classes=[])
