"""TEMPORARY employee views, until the render engineer's `bot/core/views/*` land.

Same names and signatures as agreed in docs/design/conversation-core.md
(`answer_reply`, `help_reply`, `catalogue_reply`, `red_lines_reply`); deleted as
soon as the real ones are on main. Deliberately plain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.compose import STATUS_LABELS, help_answer
from bot.core.replies import Answer
from bot.core.reply import Action, Badge, Fact, Reply, Section, Tone
from bot.policy.models import Policy

if TYPE_CHECKING:
    from bot.core.conversation.surface import Surface
    from bot.core.services import AdminCounts

__all__ = ["answer_reply", "catalogue_reply", "help_reply", "home_reply", "red_lines_reply"]

_TONE: dict[str, Tone] = {"standard": "good", "approved": "good", "pilot": "warning",
                          "under_review": "warning", "prohibited": "attention"}


def answer_reply(answer: Answer) -> Reply:
    sections = [Section(title=r.title, text=f"{r.rule}\nWhy: {r.why}", tone="attention")
                for r in answer.red_lines]
    for tool in answer.tools[:3]:
        sections.append(Section(
            title=tool.name, text=tool.why,
            badge=Badge(STATUS_LABELS.get(tool.status, tool.status), _TONE.get(tool.status,
                                                                               "default")),
            actions=(Action("Get access", url=tool.access_url),) if tool.access_url else ()))
    actions: list[Action] = []
    if answer.query_id is not None:
        qid = str(answer.query_id)
        actions += [Action("Helpful", id="feedback", value={"query_id": qid, "helpful": "yes"}),
                    Action("Not what I needed", id="feedback",
                           value={"query_id": qid, "helpful": "no"}),
                    Action("Ask IT", id="ask_it", value={"query_id": qid})]
    if answer.unmet_id is not None:
        actions.append(Action("I need this too", id="vote",
                              value={"unmet_id": str(answer.unmet_id)}))
    return Reply(title=answer.headline, text=answer.text, sections=tuple(sections),
                 actions=tuple(actions), kind="answer")


def help_reply(policy: Policy, surface: Surface) -> Reply:
    answer = help_answer(policy)
    p = surface.prefix
    commands = (f"{p}list: the approved tools\n{p}tool <name>: one tool\n"
                f"{p}redlines: the rules never to break\n{p}share <question>: answer for all")
    return Reply(title=answer.headline, text=f"{answer.text}\n{commands}",
                 sections=(Section(text=answer.text), Section(title="Commands", text=commands)),
                 kind="help")


def catalogue_reply(policy: Policy) -> Reply:
    sections = tuple(Section(title=t.name, text=t.summary,
                             badge=Badge(STATUS_LABELS.get(t.status.value, t.status.value),
                                         _TONE.get(t.status.value, "default")))
                     for t in policy.tools)
    title = f"AI tools at {policy.meta.organization}"
    text = "\n".join(f"• {t.name} [{STATUS_LABELS.get(t.status.value)}]" for t in policy.tools)
    return Reply(title=title, text=f"{title}\n{text}", sections=sections, kind="catalogue")


def red_lines_reply(policy: Policy) -> Reply:
    sections = tuple(Section(title=r.title, text=f"{r.rule}\nWhy: {r.why}", tone="attention",
                             facts=(Fact("Why", r.why),)) for r in policy.red_lines)
    text = "\n".join(f"• {r.title}: {r.rule}" for r in policy.red_lines)
    return Reply(title="Red lines: never cross these", text=text or "No red lines.",
                 sections=sections, kind="redlines")


def home_reply(policy: Policy, surface: Surface, counts: AdminCounts | None) -> Reply:
    """App Home / welcome: how to ask, the tools at a glance, the admin panel for admins."""
    help_ = help_reply(policy, surface)
    sections = list(help_.sections)
    sections.append(Section(title="Browse", actions=(
        Action("Approved tools", command="list", style="primary"),
        Action("Red lines", command="redlines"))))
    if counts is not None:
        sections.append(Section(
            title="For policy admins",
            facts=(Fact("Open candidates", str(counts.open_candidates)),
                   Fact("Open unmet requests", str(counts.open_unmet))),
            actions=(Action("Review candidates", command="admin candidates"),
                     Action("Unmet requests", command="admin unmet"),
                     Action("Add a tool", command="admin tool add"),
                     Action("History", command="admin history"))))
    return Reply(title=f"AI tools at {policy.meta.organization}", text=help_.text,
                 sections=tuple(sections), kind="home")
