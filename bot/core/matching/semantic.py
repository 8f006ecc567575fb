"""Matcher on sentence embeddings alone (the ONNX MiniLM of `embedder`, no torch).

Embeddings catch paraphrases that share no words with any example ("I have 40 pages of
minutes and no time" -> summarize). The model is never downloaded at run time: it is the
bundled int8 all-MiniLM-L6-v2, or the folder `EMBEDDING_MODEL_DIR` names, hash-checked.

Scoring reuses the lexical backend's one-vs-rest head (linear SVM margins blended with
the nearest-example cosine), so both backends' scores mean the same kind of thing. This
backend is kept for comparison (`MATCHER=semantic`); the default is the hybrid.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.matching.base import Intent, Scored
from bot.core.matching.embedder import Embedder, ModelError, get_embedder
from bot.core.matching.lexical import OneVsRestHead, flatten_intents, top_k
from bot.core.matching.text import normalize

__all__ = ["SemanticMatcher", "SemanticUnavailable"]

_CACHE_LIMIT = 50_000  # embeddings kept across fits (384 floats each: ~77 MB at most)

#: Kept for callers of the earlier sentence-transformers backend.
SemanticUnavailable = ModelError


class SemanticMatcher:
    """Sentence embeddings (L2-normalized) under the shared one-vs-rest head."""

    name = "semantic"
    #: Picked like the lexical one: CLINC150 val + oos_val, 10 examples per intent, the
    #: highest threshold costing <= 2 points of val in-scope accuracy (docs/benchmarks.md).
    default_threshold = 0.37

    def __init__(
        self, model_path: str | Path | None = None, threads: int | None = None,
        **head_options: float,
    ) -> None:
        self._model_path = model_path
        self._threads = threads
        self._head_options = head_options
        self._ids: list[str] = []
        self._head = OneVsRestHead(**head_options)  # type: ignore[arg-type]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _model(self) -> Embedder:
        return get_embedder(model_dir=self._model_path, threads=self._threads)

    def embed(self, texts: Sequence[str], *, cache: bool = True) -> np.ndarray:
        """Normalized embeddings (float32, one row per text); examples are cached by text.

        Queries pass `cache=False`: employees' messages are not kept in memory.
        """
        keys = [normalize(t) or t for t in texts]
        if not cache:
            return self._model().encode_message(keys)
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            for key, vec in zip(missing, self._model().encode(missing), strict=True):
                self._cache[key] = vec
        for key in keys:
            self._cache.move_to_end(key)
        while len(self._cache) > _CACHE_LIMIT:
            self._cache.popitem(last=False)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._cache[k] for k in keys])

    def fit(self, intents: Sequence[Intent]) -> None:
        """Embed every example (reusing cached ones) and train the head."""
        self._ids, texts, y = flatten_intents(intents)
        self._head = OneVsRestHead(**self._head_options)  # type: ignore[arg-type]
        if self._ids:
            self._head.fit(self.embed(texts).astype(np.float64), y, len(self._ids))

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        """Best `k` intents for `text`, best first; [] when nothing is fitted."""
        return self.rank_many([text], k)[0]

    def rank_many(self, texts: Sequence[str], k: int = 3) -> list[list[Scored]]:
        """`rank` for many texts with one batched encode (benchmarks, bulk re-matching)."""
        if not self._ids or not texts:
            return [[] for _ in texts]
        scores = self._head.scores(self.embed(texts, cache=False))
        return [top_k(self._ids, row, k) for row in scores]
