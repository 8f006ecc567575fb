"""A small PNG chart for the digest: questions per week and the share unmet, with alt text.

Made for a reader who glances at it once: a dated title, labelled axes, each bar's value
written on it, a legend, and weeks without data left as gaps marked "no data" (a zero bar
would read as "nobody asked"). `alt_text` says the same in words for screen readers and
for clients that do not show images.

matplotlib is imported lazily with the Agg backend: no display, and no import cost for
processes that never draw (the chat adapters).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from datetime import timedelta

from bot.core.insights.figures import WeekPoint
from bot.core.insights.periods import parse_period

__all__ = ["alt_text", "chart_title", "render_chart"]


def _span(weeks: Sequence[WeekPoint]) -> str:
    first = parse_period(weeks[0].period).first_day
    last = parse_period(weeks[-1].period).first_day + timedelta(days=6)
    return f"{first:%d %b} – {last:%d %b %Y}"


def chart_title(weeks: Sequence[WeekPoint]) -> str:
    """"Questions to the AI concierge per week, 2026-W40 to 2026-W47 (29 Sep – 23 Nov 2026)"."""
    return (f"Questions to the AI concierge per week, {weeks[0].period} to {weeks[-1].period} "
            f"({_span(weeks)})")


def alt_text(weeks: Sequence[WeekPoint]) -> str:
    """The chart in words: every week's questions and share unmet, gaps named as such."""
    if not weeks:
        return "No chart: no weeks to show."
    parts = [
        f"{w.period.split('-')[-1]}: {w.questions} questions, {w.unmet_share * 100:.0f}% unmet"
        if w.questions else f"{w.period.split('-')[-1]}: no data"
        for w in weeks
    ]
    return f"Bar chart. {chart_title(weeks)}. " + "; ".join(parts) + "."


def render_chart(weeks: Sequence[WeekPoint], *, dpi: int = 80) -> bytes | None:
    """Bars of questions per week and a line of the unmet share; None when there is no data."""
    if not weeks or not any(w.questions for w in weeks):
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure  # Figure, not pyplot: no global state, thread-safe

    labels = [w.period.split("-")[-1] for w in weeks]
    # No bar at all for a week without data (height 0 draws nothing; NaN breaks layout).
    questions = [w.questions for w in weeks]
    unmet = [w.unmet_share * 100 if w.questions else math.nan for w in weeks]
    figure = Figure(figsize=(7.2, 4.2), dpi=dpi, layout="constrained")
    axes, share = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1.6])
    bars = axes.bar(labels, questions, color="#4C78A8", label="questions asked")
    axes.bar_label(bars, labels=[f"{w.questions}" if w.questions else "" for w in weeks],
                   padding=2, fontsize=8)
    top = max(w.questions for w in weeks)
    axes.set_ylim(0, top * 1.2)
    for x, w in enumerate(weeks):
        if not w.questions:
            axes.text(x, top * 0.05, "no data", ha="center", fontsize=7, color="#666666")
    axes.set_ylabel("questions asked")
    axes.spines[["top", "right"]].set_visible(False)
    share.plot(labels, unmet, color="#E45756", marker="o", label="unmet (% of questions)")
    for x, value in enumerate(unmet):
        if not math.isnan(value):
            share.annotate(f"{value:.0f}%", (x, value), textcoords="offset points",
                           xytext=(0, 6), ha="center", fontsize=7, color="#B03A3A")
    share.set_ylim(0, 115)
    share.set_yticks([0, 50, 100])
    share.set_ylabel("unmet (%)")
    share.set_xlabel("ISO week (Monday to Sunday)")
    share.spines[["top", "right"]].set_visible(False)
    handles = [bars, *share.get_lines()]
    axes.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8,
                frameon=False, ncols=2)
    axes.set_title(chart_title(weeks), fontsize=9)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
