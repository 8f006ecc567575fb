"""`Once`: a value worked out on its first await, then shared by every later await.

Per-request facts that cost a platform call (who is acting and their admin aliases)
are wrapped before the ack and resolved only when a listener needs them, after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Generator
from typing import Any, Generic, TypeVar

__all__ = ["Once"]

T = TypeVar("T")


class Once(Generic[T]):
    """Awaitable many times, computed once, on the first await (not before it is needed)."""

    def __init__(self, make: Callable[[], Coroutine[Any, Any, T]]) -> None:
        self._make: Callable[[], Coroutine[Any, Any, T]] | None = make
        self._task: asyncio.Future[T] | None = None

    def __await__(self) -> Generator[Any, None, T]:
        if self._task is None:
            assert self._make is not None
            self._task, self._make = asyncio.ensure_future(self._make()), None
        return self._task.__await__()
