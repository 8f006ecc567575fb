"""Every Slack listener: translate the request for the conversation core, deliver its Reply.

They never branch on what was asked or clicked (the core decides, `deliver` sends);
errors reach the app's one error handler (`bot.slack.app`).
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.core.conversation import Actor, Surface
from bot.core.conversation.files import file_intent
from bot.core.reply import Reply
from bot.render.blockkit import modal_errors, to_form_view
from bot.render.blockkit_forms import read_modal
from bot.render.clicks import read_button
from bot.slack.context import SlackDeps
from bot.slack.deliver import Target, deliver, publish_home
from bot.slack.desk import SlackDesk
from bot.slack.files import fetch_shared_file
from bot.slack.payloads import unescape

__all__ = ["COMMAND", "as_dict", "is_from_bot", "register", "strip_mention",
           "target_of"]

COMMAND = "/aitools"
ACTION = "concierge"
#: Bolt's async runner polls for the ack every 10 ms, and a listener that fails before a
#: poll has seen it gets its ack overwritten with None (slack_bolt/listener/
#: asyncio_runner.py): Slack then gets a 404 instead of the error handler's apology.
_ACK_SEEN = 0.02


async def ack_first(ack: Any) -> None:
    """Ack, then wait past one of Bolt's polls, so a later failure cannot cost the ack."""
    await ack()
    await asyncio.sleep(_ACK_SEEN)


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


def as_dict(value: Any) -> dict[str, Any]:
    """A payload part that should be an object; {} when it is missing or not one."""
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if value else None


def _file_name(event: dict[str, Any]) -> str:
    files = [f for f in event.get("files") or [] if isinstance(f, dict)]
    return str(files[0].get("name") or "") if files else ""


def target_of(body: dict[str, Any], respond: AsyncRespond | None) -> Target:
    """Who sent this request, from which team, and where replies go (any payload shape)."""
    event = body.get("event")
    if isinstance(event, dict):
        channel = _id(event.get("channel"))
        in_dm = event.get("channel_type") == "im"
        thread = event.get("thread_ts") or (None if in_dm else event.get("ts"))
        # The user's own team first: in a shared channel it may not be the bot's.
        team = event.get("user_team") or event.get("team") or body.get("team_id")
        return Target(user=str(event.get("user") or ""), team=team, channel=channel,
                      thread_ts=thread, in_dm=in_dm, home=event.get("type") == "app_home_opened")
    if "command" in body:
        channel = str(body.get("channel_id") or "")
        return Target(user=str(body.get("user_id") or ""), team=body.get("team_id"),
                      respond=respond, trigger_id=body.get("trigger_id"),
                      in_dm=channel.startswith("D"))
    container, view = as_dict(body.get("container")), as_dict(body.get("view"))
    channel = container.get("channel_id") or _id(body.get("channel"))
    user = as_dict(body.get("user"))
    return Target(user=str(user.get("id") or ""), team=_id(body.get("team")) or user.get("team_id"),
                  channel=channel, respond=respond if body.get("response_url") else None,
                  trigger_id=body.get("trigger_id"), message_ts=container.get("message_ts"),
                  view_id=view.get("id") if view.get("type") == "modal" else None,
                  home=view.get("type") == "home", in_dm=str(channel or "D").startswith("D"))


async def actor_of(context: AsyncBoltContext) -> Actor:
    return await context["actor"]


def _surface(to: Target) -> Surface:
    return Surface(platform="slack", prefix=f"{COMMAND} ", personal=to.in_dm)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    conversation, services = deps.runtime.conversation, deps.runtime.services
    client, it_channel = deps.client, deps.runtime.settings.it_channel
    desk = SlackDesk(client, it_channel, services.handoffs) if it_channel else None
    if desk is not None:  # "Ask IT" posts there; without it, people are told how to reach IT
        services.desks["slack"] = desk

    async def answer(reply: Reply, to: Target, actor: Actor, typed: str) -> None:
        """Deliver the reply to `typed`, then tell the person about requests now covered."""
        await deliver(client, reply, to, typed=typed, spawn=deps.inflight.start)
        for notice in await conversation.notices(actor):
            await deliver(client, notice, to, notice=True)

    @app.command(COMMAND)
    async def slash_command(ack: Any, command: dict[str, Any], context: AsyncBoltContext) -> None:
        await ack_first(ack)
        deps.inflight.hold()
        # Claimed by its trigger id (one per invocation): a command handed over again after
        # a crash (bot.transport.spool) is answered at most once.
        async with deps.once_trigger(command.get("trigger_id")) as first:
            if not first:
                return
            actor, to = await actor_of(context), context["target"]
            text = unescape(command.get("text") or "")
            await answer(await conversation.on_text(actor, text, _surface(to)), to, actor, text)

    @app.event("message")
    async def message(event: dict[str, Any], body: dict[str, Any],
                      context: AsyncBoltContext) -> None:
        deps.inflight.hold()
        if is_from_bot(event, context.bot_user_id):
            return
        if desk is not None and desk.is_reply(event):  # IT answering an "Ask IT" post
            async with deps.once(body) as first:
                if first:
                    await desk.relay(event)
            return
        if event.get("channel_type") != "im":
            return
        subtype = event.get("subtype")
        if subtype is not None and subtype != "file_share":
            return  # edits, deletions, joins: nothing to answer
        async with deps.inflight.slot(), deps.once(body) as first:  # slot: bounded, or busy
            if not first:
                return
            actor, to = await actor_of(context), context["target"]
            text = unescape(event.get("text") or "")
            if subtype != "file_share":
                await answer(await conversation.on_text(actor, text, _surface(to)), to, actor, text)
                return
            intent, args = file_intent(text)
            # Only a file sent to import or replay is downloaded; the core answers the rest.
            name, content = await fetch_shared_file(client, event) if intent \
                else (_file_name(event), b"")
            reply = await conversation.on_file(actor, intent, name, content, args, _surface(to))
            await deliver(client, reply, to, spawn=deps.inflight.start)

    @app.event("app_mention")
    async def mention(event: dict[str, Any], body: dict[str, Any],
                      context: AsyncBoltContext) -> None:
        deps.inflight.hold()
        if event.get("channel_type") == "im" or is_from_bot(event, context.bot_user_id):
            return
        text = unescape(strip_mention(event.get("text") or "", context.bot_user_id))
        async with deps.inflight.slot(), deps.once(body) as first:
            if not first:
                return
            actor, to = await actor_of(context), context["target"]
            await answer(await conversation.on_text(actor, text, _surface(to)), to, actor, text)

    @app.action(re.compile(rf"^{ACTION}"))
    async def clicked(ack: Any, action: dict[str, Any], body: dict[str, Any],
                      context: AsyncBoltContext) -> None:
        """Every button: a command run as the clicker, or a core callback with its value
        (inside a form, e.g. "Check impact", with what is typed so far)."""
        await ack_first(ack)
        deps.inflight.hold()
        view = as_dict(body.get("view"))
        form = read_modal(view) if view.get("type") == "modal" else None  # with what is typed
        request = read_button(action.get("value"),
                              {"form": form[0], **form[1], **form[2]} if form else None)
        if request is None:  # a link button (or one from an old release)
            return
        # Claimed by its trigger id, as a slash command: a click handed over again after a
        # crash (bot.transport.spool) must not approve, file or post a second time.
        async with deps.once_trigger(body.get("trigger_id")) as first:
            if not first:
                return
            actor, to = await actor_of(context), context["target"]
            reply = await conversation.on_request(actor, request, _surface(to))
            await deliver(client, reply, to, spawn=deps.inflight.start)

    @app.view(re.compile(r".+"))
    async def submitted(ack: Any, view: dict[str, Any], context: AsyncBoltContext) -> None:
        """A form: invalid input stays in the modal with inline errors; else it closes."""
        deps.inflight.hold()
        actor, to = await actor_of(context), context["target"]
        form_id, state, values = read_modal(view)
        reply = await conversation.on_submit(actor, form_id, state, values, _surface(to))
        if reply.form is not None and reply.form.errors:
            await ack(**modal_errors(reply.form))
        elif reply.form is not None:  # a next step
            await ack(response_action="update", view=to_form_view(reply))
        else:
            await ack_first(ack)
            await deliver(client, reply, to, spawn=deps.inflight.start)

    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any], body: dict[str, Any],
                          context: AsyncBoltContext) -> None:
        deps.inflight.hold()
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        async with deps.once(body) as first:
            if first:
                actor, to = await actor_of(context), context["target"]
                await publish_home(client, to.user, await conversation.home(actor, _surface(to)))
