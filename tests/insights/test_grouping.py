"""Grouping internals that the candidate tests cannot see: the fast Ward tree and determinism."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import ward_tree

from bot.core.insights.grouping import DEFAULTS, _ward_tree, group_new, place


def _unit_rows(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(12, dim))
    x = centres[rng.integers(0, 12, n)] + rng.normal(scale=0.4, size=(n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_the_fast_ward_tree_is_scikit_learns_tree() -> None:
    x = _unit_rows(400)
    children, heights = _ward_tree(x)
    expected, _, _, _, distances = ward_tree(x.astype(np.float64), return_distance=True)
    assert np.array_equal(children, expected)
    assert np.allclose(heights, distances, atol=1e-3)


def test_a_large_batch_is_grouped_the_same_way_every_time() -> None:
    x = _unit_rows(DEFAULTS.dense + 500, seed=1)  # smoothed neighbours, sampled rounds
    first, second = group_new(x), group_new(x)
    assert np.array_equal(first, second)
    assert first.min() == 0
    assert 12 <= first.max() + 1 <= 40  # twelve themes, not one group per request


def test_a_row_at_a_candidate_joins_it_and_a_stranger_starts_a_new_group() -> None:
    x = _unit_rows(60, seed=2)
    centroids = x[:3]
    stranger = -x[:1]  # opposite of every candidate's direction it resembles
    labels = place(np.vstack([x[1:2], stranger]), centroids)
    assert labels[0] == 1
    assert labels[1] < 0
