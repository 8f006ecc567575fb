"""The store: every repository over one SQLAlchemy engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.db import DB_ERRORS, make_engine, make_sessionmaker
from bot.store.embeddings import EmbeddingCache
from bot.store.handoffs import HandoffLog
from bot.store.logs import AuditLog, QueryLog, UnmetLog
from bot.store.policy_store import PolicyStore
from bot.store.state import AppStateStore, ConversationRefs, EventLedger

__all__ = ["Store"]


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

    @property
    def errors(self) -> tuple[type[Exception], ...]:
        """What "the database is away" raises (see `db.DB_ERRORS`)."""
        return DB_ERRORS

    def full(self) -> Store:
        """This store (the lite store's `full()` opens one; callers take either)."""
        return self

    async def store_unmet_vectors(self, model_id: str, rows: list[tuple[int, bytes]]) -> None:
        """Keep unmet requests' embeddings (see `InsightStore.store_vectors`)."""
        # Imported here: only an unmet request needs it (~15 ms off every other `ask`).
        from bot.store.insights import InsightStore

        await InsightStore(self.sessions).store_vectors(model_id, rows)

    async def close(self) -> None:
        await self.engine.dispose()
