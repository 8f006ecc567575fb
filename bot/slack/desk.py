"""Ask IT over Slack: post handoffs to IT_CHANNEL, relay IT's thread replies to the asker.

The wording is the core's (`handoff_views`); this knows only Slack: the asker's name
(users.info, never stored), the post's `ts` (the thread) and the asker's DM.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.commands.ask_it import relay
from bot.core.handoff_views import it_post
from bot.core.handoffs import Handoff, Handoffs, ThreadRef
from bot.core.reply import Reply
from bot.render.blockkit import to_blocks
from bot.slack.payloads import unescape

__all__ = ["SlackDesk"]

class SlackDesk:
    """`Services.desks["slack"]`: the IT channel, and the relay of replies posted there."""

    def __init__(self, client: AsyncWebClient, channel: str, handoffs: Handoffs) -> None:
        self.client, self.channel, self.handoffs = client, channel, handoffs

    async def _name(self, user: str) -> str | None:
        """The person's display name, so IT knows whom it helps (users:read)."""
        try:
            found = (await self.client.users_info(user=user)).get("user") or {}
        except SlackApiError:
            return None
        profile = found.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or found.get("real_name")
        return str(name) if name else None

    async def post(self, handoff: Handoff) -> ThreadRef:
        blocks, text = to_blocks(it_post(handoff, asker_name=await self._name(handoff.asker_id)))
        posted = await self.client.chat_postMessage(channel=self.channel, blocks=blocks,
                                                    text=text, unfurl_links=False)
        return ThreadRef(str(posted.get("channel") or self.channel), str(posted["ts"]))

    def is_reply(self, event: dict[str, Any]) -> bool:
        """A person's message in a thread of the IT channel (the root post is not one)."""
        thread = event.get("thread_ts")
        return (event.get("channel") == self.channel and bool(thread)
                and thread != event.get("ts") and event.get("subtype") is None)

    async def relay(self, event: dict[str, Any]) -> None:
        """Bring IT's reply to the asker (their DM) of the handoff whose post started this
        thread (`bot.core.commands.ask_it.relay`; another thread IT started is left alone)."""
        async def to_asker(handoff: Handoff, reply: Reply) -> bool:
            blocks, text = to_blocks(reply)
            await self.client.chat_postMessage(channel=handoff.asker_id, blocks=blocks,
                                               text=text, unfurl_links=False)
            return True

        await relay(self.handoffs, "slack", ThreadRef(self.channel, str(event["thread_ts"])),
                    unescape(str(event.get("text") or "")), to_asker,
                    responder=lambda: self._name(str(event.get("user") or "")))
