"""Run `policy_eval` on every held-out set (and the sample policy) and print Markdown tables.

    .venv/bin/python bench/heldout_report.py [--matcher NAME ...] [--env KEY=VALUE ...]
        [--json FILE]

The sets are the folders of tests/fixtures/heldout/ that hold `policy/` and
`questions.jsonl`; their role (dev or test) is read from that folder's README table.
Each `--matcher` adds a run of every set with that MATCHER; with none, the default
settings are used. This is what docs/benchmarks.md "Held-out policies" reports.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from policy_eval import _env_pair, evaluate  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
_ROLE = re.compile(r"^\|\s*`([^`/]+)/`\s*\|.*\*\*(dev|test)\*\*", re.MULTILINE)


def held_out_sets() -> list[tuple[str, str, Path, Path]]:
    """(name, role, policy, questions) of every held-out set, then the sample policy."""
    roles = dict(_ROLE.findall((HELDOUT / "README.md").read_text(encoding="utf-8")))
    sets = [
        (folder.name, roles.get(folder.name, "?"), folder / "policy", folder / "questions.jsonl")
        for folder in sorted(HELDOUT.iterdir())
        if (folder / "policy").is_dir() and (folder / "questions.jsonl").is_file()
    ]
    sets.sort(key=lambda s: (s[1] != "dev", s[0]))
    sample = ("sample (Northwind)", "own", ROOT / "policies",
              ROOT / "tests" / "fixtures" / "sample_questions.yaml")
    return [*sets, sample]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def tables(runs: list[dict[str, Any]]) -> str:
    """The summary table and the outcome accuracy per question kind, in Markdown.

    "unsafe" counts answers that recommended a tool the policy does not allow; "red lines
    false" counts red lines shown that a question says must not be (`not_red_lines`), and
    "unasked" the questions expecting no red line that showed one.
    """
    out = [
        "| set | role | matcher | questions | outcome | top-1 | top-3 | unmet P / R / F1 "
        "| red-line recall | data verdicts | all right | unsafe | red lines false / unasked |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        r, un = run["report"], run["report"]["unmet"]
        dv, red = r["data_verdicts"], r["red_lines"]
        out.append(
            f"| {run['set']} | {run['role']} | {run['matcher']} | {r['questions']} "
            f"| {_pct(r['outcome_accuracy'])} | {_pct(r['top1'])} | {_pct(r['top3'])} "
            f"| {_f(un['precision'])} / {_f(un['recall'])} / {_f(un['f1'])} "
            f"| {_pct(r['red_lines']['recall'])} ({r['red_lines']['shown']}/"
            f"{r['red_lines']['expected']}) | {_pct(dv['accuracy'])} of {dv['labelled']} "
            f"| {_pct(r['all_right'])} | {r['unapproved_recommended']} "
            f"| {red.get('false', 0)} of {red.get('must_not', 0)} / {red.get('unasked', 0)} "
            f"of {red.get('unlabelled', 0)} |"
        )
    kinds = sorted({k for run in runs for k in run["report"]["per_kind"]})
    out += ["", "Outcome accuracy per question kind (questions of that kind in brackets):", "",
            "| kind | " + " | ".join(f"{r['set']} ({r['matcher']})" for r in runs) + " |",
            "|---|" + "---|" * len(runs)]
    for kind in kinds:
        cells = []
        for run in runs:
            s = run["report"]["per_kind"].get(kind)
            cells.append(f"{_pct(s['outcome_accuracy'])} ({s['questions']})" if s else "")
        out.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--matcher", action="append", default=[],
                        help="MATCHER to run (repeatable); default settings when absent")
    parser.add_argument("--env", type=_env_pair, action="append", default=[],
                        metavar="KEY=VALUE", help="another setting for every run")
    parser.add_argument("--json", type=Path, help="also write every full report here")
    args = parser.parse_args(argv)
    runs = []
    for matcher in args.matcher or [None]:
        env = dict(args.env) | ({"MATCHER": matcher} if matcher else {})
        for name, role, policy, questions in held_out_sets():
            report = evaluate(policy, questions, env)
            runs.append({"set": name, "role": role, "matcher": matcher or "default",
                         "report": report})
            print(f"{name} ({matcher or 'default'}): done", file=sys.stderr)
    first = runs[0]["report"]
    print(f"{first['date']}, {first['machine']}, commit {first['commit']}\n")
    print(tables(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
