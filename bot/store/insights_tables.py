"""Tables for leadership insights: candidate use cases, digest periods and deliveries.

Kept apart from `tables.py` (the core schema) but on the same `Base`, so Alembic and
queries see one metadata. Portable types only (SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.tables import Base, BigId, utcnow

__all__ = ["Candidate", "DigestDelivery", "DigestPeriod", "InsightWeek", "UnmetEmbedding"]


class Candidate(Base):
    """A cluster of similar unmet requests: a use case people need but the policy lacks.

    `profile` is the summed term profile of every member ever assigned (stemmed terms
    only, no question text), so the candidate keeps its identity after retention deletes
    the requests themselves. `label_fixed` stops the label from changing once settled.
    """

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    label: Mapped[str] = mapped_column(String(200))
    label_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    terms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    members: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    merged_into: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL")
    )
    covered_by: Mapped[str | None] = mapped_column(String(200))
    # Sum of the members' sentence embeddings (float32 bytes) and the model that made them.
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary)
    centroid_model: Mapped[str | None] = mapped_column(String(100))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnmetEmbedding(Base):
    """One unmet request's sentence embedding (float32 bytes), computed once per model."""

    __tablename__ = "unmet_embeddings"

    unmet_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("unmet_requests.id", ondelete="CASCADE"), primary_key=True
    )
    model_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class DigestPeriod(Base):
    """One claimed digest period (e.g. "2026-W48"); the primary key is the claim.

    The figures are frozen here when the period is claimed, so every destination (and
    every retry, on any replica) receives the same numbers.
    """

    __tablename__ = "digest_periods"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    claimed_by: Mapped[str] = mapped_column(String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class DigestDelivery(Base):
    """One destination's delivery of one period: claimed, sent, failed (retry) or gave up."""

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("period", "destination", name="uq_digest_delivery"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(
        ForeignKey("digest_periods.period", ondelete="CASCADE"), index=True
    )
    destination: Mapped[str] = mapped_column(String(450))
    status: Mapped[str] = mapped_column(String(20), default="sending")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    owner: Mapped[str] = mapped_column(String(100))
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InsightWeek(Base):
    """Weekly totals kept when retention deletes the logs they were computed from."""

    __tablename__ = "insight_weeks"

    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    questions: Mapped[int] = mapped_column(Integer, default=0)
    askers: Mapped[int] = mapped_column(Integer, default=0)
    unmet: Mapped[int] = mapped_column(Integer, default=0)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    not_helpful: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
