"""TF-IDF cosine similarity in plain NumPy, through an inverted index.

Why not scikit-learn: every `ask` builds the live index, and importing scikit-learn and
SciPy costs more than a second on a small machine. The weighting is scikit-learn's
`TfidfVectorizer(sublinear_tf=True)` (smoothed idf, L2-normalised rows), so scores are
the same; a query only touches the postings of its own terms.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["TfidfIndex", "char_wb_ngrams"]


def char_wb_ngrams(text: str, low: int = 2, high: int = 4) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space (sklearn's char_wb)."""
    grams: list[str] = []
    for word in text.split():  # any run of whitespace separates words, as in sklearn
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                grams.append(padded)  # a short word counts once
                break
            grams += [padded[i : i + n] for i in range(size - n + 1)]
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
        # The weights of all postings at once, with the arithmetic of a per-row loop (a
        # cold `ask` builds two of these indexes): the same float64 products and quotients
        # elementwise, 1 + log(k) from math.log, and each row's squares summed in order by
        # Python's sum, so every weight is the one `(1 + log k) * idf / norm` gives.
        ids = {t: i for i, t in enumerate(self.idf)}  # first appearance, rows in order
        term_of = np.fromiter((ids[t] for c in counts for t in c), np.int64)
        tf_count = np.fromiter((k for c in counts for k in c.values()), np.int64)
        lengths = np.fromiter((len(c) for c in counts), np.int64, count=n)
        top = int(tf_count.max()) if tf_count.size else 0
        sublinear = np.array([0.0, *(1.0 + math.log(k) for k in range(1, top + 1))])
        values = sublinear[tf_count] * np.fromiter(self.idf.values(), np.float64)[term_of]
        squares = (values * values).tolist()
        ends = np.cumsum(lengths).tolist()
        norms = [math.sqrt(sum(squares[e - k : e])) or 1.0
                 for e, k in zip(ends, lengths.tolist(), strict=True)]
        weights = values / np.repeat(np.asarray(norms, dtype=np.float64), lengths)
        order = np.argsort(term_of, kind="stable")  # stable: rows stay ascending per term
        self._rows = np.repeat(np.arange(n, dtype=np.int64), lengths)[order]
        self._weights = weights[order].astype(np.float32)
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
