"""`/aitools`: ask, list, tool, redlines, help for everyone; `admin …` for IT.

Answers are ephemeral (only the asker sees them) unless the user writes
`/aitools share …`. The command is acked at once; the answer follows through
the command's `response_url`.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.compose import help_answer
from bot.policy.models import Policy
from bot.render.blockkit import catalogue_blocks, escape, red_lines_blocks, to_blocks
from bot.slack.context import SlackDeps, polite_error
from bot.slack.messages import answer_blocks
from bot.slack.notices import tell_covered
from bot.slack.payloads import unescape

__all__ = ["COMMAND", "register", "split_word"]

_log = logging.getLogger(__name__)
COMMAND = "/aitools"
Blocks = list[dict[str, Any]]
USAGE = (
    "*Ask me about AI tools*\n"
    "• `/aitools <question>`: e.g. `/aitools what can I use to summarize a PDF?`\n"
    "• `/aitools list`: the approved tools, grouped by job\n"
    "• `/aitools tool <name>`: what the policy says about one tool\n"
    "• `/aitools redlines`: the rules that are never crossed, and why\n"
    "• `/aitools share <question>`: answer visible to the whole channel\n"
    "Answers are only visible to you unless you add `share`."
)


def split_word(text: str) -> tuple[str, str]:
    """The first word (lower-cased) and the rest."""
    parts = text.strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0].lower(), (parts[1] if len(parts) > 1 else "")


def _find_tool(policy: Policy, name: str) -> str | None:
    wanted = name.strip().casefold()
    for tool in policy.tools:
        if wanted in {tool.id, tool.name.casefold(), *(a.casefold() for a in tool.aliases)}:
            return tool.name
    return None


async def employee_reply(deps: SlackDeps, user: str, text: str) -> tuple[Blocks, str]:
    """Blocks and fallback for every non-admin subcommand."""
    word, rest = split_word(text)
    if word in {"list", "redlines", "red-lines", "help", ""}:
        try:
            policy = (await deps.concierge.index()).policy
        except Exception as exc:
            message = escape(polite_error(exc))
            return [{"type": "section", "text": {"type": "mrkdwn", "text": message}}], message
        if word == "list":
            return catalogue_blocks(policy), f"AI tools approved at {policy.meta.organization}"
        if word in {"redlines", "red-lines"}:
            return red_lines_blocks(policy), "Red lines: never cross these"
        blocks, fallback = to_blocks(help_answer(policy))
        return [*blocks, {"type": "section", "text": {"type": "mrkdwn", "text": USAGE}}], fallback
    if word == "tool":
        if not rest.strip():
            return ([{"type": "section", "text": {"type": "mrkdwn",
                      "text": "Which tool? e.g. `/aitools tool ChatGPT`"}}],
                    "Which tool? e.g. /aitools tool ChatGPT")
        try:
            known = _find_tool((await deps.concierge.index()).policy, rest)
        except Exception:
            known = None
        return await answer_blocks(deps, user, f"Is {known or rest.strip()} approved?", echo=True)
    return await answer_blocks(deps, user, text, echo=True)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    from bot.slack.admin import handle_admin

    @app.command(COMMAND)
    async def aitools(ack: Any, command: dict[str, Any], respond: AsyncRespond,
                      client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        deps.hold()
        text = unescape(command.get("text") or "")
        word, rest = split_word(text)
        if word == "admin":
            await handle_admin(deps, command, rest, respond, client, context)
            return
        share = word == "share"
        if share:
            text = rest
        user = command.get("user_id", "")
        blocks, fallback = await employee_reply(deps, user, text)
        await respond(text=fallback, blocks=blocks, replace_original=False,
                      response_type="in_channel" if share else "ephemeral")

        async def tell(notice: str) -> None:  # only the asker sees it, even after `share`
            await respond(text=notice, response_type="ephemeral", replace_original=False)

        await tell_covered(deps, user, tell)
