"""The NumPy TF-IDF index scores as scikit-learn's TfidfVectorizer(sublinear_tf=True) does."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.core.matching.tfidf import TfidfIndex, char_wb_ngrams

TEXTS = [
    "summarize a long pdf report",
    "summarize meeting notes and summarize the minutes",
    "translate a contract into german",
    "write python code",
    "",
    "draft an email to a customer about a late delivery",
    "transcribe an interview recording",
]
QUERIES = ["summarize the pdf", "translate this email", "python python code", "nothing known"]


def _words(text: str) -> list[str]:
    return text.split()


def test_scores_match_scikit_learn_for_words_and_character_ngrams() -> None:
    for analyzer in (_words, lambda t: char_wb_ngrams(t, 2, 4)):
        index = TfidfIndex(TEXTS, analyzer)
        reference = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True).fit(TEXTS)
        rows = reference.transform(TEXTS)
        for query in QUERIES:
            expected = (rows @ reference.transform([query]).T).toarray().ravel()
            np.testing.assert_allclose(index.similarities(query), expected, atol=1e-6)


def test_excluded_rows_score_zero_and_unknown_terms_score_nothing() -> None:
    index = TfidfIndex(TEXTS, _words)
    scores = index.similarities_of_terms(["summarize", "pdf"], exclude=np.array([0]))
    assert scores[0] == 0.0
    assert scores[1] > 0.0
    assert not index.similarities("zebra quantum").any()
    assert TfidfIndex([], _words).similarities("anything").shape == (0,)


def test_weights_are_bit_identical_to_the_per_row_definition() -> None:
    """The index computes all weights at once; each must be exactly the float a row-by-row
    loop gives (answers compare scores against thresholds), not merely close to it."""
    texts = [*TEXTS, "a a a a b", "b b c", "ünïcödé words\u00a0and\ttabs", "x"]
    for analyzer in (_words, lambda t: char_wb_ngrams(t, 2, 4)):
        index = TfidfIndex(texts, analyzer)
        for row, text in enumerate(texts):
            counts = Counter(analyzer(text))
            vec = [(t, (1.0 + math.log(k)) * index.idf[t]) for t, k in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in vec)) or 1.0
            for term, value in vec:
                start, end = index._spans[term]
                [at] = np.flatnonzero(index._rows[start:end] == row)
                assert index._weights[start + at] == np.float32(value / norm)


def test_character_ngrams_are_scikit_learns_on_any_whitespace() -> None:
    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    for text in ["", " a ", "two  words", "tab\tand\nline", "nb\u00a0space\u2003em", "ab"]:
        assert char_wb_ngrams(text, 2, 4) == analyzer(text)
