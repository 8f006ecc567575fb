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

from bot.core.english import common_words, english_words, is_english_word

__all__ = ["Vocabulary", "correct_spelling", "vocabulary_of"]

class Vocabulary(NamedTuple):
    """A policy's own lowercase words: a set (a correct word is looked up, not searched) and
    the candidates for a typo by first letter and length (in order, so that a tie always
    resolves the same way)."""

    known: frozenset[str]
    by_shape: dict[tuple[str, int], tuple[str, ...]]


def _shapes(words: Iterable[str]) -> dict[tuple[str, int], tuple[str, ...]]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for word in words:
        grouped.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(group) for key, group in grouped.items()}


def vocabulary_of(texts: Iterable[str]) -> Vocabulary:
    """The words of four letters or more in `texts` (a policy's examples, names ...)."""
    words = sorted({w for t in texts for w in re.findall(r"[a-z]{4,}", t.lower())})
    return Vocabulary(frozenset(words), _shapes(words))


def _candidates(shapes: dict[tuple[str, int], tuple[str, ...]], word: str, limit: int) -> list[str]:
    """Words with the same first letter and a length within `limit` of `word`'s."""
    out: list[str] = []
    for length in range(len(word) - limit, len(word) + limit + 1):
        out.extend(shapes.get((word[0], length), ()))
    return out


_NONE = Vocabulary(frozenset(), {})
_WORD = re.compile(r"(?<![\w'@./-])[a-z]{4,}(?![\w'@/-])")
_LONG = 8  # from this many letters, two edits are allowed


@lru_cache(maxsize=1)
def _english_shapes() -> dict[tuple[str, int], tuple[str, ...]]:
    """Common English words by first letter and length (the candidates for a typo)."""
    return _shapes(english_words())


def _closest(word: str, candidates: Sequence[str], limit: int) -> str | None:
    """The one candidate nearest to `word` within `limit` edits (None on a tie or none)."""
    hits = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
    if not hits:
        return None
    best = min(d for _, d, _ in hits)
    nearest = {c for c, d, _ in hits if d == best}
    return nearest.pop() if len(nearest) == 1 else None


def _fix(word: str, vocabulary: Vocabulary) -> str:
    if word in vocabulary.known or word in common_words():
        return word
    limit = 1 if len(word) < _LONG else 2
    own = _closest(word, _candidates(vocabulary.by_shape, word, limit), limit)
    if own is not None:
        return own  # "meating" -> the policy's "meeting", though "meat" + "ing" is English
    if is_english_word(word):
        return word
    common = _closest(word, _candidates(_english_shapes(), word, limit), limit)
    return common if common is not None else word


def correct_spelling(text: str, vocabulary: Vocabulary = _NONE) -> str:
    """`text` with its misspelt words mended (module docstring); `vocabulary`: the policy's
    own words (`vocabulary_of`), preferred over general English."""
    return _WORD.sub(lambda m: _fix(m.group(0), vocabulary), text)
