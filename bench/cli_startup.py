"""Cold start of the command line: `--help` and one `ask` on an imported policy.

Each command runs as a fresh process (nothing cached in memory; the OS file cache is warm
after the first run, as on any machine that has run the command before). The database is
a temporary SQLite file with the sample policy imported and its embeddings stored, as
after `python app.py policies import`. Reported: median and min wall time of N runs, and
the median CPU time of the process, next to `python -c pass` measured the same way (the
interpreter's own start, the floor for any command).

    .venv/bin/python bench/cli_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "What can I use to summarize a 40-page PDF?"


def _timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _series(args: list[str], env: dict[str, str], runs: int) -> dict[str, float]:
    _timed(args, env)  # warm the OS file cache
    samples = [_timed(args, env) for _ in range(runs)]
    walls = [w for w, _ in samples]
    return {"median": statistics.median(walls), "min": min(walls),
            "cpu": statistics.median(c for _, c in samples)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
               "PSEUDONYM_KEY": "bench", "OMP_NUM_THREADS": "1"}
        # First start imports the sample policy, embeds and calibrates it, stores both.
        subprocess.run([py, "app.py", "ask", "hello"], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        rows = {
            "python -c pass (floor)": _series([py, "-c", "pass"], env, args.runs),
            "app.py --help": _series([py, "app.py", "--help"], env, args.runs),
            f'app.py ask "{QUESTION}"': _series([py, "app.py", "ask", QUESTION], env,
                                                args.runs),
        }
    load = os.getloadavg()
    print(f"CLI cold start, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load average "
          f"{load[0]:.1f} at the end, {args.runs} runs each\n")
    print("| command | median s | min s | median CPU s |\n|---|---|---|---|")
    for name, r in rows.items():
        print(f"| `{name}` | {r['median']:.2f} | {r['min']:.2f} | {r['cpu']:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
