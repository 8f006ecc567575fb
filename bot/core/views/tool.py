"""One tool's card (`tool <name>`): status, what it is for, data limit, access, red lines.

The status is the badge; everything else is a fact or a line. A tool that may not be
used shows why and what to use instead.
"""

from __future__ import annotations

from bot.core.compose import alternatives_for, data_limit, join_phrases, red_line_notes
from bot.core.reply import Action, Fact, Reply, Section
from bot.core.views import SurfaceLike, details_action, one_line, status_badge
from bot.core.views.answer import red_line_section
from bot.policy.models import RECOMMENDABLE, Policy, Tool

__all__ = ["tool_reply"]

#: Jobs named on the card; the rest are counted there and listed behind "More options".
JOBS_SHOWN = 4


def _jobs(policy: Policy, tool: Tool) -> list[str]:
    return [u.name for u in (policy.use_case(g) for g in tool.good_for) if u]


def _facts(policy: Policy, tool: Tool, jobs: list[str]) -> tuple[Fact, ...]:
    facts = [Fact("Data", data_limit(policy, tool))]
    if jobs:
        rest = len(jobs) - JOBS_SHOWN
        facts.append(Fact("Good for", ", ".join(jobs[:JOBS_SHOWN])
                          + (f", and {rest} more" if rest > 0 else "")))
    if tool.not_good_for:
        facts.append(Fact("Limits", join_phrases(tool.not_good_for[:3])))
    if tool.access and tool.access.text:
        facts.append(Fact("Access", tool.access.text))
    if tool.contact or tool.owner:
        facts.append(Fact("Contact", tool.contact or tool.owner or ""))
    return tuple(facts)


def tool_reply(policy: Policy, tool: Tool, surface: SurfaceLike) -> Reply:
    """The details of one tool, as a card; the text says the same for the CLI."""
    jobs = _jobs(policy, tool)
    facts = _facts(policy, tool, jobs)
    usable = tool.status in RECOMMENDABLE
    url = str(tool.access.url) if tool.access and tool.access.url else None
    actions = (Action("Get access", url=url, style="primary"),) if url and usable else ()
    head = Section(badge=status_badge(tool.status.value), text=tool.summary, facts=facts,
                   actions=actions)
    sections = [head, *(red_line_section(n) for n in red_line_notes(policy, (), [tool]))]
    instead = [] if usable else alternatives_for(policy, tool)
    if instead:
        sections.append(Section(title="Use one of these instead:"))
        sections += [Section(title=a.name, badge=status_badge(a.status), text=one_line(a.why),
                             actions=(details_action(a.id),)) for a in instead[:3]]
    more = (Section(title="Good for", text=", ".join(jobs)),) if len(jobs) > JOBS_SHOWN else ()
    lines = [f"{tool.name} [{head.badge.text if head.badge else ''}]", tool.summary]
    lines += [f"Good for: {', '.join(jobs)}" if f.label == "Good for" else
              f"{f.label}: {f.value}" for f in facts]
    if url:
        lines.append(f"Get access: {url}")
    lines += [f"⚠ {s.title}. {s.text.replace(chr(10), ' ')}" for s in sections[1:]
              if s.tone == "attention"]
    if instead:
        lines.append("Use instead: " + ", ".join(a.name for a in instead))
    # The badge is the status: the title gets no second verdict colour or icon.
    return Reply(title=tool.name, text="\n".join(lines), sections=tuple(sections), more=more,
                 kind="tool")
