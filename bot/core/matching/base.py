"""The one interface every matching backend implements.

A backend is fitted on the policy's use cases (their name, description and
examples) and ranks them for a message. It is pure and synchronous: no I/O on
the answer path, so it can be table-tested and benchmarked on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = ["Intent", "MatcherBackend", "Scored"]


@dataclass(frozen=True)
class Intent:
    """Something to match against: a use case id and the texts that describe it."""

    id: str
    name: str
    description: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Scored:
    """A ranked intent. `score` is in [0, 1] and comparable to the backend's threshold."""

    id: str
    score: float


@runtime_checkable
class MatcherBackend(Protocol):
    """Ranks intents for a message; `default_threshold` was chosen on validation data."""

    name: str
    default_threshold: float

    def fit(self, intents: Sequence[Intent]) -> None:
        """(Re)build the index; called when the policy version changes."""
        ...

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        """Best `k` intents for `text`, best first; empty when nothing is fitted."""
        ...
