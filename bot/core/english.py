"""Is this an ordinary English word? The guard that keeps fuzzy name matching honest.

"German", "really" and "grammar" are a letter or two from some tool's name, but
they are words, so they are never read as a misspelt tool. The list is data
(bot/core/data/english_words.txt, see scripts/build_english_words.py), loaded once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["common_words", "english_words", "is_english_word"]

_WORDS = Path(__file__).resolve().parent / "data" / "english_words.txt"
_SUFFIXES = ("'s", "s", "es", "ed", "d", "ing", "er", "ers", "ly", "ies")


@lru_cache(maxsize=1)
def _listed() -> tuple[str, ...]:
    text = _WORDS.read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The same words as a set, for membership tests (built once, shared by every reader)."""
    return frozenset(_listed())


def english_words() -> tuple[str, ...]:
    """The common English words (lowercase, in the list's alphabetical order), loaded once."""
    return _listed()


@lru_cache(maxsize=16384)
def is_english_word(word: str) -> bool:
    """True for a common English word or a regular inflection of one ("summarised")."""
    word = word.lower().strip("'")
    words = common_words()
    if word in words:
        return True
    if "ise" in word and word.replace("ise", "ize") in words:  # British -ise spellings
        return True
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if base in words or base + "e" in words or (suffix == "ies" and base + "y" in words):
                return True
    return False
