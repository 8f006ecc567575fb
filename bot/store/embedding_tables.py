"""Stored sentence embeddings: the policy's (with its calibration) and the logged asks'.

Embedding a large policy takes seconds to minutes on a CPU; storing the vectors means a
new process (every `ask`, every replica) only embeds the employee's message. The answer
to a message embeds it anyway; storing those vectors with the log means a what-if
replay of 100,000 asks runs no model at all for them (it was most of its time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.tables import Base, BigId, utcnow

__all__ = ["AskVectors", "PolicyEmbedding"]


class PolicyEmbedding(Base):
    """Vectors of every text a matcher embedded for one policy version (float32 rows)."""

    __tablename__ = "policy_embeddings"
    __table_args__ = (
        UniqueConstraint("policy_version", "model_id", name="uq_policy_embedding"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    policy_version: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("policy_versions.version", ondelete="CASCADE"), index=True
    )
    model_id: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    dim: Mapped[int] = mapped_column(Integer)
    texts: Mapped[list[Any]] = mapped_column(JSON)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
    calibration: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class AskVectors(Base):
    """The vectors the answer to a logged (redacted) question embedded, by model: the job
    text and any text small talk read by meaning, one float32 row each.

    One row per distinct question (`question_key`, its SHA-256), first stored when it was
    first asked; retention deletes rows older than the logs it keeps. A cache: a missing
    row only means the replay embeds that question itself.
    """

    __tablename__ = "ask_vectors"
    __table_args__ = (UniqueConstraint("model_id", "question_key", name="uq_ask_vectors"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    model_id: Mapped[str] = mapped_column(String(200))
    question_key: Mapped[str] = mapped_column(String(64))
    dim: Mapped[int] = mapped_column(Integer)
    texts: Mapped[list[Any]] = mapped_column(JSON)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
