"""Benchmark: clustering unmet requests into candidate use cases (speed, memory, quality).

    .venv/bin/python bench/clustering.py [--sizes 1000,10000,100000] [--data PATH]

Speed and memory: synthetic unmet requests built from CLINC150 queries (phrased the
way people ask a concierge), clustered from scratch, plus a weekly incremental run
(the last 10 % joining candidates built from the first 90 %).
Quality: CLINC150's in-scope test queries treated as unmet requests, adjusted Rand
index (ARI) and NMI against the true intents, beside plain baselines on the same
TF-IDF features. The threshold was tuned on the `val` split only.

Data: CLINC150 (Larson et al., "An Evaluation Dataset for Intent Classification and
Out-of-Scope Prediction", EMNLP 2019), CC BY 3.0, read in place from
../shared/benchmarks/clinc150/data_full.json and never copied.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.insights.clustering import (  # noqa: E402
    THRESHOLD,
    Doc,
    _surface,
    make_plan,
)
from bot.store.insights import CandidateRecord  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "clinc150" / "data_full.json"
_PREFIXES = ["", "", "is there an ai tool to ", "can i use ai to ", "how do i ",
             "what can i use to ", "i need help to ", "any approved way to "]
_SUFFIXES = ["", "", "", " please", " for my team", " quickly", " at work"]


def _load(path: Path) -> dict[str, list[list[str]]]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def synthetic(queries: list[str], n: int, seed: int = 13) -> list[str]:
    """`n` requests: CLINC queries with concierge-style prefixes, suffixes and dropped words."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = rng.choice(queries).split()
        if len(words) > 3:
            words = [w for w in words if rng.random() > 0.1]
        out.append(f"{rng.choice(_PREFIXES)}{' '.join(words)}{rng.choice(_SUFFIXES)}")
    return out


def _records(plan_new: list[dict[str, object]]) -> list[CandidateRecord]:
    now = datetime.now(UTC)
    return [
        CandidateRecord(i + 1, str(n["label"]), bool(n["label_fixed"]), list(n["terms"]),  # type: ignore[call-overload]
                        dict(n["profile"]), int(n["members"]), "open", None, None, None, now)  # type: ignore[call-overload]
        for i, n in enumerate(plan_new)
    ]


def speed(texts: list[str]) -> dict[str, float]:
    docs = [Doc(i, t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    plan = make_plan(docs, [])
    bulk = time.perf_counter() - started
    tracemalloc.start()
    make_plan(docs, [])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cut = int(len(docs) * 0.9)
    first = make_plan(docs[:cut], [])
    placed = [Doc(i, t, c + 1) for c, ids in enumerate(first.assign_new)
              for i, t in ((i, texts[i]) for i in ids)]
    started = time.perf_counter()
    weekly = make_plan(placed + docs[cut:], _records(first.new))
    incremental = time.perf_counter() - started
    joined = sum(len(v) for v in weekly.assign.values())
    return {"n": len(texts), "bulk_s": bulk, "peak_mb": peak / 1e6, "candidates": len(plan.new),
            "weekly_s": incremental, "weekly_n": len(docs) - cut,
            "weekly_joined": joined / max(len(docs) - cut, 1)}


def quality(data: dict[str, list[list[str]]]) -> list[tuple[str, int, float, float, float]]:
    from sklearn.cluster import AgglomerativeClustering, KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    test = data["test"]
    texts, truth = [q for q, _ in test], [y for _, y in test]
    rows: list[tuple[str, int, float, float, float]] = []

    def score(name: str, labels: list[int], seconds: float) -> None:
        rows.append((name, len(set(labels)), adjusted_rand_score(truth, labels),
                     normalized_mutual_info_score(truth, labels), seconds))

    def ours(docs: list[Doc], cands: list[CandidateRecord]) -> tuple[list[int], float]:
        started = time.perf_counter()
        plan = make_plan(docs, cands)
        took = time.perf_counter() - started
        label = {d.id: d.candidate_id for d in docs if d.candidate_id is not None}
        for c, ids in plan.assign.items():
            label.update(dict.fromkeys(ids, c))
        for k, ids in enumerate(plan.assign_new):
            label.update(dict.fromkeys(ids, 10_000 + k))
        return [int(label[i]) for i in range(len(texts))], took

    labels, took = ours([Doc(i, t) for i, t in enumerate(texts)], [])
    score(f"concierge (leader + k-means step, threshold {THRESHOLD})", labels, took)
    half = len(texts) // 2
    order = list(range(len(texts)))
    random.Random(3).shuffle(order)
    first_ids = order[:half]
    first = make_plan([Doc(i, texts[i]) for i in first_ids], [])
    placed = [Doc(i, texts[i], c + 1) for c, ids in enumerate(first.assign_new) for i in ids]
    rest = [Doc(i, texts[i]) for i in order[half:]]
    labels, took = ours(placed + rest, _records(first.new))
    score("concierge, incremental (half, then the other half joins)", labels, took)

    x = TfidfVectorizer(analyzer=lambda t: [s for s, _ in _surface(t)] or ["<none>"],
                        sublinear_tf=True).fit_transform(texts)
    for k in (150, 450):
        started = time.perf_counter()
        km = KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(x)
        score(f"KMeans k={k} (k=150 is the true number of intents)", list(km),
              time.perf_counter() - started)
    started = time.perf_counter()
    agg = AgglomerativeClustering(n_clusters=150, metric="cosine",
                                  linkage="average").fit_predict(x.toarray())
    score("Agglomerative, average cosine linkage, 150 clusters", list(agg),
          time.perf_counter() - started)
    return rows


def _machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(
        os.cpu_count())
    return f"{cpu}, nproc={nproc}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    data = _load(args.data)
    queries = [q for split in ("train", "val", "test", "oos_train", "oos_val", "oos_test")
               for q, _ in data[split]]
    print(f"Date: {datetime.now(UTC):%Y-%m-%d}. Machine: {_machine()}.\n")
    print("| unmet requests | from scratch | peak memory (tracemalloc) | candidates "
          "| weekly run (last 10 % joins) | joined existing |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        r = speed(synthetic(queries, n))
        print(f"| {int(r['n']):,} | {r['bulk_s']:.2f} s | {r['peak_mb']:.0f} MB "
              f"| {int(r['candidates']):,} | {r['weekly_s']:.2f} s ({int(r['weekly_n']):,} new) "
              f"| {r['weekly_joined'] * 100:.0f} % |", flush=True)
    print("\nCLINC150 test, 4,500 in-scope queries, 150 intents:\n")
    print("| method | clusters | ARI | NMI | time |")
    print("|---|---:|---:|---:|---:|")
    for name, k, ari, nmi, seconds in quality(data):
        print(f"| {name} | {k} | {ari:.3f} | {nmi:.3f} | {seconds:.2f} s |")


if __name__ == "__main__":
    main()
