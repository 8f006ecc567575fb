"""Policy administration shared by the CLI, Slack and Teams: checked, validated, audited.

Every edit re-validates the whole policy (a tool edit can break a red line's
`applies_to`), lands as one new version, and names the actor. Refused attempts
are audited too, so IT can see who tried what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.errors import NotAuthorized, PolicyFileError
from bot.policy.diff import describe_changes
from bot.policy.files import PolicyProblem, policy_to_data, validate_data
from bot.policy.models import Policy, Status
from bot.store import Actor, Snapshot, Store, VersionInfo
from bot.store.logs import UnmetRecord

__all__ = [
    "PolicyAdmin",
    "PolicyEdit",
    "change_lines",
    "change_summary",
    "remove_edit",
    "status_edit",
    "upsert_edit",
]

_SECTION_OF = {
    "tool": "tools",
    "use_case": "use_cases",
    "red_line": "red_lines",
    "data_class": "data_classes",
}
#: Sources whose actor already proved operator access (a shell on the server).
TRUSTED_SOURCES = frozenset({"cli", "startup"})


class PolicyAdmin:
    """Edits of the live policy. `admins` are platform user ids or emails from settings."""

    def __init__(self, store: Store, *, admins: Iterable[str] = ()) -> None:
        self.store = store
        self._admins = {a.strip().casefold() for a in admins if a.strip()}

    async def edit(
        self,
        actor: Actor,
        action: str,
        target: str,
        change: Callable[[dict[str, Any]], None],
        *,
        expected_version: int | None = None,
        snapshot: Snapshot | None = None,
    ) -> int | None:
        """One edit over the policy read once (`snapshot`, when the caller already has it).

        No admin check here: the caller did it, once per action.
        """
        snapshot = snapshot or await self._current()
        data = policy_to_data(snapshot.policy)
        change(data)
        policy = validate_data(data, target)
        return await self.store.policies.save(
            policy,
            actor=actor,
            action=action,
            target=target,
            summary=change_summary(describe_changes(snapshot.policy, policy))
            or f"{action} {target}".strip(),
            expected_version=snapshot.version if expected_version is None else expected_version,
        )

    @property
    def listed(self) -> frozenset[str]:
        """The admins named in settings (ids, emails, user groups), casefolded."""
        return frozenset(self._admins)

    async def is_admin(self, actor: Actor, *, snapshot: Snapshot | None = None) -> bool:
        """True for trusted sources and for an id or alias (email, UPN, user group) of the
        actor listed as an admin (settings, or the policy's own `meta.admins`).

        `snapshot`: the live policy when the caller has just read it (one read per edit).
        """
        if actor.source in TRUSTED_SOURCES:
            return True
        snapshot = snapshot or await self.store.policies.current()
        allowed = set(self._admins)
        if snapshot is not None:
            allowed |= {a.casefold() for a in snapshot.policy.meta.admins}
        return any(x.casefold() in allowed for x in (actor.id, *actor.aliases) if x)

    async def require_admin(self, actor: Actor, action: str, target: str = "", *,
                            snapshot: Snapshot | None = None) -> None:
        """Pass for admins; otherwise audit the refused attempt and raise NotAuthorized."""
        if await self.is_admin(actor, snapshot=snapshot):
            return
        await self.store.audit.record(
            actor=actor.id,
            source=actor.source,
            action=action,
            target=target,
            allowed=False,
            detail={"reason": "not an admin"},
        )
        raise NotAuthorized(
            "Sorry, only AI policy admins can change the policy. I've noted the attempt; "
            "if you should be an admin, ask IT to add you."
        )

    async def _current(self) -> Snapshot:
        snapshot = await self.store.policies.current()
        if snapshot is None:
            raise PolicyFileError([PolicyProblem("<store>", "", "no policy imported yet")])
        return snapshot

    async def import_policy(
        self,
        policy: Policy,
        *,
        actor: Actor,
        summary: str,
        files: dict[str, str] | None = None,
        detail: dict[str, Any] | None = None,
    ) -> int | None:
        """Replace the whole policy atomically; one new version (None if identical).

        `files` (the text IT wrote) is kept with the version for a comment-keeping export;
        `detail` lands in the audit entry (e.g. policy test results, a forced import).
        """
        await self.require_admin(actor, "import", "policy")
        return await self.save_import(policy, actor=actor, summary=summary, files=files,
                                      detail=detail)

    async def save_import(self, policy: Policy, *, actor: Actor, summary: str,
                          files: dict[str, str] | None = None,
                          detail: dict[str, Any] | None = None) -> int | None:
        """`import_policy` for a caller that already checked admin rights (once per action)."""
        current = await self.store.policies.current()
        return await self.store.policies.save(
            policy,
            actor=actor,
            action="import",
            target="policy",
            summary=summary,
            expected_version=current.version if current else 0,
            detail=detail,
            files=files,
        )

    async def upsert(
        self,
        kind: str,
        item: dict[str, Any],
        *,
        actor: Actor,
        expected_version: int | None = None,
        snapshot: Snapshot | None = None,
    ) -> int | None:
        """Add or replace one tool, use case, red line or data class (matched by id)."""
        return await self._checked(upsert_edit(kind, item), actor, expected_version, snapshot)

    async def set_status(
        self,
        tool_id: str,
        status: Status | str,
        *,
        actor: Actor,
        expected_version: int | None = None,
        snapshot: Snapshot | None = None,
    ) -> int | None:
        return await self._checked(status_edit(tool_id, status), actor, expected_version,
                                   snapshot)

    async def remove(
        self,
        kind: str,
        item_id: str,
        *,
        actor: Actor,
        expected_version: int | None = None,
        snapshot: Snapshot | None = None,
    ) -> int | None:
        """Retire a tool (or remove a use case / red line) and every reference to it."""
        return await self._checked(remove_edit(kind, item_id), actor, expected_version,
                                   snapshot)

    async def _checked(self, edit: PolicyEdit, actor: Actor, expected_version: int | None,
                       snapshot: Snapshot | None) -> int | None:
        await self.require_admin(actor, edit.action, edit.target, snapshot=snapshot)
        return await self.apply(edit, actor=actor, expected_version=expected_version,
                                snapshot=snapshot)

    async def apply(self, edit: PolicyEdit, *, actor: Actor,
                    expected_version: int | None = None,
                    snapshot: Snapshot | None = None) -> int | None:
        """Make one edit whose admin check the caller already did (once per action)."""
        return await self.edit(actor, edit.action, edit.target, edit.change,
                               expected_version=expected_version, snapshot=snapshot)

    async def rollback(self, version: int, *, actor: Actor) -> int | None:
        await self.require_admin(actor, "rollback", f"version:{version}")
        return await self.store.policies.rollback(version, actor=actor)

    async def history(self, *, limit: int = 20) -> list[VersionInfo]:
        return await self.store.policies.history(limit=limit)

    async def unmet(
        self,
        *,
        actor: Actor,
        status: str | None = "open",
        limit: int = 50,
    ) -> list[UnmetRecord]:
        await self.require_admin(actor, "review_unmet", "unmet")
        return await self.store.unmet.list(status=status, limit=limit)


@dataclass(frozen=True)
class PolicyEdit:
    """One change to the policy data, named for the audit log (`action`, `target`)."""

    action: str
    target: str
    change: Callable[[dict[str, Any]], None]


def upsert_edit(kind: str, item: dict[str, Any]) -> PolicyEdit:
    """Add or replace one item, matched by id."""
    section = _SECTION_OF[kind]
    item_id = str(item.get("id", ""))

    def change(data: dict[str, Any]) -> None:
        items = data.setdefault(section, [])
        for i, existing in enumerate(items):
            if existing.get("id") == item_id:
                items[i] = item
                return
        items.append(item)

    return PolicyEdit(f"upsert_{kind}", f"{kind}:{item_id}", change)


def status_edit(tool_id: str, status: Status | str) -> PolicyEdit:
    value = Status(status).value

    def change(data: dict[str, Any]) -> None:
        _find(data, "tools", tool_id)["status"] = value

    return PolicyEdit("set_status", f"tool:{tool_id}", change)


def remove_edit(kind: str, item_id: str) -> PolicyEdit:
    """Remove one item and every reference to it (alternatives, good_for, applies_to)."""
    section = _SECTION_OF[kind]

    def change(data: dict[str, Any]) -> None:
        _find(data, section, item_id)
        data[section] = [i for i in data[section] if i.get("id") != item_id]
        for tool in data.get("tools", []):
            if kind == "tool":
                tool["alternatives"] = [a for a in tool.get("alternatives", []) if a != item_id]
            if kind == "use_case":
                tool["good_for"] = [g for g in tool.get("good_for", []) if g != item_id]
        if kind == "tool":
            for line in data.get("red_lines", []):
                line["applies_to"] = [a for a in line.get("applies_to", []) if a != item_id]

    action = "retire_tool" if kind == "tool" else f"remove_{kind}"
    return PolicyEdit(action, f"{kind}:{item_id}", change)


def change_lines(info: VersionInfo, limit: int = 3) -> list[str]:
    """A version's changes in words that its summary does not already say (chat history)."""
    lines = [c for c in info.changes if c not in info.summary]
    more = len(lines) - limit
    return lines[:limit] + ([f"… and {more} more"] if more > 0 else [])


def change_summary(changes: list[str], limit: int = 2) -> str:
    """A version's one-line summary from its changes in words ("X: status a → b")."""
    if not changes:
        return ""
    more = f" (and {len(changes) - limit} more)" if len(changes) > limit else ""
    return "; ".join(changes[:limit]) + more


def _find(data: dict[str, Any], section: str, item_id: str) -> dict[str, Any]:
    for item in data.get(section, []):
        if item.get("id") == item_id:
            return item
    raise PolicyFileError([PolicyProblem("<policy>", section, f"no item with id {item_id!r}")])
