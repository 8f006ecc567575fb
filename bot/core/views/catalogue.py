"""The catalogue (`list`): every tool by status, and the usable ones by job.

By status comes first because it answers "may I use it?" at a glance, one badge per
group. Why each prohibited tool is prohibited, and the tools by job, sit behind "More
options": they are the long view.
"""

from __future__ import annotations

from bot.core.compose import first_sentence
from bot.core.reply import Action, Reply, Section
from bot.core.views import STATUS_BADGES, SurfaceLike, command
from bot.policy.models import RECOMMENDABLE, Policy, Status, Tool

__all__ = ["by_status", "by_use_case", "catalogue_reply", "prohibited_why", "why_prohibited"]


def prohibited_why(policy: Policy, tool: Tool) -> str:
    """Why a tool may not be used: the first sentence of its summary (never cut: a cut
    reason reads as a different one), else the title of a red line written for it."""
    reason = first_sentence(tool.summary)
    if reason:
        return reason
    return next((line.title for line in policy.red_lines if tool.id in line.applies_to), "")


def by_status(policy: Policy) -> list[Section]:
    """One section per status that has tools, names only: status at a glance."""
    out = []
    for status in Status:
        tools = [t for t in policy.tools if t.status is status]
        if tools:
            out.append(Section(badge=STATUS_BADGES[status.value],
                               text=", ".join(t.name for t in tools)))
    return out


def why_prohibited(policy: Policy) -> list[Section]:
    """Each prohibited tool with its reason (folded: the reasons are sentences)."""
    lines = [f"{t.name}: {prohibited_why(policy, t)}" for t in policy.tools
             if t.status is Status.PROHIBITED]
    return [Section(title="Why these are prohibited", text="\n".join(lines))] if lines else []


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
    lines += [line for s in why_prohibited(policy) for line in ("", f"{s.title}:", s.text)]
    lines += ["", "By job:"] + [f"• {s.title}: {s.text}" for s in jobs] + [hint]
    more = (*why_prohibited(policy), *((Section(title="By job"), *jobs) if jobs else ()))
    return Reply(title=title, text="\n".join(lines), sections=tuple(statuses), more=more,
                 footer=hint, actions=(Action("Red lines", command="redlines"),),
                 kind="catalogue")
