"""Sensitive data about people, however the policy's data classes happen to word it.

Why: a policy's classes give a few examples ("someone's health information", "a
taxpayer's bank details"); employees write "a resident's medical info" or "her FMLA
paperwork". Matched only against the examples, such messages named no data and were
answered "approved" without a data check. A built-in bank of how people name personal
data (bot/core/data/people_data.yaml: health, employment, legal, identity, records about
a person) finds the data, and the policy's own texts say which class holds each kind:
the most sensitive class whose label, description or examples name that kind, else the
most sensitive class that speaks of personal information at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.core.matching.text import normalize, stem_tokens
from bot.core.redline_mentions import negated, topic

__all__ = ["Mention", "PeopleData", "people_bank"]

_FILE = Path(__file__).resolve().parent / "data" / "people_data.yaml"
#: How far apart a subject or owner and its data word may be ("medical info",
#: "records of our residents", "a resident's home address").
_NEAR = 3
_SMALL = frozenset("a an the of for to in on my our your their his her its s".split())
# "the policy on medical leave", "a template for disciplinary letters": the data is what
# a rule, a guide or a blank form is about, not data about anyone.
_ABOUT_HEADS = frozenset(
    "policy policies rule rules law laws guideline guidelines guidance procedure procedures "
    "process template templates handbook faq faqs explainer overview blank".split()
)
_ABOUT_LINKS = frozenset("on about for regarding around covering".split())


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem_tokens(normalize(phrase).split()))


@dataclass(frozen=True)
class Mention:
    """Personal data named at words[start:end] of a normalized text."""

    kind: str
    start: int
    end: int


class _Bank:
    """The bank's phrases, stemmed once."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.nouns = frozenset(s for p in data["data_nouns"] for s in _stems(str(p))[-1:])
        owner_nouns = [_stems(str(p)) for p in data["owner_nouns"]]
        self.owner_nouns = frozenset(s[-1] for s in owner_nouns if s)
        self.owners = frozenset(s for p in data["owners"] for s in _stems(str(p)))
        self.not_personal = [_stems(str(p)) for p in data["not_personal"]]
        self.anchors = frozenset(s for p in data["personal_anchors"] for s in _stems(str(p)))
        self.not_after = frozenset(s for p in data["not_data_after"] for s in _stems(str(p)))
        self.aggregates = frozenset(s for p in data["aggregates"] for s in _stems(str(p)))
        self.kinds: list[str] = []
        self.alone: list[tuple[tuple[str, ...], str]] = []
        self.subjects: dict[str, str] = {}
        for kind in data["kinds"]:
            kid = str(kind["id"])
            self.kinds.append(kid)
            self.alone.extend((_stems(str(p)), kid) for p in kind.get("alone", []))
            self.subjects.update((s, kid) for p in kind.get("subjects", []) for s in _stems(p))
        self.alone.sort(key=lambda entry: -len(entry[0]))
        self.first = frozenset(phrase[0] for phrase, _ in self.alone if phrase)

    def mentions(self, words: list[str]) -> list[Mention]:
        """Personal data the words name, not negated, not de-identified, not a mere topic."""
        stems = stem_tokens(words)
        found: list[Mention] = []
        for i in range(len(stems)):
            hit = self._at(stems, i)
            if hit is None:
                continue
            kind, start, end = hit
            if self._not_personal(stems, start, end) or negated(words, start, end - 1):
                continue
            if self._not_anyones(stems, start, end):
                continue
            if topic(words, start, end - 1) or _about(words, start):
                continue
            found.append(Mention(kind, start, end))
        return found

    def _at(self, stems: list[str], i: int) -> tuple[str, int, int] | None:
        stem = stems[i]
        if stem in self.first:
            for phrase, kind in self.alone:
                end = _phrase_end(stems, i, phrase)
                if end is not None:
                    return kind, i, end
        near = range(max(0, i - _NEAR), min(len(stems), i + _NEAR + 1))
        if stem in self.subjects:
            for j in near:
                if j != i and (stems[j] in self.nouns or stems[j] in self.owners):
                    return self.subjects[stem], min(i, j), max(i, j) + 1
        if stem in self.owners:
            for j in near:
                if j != i and stems[j] in self.owner_nouns:
                    return "people", min(i, j), max(i, j) + 1
        return None

    def extent(self, words: list[str], mention: Mention) -> tuple[int, int]:
        """The mention with the words around it that belong to it: "employees fmla
        medical paperwork", not just "fmla"."""
        stems = stem_tokens(words)
        start, end = mention.start, mention.end
        around = self.nouns | self.owner_nouns | set(self.subjects)
        while start > 0 and stems[start - 1] in self.owners | set(self.subjects):
            start -= 1
        while end < len(stems) and stems[end] in around:
            end += 1
        return start, end

    def _not_anyones(self, stems: list[str], start: int, end: int) -> bool:
        """ "the payroll system", "jail population trends": a system, a blank form or
        counts about many people, not data about anyone."""
        if end < len(stems) and stems[end] in self.not_after:
            return True
        near = stems[max(0, start - 2) : end + 2]
        return any(s in self.aggregates for s in near)

    def _not_personal(self, stems: list[str], start: int, end: int) -> bool:
        """ "public health", "salary ranges": a subject word that is about no one."""
        for phrase in self.not_personal:
            for i in range(max(0, start - len(phrase) + 1), end):
                if tuple(stems[i : i + len(phrase)]) == phrase:
                    return True
        return False


def _about(words: list[str], start: int) -> bool:
    """ "the policy on medical leave": a rule or a guide about the data, just before it."""
    before = words[max(0, start - 3) : start]
    return any(
        w in _ABOUT_LINKS and k > 0 and before[k - 1] in _ABOUT_HEADS
        for k, w in enumerate(before)
    )


def _phrase_end(stems: list[str], i: int, phrase: tuple[str, ...]) -> int | None:
    """Where `phrase` ends if it starts at i, allowing one small word between its words."""
    j = i
    for k, word in enumerate(phrase):
        if j < len(stems) and stems[j] == word:
            j += 1
        elif k and j + 1 < len(stems) and stems[j] in _SMALL and stems[j + 1] == word:
            j += 2
        else:
            return None
    return j


@lru_cache(maxsize=1)
def people_bank() -> _Bank:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _Bank(yaml.load(_FILE.read_text("utf-8"), Loader=loader))


class PeopleData:
    """Which of one policy's data classes holds each kind of personal data."""

    def __init__(self, classes: list[tuple[str, list[str]]]) -> None:
        """`classes`: each class id with its label, description and examples, least
        sensitive first."""
        bank = people_bank()
        self.class_of_kind: dict[str, str | None] = {}
        personal: str | None = None
        for class_id, texts in classes:
            kinds = {kind for t in texts for kind in self.kinds_in(t)}
            for kind in kinds:
                self.class_of_kind[kind] = class_id  # later classes are more sensitive
            if kinds or any(self.about_people(t) for t in texts):
                personal = class_id
        for kind in bank.kinds:
            self.class_of_kind.setdefault(kind, personal)

    @staticmethod
    def kinds_in(text: str) -> set[str]:
        """The kinds of personal data a text names: "someone's health records" is health
        data, not also the plain records about a person its words make."""
        kinds = {m.kind for m in people_bank().mentions(normalize(text).split())}
        return kinds - {"people"} if len(kinds) > 1 else kinds

    @staticmethod
    def about_people(text: str) -> bool:
        """Whether a text names personal data or speaks of personal information at all."""
        bank = people_bank()
        words = normalize(text).split()
        return bool(set(stem_tokens(words)) & bank.anchors or bank.mentions(words))

    @staticmethod
    def mentions(text: str) -> tuple[list[str], list[Mention]]:
        """The normalized words of `text` and the personal data they name."""
        words = normalize(text).split()
        return words, people_bank().mentions(words)
