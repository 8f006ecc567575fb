"""The App Home (Slack) and welcome (Teams): how to ask, tools by status, then by job and
the red lines behind "More options".

Built from the same parts as `help`, `list` and `redlines`, so the home never says
something the commands do not. Admins see extra sections (`admin`), which the
admin views build; this view only places them last.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.reply import Action, Reply, Section
from bot.core.views import SurfaceLike, command
from bot.core.views.catalogue import by_status, by_use_case, why_prohibited
from bot.core.views.help import example_questions, how_to_ask
from bot.core.views.redlines import red_line_brief
from bot.policy.models import Policy

__all__ = ["home_reply"]


def home_reply(policy: Policy, surface: SurfaceLike, *, version: int | None = None,
               admin: Sequence[Section] = ()) -> Reply:
    """Everything an employee browses without asking; `admin` sections go at the end."""
    org = policy.meta.organization
    contact = policy.meta.reach
    examples = example_questions(policy)
    ask = Section(title="Ask me", text=f"{how_to_ask(surface)} For example: "
                  + " or ".join(f"“{q}”" for q in examples[:2]))
    statuses = by_status(policy)
    jobs = by_use_case(policy)
    lines = [Section(title="Red lines: never cross these")] + [red_line_brief(r)
                                                               for r in policy.red_lines]
    # The Teams welcome is a chat card: by job and the red lines fold behind "More
    # options" (Slack's App Home lists them as one line each).
    sections = [ask, *statuses, *admin]
    more = [*why_prohibited(policy), Section(title="By job"), *jobs,
            *(lines if policy.red_lines else ())]
    text = "\n".join([
        f"AI tools at {org}", how_to_ask(surface), *(f"• {q}" for q in examples),
        *(f"{s.badge.text if s.badge else ''}: {s.text}" for s in statuses),
        *(f"{s.title}: {s.text}" for s in jobs),
        *(f"⚠ {r.title}: {r.rule}" for r in policy.red_lines),
    ])
    footer = f"Policy version {version}. " if version else ""
    return Reply(
        title=f"AI tools at {org}",
        text=text,
        sections=tuple(sections),
        more=tuple(more),
        actions=(Action("Help", command="help"), Action("All tools", command="list"),
                 Action("Red lines", command="redlines")),
        footer=f"{footer}Questions about the policy: {contact}. "
               f"Type {command(surface, 'help')} for the commands.",
        kind="home",
    )
