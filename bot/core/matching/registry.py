"""Pick a matching backend by name, so settings can say `MATCHER=lexical|semantic`.

The semantic backend is imported lazily: its extra (torch, sentence-transformers) is
optional, and a bot running the lexical default must not pay for importing it.
"""

from __future__ import annotations

from bot.core.matching.base import MatcherBackend

__all__ = ["BACKENDS", "make_backend"]

BACKENDS = ("lexical", "semantic")


def make_backend(name: str, *, model_path: str | None = None) -> MatcherBackend:
    """A fresh, unfitted backend. `model_path` is the local model dir (semantic only)."""
    key = name.strip().lower()
    if key == "lexical":
        from bot.core.matching.lexical import LexicalMatcher

        return LexicalMatcher()
    if key == "semantic":
        from bot.core.matching.semantic import SemanticMatcher

        return SemanticMatcher(model_path=model_path)
    raise ValueError(f"unknown matcher backend {name!r}; choose one of: {', '.join(BACKENDS)}")
