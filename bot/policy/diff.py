"""What changed between two policies, item by item, for `policies diff`, audit and history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.policy.files import SECTIONS, policy_to_data
from bot.policy.models import Policy

__all__ = ["Change", "diff_policies", "format_changes"]


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


def diff_policies(old: Policy | None, new: Policy) -> list[Change]:
    before = policy_to_data(old) if old else {}
    after = policy_to_data(new)
    changes: list[Change] = []
    if before.get("meta") != after.get("meta"):
        changes.append(Change("meta", "meta", "changed" if old else "added"))
    for section in SECTIONS:
        a: dict[str, dict[str, Any]] = {i["id"]: i for i in before.get(section, [])}
        b: dict[str, dict[str, Any]] = {i["id"]: i for i in after.get(section, [])}
        for item_id in b.keys() - a.keys():
            changes.append(Change(section, item_id, "added"))
        for item_id in a.keys() - b.keys():
            changes.append(Change(section, item_id, "removed"))
        for item_id in a.keys() & b.keys():
            if a[item_id] != b[item_id]:
                keys = sorted(
                    k
                    for k in a[item_id].keys() | b[item_id].keys()
                    if a[item_id].get(k) != b[item_id].get(k)
                )
                changes.append(Change(section, item_id, "changed", tuple(keys)))
    order = {s: n for n, s in enumerate(("meta", *SECTIONS))}
    return sorted(changes, key=lambda c: (order[c.section], c.kind, c.id))


def format_changes(changes: list[Change]) -> str:
    return "\n".join(str(c) for c in changes) if changes else "No changes."
