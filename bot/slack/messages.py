"""Direct messages and @mentions: answered in the DM, mentions in their thread.

Messages from bots (this one included) are ignored, so two bots can never talk
each other into a loop. Failures of the core become a polite reply, never silence.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.concierge import Message
from bot.render.blockkit import escape, to_blocks
from bot.slack.context import SlackDeps, polite_error
from bot.slack.notices import tell_covered
from bot.slack.payloads import unescape

__all__ = ["answer_blocks", "is_from_bot", "register", "strip_mention"]

_log = logging.getLogger(__name__)
Blocks = list[dict[str, Any]]


def is_from_bot(event: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        event.get("bot_id")
        or event.get("subtype") == "bot_message"
        or event.get("bot_profile")
        or (bot_user_id and event.get("user") == bot_user_id)
    )


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove the bot's own `<@U…>` (with an optional `|name`) from a mention's text."""
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return text.strip()


async def answer_blocks(
    deps: SlackDeps, user: str, text: str, *, echo: bool = False
) -> tuple[Blocks, str]:
    """Ask the concierge; every failure is phrased for the user."""
    try:
        answer = await deps.concierge.answer(Message(text=text, asker=user, platform="slack"))
    except Exception as exc:  # InputError, StoreUnavailable, or a bug: never a 500
        if polite_error(exc).startswith("Sorry, something went wrong"):
            _log.exception("answering failed")
        message = escape(polite_error(exc))
        return [{"type": "section", "text": {"type": "mrkdwn", "text": message}}], message
    shown = None
    if echo:  # never the raw text: redacted, without control or bidi characters
        try:
            shown = await deps.concierge.shown(text)
        except Exception:
            shown = None
    return to_blocks(answer, question=shown)


async def _reply(
    deps: SlackDeps, client: AsyncWebClient, event: dict[str, Any], text: str,
    thread_ts: str | None, *, echo: bool = False,
) -> None:
    user = event.get("user", "")
    # The answer pool bounds the work and says "busy" beyond its queue (bot.core.answer_pool).
    blocks, fallback = await answer_blocks(deps, user, text, echo=echo)
    await client.chat_postMessage(
        channel=event["channel"], thread_ts=thread_ts, blocks=blocks, text=fallback,
        unfurl_links=False, unfurl_media=False,
    )

    async def tell(notice: str) -> None:
        if event.get("channel_type") == "im":
            await client.chat_postMessage(channel=event["channel"], thread_ts=thread_ts,
                                          text=notice, unfurl_links=False)
        else:  # in a channel only the asker sees it: it is about their own request
            await client.chat_postEphemeral(channel=event["channel"], user=user,
                                            thread_ts=thread_ts, text=notice)

    await tell_covered(deps, user, tell)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    from bot.slack.imports import import_shared_file
    from bot.slack.whatif import start_upload, wants_whatif

    @app.event("message")
    async def on_message(event: dict[str, Any], body: dict[str, Any],
                         context: AsyncBoltContext, client: AsyncWebClient) -> None:
        deps.hold()
        if event.get("channel_type") != "im" or is_from_bot(event, context.bot_user_id):
            return
        subtype = event.get("subtype")
        if subtype is not None and subtype != "file_share":
            return  # edits, deletions, joins: nothing to answer
        follow_up = None
        async with deps.once(body) as first:
            if not first:
                return
            if subtype == "file_share" and wants_whatif(event):
                follow_up = await start_upload(deps, client, event, context)
            elif subtype == "file_share":
                await import_shared_file(deps, client, event, context)
            else:
                await _reply(deps, client, event, unescape(event.get("text") or ""),
                             event.get("thread_ts"))
        if follow_up is not None:  # a replay runs long: watch it after the event is done
            await follow_up()

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], body: dict[str, Any],
                         context: AsyncBoltContext, client: AsyncWebClient) -> None:
        deps.hold()
        if event.get("channel_type") == "im" or is_from_bot(event, context.bot_user_id):
            return
        text = unescape(strip_mention(event.get("text") or "", context.bot_user_id))
        async with deps.once(body) as first:
            if not first:
                return
            # Echo the question (redacted, escaped) in channels: the thread sees what was asked.
            await _reply(deps, client, event, text, event.get("thread_ts") or event.get("ts"),
                         echo=True)
