"""The default matcher: TF-IDF words + character n-grams and one linear SVM per use case.

Why this design:
- Word 1-2-grams over normalized, stemmed, synonym-expanded tokens carry the meaning;
  character 2-5-grams (within word boundaries) keep misspellings ("sumarize") close.
- One-vs-rest linear SVMs give each use case its own yes/no margin. Unlike a softmax
  probability, a margin does not shrink as the number of use cases grows, so a threshold
  picked on CLINC150's 150 intents still means something on a 15-use-case policy.
- Each SVM trains on its positives plus the hardest negatives (those closest to its
  centroid) and a random sample: the margin only depends on examples near it, and this
  keeps the full CLINC150 fit (15,000 examples) to a few seconds.
- The score blends the squashed margin with the cosine to the closest example of that
  use case, so a message must both fall on the right side of the boundary and resemble
  something the IT team wrote down. Both parts are in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize
from sklearn.svm import LinearSVC

from bot.core.matching.base import Intent, Scored
from bot.core.matching.text import (
    KnownWords,
    analyze,
    intent_texts,
    normalize,
    snap_to_known,
)

__all__ = ["LexicalMatcher", "OneVsRestHead", "flatten_intents", "top_k", "word_ngrams"]

_SEED = 0
#: A dense array or a scipy.sparse CSR matrix (scipy ships no type information).
Matrix: TypeAlias = Any


def word_ngrams(doc: str | list[str]) -> list[str]:
    """Stemmed word unigrams and bigrams of a text, or of already-analyzed tokens."""
    toks = analyze(doc) if isinstance(doc, str) else doc
    return toks + [f"{a} {b}" for a, b in pairwise(toks)]


def flatten_intents(intents: Sequence[Intent]) -> tuple[list[str], list[str], np.ndarray]:
    """(ids, texts, labels): intents without any text are dropped; labels are sorted."""
    ids: list[str] = []
    texts: list[str] = []
    labels: list[int] = []
    for intent in intents:
        own = intent_texts(intent.name, intent.description, intent.examples)
        if own:
            labels.extend([len(ids)] * len(own))
            texts.extend(own)
            ids.append(intent.id)
    return ids, texts, np.asarray(labels, dtype=np.int64)


def top_k(ids: list[str], scores: np.ndarray, k: int) -> list[Scored]:
    """Best `k` as Scored, best first; ties keep the policy's order (deterministic)."""
    if scores.size == 0 or k <= 0:
        return []
    order = np.argsort(-scores, kind="stable")[:k]
    return [Scored(ids[i], float(scores[i])) for i in order]


def _dense(m: Matrix) -> np.ndarray:
    return np.asarray(m.todense() if sp.issparse(m) else m)


class OneVsRestHead:
    """Per-intent linear SVMs + nearest-example cosine over L2-normalized feature rows.

    Shared by the lexical (sparse TF-IDF) and semantic (dense embedding) backends.
    """

    def __init__(
        self,
        *,
        c: float = 1.0,
        margin_scale: float = 3.0,
        cosine_weight: float = 0.3,
        hard_negatives: int = 1500,
        random_negatives: int = 500,
        balanced: bool = True,
    ) -> None:
        self.c = c
        self.margin_scale = margin_scale
        self.cosine_weight = cosine_weight
        self.hard_negatives = hard_negatives
        self.random_negatives = random_negatives
        self.balanced = balanced
        self.n = 0
        self._examples_t: Matrix | None = None  # (n_features, n_examples)
        self._starts = np.zeros(0, dtype=np.int64)  # first example row of each intent
        self._weights = np.zeros((0, 0), dtype=np.float32)  # (n_features, n_intents)
        self._bias = np.zeros(0)

    def fit(self, x: Matrix, y: np.ndarray, n: int) -> None:
        """Train on rows `x` (L2-normalized) whose sorted labels `y` run 0..n-1."""
        self.n = n
        self._starts = np.searchsorted(y, np.arange(n))
        t = x.T
        self._examples_t = t.tocsr().astype(np.float32) if sp.issparse(t) else (
            np.ascontiguousarray(t, dtype=np.float32))
        self._weights = np.zeros((x.shape[1], n), dtype=np.float32)
        self._bias = np.zeros(n)
        if n < 2:
            return  # nothing to contrast with: the cosine carries the score
        sizes = np.bincount(y, minlength=n)
        centroids = l2_normalize(np.vstack([_dense(x[y == j].mean(axis=0)) for j in range(n)]))
        closeness = _dense(x @ centroids.T)
        rng = np.random.default_rng(_SEED)
        weight = "balanced" if self.balanced else None
        for j in range(n):
            rows = self._rows(j, y, closeness[:, j], int(sizes[j]), rng)
            svm = LinearSVC(C=self.c, tol=0.1, random_state=_SEED, class_weight=weight)
            svm.fit(x[rows], (y[rows] == j).astype(np.int8))
            self._weights[:, j] = svm.coef_[0]
            self._bias[j] = svm.intercept_[0]

    def _rows(
        self, j: int, y: np.ndarray, closeness: np.ndarray, size: int, rng: np.random.Generator
    ) -> np.ndarray:
        """Rows for intent j's SVM: all positives, the closest negatives, a random sample."""
        negatives = np.flatnonzero(y != j)
        if len(negatives) > self.hard_negatives + self.random_negatives:
            order = np.argsort(-closeness[negatives], kind="stable")
            hard = negatives[order[: self.hard_negatives]]
            rest = negatives[order[self.hard_negatives :]]
            easy = rng.choice(rest, size=self.random_negatives, replace=False)
            negatives = np.concatenate([hard, easy])
        start = int(self._starts[j])
        return np.sort(np.concatenate([np.arange(start, start + size), negatives]))

    def scores(self, q: Matrix) -> np.ndarray:
        """Scores in [0, 1], one row per L2-normalized query row, one column per intent."""
        if self.n == 0 or self._examples_t is None:
            return np.zeros((q.shape[0], 0))
        q = q.astype(np.float32)  # same dtype as the index: no per-query upcast copy of it
        sims = _dense(q @ self._examples_t)
        nearest = np.clip(np.maximum.reduceat(sims, self._starts, axis=1), 0.0, 1.0)
        if self.n == 1:
            return nearest
        margins = _dense(q @ self._weights) + self._bias
        squashed = 1.0 / (1.0 + np.exp(-self.margin_scale * margins))
        w = self.cosine_weight
        return (1.0 - w) * squashed + w * nearest


class LexicalMatcher:
    """TF-IDF (stemmed words + char n-grams) features under a OneVsRestHead."""

    name = "lexical"
    #: Picked on CLINC150 val + oos_val, 10 examples per intent (the size real policies
    #: have): the highest threshold costing <= 2 points of val in-scope accuracy.
    #: See docs/benchmarks.md, "Matching (CLINC150)".
    default_threshold = 0.20

    def __init__(self, coverage_power: float = 1.0, **head_options: float) -> None:
        self.coverage_power = coverage_power
        self._head_options = head_options
        self._ids: list[str] = []
        self._word: TfidfVectorizer | None = None
        self._char: TfidfVectorizer | None = None
        self._unigrams = KnownWords(())
        self._head = OneVsRestHead(**head_options)  # type: ignore[arg-type]

    def fit(self, intents: Sequence[Intent]) -> None:
        """Build the vectorizers and the head from the use cases' texts."""
        self._ids, texts, y = flatten_intents(intents)
        self._head = OneVsRestHead(**self._head_options)  # type: ignore[arg-type]
        self._word = self._char = None
        if not self._ids:
            return
        self._word = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True)
        self._char = TfidfVectorizer(
            analyzer="char_wb",
            preprocessor=normalize,
            ngram_range=(2, 5),
            sublinear_tf=True,
            min_df=2 if len(texts) >= 5000 else 1,
        )
        x = self._stack(self._word.fit_transform(texts), self._char.fit_transform(texts))
        for vec in (self._word, self._char):
            vec.stop_words_ = set()  # sklearn keeps every pruned n-gram here; not needed.
        self._unigrams = KnownWords(sorted(t for t in self._word.vocabulary_ if " " not in t))
        self._head.fit(x, y, len(self._ids))

    @staticmethod
    def _stack(words: sp.spmatrix, chars: sp.spmatrix) -> sp.csr_matrix:
        return l2_normalize(sp.hstack([words, chars], format="csr"))

    def scores(self, text: str) -> np.ndarray:
        """Score in [0, 1] for every fitted intent (in fit order); empty when unfitted."""
        if self._word is None or self._char is None:
            return np.zeros(0)
        tokens = self._spell_fix(analyze(text))
        scores = self._head.scores(
            self._stack(self._word.transform([tokens]), self._char.transform([text]))
        )[0]
        return scores * self.coverage(tokens) ** self.coverage_power

    def _spell_fix(self, tokens: list[str]) -> list[str]:
        """Swap unknown stems for a known one at most one or two edits away ("sumar")."""
        if not self._unigrams:
            return tokens
        return snap_to_known(tokens, self._unigrams, min_len=4, long_from=7)

    def coverage(self, tokens: list[str]) -> float:
        """Share of the message's word weight (idf) that the policy's texts know.

        Why: with few use cases, every SVM has seen few words, so a message made of
        words no use case mentions ("book a flight to Berlin") gets a middling margin
        by default. Scaling by known-word share keeps such messages low at any size.
        """
        if self._word is None:
            return 0.0
        vocab, idf = self._word.vocabulary_, self._word.idf_
        unknown = float(idf.max())
        if not tokens:
            return 0.0
        weights = [(float(idf[vocab[t]]), True) if t in vocab else (unknown, False) for t in tokens]
        total = sum(w for w, _ in weights)
        return sum(w for w, known in weights if known) / total

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        """Best `k` intents for `text`, best first."""
        return top_k(self._ids, self.scores(text), k)

    def rank_many(self, texts: Sequence[str], k: int = 3) -> list[list[Scored]]:
        """`rank` for many texts at once: one sparse product per batch instead of one per text.

        Same scores as `rank` (what-if replay ranks thousands of logged questions).
        """
        if self._word is None or self._char is None or not texts:
            return [[] for _ in texts]
        tokens = [self._spell_fix(analyze(t)) for t in texts]
        scores = self._head.scores(
            self._stack(self._word.transform(tokens), self._char.transform(list(texts)))
        )
        cover = np.array([self.coverage(t) for t in tokens]) ** self.coverage_power
        scores = scores * cover[:, None]
        return [top_k(self._ids, row, k) for row in scores]

