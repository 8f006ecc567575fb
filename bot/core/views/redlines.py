"""The red lines: the rules never crossed, whatever the tool.

Compact for a phone: each rule's title (the rule in a few words), so all of them fit one
screen; the full rule and its why sit behind "More options" (in Slack, which cannot
fold, after a divider) and in the plain text. The Slack App Home lists the briefs
(`red_line_brief`: title and the first sentence of the why).
"""

from __future__ import annotations

from bot.core.compose import first_sentence
from bot.core.reply import Reply, Section
from bot.core.views import SurfaceLike
from bot.policy.models import Policy, RedLine

__all__ = ["red_line_brief", "red_lines_reply"]


def red_line_brief(line: RedLine) -> Section:
    """One red line in brief: its title (the rule in a few words) and the first sentence
    of its why. Rules are never cut mid-sentence: a cut rule can change its meaning."""
    return Section(title=line.title, text=f"Why: {first_sentence(line.why)}", tone="attention")


def red_lines_reply(policy: Policy, surface: SurfaceLike) -> Reply:
    """Every red line by its title; the full rule and why in `more` and in the text."""
    if not policy.red_lines:
        return Reply(title="Red lines", text="Red lines\nThe policy has no red lines.",
                     sections=(Section(text="The policy has no red lines."),), kind="red_lines")
    full = tuple(Section(title=r.title, text=f"{r.rule}\nWhy: {r.why}", tone="attention")
                 for r in policy.red_lines)
    text = "\n".join(["Red lines: never cross these",
                      *(f"⚠ {r.title}. {r.rule} Why: {r.why}" for r in policy.red_lines)])
    contact = policy.meta.reach
    return Reply(
        title="Red lines: never cross these",
        text=text,
        sections=tuple(Section(title=r.title, tone="attention") for r in policy.red_lines),
        more=full,
        footer=f"They apply to every tool, approved ones included. Questions: {contact}",
        kind="red_lines",
    )
