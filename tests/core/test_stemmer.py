"""The stemmer behind every word index: snowballstemmer's C backend (PyStemmer), with the
stems of snowballstemmer's own pure-Python English stemmer.

PyStemmer is a dependency because stemming was a tenth of a cold `ask` (a policy's and
small talk's vocabulary, some 1,000 words, at about 55 µs a word in pure Python). It must
never change an answer: the same stems, word for word, as the pure-Python algorithm.
"""

from __future__ import annotations

import re
from pathlib import Path

from snowballstemmer.english_stemmer import EnglishStemmer

from bot.core.english import english_words
from bot.core.matching import text
from bot.settings import ROOT

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def _vocabulary() -> list[str]:
    """English words, and every word of the sample policy, small talk and the tests' data."""
    words = set(english_words())
    files = [*Path(ROOT / "policies").glob("*.yaml"), *Path(ROOT / "bot").rglob("*.yaml"),
             *Path(ROOT / "tests" / "fixtures").rglob("*.y*ml")]
    for path in files:
        words.update(_WORD.findall(path.read_text(encoding="utf-8").lower()))
    return sorted(words)


def test_the_default_install_stems_with_the_c_backend() -> None:
    assert type(text._STEMMER).__module__ == "Stemmer"


def test_the_c_backend_stems_like_the_pure_python_algorithm() -> None:
    python = EnglishStemmer()
    vocabulary = _vocabulary()
    assert len(vocabulary) > 40_000
    differ = [(w, s) for w, s in zip(vocabulary, text._STEMMER.stemWords(vocabulary),
                                     strict=True) if s != python.stemWord(w)]
    assert differ == []
