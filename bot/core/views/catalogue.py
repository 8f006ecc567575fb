"""The catalogue (`list`): every tool by status, and the usable ones by job.

By status comes first because it answers "may I use it?" at a glance, one badge per
group; prohibited tools carry their why (the red line written for them, else their
summary). By job sits behind "More options": it is the long view.
"""

from __future__ import annotations

from bot.core.reply import Action, Reply, Section
from bot.core.views import STATUS_BADGES, SurfaceLike, command, one_line
from bot.policy.models import RECOMMENDABLE, Policy, Status, Tool

__all__ = ["by_status", "by_use_case", "catalogue_reply", "prohibited_why"]


def prohibited_why(policy: Policy, tool: Tool) -> str:
    """Why a tool may not be used, in a few words: the title of a red line written for it
    (a rule in brief), else the start of its summary."""
    for line in policy.red_lines:
        if tool.id in line.applies_to:
            return line.title
    return one_line(tool.summary, 100)


def by_status(policy: Policy) -> list[Section]:
    """One section per status that has tools; names only, except prohibited ones' why."""
    out = []
    for status in Status:
        tools = [t for t in policy.tools if t.status is status]
        if not tools:
            continue
        if status is Status.PROHIBITED:
            text = "\n".join(f"{t.name}: {prohibited_why(policy, t)}" for t in tools)
        else:
            text = ", ".join(t.name for t in tools)
        out.append(Section(badge=STATUS_BADGES[status.value], text=text))
    return out


def by_use_case(policy: Policy) -> list[Section]:
    """Each job with the tools that may be used for it, best status first."""
    out = []
    for use_case in policy.use_cases:
        tools = [t for t in policy.tools if use_case.id in t.good_for
                 and t.status in RECOMMENDABLE]
        if tools:
            names = ", ".join(f"{t.name} ({STATUS_BADGES[t.status.value].text.lower()})"
                              for t in sorted(tools, key=lambda t: list(Status).index(t.status)))
            out.append(Section(title=use_case.name, text=names))
    return out


def catalogue_reply(policy: Policy, surface: SurfaceLike) -> Reply:
    """The `list` command: by status shown, by job behind "More options"."""
    title = f"AI tools at {policy.meta.organization}"
    statuses = by_status(policy)
    jobs = by_use_case(policy)
    if not any(t.status in RECOMMENDABLE for t in policy.tools):
        statuses.insert(0, Section(text="No AI tools are approved yet."))
    hint = (f"Ask about a job or a tool for the details, or type "
            f"{command(surface, 'tool <name>')}.")
    lines = [title]
    lines += [f"{s.badge.text if s.badge else ''}: {s.text}" for s in statuses]
    lines += ["", "By job:"] + [f"• {s.title}: {s.text}" for s in jobs] + [hint]
    more = (Section(title="By job"), *jobs) if jobs else ()
    return Reply(title=title, text="\n".join(lines), sections=tuple(statuses), more=more,
                 footer=hint, actions=(Action("Red lines", command="redlines"),),
                 kind="catalogue")
