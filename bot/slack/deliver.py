"""Send a rendered `Reply` where the request came from; the only place that posts to Slack.

How a reply travels depends on how the person asked, never on what it says: a
command or click through its `response_url` (a click's `replace` swaps the clicked
message, so old buttons go), an event with `chat.postMessage`, a form as a modal, a
file to the person's DM, and a `follow`ing reply posted once, then updated in place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.conversation.followups import show_follow
from bot.core.reply import Action, Reply
from bot.core.views.admin import form_opener
from bot.render.blockkit import to_blocks, to_form_view, to_home

__all__ = ["Target", "deliver", "dm_channel", "publish_home"]

@dataclass(frozen=True)
class Target:
    """Where the request came from, so the reply goes back the same way."""

    user: str
    team: str | None = None  # the user's team (another workspace's users are not admins)
    channel: str | None = None  # chat.postMessage target (a DM, or the mention's channel)
    thread_ts: str | None = None
    respond: AsyncRespond | None = None  # slash commands and clicks on messages
    trigger_id: str | None = None  # lets a form open as a modal
    message_ts: str | None = None  # the clicked message, for chat.update
    view_id: str | None = None  # the open modal a click came from (views.update)
    home: bool = False  # the click came from the App Home tab
    in_dm: bool = True  # notices in a channel are ephemeral


async def dm_channel(client: AsyncWebClient, user: str) -> str:
    """The bot's direct-message channel with `user` (conversations.open)."""
    opened = await client.conversations_open(users=user)
    return str((opened.get("channel") or {}).get("id") or user)


async def _upload(client: AsyncWebClient, reply: Reply, user: str) -> None:
    """An attachment (the exported policy) goes to the person's DM, never to a channel."""
    attachment = reply.attachment
    assert attachment is not None
    await client.files_upload_v2(
        channel=await dm_channel(client, user), content=attachment.content,
        filename=attachment.filename, title=attachment.title or attachment.filename,
        request_file_info=False)


async def publish_home(client: AsyncWebClient, user: str, reply: Reply) -> None:
    await client.views_publish(user_id=user, view=to_home(reply))


async def deliver(client: AsyncWebClient, reply: Reply, to: Target, *, notice: bool = False,
                  typed: str | None = None,
                  spawn: Callable[[Callable[[], Awaitable[None]]], object] | None = None) -> None:
    """Send `reply` back the way the request came (`notice`: only the person sees it).

    A form asked for in a message (modals open only from a command or click) comes as a
    button that runs `typed` again. A `follow`ing job is watched by `spawn` (a held
    task), so the request's event claim is finished while the job still runs.
    """
    if reply.form is not None and not to.trigger_id and typed:
        reply = form_opener(reply, Action("", command=typed))
    if reply.form is not None and to.view_id and reply.replace:  # e.g. "Check impact"
        await client.views_update(view_id=to.view_id, view=to_form_view(reply))
        return
    if reply.form is not None and to.trigger_id:
        await client.views_open(trigger_id=to.trigger_id, view=to_form_view(reply))
        return
    if reply.attachment is not None:
        await _upload(client, reply, to.user)
    if to.home and reply.replace:
        await publish_home(client, to.user, reply)
        return
    blocks, text = to_blocks(reply)
    if to.respond is not None:
        swap = reply.replace and to.message_ts is not None
        await to.respond(text=text, blocks=blocks, replace_original=swap,
                         response_type=None if swap else (
                             "ephemeral" if reply.private or notice else "in_channel"))
        respond = to.respond
        if reply.follow is not None:
            await _start(spawn, lambda: show_follow(reply, lambda later: respond(
                **_message(later), replace_original=True), courtesy=(SlackApiError,)))
        return
    if reply.replace and to.channel and to.message_ts:
        await client.chat_update(channel=to.channel, ts=to.message_ts, text=text, blocks=blocks)
        return
    channel = to.channel or to.user  # a user id posts to the person's DM with the app
    if notice and not to.in_dm:  # about their own request: only they see it in a channel
        await client.chat_postEphemeral(channel=channel, user=to.user, thread_ts=to.thread_ts,
                                        text=text, blocks=blocks)
        return
    posted = await client.chat_postMessage(channel=channel, thread_ts=to.thread_ts, text=text,
                                           blocks=blocks, unfurl_links=False,
                                           unfurl_media=False)
    if reply.follow is not None:
        ts, where = str(posted.get("ts")), str(posted.get("channel") or channel)
        await _start(spawn, lambda: show_follow(reply, lambda later: client.chat_update(
            channel=where, ts=ts, **_message(later)), courtesy=(SlackApiError,)))


async def _start(spawn: Callable[[Callable[[], Awaitable[None]]], object] | None,
                 work: Callable[[], Awaitable[None]]) -> None:
    if spawn is None:
        await work()
    else:
        spawn(work)


def _message(reply: Reply) -> dict[str, Any]:
    blocks, text = to_blocks(reply)
    return {"blocks": blocks, "text": text}
