"""Cost of reading and exporting policy files with located errors and kept comments.

Reading composes the YAML with PyYAML's C loader (nodes with line marks) and adds the
unknown-key, cut-value and located-error work; the baseline in the same run is PyYAML's C
loader with plain model validation, which is what reading cost before. ruamel.yaml's
round-trip mode is only used to rewrite a file that changed. Exports are measured
unchanged (the stored text is returned) and after one edit (one file re-rendered keeping
its comments). Sizes:
the sample policy, and a synthetic large one (1,000 tools, 150 use cases, 15,000
examples, one file per section). Only `python app.py policies ...` pays these costs: the
answer path reads the policy from the database.

    python bench/policy_files.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.policy.files import policy_to_data, read_policy, validate_data
from bot.policy.models import Policy
from bot.policy.roundtrip import SCHEMA_LINE, export_files

SAMPLE = Path(__file__).resolve().parents[1] / "policies"


def synthetic(folder: Path, n_tools: int = 1000, n_use_cases: int = 150, seed: int = 7) -> None:
    """A large policy as IT would keep it: one commented file per section."""
    rng = random.Random(seed)
    words = ["report", "email", "invoice", "slides", "code", "contract", "meeting", "data",
             "summary", "translate", "draft", "review", "plan", "customer", "ticket"]
    use_cases = [{
        "id": f"uc-{n}", "name": f"Use case {n}", "description": f"Help with job {n}.",
        "examples": [" ".join(rng.choices(words, k=6)) for _ in range(100)],
    } for n in range(n_use_cases)]
    statuses = ["standard", "approved", "approved", "pilot", "under_review", "prohibited"]
    tools = [{
        "id": f"tool-{n}", "name": f"Tool {n}", "aliases": [f"T{n}"],
        "status": statuses[n % len(statuses)], "summary": f"Tool number {n} for work.",
        "good_for": [f"uc-{rng.randrange(n_use_cases)}" for _ in range(3)],
        "max_data_class": rng.choice(["public", "internal", "confidential"]),
        "access": {"text": f"Request tool {n} in the IT portal."},
    } for n in range(n_tools)]
    for tool in tools:
        tool["good_for"] = sorted(set(tool["good_for"]))
        if tool["status"] in ("under_review", "prohibited"):
            tool["alternatives"] = ["tool-0"]
    classes = [{"id": c, "label": c.title(), "description": f"{c} data"}
               for c in ("public", "internal", "confidential", "restricted")]
    sections = {"data_classes": classes, "use_cases": use_cases, "tools": tools}
    for name, items in sections.items():
        text = yaml.safe_dump({name: items}, sort_keys=False, width=100)
        (folder / f"{name}.yaml").write_text(f"{SCHEMA_LINE}# {name}, kept by IT\n{text}")


def baseline(folder: Path) -> Policy:
    data: dict[str, object] = {}
    for file in sorted(folder.glob("*.yaml")):
        data.update(yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {})
    return Policy.model_validate(data)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(name: str, folder: Path, runs: int) -> None:
    loaded = read_policy(folder)
    data = policy_to_data(loaded.policy)
    data["tools"][0]["status"] = "prohibited"
    data["tools"][0]["alternatives"] = [data["tools"][1]["id"]]
    edited = validate_data(data)
    base = median_ms(lambda: baseline(folder), runs)
    read = median_ms(lambda: read_policy(folder), runs)
    same = median_ms(lambda: export_files(loaded.policy, loaded.files), runs)
    edit = median_ms(lambda: export_files(edited, loaded.files), runs)
    print(f"| {name} | {base:,.0f} | {read:,.0f} ({read / base:.1f}×) | {same:,.0f} | "
          f"{edit:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, {datetime.now(UTC):%Y-%m-%d}; median of {args.runs} "
          "runs, ms")
    print("| policy | PyYAML C loader + validation (baseline) | read_policy (located checks, "
          "warnings) | export, unchanged | export after one edit (ruamel rewrite) |")
    print("|---|---|---|---|---|")
    measure("sample (20 tools, 1,737 lines)", SAMPLE, args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        synthetic(Path(tmp))
        measure("synthetic (1,000 tools, 15,000 examples)", Path(tmp), max(2, args.runs // 2))


if __name__ == "__main__":
    main()
