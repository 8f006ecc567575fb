"""Nearest-example word similarity: the lexical half of the hybrid matcher.

Stemmed, synonym-expanded word unigrams and bigrams (the lexical backend's analyzer) in a
NumPy TF-IDF index (`tfidf.TfidfIndex`, no scikit-learn on the answer path). Unknown words
within one or two edits of a known one are snapped to it first, so "sumarize" still
meets "summarize" (rapidfuzz, never on short words).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from bot.core.matching.text import KnownWords, analyze, snap_to_known
from bot.core.matching.tfidf import TfidfIndex

__all__ = ["WordIndex", "terms"]


def terms(tokens: list[str]) -> list[str]:
    """Unigrams and bigrams of analyzed tokens."""
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def _analyzed_terms(text: str) -> list[str]:
    # A function, not a lambda: fitted matchers are pickled to what-if worker processes.
    return terms(analyze(text))


class WordIndex:
    """TF-IDF cosine of a message to every indexed text (rows in index order)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._index = TfidfIndex(texts, _analyzed_terms)
        self.size = self._index.size
        self.idf = self._index.idf
        self.max_idf = self._index.max_idf
        self._unigrams = KnownWords(sorted(t for t in self.idf if " " not in t))

    def tokens(self, text: str) -> list[str]:
        """The message's analyzed tokens, unknown ones snapped to a close known word."""
        return snap_to_known(analyze(text), self._unigrams, min_len=5, long_from=8)

    def similarities(
        self, tokens: list[str], exclude: np.ndarray | int | None = None
    ) -> np.ndarray:
        """Cosine of the tokens to every indexed text (`exclude`: rows left out, their
        terms' idf kept, for leave-one-out calibration)."""
        return self._index.similarities_of_terms(terms(tokens), exclude)

    def coverage(self, tokens: list[str]) -> float:
        """Share of the message's word weight (idf) that the indexed texts know.

        A message made of words no use case mentions ("book a flight to Berlin") should
        not score well on words alone, however small the policy.
        """
        if not tokens:
            return 0.0
        known = sum(self.idf.get(t, 0.0) for t in tokens)
        total = sum(self.idf.get(t, self.max_idf) for t in tokens)
        return known / total if total else 0.0
