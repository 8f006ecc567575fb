"""Which language is a short chat message in? Function-word profiles, no model, no network.

Chat questions are short, so character statistics are unreliable; the little words
("kann ich", "puedo usar", "est-ce que") are not. The profiles are data
(bot/core/data/languages.yaml). Tool names are removed first: "ChatGPT" is no language.
A language with no profile is still told from English: by its script (Cyrillic, Arabic,
Han ...), or because its words are not English words at all ("another language"), so
it is answered honestly instead of being parsed for a job and logged as unmet.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.english import is_english_word, near_english

__all__ = ["Language", "detect_foreign", "gloss", "language_names", "puts_in"]

_FILE = Path(__file__).resolve().parent / "data" / "languages.yaml"
_GLOSSARY = _FILE.with_name("glossary.yaml")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: An elided article or pronoun glued to its word ("j'ai", "d'une", "l'uso"): split off so
#: both halves count. English contractions keep their shape ("don't", "we're", "I'll").
_ELISION = re.compile(r"^([^\W\d_]{1,4}')([^\W\d_]{2,}.*)$")
_CONTRACTION_ENDS = frozenset({"re", "ve", "ll"})
_PUNCTUATION = "?!.,;:()[]\"'«»¿¡"


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


@lru_cache(maxsize=1)
def _glossaries() -> dict[str, tuple[re.Pattern[str], dict[str, str]]]:
    """Per language code: one pattern of its glossed words and phrases (longest first, so
    a phrase beats its words) and their English."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_GLOSSARY.read_text(encoding="utf-8"), Loader=loader) or {}
    out: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}
    for code, entries in data.items():
        table = {_fold(str(k)): str(v) for k, v in (entries or {}).items()}
        if not table:
            continue
        keys = sorted(table, key=lambda k: (-len(k), k))
        pattern = re.compile(
            r"(?<![^\W\d_])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![^\W\d_])"
        )
        out[str(code)] = (pattern, table)
    return out


def gloss(text: str, language: Language) -> str:
    """The message with the words red lines are about in English ("datos personales de
    los clientes" -> "personal data de los customers"), the rest as typed; the text
    itself for a language with no glossary (data/glossary.yaml)."""
    found = _glossaries().get(language.code)
    if found is None:
        return text
    pattern, table = found
    return pattern.sub(lambda m: table[m.group(0)], _fold(text))


def detect_foreign(text: str, ignore: Collection[str] = ()) -> Language | None:
    """The language of a message that is clearly not English, else None.

    Clearly: at least two different words of it are that language's function words,
    they outnumber the English ones, and they make up a good share of the message; or
    it is written in another script; or its words are not English at all. `ignore`:
    lowercase words that say nothing of the language (the tool names it contains).
    """
    if ignore:
        text = " ".join(w for w in text.split() if _fold(w).strip(_PUNCTUATION) not in ignore)
    words = _words(text)
    if len(words) < 2:
        return _by_script(text)
    profiles = _profiles()
    english = sum(w in profiles.english for w in words)
    best: tuple[int, str, str] | None = None
    for code, (name, vocab) in profiles.others.items():
        hits = sum(w in vocab for w in words)
        distinct = len({w for w in words if w in vocab})
        if distinct >= 2 and (best is None or hits > best[0]):
            best = (hits, code, name)
    # "AI" is written the same in every language; the English words that tell English
    # from the rest are longer than a letter ("i" and "a" are Welsh words too).
    telling = {w for w in words if w in profiles.english and len(w) > 1 and w != "ai"}
    plain = english - sum(w == "ai" for w in words)
    likely = None
    if best is not None and best[0] > plain:
        hits, code, name = best
        likely = Language(code, name)
        if hits > english and hits >= 0.35 * len(words):
            return likely
    script = _by_script(text)
    if script is not None:
        return script
    # Not English at all: the profile that had a word to say, else "another language".
    return (likely or OTHER) if len(telling) <= 1 and _not_english(text) else None


#: Scripts (the first word of a letter's Unicode name) and the language they suggest.
_SCRIPTS = {
    "CYRILLIC": "a language written in Cyrillic",
    "GREEK": "Greek",
    "ARABIC": "Arabic",
    "HEBREW": "Hebrew",
    "DEVANAGARI": "Hindi",
    "BENGALI": "Bengali",
    "TAMIL": "Tamil",
    "TELUGU": "Telugu",
    "GURMUKHI": "Punjabi",
    "GUJARATI": "Gujarati",
    "THAI": "Thai",
    "HANGUL": "Korean",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "CJK": "Chinese",
    "ETHIOPIC": "Amharic",
    "GEORGIAN": "Georgian",
    "ARMENIAN": "Armenian",
    "KHMER": "Khmer",
    "MYANMAR": "Burmese",
    "SINHALA": "Sinhala",
}
#: The undetermined language (ISO 639-2 "und"): not English, no profile says which.
OTHER = Language("und", "another language")
_MIN_OTHER_WORDS = 3
#: Web and mail addresses are no words of any language.
_ADDRESS = re.compile(r"\S+://\S+|\S+@\S+|www\.\S+")
_MAX_ENGLISH_SHARE = 0.4


def _by_script(text: str) -> Language | None:
    """Most letters in one non-Latin script: Japanese when any kana is there."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if not ch.isalpha():
            continue
        letters += 1
        script = unicodedata.name(ch, "?").split()[0]
        if script in _SCRIPTS:
            counts[script] = counts.get(script, 0) + 1
    if not counts or sum(counts.values()) < max(2, 0.5 * letters):
        return None
    if "HIRAGANA" in counts or "KATAKANA" in counts:
        return Language("ja", "Japanese")
    script = max(counts, key=counts.__getitem__)
    return Language(script.lower()[:3], _SCRIPTS[script])


def _not_english(text: str) -> bool:
    """Whether a message's words are simply not English: of its lowercase words of three
    letters or more (names and acronyms are skipped), three or more and at least three
    in five are neither English words nor near misspellings of one ("descripton")."""
    tokens = _WORD.findall(_ADDRESS.sub(" ", text))
    # The first word is capitalized for the sentence; any other capital is a name.
    words = [
        _fold(t)
        for n, t in enumerate(tokens)
        if len(t) >= 3 and (t.islower() or (n == 0 and t[1:].islower()))
    ]
    foreign = [w for w in words if not is_english_word(w) and not _misspelt_english(w)]
    return len(foreign) >= _MIN_OTHER_WORDS and len(foreign) >= (1 - _MAX_ENGLISH_SHARE) * len(
        words
    )


def _misspelt_english(word: str) -> bool:
    """An unaccented word of five letters or more one edit from an English word."""
    return len(word) >= 5 and word.isascii() and bool(near_english(word, 1))
