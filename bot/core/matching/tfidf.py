"""TF-IDF cosine similarity in plain NumPy, through an inverted index.

Why not scikit-learn: every `ask` builds the live index, and importing scikit-learn and
SciPy costs more than a second on a small machine. The weighting is scikit-learn's
`TfidfVectorizer(sublinear_tf=True)` (smoothed idf, L2-normalised rows), so scores are
the same; a query only touches the postings of its own terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["TfidfIndex", "char_wb_ngrams"]

_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int = 2, high: int = 4) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (sklearn's char_wb)."""
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        for n in range(low, high + 1):
            if len(padded) <= n:
                grams.append(padded)  # a short word counts once
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


class TfidfIndex:
    """Cosine of a text's TF-IDF vector to every indexed text (rows in index order).

    The postings of all terms live in two flat arrays (rows and weights, grouped by term,
    rows ascending), and each term maps to its slice: building the index makes three
    NumPy arrays, not two per term (a policy of 15,000 examples has some 20,000 terms).
    """

    def __init__(self, texts: Sequence[str], analyzer: Callable[[str], list[str]]) -> None:
        self.analyzer = analyzer
        self.size = len(texts)
        counts = [Counter(analyzer(t)) for t in texts]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = self.size
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        self.max_idf = math.log(1 + n) + 1.0
        ids: dict[str, int] = {}
        terms: list[int] = []
        rows: list[int] = []
        weights: list[float] = []
        idf = self.idf
        for row, c in enumerate(counts):
            vec = [(t, (1.0 + math.log(k)) * idf[t]) for t, k in c.items()]
            norm = math.sqrt(sum(v * v for _, v in vec)) or 1.0
            terms.extend([ids.setdefault(t, len(ids)) for t, _ in vec])
            weights.extend([v / norm for _, v in vec])
            rows.extend([row] * len(vec))
        term_of = np.asarray(terms, dtype=np.int64)
        order = np.argsort(term_of, kind="stable")  # stable: rows stay ascending per term
        self._rows = np.asarray(rows, dtype=np.int64)[order]
        self._weights = np.asarray(weights, dtype=np.float64)[order].astype(np.float32)
        bounds = np.searchsorted(term_of[order], np.arange(len(ids) + 1)).tolist()
        self._spans = {t: (bounds[i], bounds[i + 1]) for t, i in ids.items()}

    def similarities_of_terms(
        self, terms: list[str], exclude: np.ndarray | int | None = None
    ) -> np.ndarray:
        """Cosine of already-analyzed terms to every row (`exclude`: rows scored 0)."""
        out = np.zeros(self.size, dtype=np.float32)
        vec = {
            t: (1.0 + math.log(k)) * self.idf[t] for t, k in Counter(terms).items() if t in self.idf
        }
        # The query's norm counts its unknown terms too, as a fitted vectorizer's would not:
        # sklearn drops them, so do we.
        norm = math.sqrt(sum(v * v for v in vec.values()))
        if not norm:
            return out
        for t, v in vec.items():
            start, end = self._spans[t]
            out[self._rows[start:end]] += self._weights[start:end] * (v / norm)
        if exclude is not None:
            out[exclude] = 0.0
        return out

    def similarities(self, text: str) -> np.ndarray:
        """Cosine of `text` to every row."""
        return self.similarities_of_terms(self.analyzer(text))
