"""Nearest-example word similarity in plain NumPy: the lexical half of the hybrid matcher.

Why not scikit-learn here: the hybrid runs in every `ask`, and importing scikit-learn and
SciPy costs more than a second on a small machine. A TF-IDF inverted index is a few dozen
lines: stemmed, synonym-expanded word unigrams and bigrams (the lexical backend's
analyzer), sublinear tf, smoothed idf, L2-normalised rows, and a query scored against
every example through the postings of its own terms only.

Unknown words within one or two edits of a known one are snapped to it first, so
"sumarize" still meets "summarize" (rapidfuzz, never on short words).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.matching.text import analyze

__all__ = ["WordIndex", "terms"]


def terms(tokens: list[str]) -> list[str]:
    """Unigrams and bigrams of analyzed tokens."""
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


class WordIndex:
    """TF-IDF cosine of a message to every indexed text (rows in index order)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        counts = [Counter(terms(analyze(t))) for t in texts]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = max(1, self.size)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self.max_idf = math.log(1 + n) + 1.0
        rows: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for row, c in enumerate(counts):
            vec = {t: (1.0 + math.log(k)) * self.idf[t] for t, k in c.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            for t, v in vec.items():
                rows.setdefault(t, []).append(row)
                weights.setdefault(t, []).append(v / norm)
        self._postings = {
            t: (np.asarray(rows[t], dtype=np.int64), np.asarray(weights[t], dtype=np.float32))
            for t in rows
        }
        self._unigrams = sorted(t for t in self.idf if " " not in t)
        self._unigram_set = frozenset(self._unigrams)

    def tokens(self, text: str) -> list[str]:
        """The message's analyzed tokens, unknown ones snapped to a close known word."""
        fixed = []
        for tok in analyze(text):
            if len(tok) >= 5 and not tok.isdigit() and tok not in self._unigram_set:
                limit = 1 if len(tok) < 8 else 2
                hit = process.extractOne(
                    tok, self._unigrams, scorer=OSA.distance, score_cutoff=limit
                )
                if hit is not None:
                    tok = hit[0]
            fixed.append(tok)
        return fixed

    def similarities(
        self, tokens: list[str], exclude: np.ndarray | int | None = None
    ) -> np.ndarray:
        """Cosine of the tokens' TF-IDF vector to every indexed text (`exclude`: rows left
        out, with their terms' idf kept, for leave-one-out calibration)."""
        out = np.zeros(self.size, dtype=np.float32)
        vec = {
            t: (1.0 + math.log(k)) * self.idf[t]
            for t, k in Counter(terms(tokens)).items()
            if t in self.idf
        }
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return out
        for t, v in vec.items():
            rows, weights = self._postings[t]
            out[rows] += weights * (v / norm)
        if exclude is not None:
            out[exclude] = 0.0
        return out

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
