"""Text normalization shared by the matching backends.

Employees type fast: British spellings, contractions, curly quotes, "pls", "ppt".
Folding these onto one canonical form before features are built means a use case
written in American English still matches a message written in British English,
and a synonym the IT team never listed still lands on the right words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["analyze", "intent_texts", "normalize", "stem_tokens", "tokenize"]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "`": "'", "\u00b4": "'"})

# Contractions, applied after lowercasing. "n't" is handled generically below.
_CONTRACTIONS: dict[str, str] = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "let's": "let us",
    "i'm": "i am",
    "it's": "it is",
    "what's": "what is",
    "that's": "that is",
    "there's": "there is",
    "where's": "where is",
    "who's": "who is",
    "how's": "how is",
    "he's": "he is",
    "she's": "she is",
}
_SUFFIX_CONTRACTIONS = (("n't", " not"), ("'re", " are"), ("'ll", " will"), ("'ve", " have"),
                        ("'d", " would"), ("'m", " am"))

# British -> American spellings that a suffix rule would get wrong or miss.
_BRITISH: dict[str, str] = {
    "colour": "color", "favour": "favor", "favourite": "favorite", "behaviour": "behavior",
    "honour": "honor", "labour": "labor", "neighbour": "neighbor", "humour": "humor",
    "flavour": "flavor", "rumour": "rumor", "harbour": "harbor", "endeavour": "endeavor",
    "centre": "center", "theatre": "theater", "metre": "meter", "litre": "liter",
    "fibre": "fiber", "calibre": "caliber", "catalogue": "catalog", "dialogue": "dialog",
    "programme": "program", "cheque": "check", "cheques": "checks",
    "licence": "license", "defence": "defense", "offence": "offense", "grey": "gray",
    "tyre": "tire", "tyres": "tires", "aluminium": "aluminum", "jewellery": "jewelry",
    "travelling": "traveling", "travelled": "traveled", "cancelled": "canceled",
    "cancelling": "canceling", "modelling": "modeling", "labelled": "labeled",
    "labelling": "labeling", "enrolment": "enrollment", "fulfil": "fulfill", "maths": "math",
    "programmes": "programs",
}
# Words ending in -ise that are not British spellings of an -ize verb.
_ISE_KEEP = frozenset(
    (
        "advise exercise promise otherwise expertise franchise merchandise enterprise compromise "
        "surprise comprise premise revise supervise devise disguise improvise televise chastise "
        "despise excise incise concise precise paradise raise praise noise poise cruise bruise "
        "treatise demise reprise apprise arise wise rise likewise clockwise anticlockwise "
        "advertise"
    ).split()
)
_ISE_RE = re.compile(r"^(\w{3,})is(e|ed|es|ing|er|ers|ation|ations)$")
_YSE_RE = re.compile(r"^(anal|paral|catal|breathal|dial)ys(e|ed|es|ing|er|ers)$")

# Domain synonyms: each key adds its canonical words (the key itself is kept).
_SYNONYMS: dict[str, str] = {
    "summarize": "summary", "summary": "summarize", "tldr": "summarize summary",
    "recap": "summarize summary", "digest": "summarize summary", "gist": "summarize summary",
    "condense": "summarize shorten", "shorten": "summarize",
    "pdf": "document", "doc": "document", "docx": "document", "docs": "documents",
    "minutes": "meeting notes", "transcript": "meeting notes",
    "ppt": "presentation slides", "pptx": "presentation slides", "deck": "presentation slides",
    "slides": "presentation", "powerpoint": "presentation slides",
    "xls": "spreadsheet", "xlsx": "spreadsheet", "csv": "spreadsheet data",
    "excel": "spreadsheet", "sheet": "spreadsheet", "sheets": "spreadsheet",
    "pic": "image picture", "pics": "images pictures", "img": "image", "photo": "image picture",
    "photos": "images pictures", "picture": "image", "pictures": "images",
    "illustration": "image", "logo": "image", "drawing": "image",
    "mail": "email", "e-mail": "email", "emails": "email",
    "code": "programming", "coding": "code programming", "script": "code programming",
    "debug": "code bug fix", "bug": "code", "python": "code programming",
    "javascript": "code programming", "sql": "code query",
    "translate": "translation language", "translation": "translate",
    "pls": "please", "plz": "please", "thx": "thanks", "u": "you", "ur": "your",
}

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
_STEMMER = snowballstemmer.stemmer("english")


def _americanize(word: str) -> str:
    """Fold one lowercase word from British to American spelling."""
    if word in _BRITISH:
        return _BRITISH[word]
    if word.endswith("s") and word[:-1] in _BRITISH:
        return _BRITISH[word[:-1]] + "s"
    match = _YSE_RE.match(word)
    if match:
        return f"{match.group(1)}yz{match.group(2)}"
    match = _ISE_RE.match(word)
    if match and word not in _ISE_KEEP and f"{match.group(1)}ise" not in _ISE_KEEP:
        return f"{match.group(1)}iz{match.group(2)}"
    return word


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Canonical lowercase text: NFKC, straight quotes, contractions and spellings folded."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    words: list[str] = []
    for raw in _TOKEN_RE.findall(text):
        word = _CONTRACTIONS.get(raw)
        if word is None:
            word = raw
            for suffix, repl in _SUFFIX_CONTRACTIONS:
                if raw.endswith(suffix) and len(raw) > len(suffix):
                    word = raw[: -len(suffix)] + repl
                    break
            word = word.replace("'", "")
        words.extend(_americanize(w) for w in word.split())
    return " ".join(words)


def tokenize(text: str) -> list[str]:
    """Normalized words plus the domain synonyms they imply (originals are kept)."""
    words = normalize(text).split()
    extra = [syn for w in words for syn in _SYNONYMS.get(w, "").split()]
    return words + extra


@lru_cache(maxsize=131072)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def stem_tokens(tokens: list[str]) -> list[str]:
    """Snowball-stem tokens so "summaries", "summarizing" and "summarize" meet (cached)."""
    return [_stem(t) for t in tokens]


def analyze(text: str) -> list[str]:
    """The word analyzer used by the lexical backend: normalize, expand, stem."""
    return stem_tokens(tokenize(text))


def intent_texts(name: str, description: str, examples: tuple[str, ...]) -> list[str]:
    """Training texts for one use case: its examples, plus its name and description."""
    texts = [e for e in examples if e.strip()]
    for extra in (name, description):
        if extra and extra.strip():
            texts.append(extra)
    return texts


class KnownWords:
    """A vocabulary misspelt tokens are snapped to, in the caller's order (ties go to the
    earlier word), grouped by length.

    A word within `limit` edits is at most `limit` letters longer or shorter, so only
    those lengths are compared: a policy's vocabulary of 6,000 words cost up to 1.5 ms
    per message when every word was, and a long message with unknown words is the
    answer path's slowest.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = list(words)
        self._set = frozenset(self.words)
        self._by_length: dict[int, tuple[list[str], list[int]]] = {}
        for position, word in enumerate(self.words):
            same, positions = self._by_length.setdefault(len(word), ([], []))
            same.append(word)
            positions.append(position)

    def __contains__(self, word: str) -> bool:
        return word in self._set

    def __bool__(self) -> bool:
        return bool(self.words)

    def nearest(self, token: str, limit: int) -> str | None:
        """The first known word (in the caller's order) fewest edits away, at most `limit`."""
        best: tuple[int, int, str] | None = None  # (distance, position, word)
        for length in range(len(token) - limit, len(token) + limit + 1):
            same, positions = self._by_length.get(length, ((), ()))
            hit = process.extractOne(token, same, scorer=OSA.distance, score_cutoff=limit)
            if hit is not None:
                found = (int(hit[1]), positions[hit[2]], hit[0])
                best = found if best is None or found < best else best
        return best[2] if best is not None else None


def snap_to_known(
    tokens: list[str], known: KnownWords, *, min_len: int, long_from: int,
) -> list[str]:
    """Swap unknown tokens for a known one one edit away (two from `long_from` characters).

    Short tokens and numbers are kept as typed: at that length a single edit reaches too
    many unrelated words for a correction to be trusted.
    """
    fixed = []
    for tok in tokens:
        if len(tok) >= min_len and not tok.isdigit() and tok not in known:
            hit = known.nearest(tok, 1 if len(tok) < long_from else 2)
            if hit is not None:
                tok = hit
        fixed.append(tok)
    return fixed
