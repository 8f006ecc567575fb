"""The bot stores what each answer embedded, with the logged ask, and a what-if replay
uses it instead of running the model again: same report, nothing embedded.

Real concierge, real sentence model, real SQLite / PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import delete, func, inspect, select
from sqlalchemy.engine import Connection

from bot.core.concierge import Concierge, Message
from bot.core.insights.retention import apply_retention
from bot.core.matching.embedder import get_embedder
from bot.core.whatif import WhatIf
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Store, upgrade
from bot.store.asks import stored_ask_vectors
from bot.store.db import alembic_config
from bot.store.embedding_tables import AskVectors
from bot.store.insights import InsightStore
from tests.whatif.seed import approve_synthesia, seed_asks

QUESTION = "can I use AI to summarize the notes of our weekly meeting"


async def _rows(store: Store) -> int:
    async with store.sessions() as session:
        return int(await session.scalar(select(func.count(AskVectors.id))) or 0)


async def test_an_answer_logs_what_it_embedded_once_per_question(
    concierge: Concierge, settings: Settings
) -> None:
    first = await concierge.answer(Message(text=QUESTION, asker="U1", platform="slack"))
    again = await concierge.answer(Message(text=QUESTION, asker="U2", platform="teams"))
    await concierge.answer(Message(text="hi", asker="U3", platform="slack"))
    assert first.vectors
    assert again.vectors
    assert "vectors" not in first.to_dict()  # not part of the JSON contract
    model_id = matcher_factory(settings)().model_id  # type: ignore[attr-defined]
    stored = await stored_ask_vectors(concierge.store.sessions, model_id, [QUESTION, "hi"])
    assert list(stored) == [QUESTION]  # "hi" is small talk by its words: nothing embedded
    assert await _rows(concierge.store) == 1  # asked twice, stored once
    embedder = get_embedder(settings)
    for text, blob in stored[QUESTION]:
        vector = np.frombuffer(blob, dtype="<f4")
        np.testing.assert_allclose(vector, embedder.encode([text])[0], atol=1e-5)
    assert {t for _, t, _ in first.vectors} == {t for t, _ in stored[QUESTION]}
    # none under another model
    assert await stored_ask_vectors(concierge.store.sessions, "other-model", [QUESTION]) == {}


@pytest.mark.parametrize("isolate", [False, True])
async def test_the_replay_embeds_nothing_the_bot_stored_and_reports_the_same_without(
    concierge: Concierge, settings: Settings, isolate: bool
) -> None:
    await seed_asks(concierge)
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]
    now = datetime.now(UTC) + timedelta(seconds=1)
    whatif = WhatIf(concierge.store, make_matcher=matcher_factory(settings),
                    threshold=settings.match_threshold, workers=1, min_parallel=0,
                    isolate=isolate)
    draft = approve_synthesia(live)
    stored = await whatif.run(draft, draft_name="d", now=now)
    assert stored.newly_answered.asks > 0
    assert ("workers" in stored.timings) == isolate

    async with concierge.store.sessions() as session:  # asks logged before vectors were
        await session.execute(delete(AskVectors))
        await session.commit()
    unstored = await whatif.run(draft, draft_name="d", now=now)
    # With vectors stored, only the rankings the replay primes for questions whose answer
    # never ranks ("Is ChatGPT approved?": 3 of them here) are embedded.
    assert stored.timings["embedded"] <= 3
    assert unstored.timings["embedded"] >= 15
    assert replace(unstored, seconds=0.0, timings={}) == replace(stored, seconds=0.0,
                                                                 timings={})


async def test_retention_deletes_the_vectors_with_the_asks(concierge: Concierge) -> None:
    await concierge.answer(Message(text=QUESTION, asker="U1", platform="slack"))
    assert await _rows(concierge.store) == 1
    later = datetime.now(UTC) + timedelta(days=31)
    await apply_retention(InsightStore(concierge.store.sessions), days=30, now=later)
    assert await _rows(concierge.store) == 0


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


async def test_migration_0009_adds_the_table_and_goes_back(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        await upgrade(store.engine, "0008")
        async with store.engine.connect() as connection:
            assert "ask_vectors" not in await connection.run_sync(_tables)
        await upgrade(store.engine)
        async with store.engine.connect() as connection:
            assert "ask_vectors" in await connection.run_sync(_tables)
        async with store.engine.begin() as connection:
            await connection.run_sync(_downgrade, "0008")
        async with store.engine.connect() as connection:
            assert "ask_vectors" not in await connection.run_sync(_tables)
    finally:
        await store.close()
