"""Small shared state every replica must agree on: event dedupe, secrets, conversation refs."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.tables import AppState, ConversationRef, ProcessedEvent, utcnow

__all__ = ["AppStateStore", "ConversationRefs", "EventLedger"]


class EventLedger:
    """Claims platform event ids so retries and other replicas never answer twice."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(self, key: str) -> bool:
        """True for the first caller with this key, False for every later one."""
        async with self._sessions() as session:
            session.add(ProcessedEvent(key=key[:200]))
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
                return False
            return True

    async def forget_older_than(self, age: timedelta) -> int:
        async with self._sessions() as session:
            result = await session.execute(
                delete(ProcessedEvent).where(ProcessedEvent.at < utcnow() - age)
            )
            await session.commit()
            return int(result.rowcount)  # type: ignore[attr-defined]


class AppStateStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, key: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(AppState, key)
            return row.value if row else None

    async def get_or_create_secret(self, key: str) -> str:
        """A random secret created once and shared by all replicas through the database."""
        value = await self.get(key)
        if value is not None:
            return value
        async with self._sessions() as session:
            session.add(AppState(key=key, value=secrets.token_hex(32)))
            try:
                await session.commit()
            except IntegrityError:
                await session.rollback()
        value = await self.get(key)
        assert value is not None
        return value


class ConversationRefs:
    """Where to post proactively; stored so the digest survives restarts and replicas."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def upsert(
        self, *, platform: str, conversation_id: str, kind: str, reference: dict[str, Any]
    ) -> None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(ConversationRef).where(
                    ConversationRef.platform == platform,
                    ConversationRef.conversation_id == conversation_id,
                )
            )
            if row is None:
                session.add(
                    ConversationRef(
                        platform=platform,
                        conversation_id=conversation_id,
                        kind=kind,
                        reference=reference,
                    )
                )
            else:
                row.kind, row.reference, row.updated_at = kind, reference, utcnow()
            try:
                await session.commit()
            except IntegrityError:  # another replica inserted it first: theirs is as good
                await session.rollback()

    async def get(self, platform: str, conversation_id: str) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(ConversationRef).where(
                    ConversationRef.platform == platform,
                    ConversationRef.conversation_id == conversation_id,
                )
            )
            return dict(row.reference) if row else None

    async def all(self, platform: str) -> list[tuple[str, str, dict[str, Any], datetime]]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ConversationRef).where(ConversationRef.platform == platform)
            )
            return [(r.conversation_id, r.kind, dict(r.reference), r.updated_at) for r in rows]
