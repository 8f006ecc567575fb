"""The default matcher: sentence-embedding similarity blended with word similarity.

How a use case is scored (embedding and word similarity, negatives, the out-of-scope bank
competing) is in `scoring.py`; this module fits a policy into that index, ranks messages
and hands the best use case to the fit decision. Split so each part stays small:
`policy_texts.py` (negatives, lent phrasings), `policy_vectors.py` (the process's cache of
policy-text vectors), `leave_one_out.py` (the calibration samples).

Messages are read as jobs (`framing.job_text`) with misspelt words mended (`spelling`);
the word "AI" is left out of messages and policy texts alike (`framing.without_ai_words`):
every message here is about AI, so a use case whose texts say "AI" ("Build AI
applications") otherwise draws requests that share nothing with it but that word.

A use case plainly about a common kind of AI work (writing, email, summarizing, code,
spreadsheets ...) is lent that family's phrasings from a built-in bank (`families.py`), so
that three examples reach the other ways people ask for the same work; lent phrasings
count as the use case's texts, except that calibration never leaves them out as questions
and they shield a message from the out-of-scope bank only when it is nearer to them than
to the bank's request (the policy's own wording keeps its BANK_MARGIN).

Whether the best use case fits at all is decided by a small learned model
(`fit_decision.py`) that reads its score against that policy's own calibration, its margin
to the next one, the bank's nearness and the shared wording; the ranked best use case
carries the decision (`Scored.fits`), except that a message asking for a kind of work
the policy covers nowhere (a translation, an image, a transcript: `other_kinds.py`) fits
no use case, whatever its topic.

The threshold is calibrated per policy (`calibration.py`); `mode="embedding"` drops the
word half, for comparison.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.core.matching.base import Intent, SavedVectors, Scored
from bot.core.matching.calibration import (
    COVERED_SIMILARITY,
    FALLBACK_THRESHOLD,
    Calibration,
    out_of_scope_bank,
    uncovered_ai_jobs,
)
from bot.core.matching.embedder import Embedder, get_embedder, preload
from bot.core.matching.families import common_jobs, family_nearness, lent_from
from bot.core.matching.fit_decision import FitModel, decision_features, shipped_model
from bot.core.matching.framing import job_text, plain_words, without_ai_words
from bot.core.matching.leave_one_out import CALIBRATION_SAMPLE, NEAR_COPY, calibrate
from bot.core.matching.message_scope import message_jobs
from bot.core.matching.model_files import DEFAULT_MODEL_DIR, ModelError, read_spec
from bot.core.matching.other_kinds import kinds_read, other_kind_messages, uncovered_kinds
from bot.core.matching.policy_texts import negative_text, with_lent
from bot.core.matching.policy_vectors import _SHARED as _SHARED
from bot.core.matching.policy_vectors import policy_text_vectors
from bot.core.matching.scoring import (
    AI_JOB_CLOSE,
    AI_JOB_SURE,
    BANK_CLOSE,
    BANK_COMPETES_BELOW,
    BANK_MARGIN,
    BANK_WEIGHT,
    EMBEDDING_WEIGHT,
    NEAREST_SHARE,
    NEGATIVE_MARGIN,
    NEGATIVE_WEIGHT,
    SCORING_VERSION,
    ScoringIndex,
    set_bank,
    use_case_scores,
)
from bot.core.matching.spelling import correct_spelling, vocabulary_of
from bot.core.matching.text import intent_texts
from bot.core.matching.word_index import WordIndex

# The constants, `negative_text` and the vector cache (`_SHARED`: tests and
# bench/whatif.py clear it) stay importable from here, where they were.
__all__ = [
    "AI_JOB_CLOSE", "AI_JOB_SURE", "BANK_CLOSE", "BANK_COMPETES_BELOW", "BANK_MARGIN",
    "BANK_WEIGHT", "CALIBRATION_SAMPLE", "EMBEDDING_WEIGHT", "NEAREST_SHARE", "NEAR_COPY",
    "NEGATIVE_MARGIN", "NEGATIVE_WEIGHT", "SCORING_VERSION", "HybridMatcher", "negative_text",
]

_CALIBRATIONS: dict[str, Calibration] = {}  # by fingerprint: deterministic, so safe to reuse


class HybridMatcher:
    """Nearest-example embedding + word similarity, per-policy threshold, negatives."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        threads: int | None = None,
        *,
        mode: str = "hybrid",
        embedding_weight: float = EMBEDDING_WEIGHT,
        bank: Sequence[str] | None = None,
    ) -> None:
        self.name = mode
        #: The out-of-scope requests it competes with and calibrates against: the built-in
        #: bank, or (`bench/unmet_decision.py`) the bank without the requests it scores as
        #: unseen out-of-scope questions.
        self._bank = tuple(bank) if bank is not None else None
        self._model_path = model_path
        self._threads = threads
        self._w = 1.0 if mode == "embedding" else embedding_weight
        self.default_threshold = FALLBACK_THRESHOLD
        self.calibration: Calibration | None = None
        #: Whether the best use case fits (`fit_decision.py`); None: the threshold decides.
        self.decision: FitModel | None = shipped_model()
        self._ids: list[str] = []
        self._texts: list[str] = []
        self._index = ScoringIndex(weight=self._w)
        self._vocabulary = vocabulary_of(())
        self._vectors: dict[str, np.ndarray] = {}
        self._fingerprint = ""
        self._family_of = self._uncovered = np.zeros(0, dtype=np.int64)  # `other_kinds.py`
        self._model_id: str | None = None
        self._languages: tuple[str, ...] | None = None

    @property
    def model_id(self) -> str:
        """The embedding model's id (read from its manifest; no model is loaded)."""
        if self._model_id is None:
            folder = Path(self._model_path) if self._model_path else DEFAULT_MODEL_DIR
            self._model_id = read_spec(folder, verify=False).model_id
        return self._model_id

    @property
    def languages(self) -> tuple[str, ...]:
        """ISO codes the model reads, from its manifest: asking must not wait for the model
        (English when the manifest cannot be read; the model's own load reports why)."""
        if self._languages is None:
            folder = Path(self._model_path) if self._model_path else DEFAULT_MODEL_DIR
            try:
                self._languages = read_spec(folder, verify=False).languages
            except ModelError:
                return ("en",)
        return self._languages

    def _model(self) -> Embedder:
        return get_embedder(model_dir=self._model_path, threads=self._threads)

    def embed(self, texts: Sequence[str], *, cache: bool = False) -> np.ndarray:
        """Embeddings of messages (small talk's nearest-by-meaning); never cached beyond
        the answer they are for (`embedder.message_scope`)."""
        return self._model().encode_message(list(texts))

    def policy_vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of other policy texts (red lines): cached and stored with the version's
        vectors like the use cases' own, so a new process does not embed them again."""
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of policy (never employee) texts: from the fit's own, the process's, or
        the model."""
        return policy_text_vectors(
            texts, self._vectors, lambda: self.model_id, lambda t: self._model().encode(t)
        )

    def fit(self, intents: Sequence[Intent], saved: SavedVectors | None = None) -> None:
        """Index the use cases' texts; reuse `saved` vectors and calibration when they fit."""
        preload(self._model_path, self._threads)  # queries need the model; start it now
        self._vectors = dict(saved.vectors) if saved and saved.model_id == self.model_id else {}
        ids: list[str] = []
        texts: list[str] = []
        negs: list[str] = []
        owner: list[int] = []
        neg_owner: list[int] = []
        for intent in intents:
            own = intent_texts(intent.name, intent.description, intent.examples)
            if not own:
                continue
            texts.extend(own)
            owner.extend([len(ids)] * len(own))
            for note in intent.negatives:
                negs.append(negative_text(note))
                neg_owner.append(len(ids))
            ids.append(intent.id)
        self._ids = ids
        index = self._index
        index.neg_owner = np.asarray(neg_owner, dtype=np.int64)
        self._fingerprint = self._fingerprint_of(intents)
        if not ids:
            self._texts, index.lent = texts, np.zeros(0, dtype=bool)
            index.words = None
            return
        bank = self._bank_texts()
        jobs = [(f, p) for f, (_, phrases) in enumerate(common_jobs()) for p in phrases]
        # The model reads policy texts as it reads messages: without the word "AI".
        negs = [without_ai_words(n) for n in negs]
        self._embed(
            [without_ai_words(t) for t in texts] + negs + bank + [p for _, p in jobs]
        )
        own_pos = self._embed([without_ai_words(t) for t in texts])
        own_starts = np.searchsorted(np.asarray(owner), np.arange(len(ids)))
        index.common = self._embed([p for _, p in jobs])
        family_of = np.asarray([f for f, _ in jobs], dtype=np.int64)
        index.common_family = family_of
        index.kind_near = family_nearness(index.common, family_of, own_pos, own_starts)
        lent = lent_from(index.kind_near)
        own_kinds = kinds_read(own_pos @ index.common.T, family_of)
        self._family_of = family_of
        self._uncovered = uncovered_kinds([n for n, _ in common_jobs()], lent, own_kinds)
        texts, owner, is_lent = with_lent(texts, owner, lent, jobs)
        self._texts, index.lent = texts, np.asarray(is_lent, dtype=bool)
        index.owner = np.asarray(owner, dtype=np.int64)
        index.starts = np.searchsorted(index.owner, np.arange(len(ids)))
        index.pos = self._embed([without_ai_words(t) for t in texts])
        index.sums = np.add.reduceat(index.pos, index.starts, axis=0)
        index.centroids = index.sums / np.linalg.norm(index.sums, axis=1, keepdims=True).clip(1e-9)
        index.neg = self._embed(negs) if negs else np.zeros((0, index.pos.shape[1]), np.float32)
        index.words = WordIndex(texts)
        self._vocabulary = vocabulary_of(texts)
        bank_vecs = self._embed(bank)
        set_bank(index, bank, bank_vecs, own_pos, set(uncovered_ai_jobs()), COVERED_SIMILARITY)
        stored = saved.calibration if saved and saved.fingerprint == self._fingerprint else None
        if stored:
            self.calibration = Calibration.from_dict(stored)
        elif self._fingerprint in _CALIBRATIONS:
            self.calibration = _CALIBRATIONS[self._fingerprint]
        else:
            self.calibration = _CALIBRATIONS[self._fingerprint] = calibrate(
                index, self._texts, len(ids), bank, self._embed(bank)
            )
        self.default_threshold = self.calibration.threshold

    def _bank_texts(self) -> list[str]:
        return list(self._bank if self._bank is not None else out_of_scope_bank())

    def _fingerprint_of(self, intents: Sequence[Intent]) -> str:
        content = [
            SCORING_VERSION, self.name, self._w, self.model_id, self._bank_texts(),
            [list(f) for f in common_jobs()],
            [[i.id, i.name, i.description, list(i.examples), list(i.negatives)] for i in intents],
        ]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()

    def saved(self) -> SavedVectors:
        """Vectors and calibration to store with this policy version."""
        return SavedVectors(
            model_id=self.model_id,
            fingerprint=self._fingerprint,
            vectors=dict(self._vectors),
            calibration=self.calibration.to_dict() if self.calibration else None,
        )

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        """Best `k` use cases for `text`, best first; [] when nothing is fitted."""
        return self.rank_many([text], k)[0]

    def rank_many(self, texts: Sequence[str], k: int = 3) -> list[list[Scored]]:
        """`rank` for many texts with one batched embedding call.

        A ranking depends on the job text alone, so texts that differ only in their framing
        ("can I use AI to X", "X") are embedded and scored once (a what-if replay of logged
        asks has many of those)."""
        if not self._ids or not texts or self._index.words is None:
            return [[] for _ in texts]
        return self.rank_jobs(self.job_texts(texts), k)

    def rank_jobs(self, jobs: Sequence[str], k: int = 3) -> list[list[Scored]]:
        """`rank_many` for messages whose job texts (`job_texts`) are already made (the
        what-if replay makes them once to order its questions by job)."""
        if not self._ids or not jobs or self._index.words is None:
            return [[] for _ in jobs]
        unique = list(dict.fromkeys(jobs))
        ranked = dict(zip(unique, self.rank_embedded(
            unique, self._model().encode_message(unique), k), strict=True))
        return [list(ranked[job]) for job in jobs]

    def job_texts(self, texts: Sequence[str]) -> list[str]:
        """What the model reads of each message: the job without its AI-tool framing
        (`framing.job_text`), shorthand written out, misspelt words mended (`spelling`),
        without the word "AI". Made once per answer (`message_scope.message_jobs`, by the
        policy's words they depend on): small talk, ranking and forbidden uses read it."""
        return message_jobs(self._vocabulary, texts, self.make_job_texts)

    def make_job_texts(self, texts: Sequence[str]) -> list[str]:
        """`job_texts` made now, without the answer's memo."""
        vocabulary = self._vocabulary
        return [without_ai_words(correct_spelling(plain_words(job_text(t)), vocabulary))
                for t in texts]

    def rank_embedded(
        self, texts: Sequence[str], vecs: np.ndarray, k: int = 3
    ) -> list[list[Scored]]:
        """`rank_many` with the messages' job texts (`framing.job_text`) already embedded."""
        if not self._ids or not texts or self._index.words is None:
            return [[] for _ in texts]
        decision = self.decision
        scores, features = self.scored(texts, vecs, features=decision is not None)
        fits: list[bool | None] = [None] * len(texts)
        if decision is not None and features is not None:
            other = other_kind_messages(
                texts, vecs @ self._index.common.T, self._family_of, self._uncovered,
                lambda parts: self.embed(parts) @ self._index.common.T)
            fits = [bool(f) for f in decision.fits(features) & ~other]
        out = []
        for row, fit in zip(scores, fits, strict=True):
            order = np.argsort(-row, kind="stable")[:k]
            out.append([Scored(self._ids[i], float(row[i]), fit if n == 0 else None)
                        for n, i in enumerate(order)])
        return out

    def scored(
        self, texts: Sequence[str], vecs: np.ndarray, *, features: bool = True
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """(queries, use cases) scores of embedded job texts, and what the fit decision
        reads of each best use case (`fit_decision.FEATURES`; None when the policy was too
        small to calibrate, or not asked for)."""
        assert self._index.words is not None
        tokens = [self._index.words.tokens(t) for t in texts]
        calibration = self.calibration
        if not features or calibration is None or calibration.method == "fallback":
            return use_case_scores(self._index, vecs, tokens), None
        parts: dict[str, np.ndarray] = {}
        scores = use_case_scores(self._index, vecs, tokens, parts=parts)
        lengths = np.asarray([len(t) for t in tokens], dtype=np.float64)
        return scores, decision_features(scores, parts, calibration, lengths)
