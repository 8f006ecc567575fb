"""SQLAlchemy 2 tables. Portable types only: the same schema runs on SQLite and PostgreSQL.

Alembic owns the schema (`migrations/`); these classes describe it for queries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.store.records import utcnow

__all__ = [
    "AppState",
    "AuditEntry",
    "Base",
    "ConversationRef",
    "HandoffEntry",
    "PolicyVersion",
    "PolicyVersionDetail",
    "ProcessedEvent",
    "QueryEntry",
    "UnmetRequest",
    "UnmetVote",
    "utcnow",
]

# BigInteger ids on PostgreSQL, but SQLite only autoincrements INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class PolicyVersion(Base):
    """One immutable snapshot of the whole policy; the newest row is the live policy.

    `parent` is unique, so two editors who both start from version N cannot both
    create N+1: the second insert fails and becomes a clear conflict, not a lost update.
    """

    __tablename__ = "policy_versions"

    version: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    parent: Mapped[int] = mapped_column(BigInteger, unique=True)  # 0 for the first version
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    restored_from: Mapped[int | None] = mapped_column(BigInteger)


class PolicyVersionDetail(Base):
    """What a version changed, in words, and the text of the files it was imported from.

    Kept apart from `policy_versions` so reading the live policy never loads file text.
    `files` is None for versions made by chat edits; an export then starts from the
    nearest earlier version's files.
    """

    __tablename__ = "policy_version_details"

    version: Mapped[int] = mapped_column(
        BigId, ForeignKey("policy_versions.version", ondelete="CASCADE"), primary_key=True
    )
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # SQL NULL (not JSON null) when absent, so "the nearest version with files" is a query.
    files: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class AuditEntry(Base):
    """Who did what to the policy, when and from where, including refused attempts."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str] = mapped_column(String(200), default="")
    allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class QueryEntry(Base):
    """One answered message, redacted; the raw text is never stored."""

    __tablename__ = "query_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    platform: Mapped[str] = mapped_column(String(20))
    asker: Mapped[str] = mapped_column(String(64), index=True)
    department: Mapped[str | None] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    use_case: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    tools: Mapped[list[Any]] = mapped_column(JSON, default=list)
    red_lines: Mapped[list[Any]] = mapped_column(JSON, default=list)
    asked_tool: Mapped[str | None] = mapped_column(String(200))
    asked_tool_status: Mapped[str | None] = mapped_column(String(20))
    policy_version: Mapped[int | None] = mapped_column(BigInteger)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    feedback: Mapped[str | None] = mapped_column(String(20))
    #: The answer's headline as shown ("Use Microsoft 365 Copilot"), for "Ask IT".
    headline: Mapped[str | None] = mapped_column(String(300))


class UnmetRequest(Base):
    """A need no approved tool fits: the raw material of candidate use cases."""

    __tablename__ = "unmet_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    query_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("query_log.id", ondelete="SET NULL")
    )
    platform: Mapped[str] = mapped_column(String(20))
    asker: Mapped[str] = mapped_column(String(64))
    department: Mapped[str | None] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(30), default="no_match")
    closest_use_case: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    candidate_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class UnmetVote(Base):
    """ "I need this too": one vote per asker and request."""

    __tablename__ = "unmet_votes"
    __table_args__ = (UniqueConstraint("unmet_id", "asker", name="uq_unmet_vote"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    unmet_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("unmet_requests.id", ondelete="CASCADE")
    )
    asker: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProcessedEvent(Base):
    """Platform event ids claimed by a replica, shared by every replica (retry dedupe).

    `state` is "answering" while a replica holds the claim until `lease_until`, and
    "done" once the reply was posted: a redelivery after a crash re-answers an
    expired "answering" claim and skips a "done" one.
    """

    __tablename__ = "processed_events"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    state: Mapped[str] = mapped_column(String(12), default="done", server_default="done")
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ConversationRef(Base):
    """Where the bot may post proactively (Teams conversation references, Slack channels)."""

    __tablename__ = "conversation_refs"
    __table_args__ = (UniqueConstraint("platform", "conversation_id", name="uq_conversation"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[str] = mapped_column(String(400))
    kind: Mapped[str] = mapped_column(String(20), default="personal")
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HandoffEntry(Base):
    """One question passed on to IT ("Ask IT"; bot.store.handoffs); `query_id` is unique so
    a second click finds the first."""

    __tablename__ = "handoffs"
    __table_args__ = (
        Index("uq_handoff_query", "query_id", unique=True),
        Index("ix_handoff_thread", "platform", "it_channel", "it_thread"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    platform: Mapped[str] = mapped_column(String(20))
    # No foreign key: retention may delete the query while IT still discusses it.
    query_id: Mapped[int | None] = mapped_column(BigInteger)
    asker_id: Mapped[str] = mapped_column(String(200))
    asker: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    # Where the asker asked (DM / channel + thread), so IT's reply lands there.
    origin_channel: Mapped[str | None] = mapped_column(String(400))
    origin_thread: Mapped[str | None] = mapped_column(String(100))
    # The IT post: Slack channel + message ts; Teams conversation id + activity id.
    it_channel: Mapped[str | None] = mapped_column(String(400))
    it_thread: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="open")


class AppState(Base):
    """Small key/value facts every replica must agree on (e.g. the pseudonym key)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_unmet_open_at", UnmetRequest.status, UnmetRequest.at)
