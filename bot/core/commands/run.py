"""Run one parsed command as one person and return the reply: the same on every platform.

Employee commands are here; admin commands in `admin_run`. Errors the core raises
on purpose (not allowed, invalid edit, unknown version) become replies in
`Conversation`, through `user_message`, so this module reads as the happy path.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.commands.admin_run import run_admin
from bot.core.commands.ask_it import ask_it_typed
from bot.core.commands.grammar import Command
from bot.core.commands.lookup import find_tool
from bot.core.concierge import Message
from bot.core.reply import Reply
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

__all__ = ["ask", "run"]


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
        return await ask_it_typed(actor, command.text, services, surface)
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
    reply = answer_reply(await services.concierge.answer(message), surface)
    if surface.personal:
        return reply
    # In a channel the answer is read by others: say what was asked (redacted, cleaned).
    shown = await services.concierge.shown(text)
    return replace(reply, footer=" · ".join(filter(None, (f"You asked: {shown}",
                                                           reply.footer))))
