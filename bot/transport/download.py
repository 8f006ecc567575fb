"""Fetch a file someone sent the bot, and upload one they accepted (Teams' OneDrive).

A link could point anywhere (an internal service, a token-hungry host), so only the
platform's own hosts are used (`bot.transport.hosts`), redirects are not followed, and
the size is counted per chunk: one read(n) may return fewer bytes than are there, so a
single read would truncate a large file instead of refusing it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import aiohttp

from bot.core.conversation.files import MAX_FILE_BYTES
from bot.errors import InputError
from bot.transport.hosts import on_hosts

__all__ = ["TOO_BIG", "download", "upload"]

_log = logging.getLogger(__name__)
TOO_BIG = "That file is larger than 1 MB; a policy file should be much smaller."


async def download(url: str, *, unreachable: str, hosts: Iterable[str], origin: str | None = None,
                   untrusted: str | None = None, allow_loopback_http: bool = False,
                   headers: Mapping[str, str] | None = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes from one of `hosts` (`on_hosts`); InputError (`untrusted`,
    `unreachable` or too big) instead of fetching elsewhere or any HTTP failure."""
    if not on_hosts(url, hosts, allow_loopback_http=allow_loopback_http, origin=origin):
        raise InputError(untrusted or unreachable)
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


async def upload(url: str, data: bytes, *, headers: Mapping[str, str], failed: str) -> None:
    """PUT `data` to `url` (an upload URL the platform gave; no redirects, 30 s);
    InputError(`failed`) when it does not work."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as s, \
                s.put(url, data=data, headers=dict(headers), allow_redirects=False) as response:
            response.raise_for_status()
    except (aiohttp.ClientError, TimeoutError) as exc:
        _log.warning("file upload failed: %s", type(exc).__name__)
        raise InputError(failed) from None
