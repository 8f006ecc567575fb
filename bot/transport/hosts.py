"""Which hosts may be talked to: a link in a message could point anywhere (an internal
service, a host hungry for our token), and an unauthenticated dev server must stay local."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from bot.settings import is_loopback_host  # HOST's own rule (dev mode listens on loopback)

__all__ = ["is_loopback_host", "on_hosts"]


def on_hosts(url: str, hosts: Iterable[str], *, allow_loopback_http: bool = False,
             origin: str | None = None) -> bool:
    """https on one of `hosts` or a subdomain, or the scheme and host of `origin` (a
    configured API base URL); http(s) on loopback only when allowed (the fakes)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if origin is not None and (parts.scheme, parts.netloc) == urlsplit(origin)[:2]:
        return True
    if allow_loopback_http and parts.scheme in ("http", "https") and is_loopback_host(host):
        return True
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)
