"""How long an answer worker takes to get a new policy version ready.

An answer worker (a separate process, `bot/core/answer_pool.py`) builds its own index
of each policy version before answering from it. It used to be sent the policy alone
and re-embed and re-calibrate every text; it is now sent the vectors and calibration
the server read from the database. Each variant runs in a fresh process, as a worker
does, `--runs` times, alternating, and is timed from receiving the policy to its first
answer (imports excluded: a worker has them already), on the sample policy and on a
synthetic policy made of CLINC150's intents (`--examples` per intent, 1,000 tools; see
answer_path.py).

    python bench/worker_index.py [--runs 3] [--examples 20]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

# One worker's job for a new version: (receive the server's vectors,) build the index,
# answer the first question. Imports are not timed: a worker has them already.
_CHILD = """
import json, pickle, sys, time
sys.path[:0] = [{root!r}, {bench!r}]
from bot.core.advisor import advise_message, build_index
from bot.core.answer_pool import _saved_of
from bot.core.matching.registry import make_backend
policy = {load}
make = lambda: make_backend("hybrid")
if {save!r}:
    with open({save!r}, "wb") as out:
        pickle.dump(_saved_of(build_index(1, policy, make)), out)
    raise SystemExit
started = time.perf_counter()
saved = None
if {vectors!r}:
    with open({vectors!r}, "rb") as source:
        saved = pickle.load(source)
index = build_index(2, policy, make, None, saved)
advise_message(index, "What can I use to summarize a 40-page PDF?")
print(json.dumps(time.perf_counter() - started))
"""


def sample_policy() -> object:
    from bot.policy.files import load_policy

    return load_policy(ROOT / "policies")


def clinc_policy(examples: int) -> object:
    """answer_path.py's synthetic policy with the first `examples` queries per intent."""
    from answer_path import DEFAULT_DATA, synthetic_policy

    train = json.loads((DEFAULT_DATA / "data_full.json").read_text(encoding="utf-8"))["train"]
    kept: dict[str, int] = {}
    subset = []
    for query, intent in train:
        if kept.get(intent, 0) < examples:
            kept[intent] = kept.get(intent, 0) + 1
            subset.append([query, intent])
    return synthetic_policy(subset)


def _once(load: str, *, vectors: str = "", save: str = "") -> float:
    code = _CHILD.format(root=str(ROOT), bench=str(ROOT / "bench"), load=load,
                         vectors=vectors, save=save)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, env={**os.environ, "OMP_NUM_THREADS": "1"}).stdout
    return float(json.loads(out.strip().splitlines()[-1])) if not save else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--examples", type=int, default=20,
                        help="CLINC150 training queries per intent in the synthetic policy")
    args = parser.parse_args()
    policies = {
        "sample policy (policies/)": "__import__('worker_index').sample_policy()",
        f"CLINC150 intents, {args.examples} examples each, 1,000 tools":
            f"__import__('worker_index').clinc_policy({args.examples})",
    }
    load_start = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, load) in enumerate(policies.items()):
            vectors = str(Path(tmp) / f"saved-{n}.pickle")
            _once(load, save=vectors)  # the server's vectors, as read from the database
            times: dict[bool, list[float]] = {False: [], True: []}
            for _ in range(args.runs):
                times[False].append(_once(load))
                times[True].append(_once(load, vectors=vectors))
            rows.append((name, statistics.median(times[False]), statistics.median(times[True])))
    print(f"Answer worker, index of a new policy version, {datetime.now(UTC):%Y-%m-%d %H:%M} "
          f"UTC, {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {load_start:.1f} at the start and "
          f"{os.getloadavg()[0]:.1f} at the end, median of {args.runs} fresh processes\n")
    print("| policy | re-embedding (before) s | stored vectors (now) s | ratio |")
    print("|---|---|---|---|")
    for name, before, after in rows:
        print(f"| {name} | {before:.2f} | {after:.2f} | {after / before:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
