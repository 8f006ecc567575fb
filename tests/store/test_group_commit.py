"""The writes every answer makes, on SQLite and PostgreSQL: answers arriving together share
transactions (each still gets its own claim, ids and failure); unchanged references are
not written again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from bot.store import Store
from bot.store.batch import GroupCommit
from bot.store.logs import QueryNote, UnmetNote
from bot.store.state import Claim
from bot.store.tables import QueryEntry, UnmetRequest


@contextmanager
def commits(store: Store) -> Iterator[list[int]]:
    """Count the transactions the engine commits inside the block."""
    count = [0]

    def on_commit(_connection: object) -> None:
        count[0] += 1

    event.listen(store.engine.sync_engine, "commit", on_commit)
    try:
        yield count
    finally:
        event.remove(store.engine.sync_engine, "commit", on_commit)


def _note(n: int) -> QueryNote:
    return QueryNote(platform="slack", asker=f"asker-{n}", department=None,
                     question=f"question {n}", outcome="no_match" if n % 3 == 0 else "approved")


async def test_answers_arriving_together_share_transactions(store: Store) -> None:
    """100 events claimed, logged and finished at once: a handful of transactions, not 300."""

    async def answer(n: int) -> tuple[int, int | None]:
        async with store.events.once(f"slack:EvBatch{n}", 30) as first:
            assert first
            unmet = UnmetNote(platform="slack", asker=f"asker-{n}", question=f"question {n}") \
                if n % 3 == 0 else None
            return await store.queries.log(_note(n), unmet)

    with commits(store) as count:
        ids = await asyncio.gather(*(answer(n) for n in range(100)))
    assert count[0] <= 30  # 300 one at a time
    states = [await store.events.state_of(f"slack:EvBatch{n}") for n in range(100)]
    assert states == ["done"] * 100
    # Each caller got its own rows back: the entry with its question, the unmet request
    # (every third) filed against that entry.
    async with store.sessions() as session:
        entries = {e.id: e for e in await session.scalars(select(QueryEntry))}
        requests = {r.id: r for r in await session.scalars(select(UnmetRequest))}
    assert len({query_id for query_id, _ in ids}) == 100
    for n, (query_id, unmet_id) in enumerate(ids):
        assert entries[query_id].question == f"question {n}"
        if n % 3 == 0:
            assert unmet_id is not None
            assert requests[unmet_id].query_id == query_id
            assert requests[unmet_id].question == f"question {n}"
        else:
            assert unmet_id is None


async def test_a_key_claimed_twice_in_one_batch_is_new_once(store: Store) -> None:
    assert await store.events.begin("slack:EvOld", lease=30) is Claim.NEW
    keys = ["slack:EvTwice", "slack:EvOld", "slack:EvTwice", "slack:EvFresh"]
    results = await asyncio.gather(*(store.events.begin(k, lease=30) for k in keys))
    assert results == [Claim.NEW, Claim.BUSY, Claim.BUSY, Claim.NEW]


async def test_a_failed_batch_fails_each_of_its_callers() -> None:
    written: list[list[int]] = []

    async def write(items: list[int]) -> list[int]:
        await asyncio.sleep(0.01)
        if 13 in items:
            raise RuntimeError("database away")
        written.append(items)
        return [i * 2 for i in items]

    batch: GroupCommit[int, int] = GroupCommit(write)
    first = asyncio.create_task(batch(1))
    await asyncio.sleep(0)  # the first write is under way: the rest queue behind it
    rest = await asyncio.gather(*(batch(i) for i in (2, 13, 4)), return_exceptions=True)
    assert await first == 2
    assert written == [[1]]  # 2, 13 and 4 went in the second batch, which failed
    assert all(isinstance(r, RuntimeError) for r in rest)
    assert await batch(5) == 10  # the next batch is written again


@pytest.mark.parametrize("limit", [1, 2])
async def test_batches_are_bounded(limit: int) -> None:
    sizes: list[int] = []

    async def write(items: list[int]) -> list[int]:
        sizes.append(len(items))
        await asyncio.sleep(0)
        return items

    batch: GroupCommit[int, int] = GroupCommit(write, limit=limit)
    assert await asyncio.gather(*(batch(i) for i in range(5))) == list(range(5))
    assert max(sizes) == limit
    assert sum(sizes) == 5


async def test_an_unchanged_conversation_reference_is_not_written_again(store: Store) -> None:
    """Every Teams message carries its reference: stored once, not once per message."""
    reference = {"conversation": {"id": "a:chat-9"}, "serviceUrl": "https://smba.example/"}
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "conversation_refs" in statement:
            statements.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", seen)
    try:
        for _ in range(5):
            await store.conversations.upsert(platform="teams", conversation_id="a:chat-9",
                                              kind="personal", reference=reference)
        written = len(statements)
        moved = {**reference, "serviceUrl": "https://smba.example/emea/"}
        await store.conversations.upsert(platform="teams", conversation_id="a:chat-9",
                                          kind="personal", reference=moved)
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", seen)
    assert written == 2  # one look-up and one insert, for the first message only
    assert len(statements) > written  # a changed reference is written at once
    assert await store.conversations.get("teams", "a:chat-9") == moved
