"""Which language is a short chat message in? Function-word profiles, no model, no network.

Chat questions are short, so character statistics are unreliable; the little words
("kann ich", "puedo usar", "est-ce que") are not. The profiles are data
(bot/core/data/languages.yaml). Tool names are removed first: "ChatGPT" is no language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["Language", "detect_foreign", "language_names", "puts_in"]

_FILE = Path(__file__).resolve().parent / "data" / "languages.yaml"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: An elided article or pronoun glued to its word ("j'ai", "d'une", "l'uso"): split off so
#: both halves count. English contractions keep their shape ("don't", "we're", "I'll").
_ELISION = re.compile(r"^([^\W\d_]{1,4}')([^\W\d_]{2,}.*)$")
_CONTRACTION_ENDS = frozenset({"re", "ve", "ll"})


@dataclass(frozen=True)
class Language:
    code: str
    name: str


@dataclass(frozen=True)
class _Profiles:
    english: frozenset[str]
    others: dict[str, tuple[str, frozenset[str]]]
    #: code -> the language's verbs of putting something into a tool
    puts_in: dict[str, frozenset[str]]


def _fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).lower().replace("’", "'")


@lru_cache(maxsize=1)
def _profiles() -> _Profiles:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)
    english = frozenset(_fold(w) for w in data["english"]["words"].split())
    others = {
        code: (str(spec["name"]), frozenset(_fold(w) for w in str(spec["words"]).split()))
        for code, spec in data["languages"].items()
    }
    puts = {
        code: frozenset(_fold(w) for w in str(spec.get("puts_in") or "").split())
        for code, spec in data["languages"].items()
    }
    return _Profiles(english, others, puts)


def language_names(codes: Sequence[str] | None = None) -> list[str]:
    """How replies name languages: the given ISO codes, or every language known."""
    known = {"en": "English", **{c: n for c, (n, _) in _profiles().others.items()}}
    wanted = list(known) if codes is None else list(codes)
    return [known.get(code, code) for code in wanted]


def _split_elision(word: str) -> tuple[str, ...]:
    found = _ELISION.match(word)
    if found is None or found.group(2) in _CONTRACTION_ENDS:
        return (word,)
    return found.group(1), found.group(2)


def _words(text: str) -> list[str]:
    """The message's words, folded, elided articles split off ("l'IA" -> "l'", "ia")."""
    return [part for w in _WORD.findall(text) for part in _split_elision(_fold(w))]


def puts_in(text: str, language: Language) -> bool:
    """Whether a message in this language puts something into a tool ("pegar los datos en
    ChatGPT", "in Copilot eingeben"): one of its verbs of putting in (`puts_in` in the
    language's profile), as the English red-line reading has its own."""
    verbs = _profiles().puts_in.get(language.code, frozenset())
    return any(w in verbs for w in _words(text))


def detect_foreign(text: str) -> Language | None:
    """The language of a message that is clearly not English, else None.

    Clearly: at least two different words of it are that language's function words,
    they outnumber the English ones, and they make up a good share of the message.
    """
    words = _words(text)
    if len(words) < 2:
        return None
    profiles = _profiles()
    english = sum(w in profiles.english for w in words)
    best: tuple[int, str, str] | None = None
    for code, (name, vocab) in profiles.others.items():
        hits = sum(w in vocab for w in words)
        distinct = len({w for w in words if w in vocab})
        if distinct >= 2 and (best is None or hits > best[0]):
            best = (hits, code, name)
    if best is None:
        return None
    hits, code, name = best
    if hits > english and hits >= 0.35 * len(words):
        return Language(code, name)
    return None
