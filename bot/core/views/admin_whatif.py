"""What-if replies: a replay's progress and its impact, with "mark covered" offers."""

from __future__ import annotations

from bot.core.reply import Action, Reply, Section
from bot.core.whatif import ImpactSummary

__all__ = ["impact_reply", "progress_reply"]


def progress_reply(title: str, progress: str) -> Reply:
    text = f"{progress}\nI'll update this message when it's done."
    return Reply(title=title, text=f"{title}\n{text}", sections=(Section(text=text),),
                 kind="whatif_progress", replace=True)


def impact_reply(summary: ImpactSummary) -> Reply:
    """The impact in sentences; each accepted candidate the change covers can be marked."""
    actions = tuple(
        Action(f"Mark #{o.candidate_id} covered by {o.tool_name}"[:75], id="mark_covered",
               value={"candidate_id": str(o.candidate_id), "tool": o.tool_id})
        for o in summary.offers[:5])
    body = "\n".join(f"• {s}" for s in summary.sentences) or "No past answer would change."
    return Reply(title=summary.title, text=summary.text, sections=(Section(text=body),),
                 actions=actions, footer=summary.footer, kind="whatif", replace=True)
