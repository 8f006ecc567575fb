"""The one interface every matching backend implements.

A backend is fitted on the policy's use cases (their name, description and
examples) and ranks them for a message. It is pure and synchronous: no I/O on
the answer path, so it can be table-tested and benchmarked on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

__all__ = ["Intent", "MatcherBackend", "SavedVectors", "Scored", "saved_of", "stored_model_id"]


@dataclass(frozen=True)
class Intent:
    """Something to match against: a use case id and the texts that describe it.

    `negatives` are requests that must not land here (the use case's counter-examples,
    and what its tools are not good for); backends that can use them push such
    messages away, the others ignore them.
    """

    id: str
    name: str
    description: str
    examples: tuple[str, ...]
    negatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scored:
    """A ranked intent. `score` is in [0, 1] and comparable to the backend's threshold.

    `fits`: the backend's own decision whether this (best) intent is the job, when it
    makes one (`fit_decision.py`); None: the score against the threshold decides."""

    id: str
    score: float
    fits: bool | None = None


@runtime_checkable
class MatcherBackend(Protocol):
    """Ranks intents for a message; `default_threshold` was chosen on validation data."""

    @property
    def name(self) -> str: ...

    @property
    def default_threshold(self) -> float: ...

    def fit(self, intents: Sequence[Intent]) -> None:
        """(Re)build the index; called when the policy version changes."""
        ...

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        """Best `k` intents for `text`, best first; empty when nothing is fitted."""
        ...


@dataclass(frozen=True)
class SavedVectors:
    """What an embedding backend keeps per policy version in the store, so a new process
    neither re-embeds the policy nor re-calibrates it.

    `vectors` maps each embedded text to its row (float32); `fingerprint` names the exact
    texts and scoring the `calibration` was computed for (reused only when it matches).
    """

    model_id: str
    fingerprint: str
    vectors: dict[str, Any]
    calibration: dict[str, Any] | None = None

    @classmethod
    def of_row(cls, stored: Any) -> SavedVectors:
        """From the store's row (`StoredEmbeddings`: texts and a matrix of their vectors)."""
        return cls(stored.model_id, stored.fingerprint,
                   dict(zip(stored.texts, stored.vectors, strict=True)), stored.calibration)


def stored_model_id(matcher: object) -> str | None:
    """The model a matcher embeds with, when it keeps vectors to store (`saved`)."""
    model_id = getattr(matcher, "model_id", None) if hasattr(matcher, "saved") else None
    return model_id if isinstance(model_id, str) and model_id else None


def saved_of(matcher: object) -> SavedVectors | None:
    """The vectors and calibration a fitted matcher was fitted with, if it embeds."""
    saved = getattr(matcher, "saved", None)
    return saved() if callable(saved) else None
