"""The red lines: the rules never crossed, whatever the tool.

Compact for a phone: each rule's title, its first sentence and the first sentence of
its why; the full wording sits behind "More options" and in the plain text.
"""

from __future__ import annotations

from bot.core.reply import Reply, Section
from bot.core.views import SurfaceLike, one_line
from bot.policy.models import Policy, RedLine

__all__ = ["red_line_brief", "red_lines_reply"]


def red_line_brief(line: RedLine) -> Section:
    """One red line in three short lines: what, the rule, why."""
    return Section(title=line.title, tone="attention",
                   text=f"{one_line(line.rule, 200)}\nWhy: {one_line(line.why, 200)}")


def red_lines_reply(policy: Policy, surface: SurfaceLike) -> Reply:
    """Every red line, briefly; the full rule and why in `more` and in the text."""
    if not policy.red_lines:
        return Reply(title="Red lines", text="Red lines\nThe policy has no red lines.",
                     sections=(Section(text="The policy has no red lines."),), kind="red_lines")
    full = tuple(Section(title=r.title, text=f"{r.rule}\nWhy: {r.why}", tone="attention")
                 for r in policy.red_lines)
    text = "\n".join(["Red lines: never cross these",
                      *(f"⚠ {r.title}. {r.rule} Why: {r.why}" for r in policy.red_lines)])
    contact = policy.meta.contact or "your IT team"
    return Reply(
        title="Red lines: never cross these",
        text=text,
        sections=tuple(red_line_brief(r) for r in policy.red_lines),
        more=full,
        footer=f"They apply to every tool, approved ones included. Questions: {contact}",
        tone="attention",
        kind="red_lines",
    )
