"""The weekly leadership digest as neutral figures: computed here, never sent from here.

`build_digest` reads the query and unmet logs of one period (and the previous one, for
comparisons) and returns a `Digest` (see `figures.py`): plain numbers, ids and labels, no
platform syntax, no asker identity. Departments with fewer than `min_group_size` distinct
askers are not broken out, and candidates asked by fewer show no example request.
Adapters render it (`sections`/`text` in `bot.core.insights.sections`).
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.insights.figures import CandidateDemand, Digest, Ranked, ShadowTool, WeekPoint
from bot.core.insights.labels import shown_examples
from bot.core.insights.periods import Period, period_of
from bot.policy.models import Policy, Status
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


def _top(counter: Counter[str], names: dict[str, str], n: int,
         before: Counter[str] | None = None) -> tuple[Ranked, ...]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    before = before or Counter()
    return tuple(Ranked(key, names.get(key, key), count, before[key]) for key, count in ranked)


def _shadow(rows: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((r["asked_tool"], r["asked_tool_status"]) for r in rows
                   if r["asked_tool"] and r["asked_tool_status"] in SHADOW_STATUSES)


def _tool_answers(rows: list[dict[str, Any]], standard: set[str]) -> tuple[int, int]:
    """Answers that recommended a tool, and those among them naming a standard tool."""
    with_tools = [r for r in rows if r["tools"]]
    return len(with_tools), sum(any(t in standard for t in r["tools"]) for r in with_tools)


def _empty_reason(period: Period, oldest: datetime | None, now: datetime) -> str:
    """Why a week has no questions, so an empty digest is not mistaken for a broken one."""
    if period.start > now:
        return "This week has not started yet."
    if period.key == period_of(now, period.tz).key:
        return "No questions yet this week: the week is still in progress."
    if oldest is None:
        return "No questions have been logged yet (or retention deleted them all)."
    if period.end <= oldest:
        return ("No logs are kept for this week: it is older than the oldest kept log "
                "(retention deletes old logs, or the concierge was not running yet).")
    return "Nobody asked the concierge a question this week."


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
    now: datetime | None = None,
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
    before_rows = await insights.period_queries(previous.start, previous.end)
    before = await insights.stored_weeks([previous.key])
    prev = before.get(previous.key) or await insights.week_totals(previous.start, previous.end)
    names: dict[str, dict[str, str]] = {"use_case": {}, "tool": {}, "red_line": {}}
    standard: set[str] = set()
    if policy is not None:
        names["use_case"] = {u.id: u.name for u in policy.use_cases}
        names["tool"] = {t.id: t.name for t in policy.tools}
        names["red_line"] = {r.id: r.title for r in policy.red_lines}
        standard = {t.id for t in policy.tools if t.status == Status.STANDARD}

    def use_cases(of: list[dict[str, Any]]) -> Counter[str]:
        return Counter(r["use_case"] for r in of if r["use_case"] and r["outcome"] != "unmet")

    def red_lines(of: list[dict[str, Any]]) -> Counter[str]:
        return Counter(x for r in of for x in r["red_lines"])

    outcomes: Counter[str] = Counter(r["outcome"] for r in rows)
    tools: Counter[str] = Counter(t for r in rows for t in r["tools"])
    shadow, shadow_before = _shadow(rows), _shadow(before_rows)
    jobs: dict[str, Counter[str]] = {}
    for r in rows:
        if r["asked_tool"] and r["asked_tool_status"] in SHADOW_STATUSES and r["use_case"]:
            jobs.setdefault(r["asked_tool"], Counter())[r["use_case"]] += 1
    tool_answers, standard_answers = _tool_answers(rows, standard)
    tool_before, standard_before = _tool_answers(before_rows, standard)
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
        top_use_cases=_top(use_cases(rows), names["use_case"], top, use_cases(before_rows)),
        top_tools=_top(tools, names["tool"], top),
        candidates=await _candidates(insights, period, top, examples, min_group_size),
        shadow_ai=tuple(
            ShadowTool(tool, names["tool"].get(tool, tool), status, n,
                       shadow_before[(tool, status)],
                       tuple(names["use_case"].get(u, u)
                             for u, _ in jobs.get(tool, Counter()).most_common(2)))
            for (tool, status), n in sorted(shadow.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        ),
        helpful=sum(r["feedback"] == "helpful" for r in rows),
        not_helpful=sum(r["feedback"] == "not_helpful" for r in rows),
        red_lines=_top(red_lines(rows), names["red_line"], top, red_lines(before_rows)),
        departments=departments,
        departments_hidden=len(dept_askers) - len(shown),
        min_group_size=min_group_size,
        weeks=await _weeks(insights, period, weeks),
        tool_answers=tool_answers,
        standard_answers=standard_answers,
        tool_answers_previous=tool_before,
        standard_answers_previous=standard_before,
        helpful_previous=prev.helpful,
        not_helpful_previous=prev.not_helpful,
        unmet_previous=prev.unmet,
        shadow_asks_previous=sum(shadow_before.values()),
        empty_reason="" if rows else _empty_reason(period, await insights.oldest_log(),
                                                   now or datetime.now(UTC)),
    )
