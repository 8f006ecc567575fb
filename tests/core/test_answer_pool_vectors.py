"""Answer workers build their index from the server's policy vectors, not from the model.

A worker that re-embedded the policy would spend seconds to minutes per policy version
(15,000 examples take minutes on one core) and could disagree with the server's own
index. The server's vectors here are deliberately nudged away from what the model gives,
so the worker's scores match the server's only if it used the vectors it was sent.
"""

from __future__ import annotations

import functools

import numpy as np

from bot.core.advisor import advise_message, build_index
from bot.core.answer_pool import AnswerPool
from bot.core.matching.base import SavedVectors
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy

QUESTION = "What can I use to summarize a 40-page PDF?"


async def test_a_worker_answers_from_the_vectors_the_server_has(sample_policy: Policy) -> None:
    make_matcher = functools.partial(make_backend, "hybrid")
    fresh = build_index(1, sample_policy, make_matcher).matcher.saved()  # type: ignore[attr-defined]
    rng = np.random.default_rng(3)
    nudged = {}
    for text, vector in fresh.vectors.items():
        moved = vector + 0.08 * rng.standard_normal(vector.shape).astype(np.float32)
        nudged[text] = (moved / np.linalg.norm(moved)).astype(np.float32)
    stored = SavedVectors(fresh.model_id, fresh.fingerprint, nudged)  # as read from the store
    server_index = build_index(2, sample_policy, make_matcher, saved=stored)
    model_index = build_index(2, sample_policy, make_matcher)
    server = advise_message(server_index, QUESTION)
    from_model = advise_message(model_index, QUESTION)
    assert server.use_case is not None
    assert from_model.use_case is not None
    assert server.use_case.score != from_model.use_case.score  # the nudge shows in scores

    pool = AnswerPool(make_matcher=make_matcher, workers=1)
    try:
        assert not pool.in_process
        _, answer = await pool.advise(server_index, QUESTION)
    finally:
        pool.close()
    assert answer.use_case is not None
    assert answer.use_case.score == server.use_case.score
    assert answer.text == server.text
