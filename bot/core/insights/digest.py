"""The weekly leadership digest as neutral figures: computed here, never sent from here.

`build_digest` reads the query and unmet logs of one period (and the previous one, for
comparisons) and returns a `Digest`: plain numbers, ids and labels, no platform syntax,
no asker identity. Departments with fewer than `min_group_size` distinct askers are not
broken out. Adapters render it (`sections`/`text` in `bot.core.insights.sections`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import timedelta
from typing import Any

from bot.core.insights.labels import shown_examples
from bot.core.insights.periods import Period
from bot.policy.models import Policy
from bot.store.insights import InsightStore, WeekTotals

__all__ = [
    "SHADOW_STATUSES",
    "CandidateDemand",
    "Digest",
    "Ranked",
    "ShadowTool",
    "WeekPoint",
    "build_digest",
]

#: Statuses of asked-about tools that signal shadow AI (not approved for use).
SHADOW_STATUSES = ("prohibited", "under_review", "unknown")
_LISTED_STATUSES = ("open", "accepted")


@dataclass(frozen=True)
class Ranked:
    id: str
    label: str
    count: int


@dataclass(frozen=True)
class ShadowTool:
    tool: str
    label: str
    status: str
    asks: int


@dataclass(frozen=True)
class CandidateDemand:
    id: int
    label: str
    status: str
    asks: int
    askers: int
    votes: int
    asks_this_period: int
    asks_previous_period: int
    trend: str  # new | up | down | flat
    first_seen: str | None
    last_seen: str | None
    examples: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()


@dataclass(frozen=True)
class WeekPoint:
    period: str
    questions: int
    unmet: int

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Digest:
    """Every figure of one period's digest; `to_dict()` is the `--json` contract."""

    period: str
    start: str
    end: str
    timezone: str
    organization: str
    questions: int
    questions_previous: int
    askers: int
    askers_previous: int
    outcomes: dict[str, int]
    unmet: int
    top_use_cases: tuple[Ranked, ...]
    top_tools: tuple[Ranked, ...]
    candidates: tuple[CandidateDemand, ...]
    shadow_ai: tuple[ShadowTool, ...]
    helpful: int
    not_helpful: int
    red_lines: tuple[Ranked, ...]
    departments: tuple[Ranked, ...]
    departments_hidden: int
    min_group_size: int
    weeks: tuple[WeekPoint, ...] = field(default_factory=tuple)

    @property
    def unmet_share(self) -> float:
        return self.unmet / self.questions if self.questions else 0.0

    @property
    def answered_share(self) -> float:
        return 1.0 - self.unmet_share if self.questions else 0.0

    @property
    def helpful_rate(self) -> float | None:
        rated = self.helpful + self.not_helpful
        return self.helpful / rated if rated else None

    @property
    def shadow_asks(self) -> int:
        return sum(s.asks for s in self.shadow_ai)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["weeks"] = [{**asdict(w), "unmet_share": round(w.unmet_share, 4)} for w in self.weeks]
        data.update(
            unmet_share=round(self.unmet_share, 4),
            answered_share=round(self.answered_share, 4),
            helpful_rate=None if self.helpful_rate is None else round(self.helpful_rate, 4),
            shadow_asks=self.shadow_asks,
        )
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        """Rebuild a digest frozen in the ledger (derived keys are ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        for key in ("top_use_cases", "top_tools", "red_lines", "departments"):
            values[key] = tuple(Ranked(**r) for r in values[key])
        values["shadow_ai"] = tuple(ShadowTool(**s) for s in values["shadow_ai"])
        values["candidates"] = tuple(
            CandidateDemand(**{**c, "examples": tuple(c["examples"]),
                               "departments": tuple(c.get("departments", ()))})
            for c in values["candidates"]
        )
        values["weeks"] = tuple(
            WeekPoint(w["period"], w["questions"], w["unmet"]) for w in values.get("weeks", [])
        )
        return cls(**values)


def _top(counter: Counter[str], names: dict[str, str], n: int) -> tuple[Ranked, ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return tuple(Ranked(key, names.get(key, key), count) for key, count in ranked)


def _trend(this: int, previous: int, first_seen_in_period: bool) -> str:
    if first_seen_in_period:
        return "new"
    if this > previous:
        return "up"
    return "down" if this < previous else "flat"


async def _weeks(insights: InsightStore, period: Period, count: int) -> tuple[WeekPoint, ...]:
    periods = [period.previous(k) for k in range(count - 1, -1, -1)]
    stored = await insights.stored_weeks([p.key for p in periods])
    points = []
    for p in periods:
        totals: WeekTotals = stored.get(p.key) or await insights.week_totals(p.start, p.end)
        points.append(WeekPoint(p.key, totals.questions, totals.unmet))
    return tuple(points)


async def _candidates(
    insights: InsightStore, period: Period, top: int, examples: int, min_group_size: int
) -> tuple[CandidateDemand, ...]:
    previous = period.previous()
    rows = await insights.demand(start=period.start, end=period.end, previous_start=previous.start)
    listed = {c.id: c for c in await insights.candidates(statuses=_LISTED_STATUSES)}
    rows = [r for r in rows if r.candidate_id in listed]
    rows.sort(key=lambda r: (-r.askers, -r.asks_this_period, -r.votes, -r.asks, r.candidate_id))
    out = []
    for row in rows[:top]:
        cand = listed[row.candidate_id]
        new = row.first_seen is not None and row.first_seen >= period.start
        out.append(CandidateDemand(
            id=cand.id, label=cand.label, status=cand.status, asks=row.asks, askers=row.askers,
            votes=row.votes, asks_this_period=row.asks_this_period,
            asks_previous_period=row.asks_previous_period,
            trend=_trend(row.asks_this_period, row.asks_previous_period, new),
            first_seen=row.first_seen.date().isoformat() if row.first_seen else None,
            last_seen=row.last_seen.date().isoformat() if row.last_seen else None,
            examples=shown_examples(await insights.examples(cand.id, limit=examples),
                                    row.askers, min_group_size, limit=examples),
            departments=tuple(d for d, n in row.departments if n >= min_group_size),
        ))
    return tuple(out)


async def build_digest(
    insights: InsightStore,
    period: Period,
    *,
    policy: Policy | None = None,
    min_group_size: int = 5,
    top: int = 5,
    weeks: int = 8,
    examples: int = 3,
) -> Digest:
    """Compute one period's figures from the logs (read-only; cluster first for candidates).

    Args:
        insights: the insights repository.
        period: the week to report on; the week before it is the comparison.
        policy: the live policy, to show names instead of ids (optional).
        min_group_size: departments with fewer distinct askers are not broken out.
    """
    rows = await insights.period_queries(period.start, period.end)
    previous = period.previous()
    before = await insights.stored_weeks([previous.key])
    prev = before.get(previous.key) or await insights.week_totals(previous.start, previous.end)
    names: dict[str, dict[str, str]] = {"use_case": {}, "tool": {}, "red_line": {}}
    if policy is not None:
        names["use_case"] = {u.id: u.name for u in policy.use_cases}
        names["tool"] = {t.id: t.name for t in policy.tools}
        names["red_line"] = {r.id: r.title for r in policy.red_lines}
    outcomes: Counter[str] = Counter(r["outcome"] for r in rows)
    use_cases: Counter[str] = Counter(r["use_case"] for r in rows if r["use_case"])
    tools: Counter[str] = Counter(t for r in rows for t in r["tools"])
    red_lines: Counter[str] = Counter(x for r in rows for x in r["red_lines"])
    shadow: Counter[tuple[str, str]] = Counter(
        (r["asked_tool"], r["asked_tool_status"])
        for r in rows
        if r["asked_tool"] and r["asked_tool_status"] in SHADOW_STATUSES
    )
    dept_askers: dict[str, set[int]] = {}
    dept_questions: Counter[str] = Counter()
    for r in rows:
        if r["department"]:
            dept_askers.setdefault(r["department"], set()).add(r["asker"])
            dept_questions[r["department"]] += 1
    shown = {d for d, askers in dept_askers.items() if len(askers) >= min_group_size}
    departments = _top(Counter({d: dept_questions[d] for d in shown}), {}, len(shown))
    return Digest(
        period=period.key,
        start=period.first_day.isoformat(),
        end=(period.first_day + timedelta(days=6)).isoformat(),
        timezone=period.tz,
        organization=policy.meta.organization if policy else "",
        questions=len(rows),
        questions_previous=prev.questions,
        askers=len({r["asker"] for r in rows}),
        askers_previous=prev.askers,
        outcomes=dict(sorted(outcomes.items())),
        unmet=outcomes.get("unmet", 0),
        top_use_cases=_top(use_cases, names["use_case"], top),
        top_tools=_top(tools, names["tool"], top),
        candidates=await _candidates(insights, period, top, examples, min_group_size),
        shadow_ai=tuple(
            ShadowTool(tool, names["tool"].get(tool, tool), status, n)
            for (tool, status), n in sorted(shadow.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ),
        helpful=sum(r["feedback"] == "helpful" for r in rows),
        not_helpful=sum(r["feedback"] == "not_helpful" for r in rows),
        red_lines=_top(red_lines, names["red_line"], top),
        departments=departments,
        departments_hidden=len(dept_askers) - len(shown),
        min_group_size=min_group_size,
        weeks=await _weeks(insights, period, weeks),
    )
