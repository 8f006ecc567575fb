"""Red-line triggers people can rely on: any word order, plurals, stems, light typos, negation.

A trigger such as "customer data" fires on "data about our customers" (its words
within a short window, in any order), on "customers' data", on "custmer data" (a
typo of a non-word), and on "SSNs" for "SSN"; it does not fire on "no customer data
in it" or "without any patient names", where the data is explicitly absent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.core.english import is_english_word
from bot.core.matching.text import normalize, stem_tokens
from bot.core.redline_mentions import CLAUSE, FILLER, by_people, negated, topic, year_level
from bot.policy.models import RedLine

__all__ = ["RedLineMatcher"]

_FILLER = FILLER
_CLAUSE_WORDS = CLAUSE
# Other words allowed between two words of a trigger read in its order.
_GAP = 3


def _stem(word: str) -> str:
    """A word's stem; a hyphenated one part by part, so "decision-makers" (people) stays
    apart from "decision-making" (the act): stemmed whole, both are "decision-mak"."""
    if "-" in word.strip("-"):
        return "-".join(stem_tokens([part])[0] if part else part for part in word.split("-"))
    return stem_tokens([word])[0]


@lru_cache(maxsize=65536)
def _forms(word: str) -> frozenset[str]:
    """A message word as a trigger may spell it: stemmed, singular, acronym plural."""
    forms = {word, _stem(word)}
    if len(word) >= 3 and word.endswith("s"):
        forms.add(word[:-1])  # "ssns" -> "ssn", "apis" -> "api"
        forms.add(_stem(word[:-1]))
    if word.endswith("'s"):
        forms.add(word[:-2])
    if len(word) >= 4 and word.endswith("es"):
        forms.add(word[:-2])  # "likenesses" -> "likeness"
    return frozenset(forms)


@dataclass(frozen=True)
class _Trigger:
    words: tuple[str, ...]  # stemmed content words, in the order written

    @property
    def window(self) -> int:
        return len(self.words) + 2


@lru_cache(maxsize=8192)
def _parse(text: str) -> tuple[tuple[str, ...], _Trigger | None]:
    """A trigger's normalized words and its stemmed form (cached: theme phrases recur in
    every policy)."""
    return tuple(normalize(text).split()), _trigger(text)


def _trigger(text: str) -> _Trigger | None:
    words = [w for w in normalize(text).split() if w not in _FILLER]
    stems = tuple(_trigger_stem(w) for w in words)
    return _Trigger(stems) if stems else None


def _trigger_stem(word: str) -> str:
    """A trigger word's stem, unless stemming makes it another everyday word: "likeness"
    must not fire on "I would like", "information" not on "inform" (matched as written,
    plurals included)."""
    stem = _stem(word)
    if len(word) - len(stem) >= 3 and is_english_word(stem):
        return word
    # A person is not the act: "reviewer" must not fire on "my review article", nor
    # "recorder" on "record the webinar" (Snowball stems both to the verb).
    if word == stem + "er" and is_english_word(stem):
        return word
    return stem


def _word_for_word(words: tuple[str, ...]) -> bool:
    """A trigger that is mostly function words around one everyday word ("as my own",
    "for the public") means the phrase: read as its one word it fires on "what pets do
    you own" or any mention of "public"."""
    content = [w for w in words if w not in _FILLER]
    return len(content) == 1 and len(words) - 1 >= 2 and is_english_word(content[0])


class RedLineMatcher:
    """The red lines of one policy version, with their triggers pre-stemmed."""

    def __init__(
        self,
        lines: Sequence[RedLine] | Sequence[tuple[str, Sequence[str]]],
        spell_out: Callable[[str], str] = lambda t: t,
        *,
        not_after: frozenset[str] = frozenset(),
        gaps: bool = False,
        ai_acts: AbstractSet[str] = frozenset(),
    ) -> None:
        """`lines`: red lines, or (red-line id, triggers) pairs (triggers derived from
        elsewhere). `spell_out` is applied to triggers as to messages ("SSN" = "social
        security ..."). `not_after`: words that, just before a trigger, make it a
        question about the act rather than a request for it ("who decides which ...").
        `gaps`: a trigger also fires in its own word order with a few other words
        between its words (for phrases written as people ask, not for IT's own triggers).
        `ai_acts`: red lines that forbid AI an act: people doing it themselves ("so they
        can decide") is no mention of them (`redline_mentions.by_people`)."""
        self._not_after = not_after
        self._ai_acts = ai_acts
        self._gaps = gaps
        pairs = [
            (line.id, list(line.triggers)) if isinstance(line, RedLine) else line
            for line in lines
        ]
        self._lines: list[tuple[str, list[_Trigger]]] = []
        self._phrases: list[tuple[str, str]] = []
        written: set[str] = set()
        # Trigger words as written, for typos: "custmer" is near "customer", not "custom".
        self._spelled: dict[str, str] = {}
        for line_id, triggers in pairs:
            parsed = []
            for text in triggers:
                words, trigger = _parse(spell_out(text))
                written.update(words)
                if trigger is not None and not _word_for_word(words):
                    parsed.append(trigger)
                elif words:  # function words only ("as is"): matched word for word
                    self._phrases.append((line_id, f" {' '.join(words)} "))
                for word in words:
                    if word not in _FILLER and len(word) >= 4 and word not in self._spelled:
                        self._spelled[word] = _trigger_stem(word)
            self._lines.append((line_id, parsed))
        self._vocab = frozenset(w for _, ts in self._lines for t in ts for w in t.words)
        self._written = frozenset(written)

    def triggered(self, text: str, *, literal: bool = False) -> list[str]:
        """Ids of red lines whose triggers the text mentions, negated mentions left out.

        `literal`: only words written as in the trigger, up to a plural or a typo
        ("SSNs", "pasword"), count; "decided" then no longer fires "decide". A request
        is blocked only on literal mentions; looser ones are shown as a caution.
        """
        return self.triggered_words(normalize(text).split(), literal=literal)

    def triggered_words(
        self, words: list[str], *, literal: bool = False, mine: bool = True
    ) -> list[str]:
        """`triggered` for a text already normalized and split into words. `mine=False`:
        one's own data ("my salary", "my w2") is no mention (for derived data triggers
        when nothing goes into a tool: people ask errands about their own things)."""
        positions = self._positions(words, literal=literal)
        padded = f" {' '.join(words)} "
        phrased = {line_id for line_id, phrase in self._phrases if phrase in padded}
        if not positions and not phrased:  # no trigger word at all: most texts
            return []
        return [
            line_id
            for line_id, triggers in self._lines
            if line_id in phrased
            or any(self._fires(t, positions, words, mine, line_id in self._ai_acts)
                   for t in triggers)
        ]

    def _positions(self, words: list[str], *, literal: bool) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            if word in _FILLER or year_level(words, i):
                continue
            hits: AbstractSet[str] = _forms(word) & self._vocab
            if hits and literal and not self._literal(word):
                hits = set()
            if not hits and len(word) >= 5 and word.isalpha() and not is_english_word(word):
                hits = {stem for w, stem in self._spelled.items() if _typo_of(word, w)}
            for stem in hits:
                found.setdefault(stem, []).append(i)
        return found

    def _literal(self, word: str) -> bool:
        bases = {word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("'s")}
        return any(b in self._written or f"{b}s" in self._written for b in bases)

    def _fires(
        self, trigger: _Trigger, positions: dict[str, list[int]], words: list[str],
        mine: bool = True, ai_act: bool = False,
    ) -> bool:
        if not all(w in positions for w in trigger.words):
            return False
        first = trigger.words[0]
        for start in positions[first]:
            span = [start]
            for other in trigger.words[1:]:
                near = [p for p in positions[other] if abs(p - start) < trigger.window]
                if not near:
                    break
                span.append(min(near, key=lambda p: abs(p - start)))
            else:
                if self._clear(span, words, mine, ai_act=ai_act):
                    return True
                continue
            if not self._gaps:
                continue
            # In the order written, a few words between each: "take notes during the
            # local executive call", "minutes of the board meeting".
            span = [start]
            for other in trigger.words[1:]:
                ahead = [p for p in positions[other] if 0 < p - span[-1] <= _GAP + 1]
                if not ahead:
                    break
                span.append(ahead[0])
            else:
                if self._clear(span, words, mine, ai_act=ai_act):
                    return True
        return False

    def _clear(
        self, span: list[int], words: list[str], mine: bool = True, *, ai_act: bool = False
    ) -> bool:
        """Whether a mention at these positions counts: not a question about the act, not
        negated, not a topic (nor, unless `mine`, one's own; nor, for an `ai_act`, the
        people's own act)."""
        start = min(span)
        if ai_act and by_people(words, start, max(span)):
            return False
        if not mine and "my" in words[max(0, start - 2) : start] and (
            words[start - 1] == "my" or words[start - 1] not in _CLAUSE_WORDS
        ):
            return False
        before = [w for w in words[: min(span)] if w not in _FILLER][-1:]
        if before and before[0] in self._not_after:
            return False
        return not negated(words, min(span), max(span), span) and not topic(
            words, min(span), max(span)
        )


def _typo_of(word: str, written: str) -> bool:
    """"pasword" for "password", "custmers" for "customer": one edit, two for long words."""
    if word[0] != written[0]:
        return False
    limit = 1 if len(written) <= 7 else 2
    return any(
        OSA.distance(form, written, score_cutoff=limit) <= limit
        for form in (word, word[:-1] if word.endswith("s") else word)
    )
