"""Platform look-ups (user groups, emails, roster entries) kept a short while.

Admin checks need them on every request, but the platform limits how often it may be
asked, and a look-up that fails must not lock an admin out at once: the last value
known is used instead (else the default), and tried again after `ttl` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["TTLCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    """At most `max_size` values, each `ttl` seconds (cleared whole when full)."""

    def __init__(self, ttl: float, *, max_size: int = 5000) -> None:
        self.ttl, self.max_size = ttl, max_size
        self._items: dict[K, tuple[float, V]] = {}

    async def get(self, key: K, load: Callable[[], Awaitable[V]], *, default: V,
                  errors: tuple[type[BaseException], ...],
                  on_error: Callable[[BaseException], None],
                  keep_failures: bool = True) -> V:
        """The value while fresh, else `load()`'s. When it raises one of `errors`,
        `on_error` is told and the last value known (else `default`) is returned, kept
        for another `ttl` unless `keep_failures` is False (then asked again next time)."""
        now = time.monotonic()
        cached = self._items.get(key)
        if cached is not None and now - cached[0] <= self.ttl:
            return cached[1]
        try:
            value = await load()
        except errors as exc:
            on_error(exc)
            value = cached[1] if cached is not None else default
            if not keep_failures:
                return value
        if len(self._items) >= self.max_size:
            self._items.clear()
        self._items[key] = (now, value)
        return value
