"""Vectors of a built-in bank of texts: shipped beside it for the default model, else
embedded once per process.

Why: a bank (small talk, rules for unlisted tools) is the same on every install, so a
one-shot `ask` should not pay the model for it; a shipped file is used only when it was
made by the same model from the same texts (its `model_id` and `bank` hash say so).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["bank_vectors"]


def bank_vectors(
    shipped: Path,
    model_id: str,
    bank: str,
    embed: Callable[[], np.ndarray],
    cache: dict[str, np.ndarray],
) -> np.ndarray:
    """The bank's vectors for `model_id`: from `cache`, the `shipped` .npz when its model
    and `bank` hash match, else `embed()`; kept in `cache` either way."""
    cached = cache.get(model_id)
    if cached is not None:
        return cached
    vectors: np.ndarray | None = None
    if shipped.exists():
        with np.load(shipped) as data:
            if str(data["model_id"]) == model_id and str(data["bank"]) == bank:
                vectors = data["vectors"].astype(np.float32)
    if vectors is None:
        vectors = np.asarray(embed(), dtype=np.float32)
    cache[model_id] = vectors
    return vectors
