"""Replay questions against two policies through the real answer path. Pure and synchronous.

Why this shape:
- Every answer comes from `advise_message` on a `PolicyIndex` built by `build_index`,
  exactly as a chat answer is made, so whatever understanding or matching improves,
  the replay sees it too.
- Logged questions repeat a lot, so each distinct question is answered once per policy.
- Matching dominates the cost. Before answering, all distinct questions are ranked in
  one batch (`rank_many` when the backend has it) and the rankings are served from
  memory; the draft shares the live matcher, and its rankings, when its use cases are
  unchanged (a tool approval or a red line edit changes no use case).
- Embedding is the rest of it. The live index is fitted from the vectors the bot stored
  for that version (`saved`), a refitted draft from the live index's vectors (only its
  new texts are embedded). The messages' own vectors are the ones the bot stored when it
  answered them (`vectors`), and whatever must still be embedded is embedded once for
  both policies: the whole replay is one `message_scope`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.base import Intent, MatcherBackend, SavedVectors, Scored, saved_of
from bot.core.matching.embedder import MessageVectors, message_scope
from bot.core.pasted import without_placeholders
from bot.core.replies import Answer
from bot.policy.models import Policy

__all__ = [
    "PrimedMatcher", "StoredVectors", "Verdict", "by_job", "known_vectors", "replay_indexes",
    "replay_questions", "verdict_of",
]

Progress = Callable[[int, int], None]
#: What answering each logged question embedded: {question: [(text, float32 bytes)]}.
StoredVectors = Mapping[str, Sequence[tuple[str, bytes]]]
#: Rankings kept per question: the answer path asks for 1 today, a hybrid may ask for more.
_KEEP = 5
_CHUNK = 256
_OWN = frozenset({"_inner", "_share_with", "_intents", "_cache", "_jobs", "shared"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """What one answer recommends, reduced to what a policy change can alter."""

    outcome: str
    tools: tuple[str, ...]
    use_case: str | None
    red_lines: tuple[str, ...]


def verdict_of(answer: Answer) -> Verdict:
    return Verdict(
        answer.outcome,
        tuple(t.id for t in answer.tools),
        answer.use_case.id if answer.use_case else None,
        tuple(r.id for r in answer.red_lines),
    )


class PrimedMatcher:
    """A matcher that serves rankings computed in one batch, and asks the real one otherwise.

    Everything else (name, threshold, any attribute a newer answer path reads) is the
    wrapped backend's. `share_with` lets a draft reuse a fitted live matcher and its
    rankings when it is fitted on the very same use cases.
    """

    def __init__(self, inner: MatcherBackend, share_with: PrimedMatcher | None = None) -> None:
        self._inner = inner
        self._share_with = share_with
        self._intents: tuple[Intent, ...] | None = None
        self._cache: dict[str, list[Scored]] = {}
        #: Job texts made with this backend, by text (`by_job`, `prime`, the answer path).
        self._jobs: dict[str, str] = {}
        self.shared = False

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def default_threshold(self) -> float:
        return self._inner.default_threshold

    def fit(self, intents: Sequence[Intent], *args: Any) -> None:
        """Fit the backend (extra arguments, e.g. saved vectors, go to it), or share one."""
        wanted = tuple(intents)
        other = self._share_with
        if other is not None and other._intents == wanted:
            self._inner, self._cache, self._jobs = other._inner, other._cache, other._jobs
            self.shared = True
        elif self._intents != wanted:
            self._inner.fit(wanted, *args)
            self._cache, self._jobs = {}, {}
        self._intents = wanted

    def rank(self, text: str, k: int = 3) -> list[Scored]:
        hit = self._cache.get(text)
        if hit is not None and (k <= len(hit) or len(hit) < _KEEP):
            return hit[:k]
        return self._inner.rank(text, k)

    def prime(self, texts: Sequence[str]) -> None:
        """Rank every text not ranked yet, in batches when the backend can."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        many: Any = getattr(self._inner, "rank_many", None)
        by_jobs: Any = getattr(self._inner, "rank_jobs", None)
        if not hasattr(self._inner, "job_texts"):
            by_jobs = None
        for start in range(0, len(todo), _CHUNK):
            chunk = todo[start : start + _CHUNK]
            if by_jobs is not None:  # `rank_many`, with job texts made once per question
                ranked = by_jobs(self.job_texts(chunk), k=_KEEP)
            elif many:
                ranked = many(chunk, k=_KEEP)
            else:
                ranked = [self._inner.rank(t, _KEEP) for t in chunk]
            self._cache.update(zip(chunk, ranked, strict=True))

    def remember_jobs(self, texts: Sequence[str], jobs: Sequence[str]) -> None:
        """Keep the backend's job texts of these texts, so `prime` does not make them again."""
        self._jobs.update(zip(texts, jobs, strict=True))

    def job_texts(self, texts: Sequence[str]) -> list[str]:
        """The backend's job texts, each made once and kept: ranking needs them, and so
        does the answer path (a message is read against forbidden uses by its job)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._jobs]
        if todo:
            made: Any = self._inner.job_texts  # type: ignore[attr-defined]
            self._jobs.update(zip(todo, made(todo), strict=True))
        return [self._jobs[t] for t in texts]

    def __getattr__(self, name: str) -> Any:
        # Never forward our own state (looked up here while unpickling) or dunders; the
        # answer path may read a backend's private parts (e.g. `_model`), so those go on.
        if name in _OWN or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._inner, name)


def known_vectors(model_id: str | None, stored: StoredVectors) -> MessageVectors:
    """The stored vectors as a message scope holds them, by (model id, text)."""
    if model_id is None:
        return {}
    return {(model_id, text): np.frombuffer(blob, dtype="<f4")
            for pairs in stored.values() for text, blob in pairs}


def replay_indexes(
    live_version: int,
    live: Policy,
    draft: Policy,
    make_matcher: Callable[[], MatcherBackend],
    threshold: float | None = None,
    saved: SavedVectors | None = None,
) -> tuple[PolicyIndex, PolicyIndex]:
    """Indexes of both policies for a replay, built by the same `build_index` as the bot's.

    `saved`: the vectors the bot stored for the live version (as `Concierge` loads them).
    A draft with other use cases is fitted with the live index's vectors, so only its
    new or edited texts are embedded."""
    live_matcher = PrimedMatcher(make_matcher())
    live_index = build_index(live_version, live, lambda: live_matcher, threshold, saved)
    draft_matcher = PrimedMatcher(make_matcher(), share_with=live_matcher)
    draft_index = build_index(0, draft, lambda: draft_matcher, threshold,
                              saved_of(live_matcher))
    for index in (live_index, draft_index):
        index.lexicon.warm()  # built here once, not in every worker process
    return live_index, draft_index


def by_job(matcher: MatcherBackend, questions: Sequence[str]) -> list[str]:
    """The questions with those the matcher reads as one job ("can I use AI to X", "X")
    side by side, so they fall into one ranking batch (and one worker's chunk), where the
    backend ranks the job once. Unchanged when the backend has no `job_texts`. A primed
    matcher keeps the job texts for its rankings (making them is not free: 0.06 s per
    2,000 questions)."""
    jobs: Any = getattr(matcher, "job_texts", None)
    if jobs is None:
        return list(questions)
    texts = [without_placeholders(q) for q in questions]
    keys = jobs(texts)
    if isinstance(matcher, PrimedMatcher):
        matcher.remember_jobs(texts, keys)
    order = sorted(range(len(questions)), key=keys.__getitem__)
    return [questions[i] for i in order]


def replay_questions(
    live: PolicyIndex,
    draft: PolicyIndex,
    questions: Sequence[str],
    progress: Progress | None = None,
    vectors: MessageVectors | None = None,
) -> list[tuple[Verdict, Verdict]]:
    """(live, draft) verdict for each question, in order; `progress(done, total)` per chunk.

    `vectors`: the messages' stored vectors by (model id, text); what the replay has to
    embed itself is added to it."""
    total = len(questions)
    out: list[tuple[Verdict, Verdict]] = []
    with message_scope({} if vectors is None else vectors):
        for start in range(0, total, _CHUNK * 4):
            chunk = questions[start : start + _CHUNK * 4]
            keys = [without_placeholders(q) for q in chunk]
            for index in (live, draft):
                if isinstance(index.matcher, PrimedMatcher):
                    index.matcher.prime(keys)
            out.extend(
                (verdict_of(advise_message(live, q)), verdict_of(advise_message(draft, q)))
                for q in chunk
            )
            if progress is not None:
                progress(len(out), total)
    return out
