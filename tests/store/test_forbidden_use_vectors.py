"""Red lines read as forbidden uses are embedded once per policy version and stored with the
use cases' vectors, so a new process (a cold `ask`) does not embed them (real database)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge
from bot.core.forbidden_uses import act_objects, forbidden_examples
from bot.core.matching.framing import without_ai_words
from bot.policy import Policy
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Actor, Store
from bot.store.embedding_tables import PolicyEmbedding

pytestmark = pytest.mark.semantic

MODEL = "all-MiniLM-L6-v2-onnx-int8"
OPERATOR = Actor("cli:ops", "cli")

POLICY = {
    "meta": {"organization": "Lakeside County Social Services", "contact": "#it-help"},
    "data_classes": [{"id": "public", "label": "Public", "description": "Anyone may see it."}],
    "use_cases": [
        {"id": "writing", "name": "Draft letters and notices",
         "description": "Letters and notices for residents.",
         "examples": ["draft a letter about the new office hours",
                      "write a flyer for the winter coat drive", "notice about a closure"]},
    ],
    "tools": [{"id": "copilot", "name": "Microsoft Copilot", "status": "approved",
               "summary": "Chat assistant.", "good_for": ["writing"]}],
    "red_lines": [
        {"id": "fabrication", "title": "No fabricated records",
         "rule": "Staff shall not use AI to fabricate case notes, signatures or documentation.",
         "why": "Case files are legal records.", "triggers": ["fabricate"]},
    ],
}


async def _row(store: Store) -> PolicyEmbedding:
    async with store.sessions() as session:
        return (await session.scalars(select(PolicyEmbedding))).one()


def _concierge(store: Store, settings: Settings) -> Concierge:
    return Concierge(store, make_matcher=matcher_factory(settings), pseudonym_key=b"k",
                     refresh_seconds=0.0)


def _forbidden_texts(policy: Policy) -> set[str]:
    line = policy.red_lines[0]
    return {without_ai_words(t) for t in (*forbidden_examples(line), *act_objects(line))}


async def test_forbidden_uses_are_stored_with_the_version_and_read_back(
    store: Store, settings: Settings
) -> None:
    policy = Policy.model_validate(POLICY)
    await PolicyAdmin(store).import_policy(policy, actor=OPERATOR, summary="v1")
    first = await _concierge(store, settings).index(force=True)
    assert first.forbidden.ids == ("fabrication",)
    row = await _row(store)
    assert _forbidden_texts(policy) <= set(row.texts)

    # A new process reads them from the store: make a stored one recognisable.
    texts = list(row.texts)
    matrix = np.frombuffer(row.vectors, dtype=np.float32).reshape(len(texts), row.dim).copy()
    marked = texts.index(without_ai_words(forbidden_examples(policy.red_lines[0])[1]))
    matrix[marked] = np.full(row.dim, 0.5, dtype=np.float32)
    vectors = dict(zip(texts, matrix, strict=True))
    assert await store.embeddings.refresh(1, MODEL, row.fingerprint, vectors, row.calibration,
                                          texts_added=True)
    second = await _concierge(store, settings).index(force=True)
    assert np.allclose(second.forbidden.vectors[1], 0.5)


async def test_a_row_stored_without_them_gets_them_once(store: Store, settings: Settings) -> None:
    # A version indexed by a release that did not read red lines by meaning: its row has
    # the same fingerprint but lacks their texts; the next process adds them, so the ones
    # after it embed nothing.
    policy = Policy.model_validate(POLICY)
    await PolicyAdmin(store).import_policy(policy, actor=OPERATOR, summary="v1")
    await _concierge(store, settings).index(force=True)
    row = await _row(store)
    texts = list(row.texts)
    matrix = np.frombuffer(row.vectors, dtype=np.float32).reshape(len(texts), row.dim)
    old = {t: v for t, v in zip(texts, matrix, strict=True)
           if t not in _forbidden_texts(policy)}
    assert await store.embeddings.refresh(1, MODEL, row.fingerprint, old, row.calibration,
                                          texts_added=True)
    assert not _forbidden_texts(policy) & set((await _row(store)).texts)

    await _concierge(store, settings).index(force=True)
    refreshed = await _row(store)
    assert _forbidden_texts(policy) <= set(refreshed.texts)
    assert refreshed.fingerprint == row.fingerprint
    # A row with another fingerprint is still only rewritten by a fresher process.
    assert not await store.embeddings.refresh(1, MODEL, row.fingerprint, old, None)
