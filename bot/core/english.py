"""Is this an ordinary English word? The guard that keeps fuzzy name matching honest.

"German", "really" and "grammar" are a letter or two from some tool's name, but
they are words, so they are never read as a misspelt tool. The list is data
(bot/core/data/english_words.txt, see scripts/build_english_words.py), loaded once.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["common_words", "english_words", "is_english_word", "near_english"]

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


@lru_cache(maxsize=1)
def _by_shape() -> dict[tuple[str, int], tuple[str, ...]]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for word in _listed():
        grouped.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(group) for key, group in grouped.items()}


@lru_cache(maxsize=4096)
def near_english(word: str, limit: int = 1) -> tuple[tuple[str, int], ...]:
    """Common English words at most `limit` edits from `word` (same first letter), with
    their distances: "descripton" is a typo of "description" before it is one of a
    product called "Descript", and "draftin a responce" is no product's name."""
    word = word.lower()
    if not word:
        return ()
    shapes = _by_shape()
    candidates = [
        w
        for length in range(len(word) - limit, len(word) + limit + 1)
        for w in shapes.get((word[0], length), ())
    ]
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    return tuple((w, int(d)) for w, d, _ in found)
