"""The NumPy TF-IDF index scores as scikit-learn's TfidfVectorizer(sublinear_tf=True) does."""

from __future__ import annotations

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
