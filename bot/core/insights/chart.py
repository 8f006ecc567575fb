"""A small PNG chart for the digest: questions per week and the unmet share.

matplotlib is imported lazily with the Agg backend: no display, and no import cost for
processes that never draw (the chat adapters).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.core.insights.digest import WeekPoint

__all__ = ["render_chart"]


def render_chart(weeks: Sequence[WeekPoint], *, dpi: int = 80) -> bytes | None:
    """Bars of questions per week and a line of the unmet share; None when there is no data."""
    if not weeks or not any(w.questions for w in weeks):
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure  # Figure, not pyplot: no global state, thread-safe

    labels = [w.period.split("-")[-1] for w in weeks]
    figure = Figure(figsize=(6.0, 2.6), dpi=dpi)
    axes = figure.add_subplot()
    axes.bar(labels, [w.questions for w in weeks], color="#4C78A8", label="questions")
    axes.set_ylabel("questions")
    axes.spines[["top"]].set_visible(False)
    share = axes.twinx()
    share.plot(labels, [w.unmet_share * 100 for w in weeks], color="#E45756", marker="o",
               label="unmet %")
    share.set_ylim(0, 100)
    share.set_ylabel("unmet %")
    share.spines[["top"]].set_visible(False)
    axes.set_title("Questions per week and share unmet", fontsize=10)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
