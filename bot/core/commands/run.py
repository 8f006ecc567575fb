"""Run one parsed command as one person and return the reply: the same on every platform.

Employee commands are here; admin commands in `admin_run`. Errors the core raises
on purpose (not allowed, invalid edit, unknown version) become replies in
`Conversation`, through `user_message`, so this module reads as the happy path.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.commands.admin_run import run_admin
from bot.core.commands.grammar import Command
from bot.core.commands.lookup import find_tool
from bot.core.concierge import Message
from bot.core.reply import Reply, Section
from bot.core.services import Services
from bot.core.views.admin import usage_reply
from bot.core.views.answer import answer_reply
from bot.core.views.catalogue import catalogue_reply
from bot.core.views.help import help_reply
from bot.core.views.redlines import red_lines_reply
from bot.core.views.tool import tool_reply
from bot.store import Actor

if TYPE_CHECKING:
    from bot.core.conversation.surface import Surface

__all__ = ["ask", "hand_off", "run"]


async def run(command: Command, actor: Actor, services: Services, surface: Surface) -> Reply:
    """The reply to `command` typed (or clicked) by `actor` on `surface`."""
    verb = command.verb
    if verb == "ask":
        return await ask(command.text, actor, services, surface)
    if verb == "share":
        return replace(await ask(command.text, actor, services, surface), private=False)
    if verb == "usage":
        return usage_reply(command.topic, surface.prefix)
    if verb == "ask_it":
        return await hand_off(actor, command.text, "", services)
    if verb in {"help", "list", "redlines", "tool"}:
        policy = (await services.concierge.index()).policy
        if verb == "help":
            return help_reply(policy, surface)
        if verb == "list":
            return catalogue_reply(policy, surface)
        if verb == "redlines":
            return red_lines_reply(policy, surface)
        found = find_tool(policy, command.target)
        tool = policy.tool(found.id) if found else None
        if tool is not None:
            return tool_reply(policy, tool, surface)
        # Not in the policy: the answer path says so, and logs the tool as asked about.
        return await ask(f"Is {command.target} approved?", actor, services, surface)
    return await run_admin(command, actor, services, surface)


async def ask(text: str, actor: Actor, services: Services, surface: Surface) -> Reply:
    """A question through the one answer path (redacted, logged, unmet filed)."""
    message = Message(text=text, asker=actor.id, platform=surface.platform)
    return answer_reply(await services.concierge.answer(message), surface)


async def hand_off(actor: Actor, question: str, answer: str, services: Services) -> Reply:
    """"Ask IT": pass the (redacted) question on, or say how to reach IT when we cannot."""
    policy = (await services.concierge.index()).policy
    contact = policy.meta.contact
    if not question.strip():
        text = "Which question should I pass on? Use the Ask IT button under an answer, " \
               "or write “ask it” followed by your question."
        return Reply(title="Ask IT", text=text, sections=(Section(text=text),), kind="ask_it")
    shown = await services.concierge.shown(question)
    if services.handoff is None:
        reach = f"You can reach them at {contact}." if contact else \
            "Please contact your IT service desk."
        text = f"I can't pass questions to IT from here yet. {reach}"
        return Reply(title="Ask IT", text=text, sections=(Section(text=text),), kind="ask_it")
    link = await services.handoff.ask_it(actor, shown, answer)
    text = f"I've passed your question to IT: “{shown}”. They'll reply here."
    return Reply(title="Passed on to IT", text=text, sections=(Section(text=text),),
                 footer=link or "", tone="good", kind="ask_it", replace=False)
