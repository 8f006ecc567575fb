"""Answers that are not about one job or one tool: small talk, the catalogue, data levels,
the concierge itself, other languages and mistyped commands.

None of them is unmet demand: they are `help` answers, never logged as unmet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.core import compose
from bot.core.language import Language, language_names
from bot.core.replies import Answer, RedLineNote
from bot.core.smalltalk import SmallTalkHit
from bot.policy.models import RECOMMENDABLE, Policy, Status

__all__ = ["command_answer", "foreign_answer", "small_talk_answer"]

_USAGE = (
    "Ask a question in plain words, or use a command: “help”, “list” (the approved tools), "
    "“tool <name>” (one tool), “redlines” (the rules never to cross). In Slack, put "
    "“/aitools” first, e.g. “/aitools list”."
)


def _help(headline: str, body: list[str], topic: str, **parts: object) -> Answer:
    answer = compose.build("help", headline, body=body, **parts)  # type: ignore[arg-type]
    return replace(answer, extra={"topic": topic})


def catalogue_answer(policy: Policy) -> Answer:
    """Every tool of the policy by status: what may be used, what is not allowed."""
    body: list[str] = []
    for status in Status:
        names = [t.name for t in policy.tools if t.status is status]
        if names:
            body.append(f"{compose.STATUS_LABELS[status.value]}: {', '.join(names)}.")
    if not any(t.status in RECOMMENDABLE for t in policy.tools):
        body.insert(0, "No AI tools are approved yet.")
    body.append(
        "Ask me about a job (“what can I use to summarize a PDF?”) or a tool "
        "(“is Claude approved?”) for the details and data limits."
    )
    return _help(f"AI tools at {policy.meta.organization}", body, "catalogue")


def data_levels_answer(policy: Policy) -> Answer:
    if not policy.data_classes:
        body = [
            "Our policy does not sort data into classes, so no tool has a data limit here.",
            f"Before you share anything confidential or personal with an AI tool, ask "
            f"{policy.meta.reach}.",
        ]
        return _help("Data classes", body, "data_levels")
    body = ["From least to most sensitive:"]
    for item in policy.data_classes:
        examples = f" e.g. {', '.join(item.examples[:3])}." if item.examples else ""
        body.append(f"• {item.label}: {compose.first_sentence(item.description)}{examples}")
    body.append(
        "Each tool may take data up to its limit; ask “can I put <data> into <tool>?” to check."
    )
    return _help("Data classes", body, "data_levels")


def red_lines_answer(policy: Policy) -> Answer:
    notes = tuple(RedLineNote(r.id, r.title, r.rule, r.why) for r in policy.red_lines)
    if not notes:
        return _help("Red lines", ["The policy has no red lines."], "red_lines")
    return _help("Red lines: never cross these", [], "red_lines", red_lines=notes)


def small_talk_answer(policy: Policy, hit: SmallTalkHit) -> Answer:
    """The answer for a greeting, a thank-you or a question about the concierge."""
    contact = policy.meta.reach
    org = policy.meta.organization
    kind = hit.answer
    if kind == "catalogue":
        return catalogue_answer(policy)
    if kind == "data_levels":
        return data_levels_answer(policy)
    if kind == "red_lines":
        return red_lines_answer(policy)
    if kind == "thanks":
        return _help(
            "You're welcome!",
            ["Ask me any time which AI tool fits a job, or whether some data may go into one."],
            hit.label,
        )
    if kind == "identity":
        return _help(
            "I'm a bot: the AI tool concierge.",
            [
                f"I answer from {org}'s AI tool policy, written by {contact}; I don't "
                "invent rules and I'm not a general chatbot.",
                "Questions are stored with personal details removed, so IT can see which "
                "jobs people need tools for.",
            ],
            hit.label,
        )
    if kind == "maintainer":
        return _help(
            f"The AI tool policy is maintained by {contact}.",
            [
                "They decide which tools are approved and keep this list current; I always "
                "answer from the latest version.",
            ],
            hit.label,
        )
    if kind == "request_tool":
        return _help(
            "To request a new AI tool, ask " + contact + ".",
            [
                "Say which tool, what job it is for and what data it would need. "
                "Until it is approved, please don't use it with company data.",
                "Tip: ask me about the job first; an approved tool may already do it.",
            ],
            hit.label,
        )
    if kind == "general":
        return _help(
            "That depends on the tool: ask me about one.",
            [
                "For example “how do I get access to <tool>?” or “is <tool> approved?”: I'll "
                "give its status, data limit and how to get it.",
                f"Licences, costs and training: {contact}.",
            ],
            hit.label,
        )
    if kind == "complaint":
        return _help(
            "Sorry, I didn't get that right.",
            [
                "Try asking in one sentence about the job (“summarize a long PDF”) or the tool "
                "(“is Gemini approved?”). Use “Not what I needed” on an answer so IT sees it.",
                f"You can always ask {contact}.",
            ],
            hit.label,
        )
    answer = compose.help_answer(policy)
    return replace(answer, extra={"topic": hit.label})


def foreign_answer(
    policy: Policy, language: Language, understood: Sequence[str] = ("en",),
    red_lines: Sequence[RedLineNote] = (),
) -> Answer:
    """An honest reply, in English, naming the languages the configured model reads, with
    the red lines the message concerns all the same (`advice.foreign_lines`)."""
    names = language_names(understood)
    spoken = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    answer = compose.build(
        "language",
        f"Sorry, I can only understand {spoken} for now (that looked like {language.name}).",
        body=[
            f"Please ask again in {names[0]}, e.g. “What can I use to summarize a PDF?” or "
            "“Is Gemini approved?”.",
            f"For help in {'your language' if language.code == 'und' else language.name}, "
            f"contact {policy.meta.reach}.",
        ],
        red_lines=red_lines,
    )
    return replace(answer, extra={"topic": "language", "language": language.code})


def command_answer(policy: Policy) -> Answer:
    """A mistyped command ("/aitools lst") gets the usage, not an unmet entry."""
    return _help("I didn't recognize that command.", [_USAGE], "command")

