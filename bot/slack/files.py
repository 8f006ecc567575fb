"""Fetch a file someone shared with the bot in a DM (a policy to import or replay).

The bot token is only ever sent to Slack's own file hosts (or the configured API
host), redirects are not followed, and at most MAX_FILE_BYTES are read: a larger
file is refused, never truncated. What the file means is the core's business.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import InputError

__all__ = ["MAX_FILE_BYTES", "fetch_shared_file"]

MAX_FILE_BYTES = 1024 * 1024
_UNREACHABLE = "I couldn't fetch that file from Slack; please try again."


def _trusted(url: str, api_url: str) -> bool:
    """Only send the bot token to Slack's file hosts (or the configured API host)."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = parts.hostname or ""
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


async def _download(url: str, token: str) -> bytes:
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
        url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False
    ) as response:
        response.raise_for_status()
        data = await response.content.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError("That file is larger than 1 MB; a policy file should be much smaller.")
    return data


async def fetch_shared_file(client: AsyncWebClient, event: dict[str, Any]) -> tuple[str, bytes]:
    """(name, content) of the first file shared with `event`; InputError says what is wrong."""
    files = [f for f in event.get("files") or [] if isinstance(f, dict) and f.get("id")]
    if not files:
        raise InputError(_UNREACHABLE)
    try:
        info = (await client.files_info(file=files[0]["id"])).get("file") or {}
        name = str(info.get("name") or files[0].get("name") or "policy.yaml")
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        if int(info.get("size") or 0) > MAX_FILE_BYTES:
            raise InputError("That file is larger than 1 MB; a policy file should be much "
                             "smaller.")
        if not url or not _trusted(url, str(client.base_url)):
            raise InputError(_UNREACHABLE)
        return name, await _download(url, str(client.token))
    except (SlackApiError, aiohttp.ClientError, TimeoutError):
        raise InputError(_UNREACHABLE) from None
