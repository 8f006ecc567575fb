"""The store's plain values, without SQLAlchemy: what the core passes in and gets back.

Kept apart from the repositories so a one-shot `ask` on SQLite (see `bot.store.lite`)
can read the policy and log the question without importing SQLAlchemy, which costs a
cold `ask` about a third of its start-up. Both the SQLAlchemy repositories and the
lite store build their rows from the same `columns()` and `ask_vector_rows`, so the
two write the same values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.policy.models import Policy

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Actor", "MessageVector", "QueryNote", "Snapshot", "StoredEmbeddings", "UnmetNote",
    "ask_vector_rows", "question_key", "utcnow",
]

#: One vector an answer embedded: (model id, text, float32 bytes).
MessageVector = tuple[str, str, bytes]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Actor:
    """Who acts and from where, as recorded in the audit log."""

    id: str
    source: str  # cli, slack, teams, api
    #: Other names the platform knows the person by (email, UPN, AAD id, user groups),
    #: resolved once per request by the adapter; admin rights may be granted to any of them.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    version: int
    policy: Policy
    created_at: datetime


@dataclass(frozen=True)
class StoredEmbeddings:
    """One stored row: which policy version and model, the texts and their vectors."""

    policy_version: int
    model_id: str
    fingerprint: str
    texts: list[str]
    vectors: np.ndarray  # float32, one row per text
    calibration: dict[str, Any] | None


@dataclass(frozen=True)
class QueryNote:
    """One answered question as the core describes it; the store turns it into a row.

    Plain values, so the core never builds ORM rows, and an entry kept in memory while
    the database is away is re-inserted as a fresh row (never one from a failed session).
    """

    platform: str
    asker: str
    question: str
    outcome: str
    department: str | None = None
    use_case: str | None = None
    score: float | None = None
    tools: tuple[str, ...] = ()
    red_lines: tuple[str, ...] = ()
    asked_tool: str | None = None
    asked_tool_status: str | None = None
    policy_version: int | None = None
    latency_ms: float | None = None
    headline: str | None = None
    #: What answering the question embedded (see `ask_vector_rows`).
    vectors: tuple[MessageVector, ...] = ()

    def columns(self) -> dict[str, Any]:
        """The `query_log` row's values (its id and time are the database's and the store's)."""
        return {
            "platform": self.platform, "asker": self.asker, "department": self.department,
            "question": self.question, "outcome": self.outcome, "use_case": self.use_case,
            "score": self.score, "tools": list(self.tools), "red_lines": list(self.red_lines),
            "asked_tool": self.asked_tool, "asked_tool_status": self.asked_tool_status,
            "policy_version": self.policy_version, "latency_ms": self.latency_ms,
            "headline": self.headline[:300] if self.headline else None,
        }


@dataclass(frozen=True)
class UnmetNote:
    """A question no approved tool fits, filed with its query (see QueryLog.log)."""

    platform: str
    asker: str
    question: str
    reason: str = "no_match"
    department: str | None = None
    closest_use_case: str | None = None
    score: float | None = None

    def columns(self) -> dict[str, Any]:
        """The `unmet_requests` row's values, without the query it belongs to."""
        return {
            "platform": self.platform, "asker": self.asker, "department": self.department,
            "question": self.question, "reason": self.reason,
            "closest_use_case": self.closest_use_case, "score": self.score,
        }


def question_key(question: str) -> str:
    """The key of a logged question's vectors: its SHA-256 (a question can be long)."""
    return hashlib.sha256(question.encode("utf-8")).hexdigest()


def ask_vector_rows(
    asked: Iterable[tuple[str, Sequence[MessageVector]]],
) -> list[dict[str, Any]]:
    """The `ask_vectors` rows of what answering each (redacted) question embedded: one per
    question and model, the first of duplicates; a model's vectors of mixed sizes are
    skipped (the row has one `dim`)."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for question, vectors in asked:
        by_model: dict[str, list[tuple[str, bytes]]] = {}
        for model_id, text, vector in vectors:
            by_model.setdefault(model_id, []).append((text, vector))
        key = question_key(question)
        for model_id, pairs in by_model.items():
            if (model_id, key) in rows or len({len(v) for _, v in pairs}) != 1:
                continue
            rows[(model_id, key)] = {
                "model_id": model_id, "question_key": key, "dim": len(pairs[0][1]) // 4,
                "texts": [t for t, _ in pairs], "vectors": b"".join(v for _, v in pairs)}
    return list(rows.values())
