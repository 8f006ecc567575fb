"""Pick a matching backend by name, so settings can say `MATCHER=lexical|semantic`.

Backends are imported lazily: a command that never matches (e.g. `--help`) must not pay
for scikit-learn or ONNX Runtime.
"""

from __future__ import annotations

from bot.core.matching.base import MatcherBackend

__all__ = ["BACKENDS", "make_backend", "preload_model"]

BACKENDS = ("hybrid", "lexical", "embedding", "semantic")
#: Backends that embed every question with the sentence model.
_EMBEDDING_BACKENDS = ("hybrid", "embedding", "semantic")


def preload_model(name: str, *, model_path: str | None = None, threads: int | None = None) -> None:
    """Start building the backend's sentence model in a background thread, if it has one.

    A one-shot command calls this before its own heavy imports: ONNX Runtime builds the
    session (native code, mostly outside the GIL) on the second core meanwhile, instead
    of after the policy index is built. Errors surface at the first real use.
    """
    if name.strip().lower() in _EMBEDDING_BACKENDS:
        from bot.core.matching.embedder import preload

        preload(model_path, threads)


def make_backend(
    name: str, *, model_path: str | None = None, threads: int | None = None
) -> MatcherBackend:
    """A fresh, unfitted backend. `model_path` is the embedding model folder (None: bundled)."""
    key = name.strip().lower()
    if key == "lexical":
        from bot.core.matching.lexical import LexicalMatcher

        return LexicalMatcher()
    if key in ("hybrid", "embedding"):
        from bot.core.matching.hybrid import HybridMatcher

        return HybridMatcher(model_path=model_path, threads=threads, mode=key)
    if key == "semantic":
        from bot.core.matching.semantic import SemanticMatcher

        return SemanticMatcher(model_path=model_path, threads=threads)
    raise ValueError(f"unknown matcher backend {name!r}; choose one of: {', '.join(BACKENDS)}")
