"""The digest as neutral, skimmable sections and a complete plain-text fallback.

Renderers (Block Kit, Adaptive Card, terminal) lay these out; none of them needs to
know how a figure was computed. No platform syntax, no names of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.insights.figures import CandidateDemand, Digest, Ranked, ShadowTool
from bot.core.wording import count

__all__ = ["DigestSection", "headline", "sections", "text"]

_STATUS = {"prohibited": "prohibited", "under_review": "under review", "unknown": "not in policy"}
_TREND = {"new": "new", "up": "rising", "down": "falling", "flat": "steady"}


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: tuple[str, ...]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.0f}%"


def _delta(now: int, before: int) -> str:
    diff = now - before
    if before == 0:
        return "no data for the week before" if now else "same as the week before"
    sign = "+" if diff >= 0 else "−"
    return f"{sign}{abs(diff)} vs the week before ({sign}{abs(diff) / before * 100:.0f}%)"


def _days(digest: Digest) -> str:
    start, end = date.fromisoformat(digest.start), date.fromisoformat(digest.end)
    return f"{start:%d %b} – {end:%d %b %Y}"


def headline(digest: Digest) -> str:
    org = f" at {digest.organization}" if digest.organization else ""
    return f"AI tool use{org}: week {digest.period} ({_days(digest)}), with the week before"


def _was(before: int) -> str:
    return f"week before {before}"


def _ranked(items: tuple[Ranked, ...], unit: str, plural: str | None = None) -> tuple[str, ...]:
    return tuple(f"{r.label}: {count(r.count, unit, plural)} ({_was(r.previous)})" for r in items)


def _share(part: int, whole: int, share: float | None, before: float | None) -> str:
    return f"{_pct(share)} ({part} of {whole}; week before {_pct(before)})"


def _candidate(c: CandidateDemand) -> str:
    votes = f", {count(c.votes, 'vote')} “I need this too”" if c.votes else ""
    depts = f"; mostly {', '.join(c.departments)}" if c.departments else ""
    example = f". E.g. “{c.examples[0]}”" if c.examples else ""
    return (f"#{c.id} {c.label}: {count(c.askers, 'person', 'people')}, {count(c.asks, 'ask')}"
            f"{votes}; this week {c.asks_this_period}, week before {c.asks_previous_period} "
            f"({_TREND[c.trend]}){depts}{example}")


def _shadow(s: ShadowTool) -> str:
    jobs = f", for {' and '.join(j.lower() for j in s.for_what)}" if s.for_what else ""
    return (f"{s.label} ({_STATUS.get(s.status, s.status)}): {count(s.asks, 'ask')} "
            f"({_was(s.previous)}){jobs}")


def sections(digest: Digest) -> tuple[DigestSection, ...]:
    """The digest's sections, in the order leadership asks; empty ones say so in one line."""
    d = digest
    glance = [
        f"Questions: {d.questions} ({_delta(d.questions, d.questions_previous)})",
        f"People asking: {d.askers} ({_delta(d.askers, d.askers_previous)})",
        f"Answered: {_pct(d.answered_share)} · unmet: {_pct(d.unmet_share)} ({d.unmet}; "
        f"week before {d.unmet_previous})",
    ]
    if d.empty_reason:
        glance.insert(0, d.empty_reason)
    out = [
        DigestSection("At a glance", tuple(glance)),
        DigestSection("1. What people use AI for: top use cases answered",
                      _ranked(d.top_use_cases, "question") or ("None this week.",)),
        DigestSection("2. Unmet needs: candidate use cases, by people asking",
                      tuple(_candidate(c) for c in d.candidates)
                      or ("No open candidate use cases.",)),
        DigestSection("3. Unapproved tools people ask about (shadow AI)",
                      tuple(_shadow(s) for s in d.shadow_ai)
                      or (f"None this week (week before {d.shadow_asks_previous}).",)),
        DigestSection("4. Moving to the approved standard", (
            "Answers pointing to a standard tool: " + _share(
                d.standard_answers, d.tool_answers, d.standard_share,
                d.standard_share_previous),
            "Found the answer helpful: " + _share(
                d.helpful, d.helpful + d.not_helpful, d.helpful_rate, d.helpful_rate_previous),
            *(f"Recommended: {line}" for line in _ranked(d.top_tools, "time")[:3]),
        )),
        DigestSection("5. Red lines hit",
                      _ranked(d.red_lines, "time") or ("None this week.",)),
    ]
    if d.departments or d.departments_hidden:
        lines = _ranked(d.departments, "question")
        if d.departments_hidden:
            lines += (f"{d.departments_hidden} smaller group(s) not shown "
                      f"(fewer than {d.min_group_size} people).",)
        out.append(DigestSection("By department", lines))
    return tuple(out)


def text(digest: Digest) -> str:
    """The whole digest as plain text: the fallback every platform can show."""
    parts = [headline(digest)]
    for section in sections(digest):
        parts.append("\n" + section.title)
        parts.extend(f"• {line}" for line in section.lines)
    return "\n".join(parts)
