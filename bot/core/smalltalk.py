"""Greetings, thanks and questions about the concierge itself, learned from examples.

The bank of labelled examples is data (bot/core/data/smalltalk.yaml). A message is
small talk when its nearest neighbour, among the bank and the policy's own use-case
texts together, is a bank example, close enough, and the message has no word that
only the policy's jobs use ("what AI can we use" is the catalogue; "what AI can we
use to transcribe interviews" is a job). Word and character n-grams make the
neighbourhood, so "thnks" and "helo" still land.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import yaml
from rapidfuzz.distance import OSA

from bot.core.bank_vectors import bank_vectors as shipped_or_embedded
from bot.core.english import is_english_word
from bot.core.matching.text import analyze, normalize
from bot.core.matching.tfidf import TfidfIndex, char_wb_ngrams

__all__ = [
    "Embed",
    "SmallTalk",
    "SmallTalkHit",
    "bank",
    "bank_hash",
    "bank_texts",
    "embedding_text",
]

_FILE = Path(__file__).resolve().parent / "data" / "smalltalk.yaml"
#: The bank embedded with the default model (scripts/build_smalltalk_vectors.py).
VECTORS = _FILE.with_name("smalltalk_vectors.npz")
#: Unit-normalized sentence embeddings of a batch of texts (the semantic matcher's).
Embed = Callable[[Sequence[str]], np.ndarray]
#: Cosine to the nearest bank example, in embedding space, that makes a message small talk
#: when word overlap alone was not enough ("are you a real person or a bot").
MIN_EMBEDDING_SIMILARITY = 0.75
#: ...and for a message of one to three words the bank's words do not cover.
MIN_SHORT_SIMILARITY = 0.8
#: ...and, for a message of one to three content words, to call it a bank example with
#: a word added whatever that word is ("thanks lah", "merci beaucoup").
MIN_NEAR_COPY = 0.85
_MAX_EMBED_WORDS = 14
_MAX_WORDS = 20
_POLICY = "_policy"
#: Cosine to the nearest bank example needed to call a message small talk.
MIN_SIMILARITY = 0.4
#: Share of a message's content words that the bank uses at all: small talk is made of
#: small-talk words ("who do I talk to about getting a tool approved" is; "clone the
#: director's voice for our voicemail greeting" is not, whatever its nearest example).
MIN_COVERAGE = 0.6
_FUNCTION = frozenset(
    analyze("a an the of to in on at for with and or but is are be i me my you your it this")
)
# Hedges and intensifiers: they colour how a message is said, never what it asks for, so
# they count neither as job words nor against small talk ("what do you actually do" is "what do
# you do"; an unknown word otherwise reads as a job the bank never saw).
_FILLER = frozenset(
    analyze(
        "actually exactly really just basically literally honestly simply quickly quick "
        "kinda sorta pretty quite very totally truly anyway again still even here there now"
    )
)
# Words every kind of message uses; they never make a message "about a job".
_NEUTRAL = frozenset(
    analyze(
        "ai tool tools app use using need want can could would should please help hi hello "
        "thanks work job make do get some any thing stuff our my we i you it this that "
        "staff employee employees colleague colleagues"
    )
)


@dataclass(frozen=True)
class SmallTalkHit:
    label: str
    answer: str
    score: float
    #: words of the message that only the policy's jobs use ("logo" in "what can I use to
    #: make a logo"): the advisor then lets a confident use-case match win
    job_words: int = 0


@lru_cache(maxsize=1)
def bank() -> dict[str, tuple[str, tuple[str, ...]]]:
    """label -> (answer kind, examples)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)
    return {
        str(label): (str(spec["answer"]), tuple(str(e) for e in spec["examples"]))
        for label, spec in data["labels"].items()
    }


def bank_texts() -> list[str]:
    return [e for _, examples in bank().values() for e in examples]


def bank_labels() -> list[str]:
    return [label for label, (_, examples) in bank().items() for _ in examples]


def bank_hash() -> str:
    return hashlib.sha256("\n".join(bank_texts()).encode("utf-8")).hexdigest()


def embedding_text(text: str) -> str:
    """What is embedded: the normalized text, as the semantic matcher embeds its examples."""
    return normalize(text) or text


_VECTOR_CACHE: dict[str, np.ndarray] = {}


def bank_vectors(model_id: str, embed: Embed) -> np.ndarray:
    """The bank's embeddings for a model: shipped for the default one, else computed once."""
    return shipped_or_embedded(
        VECTORS, model_id, bank_hash(),
        lambda: embed([embedding_text(t) for t in bank_texts()]), _VECTOR_CACHE,
    )


def _words(text: str) -> list[str]:
    tokens = analyze(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _nearest_by_meaning(text: str, embed: Embed, model_id: str) -> SmallTalkHit | None:
    vectors = bank_vectors(model_id, embed)
    query = np.asarray(embed([embedding_text(text)]), dtype=np.float32)[0]
    sims = vectors @ query
    best = int(np.argmax(sims))
    if float(sims[best]) < MIN_EMBEDDING_SIMILARITY:
        return None
    label = bank_labels()[best]
    return SmallTalkHit(label, bank()[label][0], round(float(sims[best]), 4))


def _filler(word: str) -> bool:
    """A word that adds no request: not English (a particle, another language's word)
    or an adverb ("exactly", "really")."""
    return not is_english_word(word) or word.endswith("ly")


def _char_grams(text: str) -> list[str]:
    """Character 2- to 4-grams within words (a function, not a lambda: a built index is
    pickled to the what-if replay's worker processes)."""
    return char_wb_ngrams(normalize(text), 2, 4)


class SmallTalk:
    """Nearest-neighbour small-talk classifier for one policy version."""

    def __init__(self, policy_texts: Iterable[str], organization: str = "") -> None:
        """`organization`: its name's words are no job ("which AI tools can library
        staff use?" at a library)."""
        self._neutral = _NEUTRAL | frozenset(analyze(organization))
        #: ...and they count neither for nor against small talk: "what AI tools are approved
        #: for Idaho state employees?" asks for the catalogue.
        self._own_name = frozenset(analyze(organization)) - _FUNCTION
        labels: list[str] = []
        texts: list[str] = []
        for label, (_, examples) in bank().items():
            labels.extend([label] * len(examples))
            texts.extend(examples)
        own = [t for t in policy_texts if t.strip()]
        self._bank_vocab = frozenset(w for t in texts for w in analyze(t))
        self._policy_vocab = frozenset(w for t in own for w in analyze(t)) - self._bank_vocab
        labels.extend([_POLICY] * len(own))
        texts.extend(own)
        self._labels = np.asarray(labels)
        self._texts = texts

    @cached_property
    def _indexes(self) -> tuple[TfidfIndex, TfidfIndex]:
        """Word and character TF-IDF of the bank and the policy's texts, built on first
        use: most requests are told apart by their words before any similarity is needed,
        and a one-shot `ask` should not pay for them."""
        # NumPy TF-IDF (no scikit-learn on the answer path): words 70 %, characters 30 %.
        return (
            TfidfIndex(self._texts, _words),
            TfidfIndex(self._texts, _char_grams),
        )

    def warm(self) -> None:
        """Build what the first small-talk message would otherwise build (servers)."""
        _ = self._indexes

    def _similarities(self, text: str) -> np.ndarray:
        word, char = self._indexes
        return 0.7 * word.similarities(text) + 0.3 * char.similarities(text)

    def _typo(self, text: str) -> SmallTalkHit | None:
        """ "thnks", "helo": a one-word message one edit from a one-word example."""
        words = normalize(text).split()
        if len(words) != 1 or len(words[0]) < 4 or is_english_word(words[0]):
            return None
        for label, (answer, examples) in bank().items():
            for example in examples:
                if " " not in example and OSA.distance(words[0], example, score_cutoff=1) <= 1:
                    return SmallTalkHit(label, answer, 0.5)
        return None

    def _near_copy(self, text: str) -> SmallTalkHit | None:
        """A bank example nearly word for word: the message's one word the bank never
        uses weighs nothing in the word similarity, so the example must be that close."""
        sims = self._similarities(text)
        best = int(np.argmax(sims))
        label, score = str(self._labels[best]), float(sims[best])
        if label == _POLICY or score < MIN_NEAR_COPY:
            return None
        return SmallTalkHit(label, bank()[label][0], round(score, 4))

    def classify(
        self, text: str, *, embed: Embed | None = None, model_id: str | None = None
    ) -> SmallTalkHit | None:
        """The small-talk label of a message, or None when it is (or may be) a request.

        Word and character n-grams decide first. When they find no close example but the
        message is made of small-talk words, the sentence embedder (if the matcher has
        one) looks for an example that means the same in other words.
        """
        if not any(ch.isalnum() for ch in text):  # "👋", "🙏", "?"
            return SmallTalkHit("greeting", "help", 1.0)
        if len(text.split()) > _MAX_WORDS:
            return None  # small talk is short; a long message is about work
        typo = self._typo(text)
        if typo is not None:
            return typo
        stems = set(analyze(text))
        job_words = len(self._policy_vocab & stems - self._neutral - _FILLER)
        if job_words >= 2:
            return None  # two words only the policy's jobs use: a request
        content = [w for w in analyze(normalize(text)) if len(w) > 2
                   and w not in _FUNCTION and w not in _FILLER and w not in self._own_name]
        if content and sum(w in self._bank_vocab for w in content) < MIN_COVERAGE * len(content):
            # Mostly words small talk never uses ("sumarize meating notes"); only a very
            # short message may still be an example with a word added ("thanks lah",
            # "what are you exactly") or mean a greeting in other words ("sup bro").
            if len(content) > 3:
                return None
            # ...the added word a particle, a foreign word or an adverb ("lah",
            # "beaucoup", "exactly"), not a thing ("thanks email" is a request)
            added = [
                w
                for w in normalize(text).split()
                if len(w) > 2 and not set(analyze(w)) & (self._bank_vocab | _FUNCTION)
            ]
            if len(added) == 1 and not job_words and _filler(added[0]):
                near = self._near_copy(text)
                if near is not None:
                    return near
            if embed is None or model_id is None:
                return None
            hit = _nearest_by_meaning(text, embed, model_id)
            return hit if hit is not None and hit.score >= MIN_SHORT_SIMILARITY else None
        sims = self._similarities(text)
        best = int(np.argmax(sims))
        label, score = str(self._labels[best]), float(sims[best])
        if label == _POLICY:
            return None
        if score >= MIN_SIMILARITY:
            return SmallTalkHit(label, bank()[label][0], round(score, 4), job_words)
        if embed is None or model_id is None or len(text.split()) > _MAX_EMBED_WORDS:
            return None
        hit = _nearest_by_meaning(text, embed, model_id)
        return replace(hit, job_words=job_words) if hit is not None else None
