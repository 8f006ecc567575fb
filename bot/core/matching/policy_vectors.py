"""Vectors of policy texts, cached per process.

Why: a refit after a small policy change, or another policy in the same process, should
embed only the texts that are new. Keyed by (model id, text). Only policy and bank texts
go in here: employees' messages never do (`embedder.message_scope`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["policy_text_vectors"]

_SHARED_LIMIT = 50_000
_SHARED: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_SHARED_LOCK = threading.Lock()


def policy_text_vectors(
    texts: Sequence[str],
    own: dict[str, np.ndarray],
    model_id: Callable[[], str],
    encode: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """Rows of `texts` from a fit's `own` vectors, the process's cache, or `encode`
    (new vectors are added to both); `model_id` is read only when something is missing."""
    missing = [t for t in dict.fromkeys(texts) if t not in own]
    with _SHARED_LOCK:
        for text in missing:
            hit = _SHARED.get((model_id(), text))
            if hit is not None:
                own[text] = hit
    missing = [t for t in missing if t not in own]
    if missing:
        vectors = encode(missing)
        with _SHARED_LOCK:
            for text, vec in zip(missing, vectors, strict=True):
                own[text] = vec
                _SHARED[(model_id(), text)] = vec
            while len(_SHARED) > _SHARED_LIMIT:
                _SHARED.popitem(last=False)
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([own[t] for t in texts])
