"""Grouping internals that the candidate tests cannot see: the fast Ward tree and determinism."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from sklearn.cluster import ward_tree

from bot.core.insights.grouping import DEFAULTS, _ward_tree, group_new, place


def _unit_rows(n: int, dim: int = 32, seed: int = 0, themes: int = 12,
               noise: float = 0.4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(themes, dim))
    x = centres[rng.integers(0, themes, n)] + rng.normal(scale=noise, size=(n, dim))
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


def test_a_batch_within_the_whole_budget_does_not_depend_on_a_sample_seed() -> None:
    # Above `scale` (3,000) but within `whole`: Ward sees every request, so the sampling
    # seed cannot change the groups (a 3,000-request sample of these gave different ones).
    x = _unit_rows(DEFAULTS.scale + 600, seed=3, themes=60, noise=0.6)
    first, second = (group_new(x, replace(DEFAULTS, seed=seed)) for seed in (1, 2))
    assert np.array_equal(first, second)
    assert 50 <= first.max() + 1 <= 70  # sixty themes


def test_a_row_at_a_candidate_joins_it_and_a_stranger_starts_a_new_group() -> None:
    x = _unit_rows(60, seed=2)
    centroids = x[:3]
    stranger = -x[:1]  # opposite of every candidate's direction it resembles
    labels = place(np.vstack([x[1:2], stranger]), centroids)
    assert labels[0] == 1
    assert labels[1] < 0
