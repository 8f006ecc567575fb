"""Replay on several cores: worker processes, each with both indexes, answer chunks in turn.

Why processes: the answer path is Python (the GIL would serialize threads), and a replay
run from chat must leave the serving process free. Workers come from a `forkserver`, so
a threaded server is never forked; each loads the two indexes already built (or builds
them, when a backend can't be pickled), then answers chunks of distinct questions.
Chunks come back in order, and each finished chunk is reported as progress.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.core.advisor import PolicyIndex
from bot.core.matching.base import MatcherBackend, SavedVectors
from bot.core.whatif.replay import (
    Progress,
    StoredVectors,
    Verdict,
    known_vectors,
    replay_indexes,
    replay_questions,
)
from bot.policy.models import Policy

__all__ = ["MIN_PARALLEL", "default_workers", "picklable", "replay_in_workers", "shippable"]

#: Below this many distinct questions, starting workers costs more than it saves.
MIN_PARALLEL = 2000
_STATE: tuple[PolicyIndex, PolicyIndex] | None = None
#: What a worker builds its indexes from when they can't be shipped (`replay_indexes`' args).
Build = tuple[int, Policy, Policy, Callable[[], MatcherBackend], float | None,
              SavedVectors | None]


def default_workers(*, leave_one: bool = False) -> int:
    """All cores for the CLI; one fewer in a server, so answers keep a core to themselves."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    return max(1, min(cores - (1 if leave_one else 0), 8))


def picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True


def _load(blob: bytes) -> None:
    global _STATE
    _STATE = pickle.loads(blob)


def _build(live_version: int, live: Policy, draft: Policy,
           make_matcher: Callable[[], MatcherBackend], threshold: float | None,
           saved: SavedVectors | None = None) -> None:
    global _STATE
    _STATE = replay_indexes(live_version, live, draft, make_matcher, threshold, saved)


def _answer(questions: list[str], model_id: str | None,
            stored: StoredVectors) -> tuple[list[tuple[Verdict, Verdict]], int]:
    """The chunk's verdicts, and how many texts had to be embedded for it."""
    assert _STATE is not None, "worker not started"
    vectors = known_vectors(model_id, stored)
    known = len(vectors)
    verdicts = replay_questions(_STATE[0], _STATE[1], questions, vectors=vectors)
    return verdicts, len(vectors) - known


def shippable(indexes: tuple[PolicyIndex, PolicyIndex]) -> bytes | None:
    """The built indexes as bytes for the workers, or None when a backend can't be pickled.

    Shipping a fitted index (about 50 MB at 1,000 tools and 15,000 examples, well under
    a second) beats every worker fitting it again.
    """
    try:
        return pickle.dumps(indexes, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return None


def replay_in_workers(
    questions: Sequence[str],
    *,
    workers: int,
    indexes: bytes | None = None,
    build: Build | None = None,
    progress: Progress | None = None,
    model_id: str | None = None,
    stored: StoredVectors | None = None,
) -> tuple[list[tuple[Verdict, Verdict]], int]:
    """`replay_questions` for every question, spread over `workers` processes, and how
    many texts were embedded.

    Workers load the pickled `indexes`, or else `build` them (live version, live policy,
    draft, matcher factory, threshold, stored vectors) themselves. Each chunk goes with
    the vectors `stored` for its questions (by `model_id`).
    """
    if indexes is None and build is None:
        raise ValueError("give the indexes or what to build them from")
    initializer: Callable[..., None] = _load if indexes is not None else _build
    initargs: tuple[object, ...] = (indexes,) if indexes is not None else build or ()
    total = len(questions)
    # Several chunks per worker: balanced work, regular progress, still large batches.
    size = max(256, -(-total // (workers * 6)))
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.core.whatif.workers"])
    out: list[tuple[Verdict, Verdict]] = []
    embedded = 0
    stored = stored or {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        futures = []
        for i in range(0, total, size):
            chunk = list(questions[i : i + size])
            own = {q: stored[q] for q in chunk if q in stored}
            futures.append(pool.submit(_answer, chunk, model_id, own))
        for future in futures:
            verdicts, count = future.result()
            out.extend(verdicts)
            embedded += count
            if progress is not None:
                progress(len(out), total)
    return out, embedded
