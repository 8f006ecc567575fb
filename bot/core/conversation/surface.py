"""Where a conversation happens: the platform and how commands are written there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CLI", "SLACK", "TEAMS", "Surface"]


@dataclass(frozen=True)
class Surface:
    """`prefix` is how a command is written here ("/aitools " in Slack, "" in Teams);
    `personal` is False in a channel or group chat (replies about a person stay private)."""

    platform: Literal["slack", "teams", "cli"]
    prefix: str = ""
    personal: bool = True


SLACK = Surface("slack", "/aitools ")
TEAMS = Surface("teams", "")
CLI = Surface("cli", "")
