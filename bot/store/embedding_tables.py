"""The policy's sentence embeddings and calibration, one row per policy version and model.

Embedding a large policy takes seconds to minutes on a CPU; storing the vectors means a
new process (every `ask`, every replica) only embeds the employee's message.
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

__all__ = ["PolicyEmbedding"]


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
