"""Reading a `Retry-After` header, which Slack and the Bot Connector both send with a 429."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["parse_retry_after", "retry_after_in"]


def retry_after_in(headers: Mapping[str, object] | None) -> float | None:
    """The `Retry-After` of response headers (any case; a value or a list of them)."""
    value = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), None)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return parse_retry_after(value if isinstance(value, str) else None)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait: delta-seconds or an HTTP date (RFC 9110); None when unusable."""
    if value is None or not value.strip():
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)
    return seconds if seconds >= 0 else None
