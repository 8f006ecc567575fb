"""The digest as neutral, skimmable sections and a complete plain-text fallback.

Renderers (Block Kit, Adaptive Card, terminal) lay these out; none of them needs to
know how a figure was computed. No platform syntax, no names of people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.insights.digest import Digest, Ranked
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
    return f"AI tool use{org}: week {digest.period} ({_days(digest)})"


def _ranked(items: tuple[Ranked, ...], unit: str) -> tuple[str, ...]:
    return tuple(f"{r.label}: {r.count} {unit}{'s' if r.count != 1 else ''}" for r in items)


def sections(digest: Digest) -> tuple[DigestSection, ...]:
    """The digest's sections, in reading order; empty sections say so in one line."""
    d = digest
    out = [
        DigestSection("At a glance", (
            f"Questions: {d.questions} ({_delta(d.questions, d.questions_previous)})",
            f"People asking: {d.askers} ({_delta(d.askers, d.askers_previous)})",
            f"Answered: {_pct(d.answered_share)} · unmet: {_pct(d.unmet_share)} ({d.unmet})",
            f"Found the answer helpful: {_pct(d.helpful_rate)} "
            f"({d.helpful} of {d.helpful + d.not_helpful} ratings)",
        )),
        DigestSection("Top use cases asked about",
                      _ranked(d.top_use_cases, "question") or ("None this week.",)),
        DigestSection("Top tools recommended",
                      _ranked(d.top_tools, "recommendation") or ("None this week.",)),
        DigestSection("Unmet needs: candidate use cases", tuple(
            f"#{c.id} {c.label}: {count(c.askers, 'person', 'people')}, {count(c.asks, 'ask')}"
            f"{f', {c.votes} also need it' if c.votes else ''}; "
            f"this week {c.asks_this_period} ({_TREND[c.trend]})"
            + (f". E.g. “{c.examples[0]}”" if c.examples else "")
            for c in d.candidates
        ) or ("No open candidate use cases.",)),
        DigestSection("Asks about unapproved tools (shadow AI)", tuple(
            f"{s.label} ({_STATUS.get(s.status, s.status)}): "
            f"{s.asks} ask{'s' if s.asks != 1 else ''}"
            for s in d.shadow_ai
        ) or ("None this week.",)),
        DigestSection("Red lines triggered",
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
