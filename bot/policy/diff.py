"""What changed between two policies, for `policies diff`, the audit log and chat history.

`describe_changes` says it in words an IT lead can paste into a change request
("Grammarly Business: status approved → prohibited"); `diff_policies` gives the
item-level structure for code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.policy.files import SECTIONS, policy_to_data
from bot.policy.models import Policy

__all__ = ["Change", "describe_changes", "diff_policies", "format_changes"]

_KIND = {
    "data_classes": "data class",
    "use_cases": "use case",
    "tools": "tool",
    "red_lines": "red line",
}
_TITLE = {"data_classes": "label", "use_cases": "name", "tools": "name", "red_lines": "title"}
_SHORT = 60


@dataclass(frozen=True)
class Change:
    section: str
    id: str
    kind: Literal["added", "removed", "changed"]
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        fields = f" ({', '.join(self.fields)})" if self.fields else ""
        return f"{sign} {self.section}/{self.id}{fields}"


def _items(data: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    return {str(i["id"]).casefold(): i for i in data.get(section, [])}


def diff_policies(old: Policy | None, new: Policy) -> list[Change]:
    before = policy_to_data(old) if old else {}
    after = policy_to_data(new)
    changes: list[Change] = []
    if before.get("meta") != after.get("meta"):
        changes.append(Change("meta", "meta", "changed" if old else "added"))
    for section in SECTIONS:
        a, b = _items(before, section), _items(after, section)
        for key in b.keys() - a.keys():
            changes.append(Change(section, b[key]["id"], "added"))
        for key in a.keys() - b.keys():
            changes.append(Change(section, a[key]["id"], "removed"))
        for key in a.keys() & b.keys():
            if a[key] != b[key]:
                fields = sorted(
                    k for k in a[key].keys() | b[key].keys() if a[key].get(k) != b[key].get(k)
                )
                changes.append(Change(section, b[key]["id"], "changed", tuple(fields)))
    order = {s: n for n, s in enumerate(("meta", *SECTIONS))}
    return sorted(changes, key=lambda c: (order[c.section], c.kind, c.id))


def format_changes(changes: list[Change]) -> str:
    return "\n".join(str(c) for c in changes) if changes else "No changes."


def _value(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    text = " ".join(str(value).split())
    text = text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"
    return f'"{text}"' if " " in text else text


def _field(name: str, old: Any, new: Any) -> str:
    if isinstance(old, list) and isinstance(new, list):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        parts = []
        if added:
            parts.append(f"added {_value(added)}")
        if removed:
            parts.append(f"removed {_value(removed)}")
        return f"{name} " + ("; ".join(parts) if parts else "reordered")
    if isinstance(old, dict) and isinstance(new, dict):
        keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
        return "; ".join(_field(f"{name}.{k}", old.get(k), new.get(k)) for k in keys)
    if name == "status":  # "under_review" is an id; people read "under review"
        return f"{name} {_status(old)} → {_status(new)}"
    return f"{name} {_value(old)} → {_value(new)}"


def _status(value: Any) -> str:
    return str(value).replace("_", " ") if value else "(none)"


def _title(section: str, item: dict[str, Any]) -> str:
    return str(item.get(_TITLE[section]) or item["id"])


def describe_changes(old: Policy | None, new: Policy) -> list[str]:
    """Every change in words, one line each, in a stable order; [] when nothing changed."""
    before = policy_to_data(old) if old else {}
    after = policy_to_data(new)
    lines: list[str] = []
    if old is None:
        counts = ", ".join(f"{len(after.get(s, []))} {s.replace('_', ' ')}" for s in SECTIONS)
        return [f"New policy: {counts}"]
    meta_a, meta_b = before.get("meta", {}), after.get("meta", {})
    lines += [
        f"meta: {_field(k, meta_a.get(k), meta_b.get(k))}"
        for k in {**meta_a, **meta_b}
        if meta_a.get(k) != meta_b.get(k)
    ]
    for section in SECTIONS:
        a, b = _items(before, section), _items(after, section)
        for key, item in b.items():
            if key not in a:
                status = f" ({_status(item['status'])})" if "status" in item else ""
                lines.append(f"Added {_KIND[section]} {_title(section, item)}{status}")
        for key, item in a.items():
            if key not in b:
                status = f" (was {_status(item['status'])})" if "status" in item else ""
                lines.append(f"Removed {_KIND[section]} {_title(section, item)}{status}")
        for key, item in b.items():
            if key in a and a[key] != item:
                fields = [k for k in {**a[key], **item} if a[key].get(k) != item.get(k)]
                detail = "; ".join(_field(f, a[key].get(f), item.get(f)) for f in fields)
                lines.append(f"{_title(section, item)}: {detail}")
        common_a = [k for k in a if k in b]
        common_b = [k for k in b if k in a]
        if section == "data_classes" and common_a != common_b:
            labels = " < ".join(_title(section, b[k]) for k in common_b)
            lines.append(f"Data classes reordered (least to most sensitive): {labels}")
    return lines
