"""Find names in a message: exact, run together ("chat gpt"), possessive, or misspelt.

One index serves the policy's tools and the catalogue of well-known AI products.
Names are compared in a compact form (lowercase, no spaces, dots or hyphens), so
"Chat GPT", "chat-gpt" and "ChatGPT's" all meet "chatgpt". A misspelling is only
considered for a word that is not an ordinary English word (see `english`), starts
with the same letter and is one or two edits away: "geminy" is Gemini, "German" never is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.core.english import is_english_word, near_english

__all__ = ["NameHit", "NameIndex", "compact", "message_words"]

_MAX_WORDS = 6
# Words too common in questions to ever be (part of) a misspelt name.
_NEVER_FUZZY = frozenset(
    "what which where when does doesnt dont cant wont should could would there their about "
    "with from into this that these those have please thanks hello".split()
)


# The plural last word of a name of three words or more ("consumer ai tools").
_PLURAL = re.compile(r"[a-z]{2,}[^s]s")


def compact(words: Sequence[str]) -> str:
    return "".join(words).replace("-", "").replace("'", "")


def message_words(normalized: str) -> list[str]:
    return normalized.split()


@dataclass(frozen=True)
class NameHit:
    """A name found at words[start:end]; `fuzzy` when it was a misspelling."""

    key: str
    start: int
    end: int
    fuzzy: bool = False


def _all_words(span: Sequence[str]) -> bool:
    return all(is_english_word(w) for w in span)


def _max_distance(length: int) -> int:
    return 1 if length <= 7 else 2


class NameIndex:
    """Names (each a list of already-normalized spellings) of keyed things."""

    def __init__(
        self,
        entries: Iterable[tuple[str, Sequence[str]]],
        *,
        fuzzy: bool = True,
        not_fuzzy: frozenset[str] = frozenset(),
    ) -> None:
        """`not_fuzzy`: names that are also everyday words ("motion") take no typos."""
        self._exact: dict[str, str] = {}
        # Spellings as written, words and all, in the policy's order (a dict, not a set:
        # the typo candidates below are tried in this order, and a set's order changes
        # with the process's hash seed, so the same message could meet a different name
        # after a restart).
        self._spaced: dict[str, None] = {}
        self._longest = 1
        for key, spellings in entries:
            for spelling in spellings:
                words = spelling.split()
                if not words:
                    continue
                forms = [words]
                # "consumer ai tools" is also met as "a consumer ai tool"
                if len(words) >= 3 and _PLURAL.fullmatch(words[-1]):
                    forms.append([*words[:-1], words[-1][:-1]])
                for form in forms:
                    self._exact.setdefault(compact(form), key)
                    self._spaced[" ".join(form)] = None
                self._longest = max(self._longest, min(len(words), _MAX_WORDS))
        # Every beginning of a name's compact form: a span that spells none can't grow
        # into a name, so the look-up stops there.
        self._prefixes = {form[:end] for form in self._exact for end in range(1, len(form) + 1)}
        # Words of names that are no plain words ("chatgpt", "copilot" in "copilot chat"):
        # a typo of one is corrected before names are looked up, so "coplot chat" and
        # "chatgtp free version" still meet the multi-word names they mean.
        self._name_words: dict[str, None] = (
            dict.fromkeys(
                w
                for form in self._spaced
                for w in form.split()
                if len(w) >= 4 and w.isalpha() and w not in not_fuzzy
            )
            if fuzzy
            else {}
        )
        # Single-word names of 4+ letters are candidates for typo matching.
        self._fuzzy = (
            {
                n: k
                for n, k in self._exact.items()
                if len(n) >= 4 and n.isalpha() and n not in not_fuzzy
            }
            if fuzzy
            else {}
        )

        # Typo candidates by first letter: a typo keeps its first letter, and a policy
        # of a thousand tools must not be scanned word by word.
        self._words_by_letter: dict[str, list[str]] = {}
        for w in self._name_words:
            self._words_by_letter.setdefault(w[0], []).append(w)
        self._fuzzy_by_letter: dict[str, list[tuple[str, str]]] = {}
        for n, k in self._fuzzy.items():
            self._fuzzy_by_letter.setdefault(n[0], []).append((n, k))

    def __contains__(self, spelling: str) -> bool:
        return compact(spelling.split()) in self._exact

    def find(self, words: Sequence[str]) -> list[NameHit]:
        """Non-overlapping names in the words, longest first at each position."""
        fixed = [self._correct(w) for w in words]
        hits: list[NameHit] = []
        i = 0
        while i < len(fixed):
            hit = self._at(fixed, i)
            if hit is not None:
                typo = any(fixed[j] != words[j] for j in range(hit.start, hit.end))
                hits.append(NameHit(hit.key, hit.start, hit.end, hit.fuzzy or typo))
                i = hit.end
            else:
                i += 1
        return hits

    def _correct(self, word: str) -> str:
        """The name word a typo stands for ("coplot" -> "copilot"), else the word itself."""
        if word in self._name_words or not self._name_words or not self._may_be_typo(word):
            return word
        limit = _max_distance(len(word))
        best: tuple[int, str] | None = None
        for name in self._words_by_letter.get(word[0], ()):
            if abs(len(name) - len(word)) > limit:
                continue
            distance = OSA.distance(word, name, score_cutoff=limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, name)
        return best[1] if best and not self._english_typo(word, best[0]) else word

    def _at(self, words: Sequence[str], i: int) -> NameHit | None:
        # The longest name from word i on: spans grow one word at a time, and stop once
        # no name starts with what they spell (most words start none).
        found: NameHit | None = None
        form = ""
        for n in range(1, min(self._longest, len(words) - i) + 1):
            form += compact(words[i + n - 1 : i + n])
            named, key = form, self._exact.get(form)
            if key is None and len(form) >= 5 and form.endswith("s"):  # "chatgpt's", "SSNs"
                named, key = form[:-1], self._exact.get(form[:-1])
            if key is not None:
                span = words[i : i + n]
                # "use motion" is not "usemotion"; "chat gpt" is "chatgpt"; and one plain
                # word is no name written in parts ("did" is not "D-ID")
                whole = named in self._spaced if n == 1 else " ".join(span) in self._spaced
                if whole or not _all_words(span):
                    found = NameHit(key, i, i + n)
            if form not in self._prefixes:
                break
        if found is not None:
            return found
        word = words[i]
        if self._fuzzy and self._may_be_typo(word):
            limit = _max_distance(len(word))
            best: tuple[int, str] | None = None
            for name, key in self._fuzzy_by_letter.get(word[0], ()):
                if abs(len(name) - len(word)) > limit:
                    continue
                distance = OSA.distance(word, name, score_cutoff=limit)
                if distance <= limit and (best is None or distance < best[0]):
                    best = (distance, key)
            if best is not None and not self._english_typo(word, best[0]):
                return NameHit(best[1], i, i + 1, fuzzy=True)
        return None

    def _english_typo(self, word: str, distance: int) -> bool:
        """A typo nearer to a plain word than to the name ("descripton" is "description"
        one edit away, "Descript" two): the word is what was meant. Names that are also
        words ("gemini") don't count, so "geminy" is still Gemini."""
        return any(
            d < distance and w not in self._exact for w, d in near_english(word, distance)
        )

    @staticmethod
    def _may_be_typo(word: str) -> bool:
        return (
            len(word) >= 4
            and word.isalpha()
            and word not in _NEVER_FUZZY
            and not is_english_word(word)
        )
