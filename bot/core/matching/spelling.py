"""Mend plain misspellings in a message before it is embedded.

Why: the sentence model reads "proofraed my cover leter" as word pieces that mean little,
and scores it far from "proofread this paragraph", so a real job looks like nothing the
policy covers (a false "nothing approved fits"). The word half of the hybrid already snaps
unknown words to the policy's own; this does the same for the text the model reads.

Only lowercase words of four letters or more that are not in the policy nor in the list of
common English words are touched (capitalised names, acronyms, numbers and product names
are kept as typed). Such a word becomes the policy's own word one edit away (two from
eight letters): "meating" -> "meeting"; else it is kept if it reads as an inflection of an
English word, else it becomes the only common English word that close with the same first
letter; when several are equally close it is kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.english import english_words, is_english_word

__all__ = ["Vocabulary", "correct_spelling", "vocabulary_of"]

class Vocabulary(NamedTuple):
    """A policy's own lowercase words: in order (ties resolve the same way every time) and
    as a set (a correct word is looked up, not searched)."""

    words: tuple[str, ...]
    known: frozenset[str]


def vocabulary_of(texts: Iterable[str]) -> Vocabulary:
    """The words of four letters or more in `texts` (a policy's examples, names ...)."""
    words = sorted({w for t in texts for w in re.findall(r"[a-z]{4,}", t.lower())})
    return Vocabulary(tuple(words), frozenset(words))


_NONE = Vocabulary((), frozenset())
_WORD = re.compile(r"(?<![\w'@./-])[a-z]{4,}(?![\w'@/-])")
_LONG = 8  # from this many letters, two edits are allowed


@lru_cache(maxsize=1)
def _listed() -> frozenset[str]:
    return frozenset(english_words())


@lru_cache(maxsize=1)
def _by_initial() -> dict[str, list[str]]:
    """Common English words by first letter (the candidates for one typo), built once."""
    buckets: dict[str, list[str]] = {}
    for word in english_words():
        buckets.setdefault(word[:1], []).append(word)
    return buckets


def _closest(word: str, candidates: Sequence[str], limit: int) -> str | None:
    """The one candidate nearest to `word` within `limit` edits (None on a tie or none)."""
    hits = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not hits:
        return None
    best = min(d for _, d, _ in hits)
    nearest = {c for c, d, _ in hits if d == best}
    return nearest.pop() if len(nearest) == 1 else None


def _fix(word: str, vocabulary: Vocabulary) -> str:
    if word in vocabulary.known or word in _listed():
        return word
    limit = 1 if len(word) < _LONG else 2
    own = _closest(word, vocabulary.words, limit)
    if own is not None:
        return own  # "meating" -> the policy's "meeting", though "meat" + "ing" is English
    if is_english_word(word):
        return word
    common = _closest(word, _by_initial().get(word[0], []), limit)
    return common if common is not None else word


def correct_spelling(text: str, vocabulary: Vocabulary = _NONE) -> str:
    """`text` with its misspelt words mended (module docstring); `vocabulary`: the policy's
    own words (`vocabulary_of`), preferred over general English."""
    return _WORD.sub(lambda m: _fix(m.group(0), vocabulary), text)
