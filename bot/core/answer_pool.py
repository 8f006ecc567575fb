"""Answering off the event loop: a bounded pool of workers and a bounded queue in front.

The CPU part of an answer (redaction and `advise_message`: tokenizing, fuzzy tool
look-up, the sentence model) runs in worker processes, so the server's event loop
only acknowledges requests, talks to the database and posts replies. Each worker
keeps its own index of the live policy: the first question of a new policy
version tells the worker to build it from the policy sent along. At most
`queue_limit` questions wait for a worker; beyond that `advise` raises `Busy` at
once, and the adapters answer "busy, try again in a minute" instead of letting
a backlog grow without bound.

With `workers=0` (the CLI, tests) the work runs in one thread of this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.base import MatcherBackend, SavedVectors, saved_of
from bot.core.redact import DEFAULT_REGION, name_allowlist, redact
from bot.core.replies import Answer
from bot.errors import ConciergeError
from bot.policy.models import Policy

__all__ = [
    "BUSY_MESSAGE", "AnswerPool", "Busy", "advise_text", "exit_with_parent", "redact_for",
]

_log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
BUSY_MESSAGE = ("I'm answering a lot of questions right now. "
                "Please try again in a minute.")


class Busy(ConciergeError):
    """Every worker is busy and the queue is full: ask the person to try again shortly."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


class _NeedIndex(Exception):
    """Raised in a worker that has not built the index of the requested version yet."""


# The live policy's tool names and aliases are never personal names ("Is Jasper approved?").
# Keyed by the index object (kept alive here, so its id cannot be reused); a few versions.
_ALLOWLISTS: dict[int, tuple[PolicyIndex, frozenset[str]]] = {}


def redact_for(index: PolicyIndex, text: str, region: str = DEFAULT_REGION) -> str:
    """The text as it may be stored or shown, with this policy's tool names allowed."""
    cached = _ALLOWLISTS.get(id(index))
    if cached is None or cached[0] is not index:
        tools = index.policy.tools
        allow = name_allowlist([*(t.name for t in tools), *(t.id for t in tools),
                                *(a for t in tools for a in t.aliases)])
        if len(_ALLOWLISTS) >= 4:
            _ALLOWLISTS.pop(next(iter(_ALLOWLISTS)))
        cached = _ALLOWLISTS[id(index)] = (index, allow)
    return redact(text, region=region, allow=cached[1]).text


def advise_text(index: PolicyIndex, text: str,
                region: str = DEFAULT_REGION) -> tuple[str, Answer]:
    """Redact, then answer from the redacted text (what is logged is what was understood)."""
    question = redact_for(index, text, region)
    return question, advise_message(index, question)


# -- inside a worker process --------------------------------------------------------------
_WORKER_INDEX: PolicyIndex | None = None


def exit_with_parent(*, at_once: bool = False) -> None:
    """End this process when its parent ends, however the parent ends.

    A parent killed outright (kill -9, the OOM killer) cannot stop its children. A thread
    notices within a second that this process has been re-parented. With `at_once`, on
    Linux, the kernel also kills it the moment the parent dies (PR_SET_PDEATHSIG), even
    while it is busy starting or stopped. That signal follows the parent *thread* that
    started this process, so only a process started from its parent's main thread (the
    answering process) asks for it; answer workers are started from pool threads.
    """
    parent = os.getppid()
    if at_once and sys.platform.startswith("linux"):
        import ctypes  # here: a one-shot `ask` imports this module and never needs it

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the kernel was told to watch
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_start() -> None:
    """Ctrl-C reaches the whole process group: the server stops its workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent()

#: What a worker needs to build a version's index: the policy, the matcher factory, the
#: threshold, and the policy's vectors and calibration as the server has them (stored
#: in the database), so a worker neither re-embeds the policy nor re-calibrates it.
IndexSpec = tuple[Policy, Callable[[], MatcherBackend], float | None, SavedVectors | None]


def _work(version: int, text: str, spec: IndexSpec | None,
          region: str = DEFAULT_REGION) -> tuple[str, Answer]:
    global _WORKER_INDEX
    if _WORKER_INDEX is None or _WORKER_INDEX.version != version:
        if spec is None:
            raise _NeedIndex(version)
        policy, make_matcher, threshold, saved = spec
        index = build_index(version, policy, make_matcher, threshold, saved)
        index.lexicon.warm()  # before the version's first question, not during it
        _WORKER_INDEX = index
    return advise_text(_WORKER_INDEX, text, region)


# -- in the server ------------------------------------------------------------------------
class AnswerPool:
    """Bounded, off-loop answering; one per server process."""

    def __init__(self, *, make_matcher: Callable[[], MatcherBackend],
                 threshold: float | None = None, workers: int = 1,
                 queue_limit: int = 200, region: str = DEFAULT_REGION,
                 on_busy: Callable[[], None] | None = None) -> None:
        self.workers = workers
        self.region = region  # PHONE_REGION, for the redactor in the workers
        self._on_busy = on_busy  # metrics live outside the core
        self.queue_limit = queue_limit
        self._spec_parts = (make_matcher, threshold)
        self.waiting = 0  # questions submitted and not yet answered
        self.busy_count = 0
        self._executor: Executor = self._make_executor(workers, make_matcher)

    def _make_executor(self, workers: int,
                       make_matcher: Callable[[], MatcherBackend]) -> Executor:
        if workers > 0:
            try:
                pickle.dumps(make_matcher)
            except Exception:  # a factory that cannot travel: answer in a thread instead
                _log.warning("matcher factory is not picklable; answering in a thread")
            else:
                # Imported here: multiprocessing costs a cold `ask`, which has no workers.
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                context = multiprocessing.get_context("spawn")  # no fork of a running loop
                return ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                           initializer=_worker_start)
        self.workers = 0
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="answer")

    @property
    def in_process(self) -> bool:
        return isinstance(self._executor, ThreadPoolExecutor)

    async def advise(self, index: PolicyIndex, text: str) -> tuple[str, Answer]:
        """The redacted question and its answer; raises Busy when the queue is full."""
        if self.waiting >= self.queue_limit:
            self.busy_count += 1
            if self._on_busy is not None:
                self._on_busy()
            raise Busy()
        self.waiting += 1
        try:
            return await self._run(index, text)
        finally:
            self.waiting -= 1

    async def _run(self, index: PolicyIndex, text: str) -> tuple[str, Answer]:
        loop = asyncio.get_running_loop()
        executor = self._executor
        if self.in_process:
            return await loop.run_in_executor(executor, advise_text, index, text, self.region)
        from concurrent.futures.process import BrokenProcessPool  # loaded with the workers

        try:
            try:
                return await loop.run_in_executor(executor, _work, index.version, text, None,
                                                  self.region)
            except _NeedIndex:
                return await loop.run_in_executor(executor, _work, index.version, text,
                                                  self._spec(index), self.region)
        except BrokenProcessPool:  # a worker died (e.g. the OOM killer): start afresh once
            if executor is self._executor:
                _log.error("an answer worker died; restarting the pool")
                executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._make_executor(self.workers, self._spec_parts[0])
            return await loop.run_in_executor(self._executor, _work, index.version, text,
                                              self._spec(index), self.region)

    def _spec(self, index: PolicyIndex) -> IndexSpec:
        make_matcher, threshold = self._spec_parts
        return (index.policy, make_matcher, threshold, saved_of(index.matcher))

    async def warm(self, index: PolicyIndex) -> None:
        """Have the workers build the current index before the first question arrives."""
        if self.in_process:
            return
        spec = self._spec(index)
        loop = asyncio.get_running_loop()
        await asyncio.gather(*(loop.run_in_executor(self._executor, _work, index.version,
                                                    "hello", spec)
                               for _ in range(self.workers)))

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
