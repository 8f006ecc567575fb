"""CLINC150 benchmark for the concierge's matchers, with DEFAULT settings only.

Data: CLINC150 (Larson et al., "An Evaluation Dataset for Intent Classification and
Out-of-Scope Prediction", EMNLP 2019; github.com/clinc/oos-eval), licensed CC BY 3.0.
It is read from ../shared/benchmarks/clinc150 (or --data DIR) and never copied here.

Each intent becomes a use case (name: the label in words) whose examples are its first
5, 10 or all 100 train queries. Nothing is tuned on CLINC150: each backend is fitted and
answers `test` + `oos_test` with its default threshold (the hybrid and embedding backends
calibrate theirs from the fitted "policy" itself, as for any imported policy; the
lexical backend keeps its fixed default). `val` is not used at all.

Sentence embeddings are cached on disk (bench/embedding_cache.py) so reruns are fast:
    .venv/bin/python bench/clinc150.py [--backend hybrid,embedding,lexical] [--examples 5,10,0]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from embedding_cache import cache_path, embed_cached  # noqa: E402

from bot.core.matching.base import Intent, MatcherBackend, SavedVectors  # noqa: E402
from bot.core.matching.embedder import get_embedder  # noqa: E402
from bot.core.matching.framing import job_text  # noqa: E402
from bot.core.matching.registry import make_backend  # noqa: E402

#: ../shared beside the repository (a git worktree one level deeper looks one further up).
DEFAULT_DATA = next(
    (p / "shared" / "benchmarks" / "clinc150" for p in (ROOT.parent, ROOT.parent.parent)
     if (p / "shared" / "benchmarks" / "clinc150").is_dir()),
    ROOT.parent / "shared" / "benchmarks" / "clinc150",
)
ATTRIBUTION = (
    "Data: CLINC150 (Larson et al., EMNLP 2019, github.com/clinc/oos-eval), CC BY 3.0."
)
#: Table 2 of the paper, "Full" data, oos-threshold: (in-scope accuracy, oos recall).
PAPER = {"BERT": (96.2, 52.3), "MLP-USE": (93.4, 49.1), "Rasa": (90.9, 31.2),
         "DialogFlow": (90.8, 26.7), "SVM": (88.2, 18.0)}

Split = list[tuple[str, str]]


def load(data_dir: Path) -> dict[str, Split]:
    path = data_dir / "data_full.json"
    if not path.exists():
        raise SystemExit(f"CLINC150 not found at {path}; pass --data DIR")
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: [(q, label) for q, label in rows] for name, rows in raw.items()}


def intents_from(train: Split, per_intent: int | None) -> list[Intent]:
    grouped: dict[str, list[str]] = {}
    for query, label in train:
        grouped.setdefault(label, []).append(query)
    return [
        Intent(label, label.replace("_", " "), "", tuple(qs[:per_intent] if per_intent else qs))
        for label, qs in sorted(grouped.items())
    ]


def top1(backend: MatcherBackend, queries: Sequence[str]) -> list[tuple[str | None, float]]:
    """Best use case and score per query; embedding backends use the disk cache."""
    embedded = getattr(backend, "rank_embedded", None)
    if embedded is not None:
        prepare = getattr(backend, "job_texts", None)
        jobs = prepare(queries) if prepare else [job_text(q) for q in queries]
        vectors = embed_cached(get_embedder(), jobs)
        ranked = embedded(jobs, vectors, 1)
    else:
        ranked = [backend.rank(q, k=1) for q in queries]
    # The hybrid decides itself whether its best intent fits (`Scored.fits`): the same
    # decision an answer makes; the threshold otherwise.
    return [(r[0].id, r[0].score if r[0].fits is None else float(r[0].fits)) if r
            else (None, 0.0) for r in ranked]


def run(name: str, data: dict[str, Split], per_intent: int | None) -> dict:
    intents = intents_from(data["train"], per_intent)
    backend = make_backend(name)
    t0 = time.perf_counter()
    if hasattr(backend, "saved"):
        texts = [t for i in intents for t in (*i.examples, i.name)]
        from bot.core.matching.calibration import out_of_scope_bank

        known = dict(zip(texts + list(out_of_scope_bank()),
                         embed_cached(get_embedder(), texts + list(out_of_scope_bank())),
                         strict=True))
        backend.fit(intents, SavedVectors(backend.model_id, "", known))  # type: ignore[call-arg]
    else:
        backend.fit(intents)
    fit_s = time.perf_counter() - t0
    th = backend.default_threshold
    # With a learned decision (`Scored.fits`) the scores below are 1.0 (fits) or 0.0.
    cut = 0.5 if getattr(backend, "decision", None) is not None else th
    ins = top1(backend, [q for q, _ in data["test"]])
    oos = top1(backend, [q for q, _ in data["oos_test"]])
    right = [pred == label for (_, label), (pred, _) in zip(data["test"], ins, strict=True)]
    acc = np.mean([r and s >= cut for r, (_, s) in zip(right, ins, strict=True)])
    rec = np.mean([s < cut for _, s in oos])
    return {"backend": name, "examples": per_intent or 100, "threshold": th,
            "acc": 100 * acc, "oos": 100 * rec, "raw": 100 * np.mean(right), "fit_s": fit_s}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backend", default="hybrid,embedding,lexical")
    parser.add_argument("--examples", default="5,10,0", help="per intent; 0 = all (100)")
    args = parser.parse_args(argv)
    data = load(args.data)
    rows = []
    for name in args.backend.split(","):
        for n in (int(x) for x in args.examples.split(",")):
            rows.append(run(name, data, n or None))
            print(f"done: {name} x{n or 100}", file=sys.stderr, flush=True)
    print(f"CLINC150, default settings, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
          f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    print("\n| matcher | examples/intent | threshold (own) | in-scope acc | OOS recall "
          "| acc, no threshold | fit s |\n|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['backend']} | {r['examples']} | {r['threshold']:.3f} | {r['acc']:.1f} | "
              f"{r['oos']:.1f} | {r['raw']:.1f} | {r['fit_s']:.1f} |")
    for name, (acc, rec) in PAPER.items():
        print(f"| paper: {name} (val-tuned) | 100 | - | {acc:.1f} | {rec:.1f} | - | - |")
    print(f"\nEmbedding cache: {cache_path(get_embedder().model_id)}\n{ATTRIBUTION}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
