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

A word the policy writes whole and the message splits in two ("proof reading", "work
flow", "news letter" beside the policy's "proofread", "workflow", "newsletter") is joined:
otherwise the word half shares no word with the use case and the model reads two everyday
words whose meaning is not the compound's. Only the policy's own words of SHORTEST letters
or more are made (or one of them with an inflection: "proof reading" -> "proofreading");
two words that only happen to spell some English word stay apart, and so does a pair the
policy itself also writes apart ("time zone" beside "timezone").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.english import common_words, english_words, is_english_word

__all__ = ["SHORTEST", "Vocabulary", "correct_spelling", "join_compounds", "vocabulary_of"]

class Vocabulary(NamedTuple):
    """A policy's own lowercase words: a set (a correct word is looked up, not searched) and
    the candidates for a typo by first letter and length (in order, so that a tie always
    resolves the same way)."""

    known: frozenset[str]
    by_shape: dict[tuple[str, int], tuple[str, ...]]
    #: Adjacent word pairs of the texts ("time zone"): a pair the policy itself writes
    #: apart is never joined, even where it also writes it whole.
    pairs: frozenset[str] = frozenset()


def _shapes(words: Iterable[str]) -> dict[tuple[str, int], tuple[str, ...]]:
    grouped: dict[tuple[str, int], list[str]] = {}
    for word in words:
        grouped.setdefault((word[0], len(word)), []).append(word)
    return {key: tuple(group) for key, group in grouped.items()}


def vocabulary_of(texts: Iterable[str]) -> Vocabulary:
    """The words of four letters or more in `texts` (a policy's examples, names ...)."""
    texts = list(texts)
    words = sorted({w for t in texts for w in re.findall(r"[a-z]{4,}", t.lower())})
    pairs: set[str] = set()
    for text in texts:
        tokens = re.findall(r"[a-z]+", text.lower())
        pairs.update(f"{a} {b}" for a, b in pairwise(tokens))
    return Vocabulary(frozenset(words), _shapes(words), frozenset(pairs))


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
    """`text` with its misspelt words mended and its split compounds joined (module
    docstring); `vocabulary`: the policy's own words (`vocabulary_of`), preferred over
    general English."""
    return join_compounds(_WORD.sub(lambda m: _fix(m.group(0), vocabulary), text), vocabulary)


#: A joined word must be at least this long: short joins ("in to", "any way") are
#: ordinary phrases far more often than split compounds.
SHORTEST = 7
_HALF = re.compile(r"(?<![\w'@./-])[a-z]{3,}(?![\w'@/-])", re.IGNORECASE)
_ENDINGS = ("", "s", "es", "ed", "ing", "er", "ers")
#: Words that are a phrase's own, never half of a compound: "some things", "out back",
#: "after noon", "roll over" are meant as two words even where the joined word exists.
_NEVER_HALF = frozenset(
    "the and for but nor yet any some every each all one out over under back after before "
    "off down with into onto upon where what when who how why there here your our his her "
    "its their can may will not".split()
)


def _joined(first: str, second: str, vocabulary: Vocabulary) -> str | None:
    pair = f"{first} {second}".lower()
    if first.lower() in _NEVER_HALF or second.lower() in _NEVER_HALF or pair in vocabulary.pairs:
        return None
    whole = (first + second).lower()
    for ending in _ENDINGS:
        stem = whole[: len(whole) - len(ending)]
        if whole.endswith(ending) and len(stem) >= SHORTEST and stem in vocabulary.known:
            return whole
    return None


def join_compounds(text: str, vocabulary: Vocabulary) -> str:
    """`text` with each pair of words that spells one of the policy's words written whole."""
    if not vocabulary.known:
        return text
    halves = list(_HALF.finditer(text))
    out: list[str] = []
    end = i = 0
    while i < len(halves) - 1:
        first, second = halves[i], halves[i + 1]
        joined = (_joined(first.group(), second.group(), vocabulary)
                  if text[first.end() : second.start()] == " " else None)
        if joined is None:
            i += 1
            continue
        out += [text[end : first.start()], joined]
        end = second.end()
        i += 2
    return "".join(out) + text[end:]
