"""Latency of the whole answer path at scale: 1,000 tools, 150 use cases, 15,000 examples.

The policy is synthetic but shaped like a large real one: CLINC150's intents become use
cases with their 100 training queries as examples, and 1,000 tools with names, aliases,
statuses and data limits cover them. Every CLINC150 test query (in-scope and out-of-scope)
is then answered with `advise_message`, the pure function behind every chat answer
(understanding, matching, ranking tools, red lines, composing the text). Database logging
is not included: it is one INSERT, measured by the load benchmark.

CLINC150: Larson et al., "An Evaluation Dataset for Intent Classification and Out-of-Scope
Prediction", EMNLP 2019 (github.com/clinc/oos-eval), CC BY 3.0. Read from
../shared/benchmarks/clinc150, never copied into this repository.

    python bench/answer_path.py [--backend hybrid|lexical|embedding|semantic] [--data DIR]

The hybrid default embeds every question with the real model (ONNX MiniLM, one thread)
inside the timed path; the policy's own vectors come from the benchmark's disk cache, as
a running server gets them from the database.

Each answer is timed twice over: wall time, and the CPU time of the answering thread
(`time.thread_time`), which a shared machine inflates far less than wall time. The same
questions are then timed stage by stage: reading the message (names, data, red lines,
small talk), embedding the job text alone, and ranking with that vector given; and the
model calls per answer are counted.

    python bench/answer_path.py --limit 2000 --baseline main~2

`--baseline REF` runs the same measurement on REF's code (`git archive`) and on the
current code in child processes, alternating `--rounds` times, and prints both with
their ratios: the figures to trust on a shared machine. It also says whether the two
gave the same answers (each answer's JSON contract, `Answer.to_dict`), question by
question: a change meant to be faster only must report every answer identical.

    python bench/answer_path.py --quick --baseline main

`--quick` (about a minute per side on a quiet machine) times whole answers only, over
1,000 questions, and counts the texts each answer embedded: the check to run before
landing anything on the answer path.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import io
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# `--code DIR`: answer with another checkout's code (the baseline), same interpreter.
sys.path.insert(0, next((sys.argv[i + 1] for i, a in enumerate(sys.argv[:-1]) if a == "--code"),
                        str(Path(__file__).resolve().parents[1])))

from embedding_cache import embed_cached

from bot.core.advisor import PolicyIndex, advise_message, build_index, policy_intents
from bot.core.lexicon import without_placeholders
from bot.core.matching.base import SavedVectors
from bot.core.matching.calibration import out_of_scope_bank
from bot.core.matching.embedder import Embedder, get_embedder
from bot.core.matching.framing import job_text
from bot.core.matching.hybrid import negative_text
from bot.core.matching.registry import make_backend
from bot.core.matching.text import intent_texts
from bot.core.replies import Answer
from bot.core.understand import read_message
from bot.policy.models import Policy

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = next(
    (p / "shared" / "benchmarks" / "clinc150" for p in Path(__file__).resolve().parents[1:4]
     if (p / "shared" / "benchmarks" / "clinc150").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "clinc150",
)
STATUSES = ["standard", "approved", "approved", "pilot", "under_review", "prohibited"]


def synthetic_policy(train: list[list[str]], n_tools: int = 1000, seed: int = 7) -> Policy:
    rng = random.Random(seed)
    by_intent: dict[str, list[str]] = {}
    for query, intent in train:
        by_intent.setdefault(intent, []).append(query)
    use_cases = [
        {
            "id": intent.replace("_", "-"),
            "name": intent.replace("_", " "),
            "description": f"Help with {intent.replace('_', ' ')}.",
            "examples": examples,
        }
        for intent, examples in sorted(by_intent.items())
    ]
    ids = [u["id"] for u in use_cases]
    data_classes = [
        {"id": c, "label": c.title(), "description": f"{c} data", "examples": [f"{c} files"]}
        for c in ("public", "internal", "confidential", "restricted")
    ]
    tools = []
    for n in range(n_tools):
        status = STATUSES[n % len(STATUSES)]
        tools.append(
            {
                "id": f"tool-{n}",
                "name": f"Toolname{n} Assistant",
                "aliases": [f"tn{n}", f"helper{n} ai"],
                "status": status,
                "summary": f"Tool number {n}. It helps with several things.",
                "good_for": rng.sample(ids, 3),
                "not_good_for": ["Not for legal advice.", "Not for restricted data."],
                "max_data_class": rng.choice(["public", "internal", "confidential", None]),
                "access": {"text": "Ask IT.", "url": f"https://it.example/tools/{n}"},
                "alternatives": ["tool-0"] if status in {"prohibited", "under_review"} else [],
            }
        )
    red_lines = [
        {
            "id": f"red-{n}",
            "title": f"Red line {n}",
            "rule": "Never do this.",
            "why": "Because it breaks the law.",
            "triggers": [word],
        }
        for n, word in enumerate(
            ["password", "salary", "health", "credit card", "hire", "fire", "patient",
             "api key", "source code", "board minutes"]
        )
    ]
    return Policy.model_validate(
        {"data_classes": data_classes, "use_cases": use_cases, "tools": tools,
         "red_lines": red_lines}
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _series(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p99": _percentile(values, 0.99),
            "max": max(values)}


def _timed(queries: list[str], answer: Callable[[str], object]) -> dict[str, dict[str, float]]:
    """Wall and thread-CPU milliseconds of `answer` for every query."""
    wall, cpu = [], []
    for query in queries:
        w0, c0 = time.perf_counter(), time.thread_time()
        answer(query)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {"wall": _series(wall), "cpu": _series(cpu)}


def _digest(answer: Answer) -> str:
    """One answer's JSON contract, hashed: what `--baseline` compares."""
    contract = json.dumps(answer.to_dict(), sort_keys=True, default=str)
    return hashlib.sha256(contract.encode("utf-8")).hexdigest()[:16]


def measure(
    backend: str, data_dir: Path, tools: int, limit: int, *, quick: bool = False
) -> dict[str, object]:
    data = json.loads((data_dir / "data_full.json").read_text(encoding="utf-8"))
    policy = synthetic_policy(data["train"], n_tools=tools)
    queries = [q for q, _ in data["test"]] + [q for q, _ in data["oos_test"]]
    if limit:
        queries = random.Random(11).sample(queries, min(limit, len(queries)))

    saved = None
    if backend in ("hybrid", "embedding"):
        texts = [t for i in policy_intents(policy)
                 for t in (*intent_texts(i.name, i.description, i.examples),
                           *(negative_text(n) for n in i.negatives))]
        texts = list(dict.fromkeys(texts + list(out_of_scope_bank())))
        vectors = dict(zip(texts, embed_cached(get_embedder(), texts), strict=True))
        saved = SavedVectors(get_embedder().model_id, "", vectors)
    started = time.perf_counter()
    index = build_index(1, policy, lambda: make_backend(backend), saved=saved)
    build_s = time.perf_counter() - started  # timed untraced: tracemalloc slows allocation
    held, rss_before, rss_after = 0, 0, 0
    if not quick:
        gc.collect()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        index = build_index(1, policy, lambda: make_backend(backend), saved=saved)
        held, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if hasattr(index.lexicon, "warm"):  # as an answer worker does after building
        index.lexicon.warm()

    for query in queries[:200]:  # warm caches the way a running server has them
        advise_message(index, query)
    outcomes: dict[str, int] = {}
    embedded: dict[int, int] = {}
    digests: list[str] = []
    given_outcomes: list[str] = []

    def answer(query: str) -> None:
        given = advise_message(index, query)
        outcomes[given.outcome] = outcomes.get(given.outcome, 0) + 1
        embedded[len(given.vectors)] = embedded.get(len(given.vectors), 0) + 1
        digests.append(_digest(given))
        given_outcomes.append(given.outcome)

    load_start = os.getloadavg()[0]
    result: dict[str, object] = {"answer": _timed(queries, answer)}
    result.update({"digests": digests, "queries": queries, "given": given_outcomes,
                   "texts_embedded_per_answer": dict(sorted(embedded.items()))})

    if not quick:
        result.update(_stages(index, queries, backend))
    examples = sum(len(u.examples) for u in policy.use_cases)
    result.update({
        "backend": backend, "quick": quick, "questions": len(queries), "tools": len(policy.tools),
        "use_cases": len(policy.use_cases), "examples": examples, "build_s": build_s,
        "held_mib": held / 2**20, "rss_growth_mib": (rss_after - rss_before) / 1024,
        "load": [load_start, os.getloadavg()[0]], "outcomes": dict(sorted(outcomes.items())),
    })
    return result


def _stages(index: PolicyIndex, queries: list[str], backend: str) -> dict[str, object]:
    """The same questions timed stage by stage, and the model calls of each answer."""
    result: dict[str, object] = {}
    matcher = index.matcher
    languages = tuple(getattr(matcher, "languages", None) or ("en",))
    embed = getattr(matcher, "embed", None)
    model_id = getattr(matcher, "model_id", None)
    embedding = ((lambda texts: embed(texts, cache=False)), model_id) if embed else None
    result["reading"] = _timed(queries, lambda q: read_message(
        q, index.lexicon, languages=languages, embedding=embedding))  # type: ignore[arg-type]
    if backend == "lexical":
        return result
    # The model's share of the path, same questions, same run.
    embedder = get_embedder()
    jobs = {q: job_text(without_placeholders(q)) for q in queries}
    result["embedding"] = _timed(queries, lambda q: embedder.encode([jobs[q]]))
    if hasattr(matcher, "rank_embedded"):
        vectors = {q: embedder.encode([jobs[q]]) for q in queries}
        result["ranking"] = _timed(queries, lambda q: matcher.rank_embedded(
            [jobs[q]], vectors[q], 1))
    calls: dict[int, int] = {}
    plain = Embedder.encode

    def counted(self: Embedder, texts: list[str], **options: int) -> object:
        counter[0] += 1
        return plain(self, texts, **options)

    counter = [0]
    Embedder.encode = counted  # type: ignore[assignment,method-assign]
    try:
        for query in queries:
            counter[0] = 0
            advise_message(index, query)
            calls[counter[0]] = calls.get(counter[0], 0) + 1
    finally:
        Embedder.encode = plain  # type: ignore[method-assign]
    result["model_calls_per_answer"] = dict(sorted(calls.items()))
    return result


def _print(result: dict[str, object]) -> None:
    print(f"# Answer path, {result['backend']} backend")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"policy: {result['tools']} tools, {result['use_cases']} use cases, "
          f"{result['examples']} examples")
    if result["quick"]:
        print(f"index build: {result['build_s']:.2f} s")
    else:
        print(f"index build: {result['build_s']:.2f} s; memory held by the index "
              f"(tracemalloc): {result['held_mib']:.1f} MiB; peak RSS growth: "
              f"{result['rss_growth_mib']:.0f} MiB")
    print(f"questions: {result['questions']}; load average {result['load'][0]:.1f} at the "  # type: ignore[index]
          f"start, {result['load'][1]:.1f} at the end")  # type: ignore[index]
    print("| stage | wall median | wall p99 | CPU median | CPU p99 |\n|---|---|---|---|---|")
    for stage in ("answer", "reading", "embedding", "ranking"):
        if stage in result:
            t = result[stage]
            print(f"| {stage} | {t['wall']['median']:.2f} | {t['wall']['p99']:.2f} | "  # type: ignore[index]
                  f"{t['cpu']['median']:.2f} | {t['cpu']['p99']:.2f} |")  # type: ignore[index]
    if "model_calls_per_answer" in result:
        print(f"model calls per answer: {result['model_calls_per_answer']}")
    print(f"texts embedded per answer: {result['texts_embedded_per_answer']}")
    print(f"outcomes: {result['outcomes']}")


def _compare(args: argparse.Namespace) -> None:
    """Baseline and current code in alternating child processes, then both with ratios."""
    runs: dict[str, list[dict[str, object]]] = {"baseline": [], "current": []}
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(Path(tmp) / "baseline", filter="data")
        for _ in range(args.rounds):
            for label, code in (("baseline", Path(tmp) / "baseline"), ("current", ROOT)):
                out = Path(tmp) / f"{label}.json"
                subprocess.run([sys.executable, __file__, "--backend", args.backend,
                                "--data", str(args.data), "--tools", str(args.tools),
                                "--limit", str(args.limit), "--code", str(code),
                                "--json-out", str(out), *(["--quick"] if args.quick else [])],
                               check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
                runs[label].append(json.loads(out.read_text(encoding="utf-8")))
    print(f"# Answer path, {args.backend}, baseline {args.baseline} vs current, "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, {os.cpu_count()} "
          f"cores, {runs['current'][0]['questions']} questions, {args.rounds} round(s)")
    print("| stage | figure | baseline | current | ratio |\n|---|---|---|---|---|")
    for stage in ("answer", "reading", "embedding", "ranking"):
        if stage not in runs["current"][0] or stage not in runs["baseline"][0]:
            continue
        for clock in ("wall", "cpu"):
            for figure in ("median", "p99"):
                base = statistics.median(r[stage][clock][figure] for r in runs["baseline"])  # type: ignore[index]
                now = statistics.median(r[stage][clock][figure] for r in runs["current"])  # type: ignore[index]
                print(f"| {stage} | {clock} {figure} ms | {base:.2f} | {now:.2f} | "
                      f"{now / base:.2f} |")
    for label, results in runs.items():
        loads = [f"{r['load'][0]:.1f}-{r['load'][1]:.1f}" for r in results]  # type: ignore[index]
        print(f"{label}: load average {', '.join(loads)}; model calls per answer "
              f"{[r.get('model_calls_per_answer') for r in results]}; texts embedded per "
              f"answer {[r.get('texts_embedded_per_answer') for r in results]}; "
              f"outcomes {[r['outcomes'] for r in results]}")
    _same_answers(runs)


def _same_answers(runs: dict[str, list[dict[str, object]]]) -> None:
    """Whether baseline and current gave the same answers, question by question."""
    base, now = runs["baseline"][0], runs["current"][0]
    for label, results in runs.items():
        if any(r["digests"] != results[0]["digests"] for r in results):
            print(f"WARNING: the {label} code answered differently from one round to the next")
    queries: list[str] = base["queries"]  # type: ignore[assignment]
    differ = [i for i, (a, b) in enumerate(zip(base["digests"], now["digests"], strict=True))  # type: ignore[call-overload]
              if a != b]
    print(f"answers (JSON contract): {len(queries) - len(differ)} of {len(queries)} identical, "
          f"{len(differ)} differ")
    for i in differ[:20]:
        print(f"  {queries[i]!r}: {base['given'][i]} -> {now['given'][i]}")  # type: ignore[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backend", default="hybrid", choices=["hybrid", "lexical", "embedding", "semantic"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tools", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=0,
                        help="answer a seeded sample of this many test questions (0: all 5,500)")
    parser.add_argument("--baseline", metavar="REF", help="compare with this git ref's code")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--quick", action="store_true",
                        help="whole answers only (no stages, no memory), 1,000 questions "
                             "unless --limit says otherwise")
    parser.add_argument("--code", help=argparse.SUPPRESS)
    parser.add_argument("--json-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick and not args.limit:
        args.limit = 1000
    if args.baseline:
        _compare(args)
        return
    result = measure(args.backend, args.data, args.tools, args.limit, quick=args.quick)
    if args.json_out:
        args.json_out.write_text(json.dumps(result), encoding="utf-8")
    else:
        _print(result)


if __name__ == "__main__":
    main()
