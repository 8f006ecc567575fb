"""Fetch a file someone shared with the bot in a DM (a policy to import or replay).

The bot token goes only to Slack's own file hosts (or the configured API host);
`bot.transport.download` follows no redirects and refuses, never truncates, a file
over the limit. What the file means is the core's business.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.conversation.files import MAX_FILE_BYTES
from bot.errors import InputError
from bot.transport.download import TOO_BIG, download

__all__ = ["fetch_shared_file"]

_UNREACHABLE = "I couldn't fetch that file from Slack; please try again."


async def fetch_shared_file(client: AsyncWebClient, event: dict[str, Any]) -> tuple[str, bytes]:
    """(name, content) of the first file shared with `event`; InputError says what is wrong."""
    files = [f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]
    if not files:
        raise InputError(_UNREACHABLE)
    try:
        info = (await client.files_info(file=files[0]["id"])).get("file") or {}
    except (SlackApiError, aiohttp.ClientError, TimeoutError):
        raise InputError(_UNREACHABLE) from None
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if int(info.get("size") or 0) > MAX_FILE_BYTES:
        raise InputError(TOO_BIG)
    # The token goes to Slack's file hosts only (or the configured API host: the fakes).
    return str(info.get("name") or files[0].get("name") or "policy.yaml"), await download(
        url, hosts=("slack.com",), origin=str(client.base_url), unreachable=_UNREACHABLE,
        headers={"Authorization": f"Bearer {client.token}"})
