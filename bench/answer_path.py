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
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from embedding_cache import embed_cached

from bot.core.advisor import advise_message, build_index, policy_intents
from bot.core.matching.base import SavedVectors
from bot.core.matching.calibration import out_of_scope_bank
from bot.core.matching.embedder import get_embedder
from bot.core.matching.hybrid import negative_text
from bot.core.matching.registry import make_backend
from bot.core.matching.text import intent_texts
from bot.policy.models import Policy

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backend", default="hybrid", choices=["hybrid", "lexical", "embedding", "semantic"])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tools", type=int, default=1000)
    args = parser.parse_args()

    data = json.loads((args.data / "data_full.json").read_text(encoding="utf-8"))
    policy = synthetic_policy(data["train"], n_tools=args.tools)
    queries = [q for q, _ in data["test"]] + [q for q, _ in data["oos_test"]]

    saved = None
    if args.backend in ("hybrid", "embedding"):
        texts = [t for i in policy_intents(policy)
                 for t in (*intent_texts(i.name, i.description, i.examples),
                           *(negative_text(n) for n in i.negatives))]
        texts = list(dict.fromkeys(texts + list(out_of_scope_bank())))
        vectors = dict(zip(texts, embed_cached(get_embedder(), texts), strict=True))
        saved = SavedVectors(get_embedder().model_id, "", vectors)
    started = time.perf_counter()
    build_index(1, policy, lambda: make_backend(args.backend), saved=saved)
    build_s = time.perf_counter() - started  # timed untraced: tracemalloc slows allocation
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    index = build_index(1, policy, lambda: make_backend(args.backend), saved=saved)
    held, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    for query in queries[:200]:  # warm caches the way a running server has them
        advise_message(index, query)
    timings = []
    outcomes: dict[str, int] = {}
    for query in queries:
        t0 = time.perf_counter()
        answer = advise_message(index, query)
        timings.append((time.perf_counter() - t0) * 1000)
        outcomes[answer.outcome] = outcomes.get(answer.outcome, 0) + 1

    embed_ms: list[float] = []
    if args.backend != "lexical":  # the model's share of the path, same questions, same run
        embedder = get_embedder()
        for query in queries:
            t0 = time.perf_counter()
            embedder.encode([query])
            embed_ms.append((time.perf_counter() - t0) * 1000)
    load = os.getloadavg()[0]
    examples = sum(len(u.examples) for u in policy.use_cases)
    print(f"# Answer path, {args.backend} backend")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"policy: {len(policy.tools)} tools, {len(policy.use_cases)} use cases, "
          f"{examples} examples")
    print(f"index build: {build_s:.2f} s; memory held by the index (tracemalloc): "
          f"{held / 2**20:.1f} MiB; peak RSS growth: {(rss_after - rss_before) / 1024:.0f} MiB")
    print(f"questions: {len(timings)}; median {statistics.median(timings):.2f} ms; "
          f"p99 {_percentile(timings, 0.99):.2f} ms; max {max(timings):.2f} ms")
    if embed_ms:
        print(f"of which embedding one question alone (same run): median "
              f"{statistics.median(embed_ms):.2f} ms; p99 {_percentile(embed_ms, 0.99):.2f} ms")
    print(f"load average at the end: {load:.1f}")
    print(f"outcomes: {dict(sorted(outcomes.items()))}")


if __name__ == "__main__":
    main()
