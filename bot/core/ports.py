"""Ports the core and scheduler depend on; platform adapters implement them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from bot.core.insights.digest import Digest
from bot.errors import ConciergeError

__all__ = ["DeliveryError", "Notifier", "References"]


class DeliveryError(ConciergeError):
    """A destination could not take the digest. `permanent` failures are not retried."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Notifier(Protocol):
    """Delivers a digest to one destination of one platform (a channel, user or conversation)."""

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        """Post the digest (and the chart where the platform shows images); raise on failure."""
        ...


class References(Protocol):
    """Where a platform's stored conversation references are read (the store's
    ConversationRefs): Teams posts proactively only where it was installed."""

    async def get(self, platform: str, conversation_id: str) -> Mapping[str, Any] | None: ...
