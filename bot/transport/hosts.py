"""Which hosts may be talked to: a link in a message could point anywhere (an internal
service, a host hungry for our token), and an unauthenticated dev server must stay local."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["is_loopback_host", "on_hosts"]


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost" (what a dev-mode server may bind to)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def on_hosts(url: str, hosts: Iterable[str], *, allow_loopback_http: bool = False) -> bool:
    """https on one of `hosts` or a subdomain; http(s) on loopback only when allowed (fakes)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if allow_loopback_http and parts.scheme in ("http", "https") and is_loopback_host(host):
        return True
    return parts.scheme == "https" and any(host == h or host.endswith("." + h) for h in hosts)
