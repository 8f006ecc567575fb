"""Fetch a file someone sent the bot (from a URL `bot.transport.hosts` found safe).

A link could point anywhere (an internal service, a token-hungry host), so redirects
are not followed, and the size is counted per chunk: one read(n) may return fewer
bytes than are there, so a single read would truncate a large file instead of refusing it.
"""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

from bot.core.conversation.files import MAX_FILE_BYTES
from bot.errors import InputError

__all__ = ["TOO_BIG", "download"]

TOO_BIG = "That file is larger than 1 MB; a policy file should be much smaller."


async def download(url: str, *, unreachable: str, headers: Mapping[str, str] | None = None,
                   limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; InputError (`unreachable`, or too big) instead of any HTTP failure."""
    data = bytearray()
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session, \
                session.get(url, headers=dict(headers or {}), allow_redirects=False) as response:
            response.raise_for_status()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > limit:
                    raise InputError(TOO_BIG)
    except (aiohttp.ClientError, TimeoutError):
        raise InputError(unreachable) from None
    return bytes(data)
