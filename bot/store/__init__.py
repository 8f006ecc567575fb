"""Persistence: the versioned policy, logs and shared state, on SQLite or PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.db import make_engine, make_sessionmaker, upgrade
from bot.store.embeddings import EmbeddingCache, StoredEmbeddings
from bot.store.handoffs import HandoffLog
from bot.store.logs import AuditLog, QueryLog, UnmetLog
from bot.store.policy_store import Actor, PolicyStore, Snapshot, VersionInfo
from bot.store.state import AppStateStore, ConversationRefs, EventLedger

__all__ = [
    "Actor",
    "EmbeddingCache",
    "PolicyStore",
    "Snapshot",
    "Store",
    "StoredEmbeddings",
    "VersionInfo",
    "make_engine",
    "upgrade",
]


@dataclass(frozen=True)
class Store:
    """Every repository over one engine; built once per process and passed down."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    policies: PolicyStore
    audit: AuditLog
    queries: QueryLog
    unmet: UnmetLog
    events: EventLedger
    state: AppStateStore
    conversations: ConversationRefs
    embeddings: EmbeddingCache
    handoffs: HandoffLog

    @classmethod
    def open(cls, url: str) -> Store:
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        return cls(
            engine=engine,
            sessions=sessions,
            policies=PolicyStore(sessions),
            audit=AuditLog(sessions),
            queries=QueryLog(sessions),
            unmet=UnmetLog(sessions),
            events=EventLedger(sessions),
            state=AppStateStore(sessions),
            conversations=ConversationRefs(sessions),
            embeddings=EmbeddingCache(sessions),
            handoffs=HandoffLog(sessions),
        )

    async def close(self) -> None:
        await self.engine.dispose()
