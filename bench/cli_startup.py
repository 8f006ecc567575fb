"""Cold start of the command line: `--help` and `ask` on an imported policy.

Each command runs as a fresh process (nothing cached in memory; the OS file cache is warm
after the first run, as on any machine that has run the command before, and Python's
bytecode cache is kept as an installed app keeps it). The database is a temporary SQLite
file with the sample policy imported and its embeddings stored, as after `python app.py
policies import`; the first `ask` also keeps the built index for the next ones
(`<db>.index/`, `INDEX_CACHE`), so the timed runs load it, as every `ask` after the first
does (a code without that cache, e.g. an older baseline, builds it each time; run the
bench with INDEX_CACHE=false to time that). Reported: median and min wall time of N runs,
and the median CPU time of the process, next to `python -c pass` measured the same way
(the interpreter's own start, the floor for any command).

On a shared machine, `--realtime` runs each measured command under `chrt -f 10`
(SCHED_FIFO; Linux, root or CAP_SYS_NICE): the other jobs cannot preempt it, which is
as close to an idle machine as a busy one gets (they still share caches and memory
bandwidth). Each command lasts a second or two; nothing else runs that way.

With `--baseline REF` the same commands also run from REF's code (`git archive`, same
interpreter and packages), interleaved run by run with the current code, so both see the
same load; the ratio current / baseline is the figure to trust on a shared machine.

    .venv/bin/python bench/cli_startup.py [--runs 9] [--baseline main~3] [--realtime]
        [--baseline-without Stemmer] [--kinds "a job,small talk"]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: One question of each kind an answer takes a different path for (the first three are
#: the ones timed before 2026-11-30 02:30 UTC). `--kinds` picks some by their label.
QUESTIONS = {
    "a job": "What can I use to summarize a 40-page PDF?",
    "small talk": "hi there, what can you do?",
    "a tool and data": "is chatgpt ok for customer emails?",
    "a greeting": "hello 👋",
    "tool status": "Is Perplexity approved?",
    "data check": "Can I paste customer emails into Copilot?",
    "red line": "can AI screen job applicants and reject the weak CVs for me?",
    "unknown tool": "is Grok allowed?",
    "not English": "¿Puedo usar ChatGPT para resumir un contrato?",
}


def _timed(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls = [w for w, _ in samples]
    return {"median": statistics.median(walls), "min": min(walls),
            "cpu": statistics.median(c for _, c in samples)}


def _checkout(ref: str, into: Path) -> Path:
    """REF's tracked files (code, data, migrations) in a fresh folder."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", metavar="REF", help="also time this git ref's code")
    parser.add_argument("--realtime", action="store_true",
                        help="run each command under chrt -f 10 (see above)")
    parser.add_argument("--baseline-without", metavar="MODULE", action="append", default=[],
                        help="hide this module from the baseline's runs (a dependency added "
                        "since REF, e.g. Stemmer, which snowballstemmer uses when present)")
    parser.add_argument("--kinds", help="comma-separated question kinds (default: all): "
                        + ", ".join(QUESTIONS))
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else list(QUESTIONS)
    if unknown := [k for k in kinds if k not in QUESTIONS]:
        parser.error(f"unknown kind(s) {unknown}; choose from {', '.join(QUESTIONS)}")
    prefix = ["chrt", "-f", "10"] if args.realtime else []
    py = sys.executable
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PSEUDONYM_KEY": "bench", "OMP_NUM_THREADS": "1",
                    "PYTHONPYCACHEPREFIX": f"{tmp}/pycache"})
        trees = {"current": ROOT}
        if args.baseline:
            trees = {"baseline": _checkout(args.baseline, Path(tmp) / "baseline"), **trees}
        envs = {}  # one database per tree: their schemas may differ
        for label in trees:
            envs[label] = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/{label}.db"}
        if args.baseline and args.baseline_without:
            hidden = Path(tmp) / "hidden"
            hidden.mkdir()
            for module in args.baseline_without:
                (hidden / f"{module}.py").write_text(
                    f"raise ImportError('{module} is hidden from the baseline')\n")
            envs["baseline"]["PYTHONPATH"] = str(hidden)
        for label, tree in trees.items():
            # First start imports the sample policy, embeds and calibrates it, stores both.
            subprocess.run([py, "app.py", "ask", "hello"], env=envs[label], cwd=tree,
                           check=True, stdout=subprocess.DEVNULL)
        commands = {"python -c pass (floor)": ["-c", "pass"], "app.py --help": ["app.py", "--help"]}
        commands.update({f'app.py ask "{QUESTIONS[k]}" ({k})': ["app.py", "ask", QUESTIONS[k]]
                         for k in kinds})
        samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for label, tree in trees.items():  # warm the OS file cache and the bytecode cache
            for command in commands.values():
                _timed([*prefix, py, *command], envs[label], tree)
        for _ in range(args.runs):  # interleaved: every tree sees the same load
            for name, command in commands.items():
                for label, tree in trees.items():
                    if label == "baseline" and name.startswith("python -c"):
                        continue
                    samples.setdefault((name, label), []).append(
                        _timed([*prefix, py, *command], envs[label], tree))
    load = os.getloadavg()
    print(f"CLI cold start, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{load_before[0]:.1f} at the start and {load[0]:.1f} at the end, {args.runs} runs "
          f"each{f', baseline {args.baseline}' if args.baseline else ''}"
          f"{' without ' + ', '.join(args.baseline_without) if args.baseline_without else ''}"
          f"{', under chrt -f 10' if args.realtime else ''}\n")
    if args.baseline:
        print("| command | median s | min s | median CPU s | baseline median s | baseline "
              "CPU s | ratio (wall / CPU) |\n|---|---|---|---|---|---|---|")
    else:
        print("| command | median s | min s | median CPU s |\n|---|---|---|---|")
    for name in commands:
        now = _summary(samples[(name, "current")])
        row = f"| `{name}` | {now['median']:.2f} | {now['min']:.2f} | {now['cpu']:.2f} |"
        if args.baseline:
            base_samples = samples.get((name, "baseline"))
            if base_samples:
                base = _summary(base_samples)
                row += (f" {base['median']:.2f} | {base['cpu']:.2f} | "
                        f"{now['median'] / base['median']:.2f} / {now['cpu'] / base['cpu']:.2f} |")
            else:
                row += " – | – | – |"
        print(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
