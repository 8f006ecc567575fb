"""The help card: how to ask, example questions people can copy, and the commands.

Examples come from the live policy (its first jobs, an approved tool, a data example),
so they always have an answer. Commands are written as the person types them on this
surface ("/aitools list" in Slack, "list" in Teams), read from `surface.prefix`.
"""

from __future__ import annotations

from bot.core.compose import job_question
from bot.core.reply import Action, Reply, Section
from bot.core.views import SurfaceLike, command
from bot.policy.models import RECOMMENDABLE, Policy, Status

__all__ = ["example_questions", "help_reply", "how_to_ask"]


def example_questions(policy: Policy) -> list[str]:
    """Three questions the policy answers: a job, a tool, and some data in a tool."""
    out = [job_question(uc.name) for uc in policy.use_cases[:1]]
    usable = [t for t in policy.tools if t.status in RECOMMENDABLE]
    prohibited = [t for t in policy.tools if t.status is Status.PROHIBITED]
    named = (prohibited or usable)[:1]
    out += [f"Is {t.name} approved?" for t in named]
    data = next((c.examples[0] for c in policy.data_classes[1:2] if c.examples), "meeting notes")
    if usable:
        out.append(f"Can I put {data} into {usable[0].name}?")
    return out or ["What can I use to summarise a PDF?"]


def how_to_ask(surface: SurfaceLike) -> str:
    """Where to type, in the words of this platform."""
    if surface.platform == "slack":
        return ("Send me a direct message, mention me in a channel, or type "
                f"{command(surface, '<question>')}.")
    if surface.platform == "teams":
        return "Send me a message here, or mention me in a channel or group chat."
    return "Type your question in plain words."


def _commands(surface: SurfaceLike) -> str:
    rows = [("list", "approved tools, by status and by job"),
            ("tool <name>", "one tool: status, data limit, access"),
            ("redlines", "the rules never to cross"),
            ("help", "this message")]
    return "\n".join(f"{command(surface, c)}: {what}" for c, what in rows)


def help_reply(policy: Policy, surface: SurfaceLike) -> Reply:
    """How to ask, with example questions visible in the card itself, and the commands."""
    examples = example_questions(policy)
    contact = policy.meta.reach
    ask = (f"I answer from the {policy.meta.organization} AI tool policy. Name the job or the "
           f"tool in plain words. {how_to_ask(surface)}")
    sections = (
        Section(text=ask),
        Section(title="Try asking", text="\n".join(f"“{q}”" for q in examples)),
        Section(title="Commands", text=_commands(surface)),
    )
    text = "\n".join([
        "How I can help", ask, "Try asking:", *(f"• “{q}”" for q in examples),
        "Commands:", _commands(surface),
        "If nothing approved fits, I'll say so and pass your request to IT.",
        f"Questions about the policy: {contact}",
    ])
    return Reply(
        title="How I can help",
        text=text,
        sections=sections,
        actions=(Action("Approved tools", command="list"), Action("Red lines", command="redlines")),
        footer=f"If nothing approved fits, I pass your request to IT. Policy questions: {contact}",
        kind="help",
    )
