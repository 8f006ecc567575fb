"""Benchmark-only cache of sentence embeddings on disk, so reruns skip the model.

File: ~/.cache/concierge-bench/embeddings-<model_id>.npz with two arrays, `texts` (the raw
strings, unicode) and `vectors` (float32, one L2-normalised row per text), for any texts
ever embedded by a benchmark (CLINC150's splits among them). Other benchmarks (e.g.
clustering) may read it with `load_cache`. Never used by the bot itself: the bot caches
its policy's embeddings in the database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.matching.embedder import Embedder

__all__ = ["CACHE_DIR", "cache_path", "embed_cached", "load_cache"]

CACHE_DIR = Path(os.environ.get("CONCIERGE_BENCH_CACHE", "~/.cache/concierge-bench")).expanduser()


def cache_path(model_id: str) -> Path:
    return CACHE_DIR / f"embeddings-{model_id}.npz"


def load_cache(model_id: str) -> dict[str, np.ndarray]:
    """Every cached text's vector for this model (empty when nothing is cached)."""
    path = cache_path(model_id)
    if not path.exists():
        return {}
    with np.load(path, allow_pickle=False) as data:
        return dict(zip(data["texts"].tolist(), data["vectors"], strict=True))


def embed_cached(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors for `texts` (rows in order), computing and saving only the missing ones."""
    known = load_cache(embedder.model_id)
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        for text, vec in zip(missing, embedder.encode(missing, batch_size=64), strict=True):
            known[text] = vec
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = cache_path(embedder.model_id).with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.array(list(known)), vectors=np.vstack(list(known.values())))
        tmp.replace(cache_path(embedder.model_id))
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.vstack([known[t] for t in texts]).astype(np.float32)
