"""What a policy change would do to past asks: compare two verdicts per ask and count.

Counts are of asks (every logged question, repeats included) and of distinct askers
(pseudonyms, never shown). Groups are sorted by demand, like candidates are.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from bot.core.whatif.replay import Verdict
from bot.policy.models import RECOMMENDABLE, Policy
from bot.store.asks import LoggedAsk

__all__ = ["CandidateInfo", "Group", "Impact", "WhatIfReport", "build_report"]

_EXAMPLES = 3
#: An accepted candidate counts as covered when at least this share of its replayed asks
#: would now be answered.
COVER_SHARE = 0.5


@dataclass(frozen=True)
class CandidateInfo:
    id: int
    label: str
    status: str


@dataclass(frozen=True)
class Group:
    """Asks sharing one key: a candidate, a tool, a use case or a red line."""

    kind: str  # candidate | unclustered | tool | use_case | red_line
    id: str
    label: str
    asks: int
    askers: int
    examples: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Impact:
    asks: int = 0
    askers: int = 0
    groups: dict[str, tuple[Group, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class WhatIfReport:
    since: datetime
    until: datetime
    days: int
    live_version: int
    draft_name: str
    draft_version: int | None
    asks_replayed: int
    questions_replayed: int
    askers_replayed: int
    newly_answered: Impact
    newly_unmet: Impact
    changed: Impact
    newly_blocked: Impact
    covers_candidates: tuple[Group, ...]
    changes: tuple[str, ...]
    approved_tools: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"], data["until"] = self.since.isoformat(), self.until.isoformat()
        return data


class _Tally:
    """Asks and distinct askers per key, plus the most asked example questions."""

    def __init__(self) -> None:
        self.asks: Counter[str] = Counter()
        self.askers: dict[str, set[str]] = defaultdict(set)
        self.questions: dict[str, Counter[str]] = defaultdict(Counter)
        self.extra: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, key: str, ask: LoggedAsk, extra: str | None = None) -> None:
        self.asks[key] += 1
        self.askers[key].add(ask.asker)
        self.questions[key][ask.question] += 1
        if extra is not None:
            self.extra[key][extra] += 1

    def groups(self, label: Mapping[str, tuple[str, str, str]]) -> tuple[Group, ...]:
        order = sorted(self.asks, key=lambda k: (-len(self.askers[k]), -self.asks[k], k))
        out = []
        for key in order:
            kind, ident, name = label.get(key) or ("use_case", key, key)
            detail: dict[str, Any] = {}
            if self.extra[key]:
                detail["by"] = [k for k, _ in self.extra[key].most_common()]
            out.append(Group(kind, ident, name, self.asks[key], len(self.askers[key]),
                             tuple(q for q, _ in self.questions[key].most_common(_EXAMPLES)),
                             detail))
        return tuple(out)


def _impact(asks: list[LoggedAsk], tallies: Mapping[str, _Tally],
            label: Mapping[str, tuple[str, str, str]]) -> Impact:
    return Impact(len(asks), len({a.asker for a in asks}),
                  {name: t.groups(label) for name, t in tallies.items()})


def _labels(live: Policy, draft: Policy,
            candidates: Mapping[int, CandidateInfo]) -> dict[str, tuple[str, str, str]]:
    label: dict[str, tuple[str, str, str]] = {}
    for policy in (live, draft):  # the draft's names win
        label.update({f"tool:{t.id}": ("tool", t.id, t.name) for t in policy.tools})
        label.update({f"use_case:{u.id}": ("use_case", u.id, u.name) for u in policy.use_cases})
        label.update({f"red_line:{r.id}": ("red_line", r.id, r.title) for r in policy.red_lines})
    for c in candidates.values():
        label[f"candidate:{c.id}"] = ("candidate", str(c.id), c.label)
    label["candidate:none"] = ("unclustered", "", "not yet grouped into a candidate")
    return label


def _red_line_state(live: Policy, draft: Policy, red_line: str) -> str:
    before = next((r for r in live.red_lines if r.id == red_line), None)
    after = next((r for r in draft.red_lines if r.id == red_line), None)
    if before is None:
        return "new"
    return "changed" if before != after else "unchanged"


def build_report(
    *,
    asks: Sequence[LoggedAsk],
    verdicts: Mapping[str, tuple[Verdict, Verdict]],
    live: Policy,
    draft: Policy,
    candidates: Mapping[int, CandidateInfo],
    meta: Mapping[str, Any],
) -> WhatIfReport:
    """The report for `asks`, whose questions' (live, draft) verdicts are in `verdicts`."""
    label = _labels(live, draft, candidates)
    answered: list[LoggedAsk] = []
    unmet: list[LoggedAsk] = []
    changed: list[LoggedAsk] = []
    blocked: list[LoggedAsk] = []
    t = {name: _Tally() for name in ("candidate", "cover", "answered_use_case",
                                     "unmet_use_case", "unmet_tool",
                                     "changed_use_case", "added", "removed", "first_choice",
                                     "red_line")}
    replayed_per_candidate: Counter[int] = Counter()
    for ask in asks:
        before, after = verdicts[ask.question]
        if ask.candidate_id is not None:
            replayed_per_candidate[ask.candidate_id] += 1
        use_case = after.use_case or before.use_case
        if not before.tools and after.tools:
            answered.append(ask)
            cover = f"tool:{after.tools[0]}"
            cand = ask.candidate_id if ask.candidate_id in candidates else None
            t["candidate"].add(f"candidate:{cand if cand is not None else 'none'}", ask, cover)
            t["cover"].add(cover, ask, f"use_case:{after.use_case}" if after.use_case else None)
            if after.use_case:
                t["answered_use_case"].add(f"use_case:{after.use_case}", ask)
        elif before.tools and not after.tools and after.outcome != "blocked":
            unmet.append(ask)
            t["unmet_use_case"].add(f"use_case:{use_case}", ask)
            for tool in before.tools:
                t["unmet_tool"].add(f"tool:{tool}", ask)
        elif before.tools and after.tools and before.tools != after.tools:
            changed.append(ask)
            t["changed_use_case"].add(f"use_case:{use_case}", ask)
            for tool in after.tools:
                if tool not in before.tools:
                    t["added"].add(f"tool:{tool}", ask)
            for tool in before.tools:
                if tool not in after.tools:
                    t["removed"].add(f"tool:{tool}", ask)
            if before.tools[0] != after.tools[0]:
                t["first_choice"].add(f"tool:{after.tools[0]}", ask, f"tool:{before.tools[0]}")
        # "blocked": a red line now forbids the ask (the first one is the rule that does);
        # otherwise a red line the answer did not show before now warns about it.
        blocks = after.outcome == "blocked" and before.outcome != "blocked"
        new_lines = [r for r in after.red_lines if r not in before.red_lines]
        if blocks and after.red_lines and after.red_lines[0] not in new_lines:
            new_lines.insert(0, after.red_lines[0])
        if new_lines:
            blocked.append(ask)
            for n, red_line in enumerate(new_lines):
                t["red_line"].add(f"red_line:{red_line}", ask,
                                  "block" if blocks and n == 0 else "warn")
    newly_answered = _impact(answered, {"by_candidate": t["candidate"], "by_cover": t["cover"],
                                        "by_use_case": t["answered_use_case"]}, label)
    blocked_impact = _impact(blocked, {"by_red_line": t["red_line"]}, label)
    blocked_impact = Impact(blocked_impact.asks, blocked_impact.askers, {
        "by_red_line": tuple(
            Group(g.kind, g.id, g.label, g.asks, g.askers, g.examples,
                  {"state": _red_line_state(live, draft, g.id),
                   "blocks": t["red_line"].extra[f"red_line:{g.id}"]["block"],
                   "warns": t["red_line"].extra[f"red_line:{g.id}"]["warn"]})
            for g in blocked_impact.groups["by_red_line"])})
    return WhatIfReport(
        since=meta["since"], until=meta["until"], days=meta["days"],
        live_version=meta["live_version"], draft_name=meta["draft_name"],
        draft_version=meta.get("draft_version"),
        asks_replayed=len(asks), questions_replayed=len(verdicts),
        askers_replayed=len({a.asker for a in asks}),
        newly_answered=newly_answered,
        newly_unmet=_impact(unmet, {"by_use_case": t["unmet_use_case"],
                                    "by_tool": t["unmet_tool"]}, label),
        changed=_impact(changed, {"by_use_case": t["changed_use_case"], "added": t["added"],
                                  "removed": t["removed"], "first_choice": t["first_choice"]},
                        label),
        newly_blocked=blocked_impact,
        covers_candidates=_covered(newly_answered, candidates, replayed_per_candidate, draft),
        changes=tuple(meta.get("changes", ())),
        approved_tools=_newly_approved(live, draft),
    )


def _covered(answered: Impact, candidates: Mapping[int, CandidateInfo],
             replayed: Mapping[int, int], draft: Policy) -> tuple[Group, ...]:
    """Accepted candidates most of whose replayed asks the draft would answer."""
    out = []
    for group in answered.groups.get("by_candidate", ()):
        if group.kind != "candidate":
            continue
        info = candidates.get(int(group.id))
        if info is None or info.status != "accepted":
            continue
        share = group.asks / max(replayed.get(info.id, 0), 1)
        if share < COVER_SHARE:
            continue
        cover = (group.detail.get("by") or [None])[0]
        tool = draft.tool(cover.partition(":")[2]) if cover else None
        if tool is None or tool.status not in RECOMMENDABLE:
            continue
        out.append(Group("candidate", group.id, group.label, group.asks, group.askers,
                         group.examples, {"status": info.status, "share": round(share, 3),
                                          "replayed": replayed.get(info.id, 0),
                                          "cover": {"tool": tool.id, "name": tool.name}}))
    return tuple(out)


def _newly_approved(live: Policy, draft: Policy) -> tuple[tuple[str, str], ...]:
    """(id, name) of tools the draft recommends that the live policy does not."""
    before = {t.id for t in live.tools if t.status in RECOMMENDABLE}
    return tuple((t.id, t.name) for t in draft.tools
                 if t.status in RECOMMENDABLE and t.id not in before)
