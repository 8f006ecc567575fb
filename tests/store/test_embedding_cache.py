"""The policy's embeddings and calibration, stored per version and model (real database)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select, update

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge
from bot.core.matching.framing import without_ai_words
from bot.policy import Policy, Status
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Actor, Store
from bot.store.embedding_tables import PolicyEmbedding

pytestmark = pytest.mark.semantic

MODEL = "all-MiniLM-L6-v2-onnx-int8"
OPERATOR = Actor("cli:ops", "cli")


async def _rows(store: Store) -> list[PolicyEmbedding]:
    async with store.sessions() as session:
        result = await session.scalars(
            select(PolicyEmbedding).order_by(PolicyEmbedding.policy_version)
        )
        return list(result)


def _concierge(store: Store, settings: Settings) -> Concierge:
    return Concierge(store, make_matcher=matcher_factory(settings), pseudonym_key=b"k",
                     refresh_seconds=0.0)


async def test_round_trip_and_newest_earlier_version(store: Store, sample_policy: Policy) -> None:
    admin = PolicyAdmin(store)
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="v1")
    vectors = {"a": np.arange(4, dtype=np.float32), "b": np.ones(4, dtype=np.float32)}
    assert await store.embeddings.save(1, MODEL, "f" * 64, vectors, {"threshold": 0.3})
    assert not await store.embeddings.save(1, MODEL, "f" * 64, vectors, None)  # once only
    assert await store.embeddings.load(1, "other-model") is None
    await admin.set_status(sample_policy.tools[0].id, Status.PROHIBITED, actor=OPERATOR)
    stored = await store.embeddings.load(2, MODEL)  # version 2 has none yet: v1 seeds it
    assert stored is not None
    assert (stored.policy_version, stored.texts, stored.calibration) == (
        1, ["a", "b"], {"threshold": 0.3})
    np.testing.assert_array_equal(stored.vectors[0], vectors["a"])
    assert stored.vectors.dtype == np.float32


async def test_index_is_embedded_once_per_version_and_reused_by_a_new_process(
    store: Store, settings: Settings, sample_policy: Policy
) -> None:
    admin = PolicyAdmin(store)
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="v1")
    first = _concierge(store, settings)
    index = await first.index(force=True)
    [row] = await _rows(store)
    assert (row.policy_version, row.model_id, row.dim) == (1, MODEL, 384)
    assert row.calibration is not None
    assert row.calibration["threshold"] == pytest.approx(index.threshold)
    # stored as the model read them: the word "AI" is left out of policy texts
    examples = {without_ai_words(e) for u in sample_policy.use_cases for e in u.examples}
    assert examples <= set(row.texts)
    assert len(row.vectors) == len(row.texts) * 384 * 4

    # A "new process" reads the stored calibration instead of computing its own: make the
    # stored one recognisable and check the new index uses it.
    async with store.sessions() as session:
        await session.execute(
            update(PolicyEmbedding).values(calibration={**row.calibration, "threshold": 0.4321})
        )
        await session.commit()
    second = _concierge(store, settings)
    assert (await second.index(force=True)).threshold == 0.4321
    assert len(await _rows(store)) == 1  # nothing new written for the same version

    # A new version gets its own row, seeded from the previous one.
    await admin.set_status(sample_policy.tools[0].id, Status.PROHIBITED, actor=OPERATOR)
    third = _concierge(store, settings)
    await third.index(force=True)
    rows = await _rows(store)
    assert [r.policy_version for r in rows] == [1, 2]
    assert set(rows[1].texts) == set(rows[0].texts)


async def test_a_row_stored_before_an_upgrade_is_refreshed_once(
    store: Store, settings: Settings, sample_policy: Policy
) -> None:
    admin = PolicyAdmin(store)
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="v1")
    await _concierge(store, settings).index(force=True)
    [row] = await _rows(store)
    current = row.fingerprint
    # As written by an older release (another scoring version or out-of-scope bank): its
    # calibration does not apply, so the next process calibrates again...
    async with store.sessions() as session:
        await session.execute(update(PolicyEmbedding).values(
            fingerprint="0" * 64, calibration={**row.calibration, "threshold": 0.4321}))
        await session.commit()
    index = await _concierge(store, settings).index(force=True)
    assert index.threshold == pytest.approx(row.calibration["threshold"])
    # ...and stores what it computed, so the processes after it do not.
    [refreshed] = await _rows(store)
    assert (refreshed.policy_version, refreshed.fingerprint) == (1, current)
    assert refreshed.calibration == row.calibration
    assert set(refreshed.texts) == set(row.texts)
    assert not await store.embeddings.refresh(1, MODEL, current, {"a": np.ones(4)}, None)
    async with store.sessions() as session:
        await session.execute(update(PolicyEmbedding).values(
            calibration={**row.calibration, "threshold": 0.4321}))
        await session.commit()
    assert (await _concierge(store, settings).index(force=True)).threshold == 0.4321
