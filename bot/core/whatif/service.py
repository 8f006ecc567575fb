"""What-if replay as a service for the CLI, Slack and Teams: load, replay off the loop, report.

The CPU work (building two indexes and answering every distinct question twice) runs
in a worker thread, one replay at a time per process, so answers keep flowing while a
replay runs. Chat starts it as a `ReplayJob` and shows its progress.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.core.admin import PolicyAdmin
from bot.core.advisor import PolicyIndex
from bot.core.matching.base import MatcherBackend, SavedVectors, stored_model_id
from bot.core.whatif.replay import (
    Progress,
    StoredVectors,
    Verdict,
    by_job,
    known_vectors,
    replay_indexes,
    replay_questions,
)
from bot.core.whatif.report import CandidateInfo, WhatIfReport, build_report
from bot.core.whatif.workers import (
    MIN_PARALLEL,
    default_workers,
    picklable,
    replay_in_workers,
    shippable,
)
from bot.errors import InputError, PolicyFileError
from bot.policy.diff import diff_policies
from bot.policy.files import PolicyProblem, policy_to_data, validate_data
from bot.policy.models import Policy
from bot.store import Actor, Snapshot, Store
from bot.store.asks import LoggedAsk, logged_asks, stored_ask_vectors
from bot.store.db import DB_ERRORS
from bot.store.insights import InsightStore

__all__ = ["MAX_DAYS", "ReplayJob", "WhatIf", "with_item"]

_log = logging.getLogger(__name__)
MAX_DAYS = 3660
_ids = itertools.count(1)


@dataclass
class ReplayJob:
    """A replay running in the background; adapters poll `done`/`total` to show progress."""

    id: int
    draft_name: str
    stage: str = "queued"  # queued | loading | indexing | replaying | done | failed
    done: int = 0
    total: int = 0
    report: WhatIfReport | None = None
    error: str | None = None
    task: asyncio.Task[WhatIfReport] | None = field(default=None, repr=False)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    async def wait(self) -> WhatIfReport:
        assert self.task is not None
        return await self.task


class WhatIf:
    """Replays the logged asks of the last N days against a draft and the live policy."""

    def __init__(self, store: Store, *, make_matcher: Callable[[], MatcherBackend],
                 threshold: float | None = None, admin: PolicyAdmin | None = None,
                 workers: int | None = None, min_parallel: int = MIN_PARALLEL,
                 isolate: bool = False) -> None:
        """`isolate`: a big replay runs in worker processes even when there is one worker
        (a server: answering in this process, its acks need the GIL the replay would hold)."""
        self.store = store
        self.workers = default_workers() if workers is None else max(1, workers)
        self._min_parallel = min_parallel
        self._isolate = isolate
        self._make_matcher = make_matcher
        self._threshold = threshold
        self._admin = admin or PolicyAdmin(store)
        self._one_at_a_time = asyncio.Semaphore(1)
        self._jobs: dict[int, ReplayJob] = {}

    async def live(self) -> Snapshot:
        snapshot = await self.store.policies.current()
        if snapshot is None:
            raise PolicyFileError([PolicyProblem("<store>", "", "no policy imported yet")])
        return snapshot

    async def run(self, draft: Policy, *, draft_name: str, days: int = 90,
                  draft_version: int | None = None, now: datetime | None = None,
                  job: ReplayJob | None = None, base: Snapshot | None = None) -> WhatIfReport:
        """The report for `draft` against the live policy over the last `days` days.

        `base` replaces the live policy, e.g. the version a change was just saved over.
        """
        if not 1 <= days <= MAX_DAYS:
            raise InputError(f"Please choose between 1 and {MAX_DAYS} days.")
        job = job or ReplayJob(0, draft_name)
        async with self._one_at_a_time:
            job.stage = "loading"
            started = time.perf_counter()
            until = now or datetime.now(UTC)
            since = until - timedelta(days=days)
            live = base or await self.live()
            asks = await logged_asks(self.store.sessions, since=since, until=until)
            candidates = await self._candidates(a.candidate_id for a in asks)
            meta = {"since": since, "until": until, "days": days, "live_version": live.version,
                    "draft_name": draft_name, "draft_version": draft_version,
                    "changes": [str(c) for c in diff_policies(live.policy, draft)]}
            model_id = stored_model_id(self._make_matcher())
            saved = await self._saved_vectors(live.version, model_id)
            stored = await self._ask_vectors(model_id, asks)
            timings = {"load": time.perf_counter() - started}
            report = await asyncio.to_thread(self._compute, live, draft, asks, candidates, meta,
                                             job, timings, saved, (model_id, stored))
            seconds = round(time.perf_counter() - started, 3)
            _log.info("what-if replay done", extra={"asks": report.asks_replayed,
                                                    "seconds": seconds})
            job.stage = "done"
            return replace(report, seconds=seconds,
                           timings={k: round(v, 3) for k, v in timings.items()})

    def start(self, draft: Policy, *, draft_name: str, days: int = 90,
              draft_version: int | None = None, base: Snapshot | None = None) -> ReplayJob:
        """Start a replay in the background; the job reports progress and the result."""
        job = ReplayJob(next(_ids), draft_name)
        job.task = asyncio.create_task(self._run_job(job, draft, days, draft_version, base),
                                       name=f"whatif-{job.id}")
        self._jobs[job.id] = job
        return job

    async def _run_job(self, job: ReplayJob, draft: Policy, days: int,
                       draft_version: int | None, base: Snapshot | None) -> WhatIfReport:
        try:
            return await self.run(draft, draft_name=job.draft_name, days=days,
                                  draft_version=draft_version, job=job, base=base)
        except Exception as exc:
            job.stage, job.error = "failed", type(exc).__name__
            raise
        finally:
            self._jobs.pop(job.id, None)

    def jobs(self) -> list[ReplayJob]:
        return list(self._jobs.values())

    async def require_admin(self, actor: Actor) -> None:
        """Replays show what people asked (redacted): admins only, refusals audited."""
        await self._admin.require_admin(actor, "whatif", "policy")

    async def _candidates(self, ids: Iterable[int | None]) -> dict[int, CandidateInfo]:
        wanted = sorted({i for i in ids if i is not None})
        if not wanted:
            return {}
        found = await InsightStore(self.store.sessions).candidates(ids=wanted)
        return {c.id: CandidateInfo(c.id, c.label, c.status) for c in found}

    async def _saved_vectors(self, version: int, model_id: str | None) -> SavedVectors | None:
        """The vectors the bot stored for the live version (or the newest before it), so
        the replay embeds none of the policy's texts it already has."""
        if model_id is None:
            return None
        try:
            stored = await self.store.embeddings.load(version, model_id)
        except DB_ERRORS:
            _log.warning("could not read the policy's stored embeddings; embedding them")
            return None
        return SavedVectors.of_row(stored) if stored is not None else None

    async def _ask_vectors(self, model_id: str | None,
                           asks: list[LoggedAsk]) -> StoredVectors:
        """What the bot embedded when it answered the asks, so the replay runs the model
        only for questions it has nothing stored for (logged before, or another model)."""
        if model_id is None:
            return {}
        try:
            return await stored_ask_vectors(self.store.sessions, model_id,
                                            list(dict.fromkeys(a.question for a in asks)))
        except DB_ERRORS:
            _log.warning("could not read the asks' stored vectors; embedding them")
            return {}

    def _compute(self, live: Snapshot, draft: Policy, asks: list[LoggedAsk],
                 candidates: dict[int, CandidateInfo], meta: dict[str, object],
                 job: ReplayJob, timings: dict[str, float],
                 saved: SavedVectors | None = None,
                 asked: tuple[str | None, StoredVectors] = (None, {})) -> WhatIfReport:
        questions = list(dict.fromkeys(a.question for a in asks))
        model_id, stored = asked
        clock = time.perf_counter()

        def progress(done: int, total: int) -> None:
            job.done = done

        job.stage = "indexing"
        live_index, draft_index = replay_indexes(live.version, live.policy, draft,
                                                 self._make_matcher, self._threshold, saved)
        questions = by_job(live_index.matcher, questions)
        job.stage, job.total = "replaying", len(questions)
        timings["index"], clock = time.perf_counter() - clock, time.perf_counter()
        if (self.workers > 1 or self._isolate) and len(questions) >= self._min_parallel:
            blob = shippable((live_index, draft_index))
            build = (live.version, live.policy, draft, self._make_matcher, self._threshold,
                     saved)
            if blob is not None or picklable(self._make_matcher):
                verdicts, embedded = replay_in_workers(
                    questions, workers=self.workers, indexes=blob,
                    build=None if blob else build, progress=progress, model_id=model_id,
                    stored=stored)
                timings["workers"] = self.workers
            else:
                verdicts, embedded = self._in_process(live_index, draft_index, questions,
                                                      progress, asked)
        else:
            verdicts, embedded = self._in_process(live_index, draft_index, questions,
                                                  progress, asked)
        timings["embedded"] = embedded
        timings["replay"], clock = time.perf_counter() - clock, time.perf_counter()
        report = build_report(asks=asks, verdicts=dict(zip(questions, verdicts, strict=True)),
                              live=live.policy, draft=draft, candidates=candidates, meta=meta)
        timings["report"] = time.perf_counter() - clock
        return report


    @staticmethod
    def _in_process(live: PolicyIndex, draft: PolicyIndex, questions: list[str],
                    progress: Progress, asked: tuple[str | None, StoredVectors],
                    ) -> tuple[list[tuple[Verdict, Verdict]], int]:
        """The replay in this thread; its verdicts and how many texts it embedded."""
        vectors = known_vectors(*asked)
        known = len(vectors)
        verdicts = replay_questions(live, draft, questions, progress, vectors)
        return verdicts, len(vectors) - known


_SECTIONS = {"tool": "tools", "use_case": "use_cases", "red_line": "red_lines"}


def with_item(policy: Policy, kind: str, item: dict[str, Any]) -> Policy:
    """The policy with one tool, use case or red line added or replaced (by id), validated.

    What `PolicyAdmin.upsert` would save, without saving it: the draft behind a form's
    "Check impact". Raises PolicyFileError with every problem, like a save would.
    """
    data = policy_to_data(policy)
    items = data.setdefault(_SECTIONS[kind], [])
    for i, existing in enumerate(items):
        if existing.get("id") == item.get("id"):
            items[i] = item
            break
    else:
        items.append(item)
    return validate_data(data, f"{kind}:{item.get('id', '')}")
