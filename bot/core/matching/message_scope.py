"""What one answer computes about its message once: vectors, job texts, and texts to come.

Several parts of one answer read the same message (small talk by meaning, the job match,
the forbidden uses, the alternatives for an unlisted tool). Each would otherwise make the
message's job text again (spelling repair and framing: about 0.03 ms) and could embed it
again (a model call: about 5 ms). Inside `message_scope`:

- a text is embedded once (`Embedder.encode_message` reads and fills `vectors()`);
- a job text is made once per maker (`message_jobs`: the hybrid matcher's `job_texts`);
- a text a later part of the answer will embed (`expect_texts`) goes into the next model
  call the answer makes anyway, so an answer pays for one call, not two. Nothing is
  embedded for it unless some call is made;
- a pure function of the message that several parts call alike (`once_per_message`: a
  check each red line makes of the message alone) runs once.

Nothing is kept after the answer, except what a what-if replay's outer scope keeps on
purpose (the logged asks' stored vectors, given as `known`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import numpy as np

__all__ = [
    "MessageVectors", "expect_texts", "expected_texts", "in_message_scope", "message_jobs",
    "message_scope", "once_per_message", "vectors",
]

R = TypeVar("R")

MessageVectors = dict[tuple[str, str], np.ndarray]
#: Job texts by maker: the maker object (kept alive while the scope is, so its id cannot be
#: reused) and its texts' jobs by text.
JobTexts = dict[int, tuple[object, dict[str, str]]]

#: Vectors of the message being answered, by (model id, text), inside `message_scope`.
_MESSAGE_VECTORS: ContextVar[MessageVectors | None] = ContextVar(
    "message_vectors", default=None
)
#: Job texts of the message being answered (`message_jobs`); one answer's only.
_MESSAGE_JOBS: ContextVar[JobTexts | None] = ContextVar("message_jobs", default=None)
#: Texts the answer will embed later, by model id (`expect_texts`).
_EXPECTED: ContextVar[dict[str, list[str]] | None] = ContextVar("expected", default=None)
#: Results of `once_per_message` functions, by (function, arguments); one answer's only.
_ONCE: ContextVar[dict[tuple[object, tuple[Hashable, ...]], object] | None] = ContextVar(
    "once", default=None
)


@contextmanager
def message_scope(known: MessageVectors | None = None) -> Iterator[MessageVectors]:
    """One answer: a text of the message embedded twice (small talk by meaning, then the
    job to match) goes through the model once, and its job text is made once.

    Yields the answer's vectors by (model id, text), so the bot can store them with the
    logged ask. Inside an outer scope (a what-if replay, given the logged asks' stored
    vectors as `known`), the outer one's vectors are used and extended: a replay embeds a
    text only when nothing stored it, and once for both policies. Job texts and expected
    texts are always the innermost answer's own: a replay of 100,000 asks keeps no job
    text of a finished answer here (its primed matchers keep their own).
    """
    outer = _MESSAGE_VECTORS.get()
    jobs = _MESSAGE_JOBS.set({} if known is None else None)
    expected = _EXPECTED.set({})
    once = _ONCE.set({} if known is None else None)
    try:
        if outer is not None and known is None:
            yield outer
            return
        memo: MessageVectors = {} if known is None else known
        token = _MESSAGE_VECTORS.set(memo)
        try:
            yield memo
        finally:
            _MESSAGE_VECTORS.reset(token)
    finally:
        _ONCE.reset(once)
        _EXPECTED.reset(expected)
        _MESSAGE_JOBS.reset(jobs)


def in_message_scope() -> bool:
    """Whether an answer's (or a replay's) scope is open."""
    return _MESSAGE_VECTORS.get() is not None


def vectors() -> MessageVectors | None:
    """The open scope's vectors by (model id, text); None outside any scope."""
    return _MESSAGE_VECTORS.get()


def message_jobs(
    maker: object, texts: Sequence[str], make: Callable[[list[str]], list[str]]
) -> list[str]:
    """`make(texts)`, each text's job made once per answer and per `maker` (the object
    whose state the job depends on: a matcher reads spelling against its own policy's
    words, so two policies' matchers in one replay keep separate jobs)."""
    memo = _MESSAGE_JOBS.get()
    if memo is None:
        return make(list(texts))
    entry = memo.get(id(maker))
    if entry is None or entry[0] is not maker:
        entry = memo[id(maker)] = (maker, {})
    jobs = entry[1]
    todo = [t for t in dict.fromkeys(texts) if t not in jobs]
    if todo:
        jobs.update(zip(todo, make(todo), strict=True))
    return [jobs[t] for t in texts]


def expect_texts(model_id: str, texts: Sequence[str]) -> None:
    """Texts this answer will embed with `model_id` later: the next model call the answer
    makes embeds them along (a model call costs mostly its fixed part). No-op outside an
    answer's scope."""
    pending = _EXPECTED.get()
    if pending is not None and _MESSAGE_VECTORS.get() is not None:
        pending.setdefault(model_id, []).extend(texts)


def expected_texts(model_id: str) -> list[str]:
    """The texts expected for `model_id` (`expect_texts`), taken: each rides one call."""
    pending = _EXPECTED.get()
    return pending.pop(model_id, []) if pending else []


def once_per_message(function: Callable[..., R]) -> Callable[..., R]:
    """Decorate a pure function of the message (hashable arguments: its text, an id ...)
    that several parts of one answer call with the same arguments (a check made for each
    red line that reads only the message): inside an answer's scope it runs once per
    arguments; outside, every time. Nothing is kept after the answer."""

    @functools.wraps(function)
    def once(*args: Hashable) -> R:
        memo = _ONCE.get()
        if memo is None:
            return function(*args)
        key = (once, args)
        if key not in memo:
            memo[key] = function(*args)
        return memo[key]  # type: ignore[return-value]

    return once
