"""What-if replay at scale: 100,000 logged asks against a 1,000-tool draft, end to end.

The live policy is the answer-path benchmark's synthetic one (CLINC150's 150 intents as
use cases with their 15,000 training queries as examples, 1,000 tools). The draft
changes it the way a big review would: 40 tools approved, 20 retired, a red line added
(and, with --new-use-case, a use case added, which forces a second matcher fit).

Logged asks are CLINC150's held-out queries (test and val, in-scope and out-of-scope; the
training queries are the policy's examples), alone or after a concierge-style prefix,
written into a real SQLite database with 2,000 askers; which question each ask repeats
is drawn from a Zipf law over `--distinct` questions, since people ask the same things in
the same words. `WhatIf.run` is timed from reading the log to the finished report.

CLINC150: Larson et al., EMNLP 2019 (github.com/clinc/oos-eval), CC BY 3.0. Read from
../shared/benchmarks/clinc150, never copied into this repository.

    OMP_NUM_THREADS=1 python bench/whatif.py [--asks 100000] [--distinct 10000 20000]
        [--workers 2 1] [--backend hybrid] [--new-use-case] [--cold] [--unstored-asks]

The live version's vectors are stored first, as the bot stores them when it indexes a
version (`--cold`: not), and so are the vectors each distinct question's answer embedded,
as the bot stores them when it answers and logs an ask: the live index answers every
distinct question with `advise_message` (untimed) and its `Answer.vectors` are written
with `save_ask_vectors`, the bot's own write (`--unstored-asks`: not, as for asks logged
before the bot stored them). Each run prints wall time and the CPU time of this process
and its worker processes (from /proc), with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from answer_path import DEFAULT_DATA, synthetic_policy
from sqlalchemy import insert

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.base import SavedVectors, saved_of
from bot.core.matching.registry import make_backend
from bot.core.whatif import WhatIf
from bot.policy.files import load_policy, policy_to_data, validate_data
from bot.policy.models import Policy
from bot.settings import ROOT
from bot.store import Actor, Store, upgrade
from bot.store.asks import save_ask_vectors
from bot.store.tables import QueryEntry

PREFIXES = ("", "is there an AI tool to ", "can I use AI to ", "what can I use to ")


def draft_of(live: Policy, *, new_use_case: bool) -> Policy:
    data = policy_to_data(live)
    under_review = [t for t in data["tools"] if t["status"] == "under_review"]
    for tool in under_review[:40]:
        tool["status"] = "approved"
    retired = {t["id"] for t in data["tools"] if t["status"] == "approved"}
    retired = set(sorted(retired)[: min(20, len(retired) // 10)])
    data["tools"] = [t for t in data["tools"] if t["id"] not in retired]
    for tool in data["tools"]:
        tool["alternatives"] = [a for a in tool.get("alternatives", []) if a not in retired]
    for line in data["red_lines"]:
        line["applies_to"] = [a for a in line.get("applies_to", []) if a not in retired]
    data["red_lines"].append({"id": "no-bank-details", "title": "No bank details",
                              "rule": "Never paste bank details.", "why": "Fraud.",
                              "triggers": ["bank account", "routing number"]})
    if new_use_case:
        data["use_cases"].append({
            "id": "invoice-checks", "name": "Check invoices",
            "description": "Find duplicate or wrong supplier invoices before payment.",
            "examples": ["check supplier invoices for duplicates",
                         "spot duplicate vendor payments", "flag wrong invoices"]})
        data["tools"].append({"id": "invoice-ai", "name": "Invoice Guard", "status": "approved",
                              "summary": "Checks invoices.", "good_for": ["invoice-checks"],
                              "access": {"text": "Finance IT."}})
    return validate_data(data)


def sample_asks(pool: list[str], *, asks: int, distinct: int, seed: int = 11) -> list[str]:
    """`asks` questions drawn from `distinct` of them with Zipf-like frequencies (s = 1)."""
    rng = random.Random(seed)
    chosen = rng.sample(pool, min(distinct, len(pool)))
    weights = [1.0 / (rank + 1) for rank in range(len(chosen))]
    # every chosen question is asked at least once, the rest follow the law
    drawn = chosen + rng.choices(chosen, weights=weights, k=max(asks - len(chosen), 0))
    rng.shuffle(drawn)
    return drawn[:asks]


def live_index(live: Policy, backend: str) -> tuple[PolicyIndex, SavedVectors | None]:
    """The live version's index as the bot builds it, and the vectors it stores (untimed)."""
    matcher = make_backend(backend)
    index = build_index(1, live, lambda: matcher)
    return index, saved_of(matcher)


def answered_vectors(index: PolicyIndex, questions: list[str]) -> list[tuple[str, Any]]:
    """What answering each distinct question embedded, as the bot logs it (untimed)."""
    return [(q, advise_message(index, q).vectors) for q in dict.fromkeys(questions)]


def fresh_process() -> None:
    """Forget the policy vectors and calibrations a process keeps (a CLI run starts
    without them, and a server's live index is fitted from stored ones, not kept there)."""
    hybrid = sys.modules.get("bot.core.matching.hybrid")
    if hybrid is not None:
        hybrid._SHARED.clear()  # type: ignore[attr-defined]
        hybrid._CALIBRATIONS.clear()  # type: ignore[attr-defined]


async def seed(store: Store, live: Policy, questions: list[str],
               saved: SavedVectors | None = None,
               asked: list[tuple[str, Any]] | None = None) -> None:
    version = await store.policies.save(live, actor=Actor("bench", "cli"), action="import",
                                        summary="bench", expected_version=0)
    if saved is not None and version is not None:
        await store.embeddings.save(version, saved.model_id, saved.fingerprint, saved.vectors,
                                    saved.calibration)
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {"at": now - timedelta(minutes=i), "platform": "slack", "asker": f"asker-{i % 2000}",
         "question": q, "outcome": "answered", "tools": [], "red_lines": []}
        for i, q in enumerate(questions)]
    async with store.sessions() as session:
        for start in range(0, len(rows), 5000):
            await session.execute(insert(QueryEntry), rows[start:start + 5000])
        for start in range(0, len(asked or ()), 500):
            await save_ask_vectors(session, (asked or [])[start:start + 500])
        await session.commit()


def _tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of `root` and every live descendant, by pid, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    out = {}
    for pid in cpu:
        walk = pid
        while walk > 1 and walk != root:
            walk = parents.get(walk, 0)
        if walk == root:
            out[pid] = cpu[pid]
    return out


class CpuMeter:
    """CPU time of this process and all its descendants (worker processes are children of
    a forkserver, so `RUSAGE_CHILDREN` never sees them): /proc polled every 50 ms, the
    last reading of each pid kept. Linux only; a worker's last < 50 ms can be missed."""

    def __init__(self) -> None:
        import threading

        self._seen: dict[int, float] = {}
        self._start: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.wait(0.05):
            self._seen.update(_tree_cpu(os.getpid()))

    def __enter__(self) -> CpuMeter:
        self._start = _tree_cpu(os.getpid())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._seen.update(_tree_cpu(os.getpid()))

    @property
    def seconds(self) -> float:
        return sum(v - self._start.get(pid, 0.0) for pid, v in self._seen.items())


class OneByOne:
    """The backend without `rank_many`: what the replay costs when every question is ranked
    alone (the baseline the batching is measured against). Everything else is the backend's."""

    def __init__(self, backend: str) -> None:
        self._inner = make_backend(backend)

    def __getattr__(self, name: str) -> Any:
        if name in {"_inner", "rank_many"} or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._inner, name)


async def one_run(live: Policy, draft: Policy, questions: list[str], backend: str,
                  workers: int, batch: bool = True,
                  saved: SavedVectors | None = None,
                  asked: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite+aiosqlite:///{tmp}/bench.db")
        await upgrade(store.engine)
        await seed(store, live, questions, saved, asked)
        fresh_process()
        factory = functools.partial(make_backend if batch else OneByOne, backend)
        whatif = WhatIf(store, make_matcher=factory, workers=workers)
        started = time.perf_counter()
        with CpuMeter() as meter:
            report = await whatif.run(draft, draft_name="bench-draft")
        seconds = time.perf_counter() - started
        await store.close()
    return {"seconds": seconds, "cpu": meter.seconds, "load": os.getloadavg(),
            "asks": report.asks_replayed,
            "distinct": report.questions_replayed,
            "newly_answered": report.newly_answered.asks, "newly_unmet": report.newly_unmet.asks,
            "changed": report.changed.asks, "newly_blocked": report.newly_blocked.asks,
            "stages": dict(report.timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--asks", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, nargs="+", default=[10_000, 20_000])
    parser.add_argument("--tools", type=int, default=1000)
    parser.add_argument("--backend", default="hybrid")
    parser.add_argument("--new-use-case", action="store_true")
    parser.add_argument("--cold", action="store_true",
                        help="no vectors stored for the live version (the bot never indexed it)")
    parser.add_argument("--unstored-asks", action="store_true",
                        help="no vectors stored with the asks (logged before the bot stored "
                             "them, or by another model)")
    parser.add_argument("--sample-policy", action="store_true",
                        help="the sample policy (20 tools) instead of the 1,000-tool one")
    parser.add_argument("--compare-batching", action="store_true",
                        help="also run with every question ranked alone (no rank_many)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 1],
                        help="worker processes (1: in-process); each count is run")
    args = parser.parse_args()

    data = json.loads((args.data / "data_full.json").read_text(encoding="utf-8"))
    live = (load_policy(ROOT / "policies") if args.sample_policy
            else synthetic_policy(data["train"], n_tools=args.tools))
    draft = draft_of(live, new_use_case=args.new_use_case)
    base = list(dict.fromkeys(q for split in ("test", "val", "oos_test", "oos_val", "oos_train")
                              for q, _ in data[split]))
    # 8,700 held-out queries, each also asked the ways people ask a concierge: 34,800 texts.
    pool = [f"{prefix}{q}" for prefix in PREFIXES for q in base]
    print(f"# What-if replay, {args.backend} backend, {datetime.now(UTC):%Y-%m-%d}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"policy: {len(draft.tools)} tools in the draft, {len(draft.use_cases)} use cases, "
          f"{sum(len(u.examples) for u in draft.use_cases)} examples; "
          f"new use case: {args.new_use_case}")
    index, saved = live_index(live, args.backend)
    saved = None if args.cold else saved
    print(f"live version's vectors stored as the bot stores them: {saved is not None}; "
          f"asks' vectors stored as the bot stores them: {not args.unstored_asks}")
    for distinct in args.distinct:
        questions = sample_asks(pool, asks=args.asks, distinct=distinct)
        asked = None if args.unstored_asks else answered_vectors(index, questions)
        for workers in args.workers:
            for batch in (True, False) if args.compare_batching else (True,):
                result = asyncio.run(one_run(live, draft, questions, args.backend, workers,
                                             batch, saved, asked))
                stages = ", ".join(f"{k} {v:.1f}" for k, v in result.pop("stages").items())
                how = "rank_many" if batch else "one by one"
                load = "/".join(f"{x:.1f}" for x in result.pop("load"))
                print(f"{result['asks']:,} asks, {result['distinct']:,} distinct, {workers} "
                      f"worker(s), {how}: {result['seconds']:.1f} s wall, "
                      f"{result['cpu']:.1f} s CPU (all processes; / 2 cores = "
                      f"{result['cpu'] / 2:.1f} s), load {load} after ({stages}); {result}",
                      flush=True)


if __name__ == "__main__":
    main()
