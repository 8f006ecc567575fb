"""Event claims with a lease, on SQLite and PostgreSQL: a crashed replica's claim lapses."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from bot.store import Store
from bot.store.state import Claim


async def test_first_claim_answers_a_running_one_is_busy_a_finished_one_is_done(
        store: Store) -> None:
    ledger = store.events
    assert await ledger.begin("slack:Ev1", lease=30) is Claim.NEW
    assert await ledger.begin("slack:Ev1", lease=30) is Claim.BUSY
    assert await ledger.state_of("slack:Ev1") == "answering"
    await ledger.finish("slack:Ev1")
    assert await ledger.begin("slack:Ev1", lease=30) is Claim.DONE
    assert await ledger.state_of("slack:Ev1") == "done"


async def test_an_expired_lease_is_retaken_once(store: Store) -> None:
    """The replica that claimed it died: after the lease, exactly one redelivery re-answers."""
    ledger = store.events
    assert await ledger.begin("teams:a1", lease=0.3) is Claim.NEW
    await asyncio.sleep(0.5)
    results = await asyncio.gather(*(ledger.begin("teams:a1", lease=30) for _ in range(4)))
    assert sorted(results) == sorted([Claim.RETAKEN, Claim.BUSY, Claim.BUSY, Claim.BUSY])


async def test_acquire_waits_for_a_lapsed_lease_then_answers(store: Store) -> None:
    ledger = store.events
    assert await ledger.begin("slack:Ev2", lease=0.6) is Claim.NEW
    started = time.monotonic()
    assert await ledger.acquire("slack:Ev2", lease=30, wait=5, poll=0.05) is Claim.RETAKEN
    assert 0.4 < time.monotonic() - started < 4


async def test_acquire_skips_once_the_other_replica_finishes(store: Store) -> None:
    ledger = store.events
    assert await ledger.begin("slack:Ev3", lease=30) is Claim.NEW

    async def other_replica_posts() -> None:
        await asyncio.sleep(0.3)
        await ledger.finish("slack:Ev3")

    finisher = asyncio.create_task(other_replica_posts())
    assert await ledger.acquire("slack:Ev3", lease=30, wait=5, poll=0.05) is Claim.DONE
    await finisher


async def test_release_lets_a_redelivery_answer_at_once(store: Store) -> None:
    ledger = store.events
    assert await ledger.begin("slack:Ev4", lease=300) is Claim.NEW
    await ledger.release("slack:Ev4")
    assert await ledger.begin("slack:Ev4", lease=300) is Claim.RETAKEN


async def test_one_shot_claims_and_forgetting(store: Store) -> None:
    ledger = store.events
    assert await ledger.claim("teams-feedback:1") is True
    assert await ledger.claim("teams-feedback:1") is False
    assert await ledger.begin("teams-feedback:1", lease=30) is Claim.DONE
    assert await ledger.begin("slack:running", lease=300) is Claim.NEW
    # Nothing is older than an hour: nothing is forgotten; at age 0 only the finished one goes
    # (a claim still inside its lease is kept, so its replica's redeliveries stay deduplicated).
    assert await ledger.forget_older_than(timedelta(hours=1)) == 0
    assert await ledger.forget_older_than(timedelta(seconds=-1)) == 1
    assert await ledger.state_of("slack:running") == "answering"


async def test_once_answers_a_key_once_and_again_after_a_failure(store: Store) -> None:
    ledger = store.events
    async with ledger.once("slack:EvOnce", lease=30) as first:
        assert first
    async with ledger.once("slack:EvOnce", lease=30) as again:
        assert not again  # finished: never answered twice
    try:
        async with ledger.once("slack:EvFail", lease=30) as first:
            assert first
            raise RuntimeError("posting failed")
    except RuntimeError:
        pass
    async with ledger.once("slack:EvFail", lease=30) as retry:
        assert retry  # released at once: a redelivery answers it
    assert await ledger.state_of("slack:EvFail") == "done"
