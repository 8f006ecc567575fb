"""Small shared state every replica must agree on: event dedupe, app state, conversation refs.

Secrets are never kept here (see bot/keys.py): a copy of the database must not carry
the key that re-identifies its pseudonyms.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.batch import GroupCommit
from bot.store.db import commit_once, rowcount
from bot.store.tables import AppState, ConversationRef, ProcessedEvent, utcnow

__all__ = ["AppStateStore", "Claim", "ConversationRefs", "EventLedger"]

_log = logging.getLogger(__name__)


class Claim(StrEnum):
    """What `EventLedger.begin` found: answer it (NEW, RETAKEN) or not (BUSY, DONE)."""

    NEW = "new"  # first delivery: this replica answers
    RETAKEN = "retaken"  # an earlier claim's lease expired (its replica died): answer again
    BUSY = "busy"  # another replica is answering it right now
    DONE = "done"  # already answered


class EventLedger:
    """Claims platform event ids so retries and other replicas never answer twice.

    An answer is claim → answer → post → `finish`. The claim is a lease: when the
    replica dies between the ack and the post (kill -9, OOM), the claim stays
    "answering" until its lease ends, and a redelivery after that answers again;
    a finished claim is never answered again.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        # Every answer claims and finishes its event: concurrent ones share a transaction.
        self._new_claims = GroupCommit(self._insert_claims)
        self._finishes = GroupCommit(self._finish_many)

    async def claim(self, key: str) -> bool:
        """One-shot claim (finished at once): True for the first caller, False for later ones."""
        async with self._sessions() as session:
            session.add(ProcessedEvent(key=key[:200], state="done"))
            return await commit_once(session)

    async def begin(self, key: str, lease: float) -> Claim:
        """Claim `key` for `lease` seconds, or take over a claim whose lease expired."""
        key, now = key[:200], utcnow()
        until = now + timedelta(seconds=lease)
        if await self._new_claims((key, until)):
            return Claim.NEW
        async with self._sessions() as session:
            # Conditional update: of two replicas retaking the same claim, one wins.
            result = await session.execute(
                update(ProcessedEvent)
                .where(ProcessedEvent.key == key, ProcessedEvent.state == "answering",
                       or_(ProcessedEvent.lease_until.is_(None),
                           ProcessedEvent.lease_until < now))
                .values(lease_until=until, at=now, attempts=ProcessedEvent.attempts + 1)
            )
            await session.commit()
            if rowcount(result) == 1:
                return Claim.RETAKEN
            state = await session.scalar(
                select(ProcessedEvent.state).where(ProcessedEvent.key == key))
        return Claim.BUSY if state == "answering" else Claim.DONE

    async def acquire(self, key: str, lease: float, *, wait: float | None = None,
                      poll: float = 0.25) -> Claim:
        """`begin`, and while another replica holds the claim, wait for it to finish or lapse.

        A redelivery that arrives while the first delivery's lease still runs (the
        first replica may be dead) is answered once that lease ends, not dropped.
        """
        deadline = time.monotonic() + (lease + 1.0 if wait is None else wait)
        while True:
            claim = await self.begin(key, lease)
            if claim is not Claim.BUSY or time.monotonic() >= deadline:
                return claim
            await asyncio.sleep(min(poll, max(deadline - time.monotonic(), 0.0)))

    async def finish(self, key: str) -> None:
        """The reply was posted: never answer this event again."""
        await self._finishes(key[:200])

    async def _insert_claims(self, claims: list[tuple[str, datetime]]) -> list[bool]:
        """Insert the claims whose key is free, in one statement; True for each inserted
        (a key taken already, or twice in the batch, is False: `begin` looks at it alone)."""
        now, first = utcnow(), dict[str, int]()
        for i, (key, _) in enumerate(claims):
            first.setdefault(key, i)
        rows = [{"key": key, "state": "answering", "lease_until": claims[i][1], "at": now,
                 "attempts": 1} for key, i in first.items()]
        # The dialects' INSERT ... ON CONFLICT, imported here: PostgreSQL's costs a cold
        # `ask` (which never claims an event) some 25 ms to import.
        from sqlalchemy.dialects import postgresql, sqlite

        async with self._sessions() as session:
            dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
            inserted = set(await session.scalars(
                dialect.insert(ProcessedEvent).values(rows)
                .on_conflict_do_nothing(index_elements=["key"]).returning(ProcessedEvent.key)))
            await session.commit()
        return [first[key] == i and key in inserted for i, (key, _) in enumerate(claims)]

    async def _finish_many(self, keys: list[str]) -> list[None]:
        async with self._sessions() as session:
            await session.execute(update(ProcessedEvent).where(ProcessedEvent.key.in_(set(keys)))
                                  .values(state="done", lease_until=None))
            await session.commit()
        return [None] * len(keys)

    async def release(self, key: str) -> None:
        """Answering failed: end the lease now, so a redelivery may answer at once."""
        await self._set(key, lease_until=utcnow() - timedelta(seconds=1))

    @contextlib.asynccontextmanager
    async def answering(self, key: str) -> AsyncIterator[None]:
        """Answer and post inside the block: finished when it ends, released when it fails.

        Slack events and Teams activities share this end of the claim → answer → post →
        finish cycle, so a failed answer is always left for a redelivery to retry.
        """
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):
                await self.release(key)
            raise
        try:
            await self.finish(key)
        except Exception:
            _log.warning("could not mark the event answered", extra={"event_id": key})

    @contextlib.asynccontextmanager
    async def once(self, key: str, lease: float) -> AsyncIterator[bool]:
        """Answer `key` at most once across replicas: False for a duplicate (another
        replica answers or answered it), else True for a block claimed with `acquire` and
        ended by `answering`. While the database is down it yields True: answering twice
        beats not answering. Slack events and Teams activities share it."""
        try:
            claim = await self.acquire(key, lease)
        except Exception:
            _log.warning("event ledger unavailable; deduplicating in memory only")
            yield True
            return
        if claim in (Claim.BUSY, Claim.DONE):
            _log.info("duplicate event ignored", extra={"event_id": key, "claim": claim.value})
            yield False
            return
        if claim is Claim.RETAKEN:
            _log.warning("answering a redelivered event whose first claim lapsed",
                         extra={"event_id": key})
        async with self.answering(key):
            yield True

    async def _set(self, key: str, **values: Any) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(ProcessedEvent).where(ProcessedEvent.key == key[:200]).values(**values))
            await session.commit()

    async def state_of(self, key: str) -> str | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(ProcessedEvent.state).where(ProcessedEvent.key == key[:200]))

    async def forget_older_than(self, age: timedelta) -> int:
        """Drop claims older than `age` that are finished or whose lease ended."""
        now = utcnow()
        async with self._sessions() as session:
            result = await session.execute(
                delete(ProcessedEvent).where(
                    ProcessedEvent.at < now - age,
                    or_(ProcessedEvent.state == "done", ProcessedEvent.lease_until.is_(None),
                        ProcessedEvent.lease_until < now)))
            await session.commit()
            return rowcount(result)


class AppStateStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def get(self, key: str) -> str | None:
        async with self._sessions() as session:
            row = await session.get(AppState, key)
            return row.value if row else None


class ConversationRefs:
    """Where to post proactively; stored so the digest survives restarts and replicas.

    Every Teams message carries its conversation's reference, almost always the one
    stored already: a reference this process stored unchanged within `rewrite_after`
    seconds is not written again (two statements per message on the event loop).
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *,
                 rewrite_after: float = 600.0, remember: int = 10_000) -> None:
        self._sessions = sessions
        self.rewrite_after, self.remember = rewrite_after, remember
        self._stored: OrderedDict[tuple[str, str], tuple[float, str, dict[str, Any]]] = \
            OrderedDict()

    async def upsert(
        self, *, platform: str, conversation_id: str, kind: str, reference: dict[str, Any]
    ) -> None:
        key, now = (platform, conversation_id), time.monotonic()
        known = self._stored.get(key)
        if known is not None and known[1:] == (kind, reference) \
                and now - known[0] < self.rewrite_after:
            return
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
                return
        self._stored[key] = (now, kind, copy.deepcopy(reference))
        self._stored.move_to_end(key)
        if len(self._stored) > self.remember:
            self._stored.popitem(last=False)

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
