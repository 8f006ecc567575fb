"""`admin history` and `admin unmet` as replies: what changed, in words, and what is missing.

Who made a change is said as a role and a place ("an admin in Slack"), never as
a raw platform id: ids mean nothing to a reader and are personal data.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.reply import Action, Fact, Reply, Section
from bot.core.wording import count
from bot.store import VersionInfo
from bot.store.logs import UnmetRecord

__all__ = ["history_reply", "unmet_reply", "who"]

_PLACES = {"slack": "an admin in Slack", "teams": "an admin in Teams",
           "cli": "an operator on the server", "startup": "the server at start-up",
           "api": "an admin through the API"}


def who(source: str) -> str:
    """The person behind a version as a role and a place (never their id)."""
    return _PLACES.get(source, f"an admin ({source})")


def _when(info: VersionInfo) -> str:
    return f"{info.created_at.day} {info.created_at:%b %Y, %H:%M} UTC"


def history_reply(versions: Sequence[VersionInfo], *, limit_changes: int = 4) -> Reply:
    """The latest versions, newest first, each with its changes old → new."""
    if not versions:
        return Reply(title="Policy history", text="No policy versions yet.", kind="history")
    sections = []
    lines = ["Policy history (newest first)"]
    for v in versions:
        changes = [c for c in v.changes if c not in v.summary] or []
        shown = changes[:limit_changes]
        if len(changes) > limit_changes:
            shown.append(f"…and {len(changes) - limit_changes} more")
        restored = f"Brought back the content of version {v.restored_from}." \
            if v.restored_from and f"version {v.restored_from}" not in v.summary else ""
        body = "\n".join(x for x in [v.summary, restored, *shown] if x)
        facts = (Fact("When", _when(v)), Fact("By", who(v.source)))
        sections.append(Section(title=f"Version {v.version}", text=body, facts=facts))
        lines.append(f"Version {v.version}, {_when(v)}, by {who(v.source)}: "
                     + "; ".join(x for x in [v.summary, restored, *shown] if x))
    return Reply(title="Policy history", text="\n".join(lines), sections=tuple(sections),
                 footer="To bring back an earlier version, use admin rollback <version>.",
                 kind="history")


def unmet_reply(records: Sequence[UnmetRecord]) -> Reply:
    """Open requests no approved tool covers, most wanted first, with a status per click."""
    if not records:
        text = "No open unmet requests: every question found an approved tool or was reviewed."
        return Reply(title="Unmet requests", text=text, sections=(Section(text=text),),
                     kind="unmet")
    sections = []
    lines = ["Open unmet requests (most wanted first)"]
    for r in records:
        facts = [Fact("Asked", f"{r.at.day} {r.at:%b %Y}")]
        if r.votes:
            facts.append(Fact("Also need it", count(r.votes, "person", "people")))
        if r.closest_use_case:
            facts.append(Fact("Closest use case", r.closest_use_case))
        actions = tuple(Action(label, command=f"admin unmet {r.id} {status}")
                        for label, status in (("Planned", "planned"), ("Declined", "declined"),
                                              ("Done", "done")))
        sections.append(Section(title=f"#{r.id}", text=f"“{r.question}”", facts=tuple(facts),
                                actions=actions))
        votes = f" ({count(r.votes, 'vote')})" if r.votes else ""
        lines.append(f"#{r.id}{votes}: {r.question}")
    return Reply(title="Open unmet requests", text="\n".join(lines), sections=tuple(sections),
                 footer="Questions are stored redacted.", kind="unmet")
