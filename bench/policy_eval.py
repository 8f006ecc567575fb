"""Score the concierge on any policy with labelled employee questions, as a user would run it.

    .venv/bin/python bench/policy_eval.py POLICY QUESTIONS.jsonl [--json] [--matcher NAME]
        [--env KEY=VALUE ...] [--save-answers FILE] [--json-out FILE] [--max-misses N]

POLICY is a policy folder or file. The product is run exactly as an IT team runs it: a
brand-new SQLite database, `python app.py policies import POLICY`, then every question
through `python app.py ask - --json` (so redaction, the live index, calibration and any
setting apply as in production). If importing into the fresh database fails (a known
bug, issue 9 §1), the policy is imported the way a starting server does (POLICY_PATH).
If today's validator rejects the policy as written (ids such as `P1` or `GREEN`, use
cases with one or two examples), a renamed copy is evaluated and every rename is
listed under `compat` in the report: the figures then describe that copy.

QUESTIONS may also be tests/fixtures/sample_questions.yaml (the sample policy's regression
set): each use case is turned into the approved tools that list it.

QUESTIONS.jsonl holds one JSON object per line (blank lines and `//` lines are skipped):

    {"q": "can i paste a patient letter into copilot chat?",   # the message, as typed
     "outcome": "data_check",          # expected outcome, or a list of acceptable ones
     "tools": ["copilot-chat"],        # acceptable FIRST tools (ids); [] = not scored
     "red_lines": ["no-care-records"], # red-line ids that must be shown (at least these)
     "kind": "pasted-data",            # or a list: short, misspelt, slang, rambling,
                                       # two-in-one, non-english, pasted-data, named-tool,
                                       # unknown-tool, family, data-check, small-talk,
                                       # unmet, blocked, plain ...
     "allowed": false,                 # optional: expected data-check verdict (true,
                                       # false, or null when the policy is silent)
     "note": "why this label"}         # optional, for the reader

Outcomes (synonyms accepted on both sides, see `policy_score.OUTCOME_SYNONYMS`):
answered (a use case with fitting tools), tool_status, data_check, unmet (nothing
approved fits: logged for IT), help (greetings, "what can you do", meta and catalogue
answers), blocked (a red line forbids the request), language (an honest "I understand
English/..." reply to a message in another language).

The "first tool" of an answer is the tool it is about (`asked_tool.id`), else its first
recommended tool; alternatives do not count. Figures: top-1 / top-3 tool accuracy over
questions with expected tools, outcome accuracy, unmet precision / recall / F1 (an
answer counts as unmet when its outcome is unmet or it was logged as unmet demand),
red-line recall over (question, red line) pairs, data-check verdicts, all per kind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from policy_score import Question, format_report, parse_questions, score  # noqa: E402

from bot.errors import PolicyFileError  # noqa: E402
from bot.policy.files import load_policy  # noqa: E402
from bot.policy.models import RECOMMENDABLE  # noqa: E402

__all__ = ["compat_copy", "evaluate", "main", "run_product", "sample_rows"]

_ID_OK = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_MIN_EXAMPLES = 3  # today's validator; issue 9 §1 lowers it to one with a warning


def _safe_id(value: Any) -> Any:
    if not isinstance(value, str) or _ID_OK.match(value):
        return value
    return re.sub(r"[^a-z0-9_-]+", "-", value.lower()).strip("-_")[:63] or "x"


def _compat_doc(doc: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    def rename(value: Any, where: str) -> Any:
        new = _safe_id(value)
        if new != value:
            notes.append(f"{where}: {value!r} -> {new!r}")
        return new

    for section in ("data_classes", "use_cases", "tools", "red_lines"):
        for item in doc.get(section) or ():
            if isinstance(item, dict) and "id" in item:
                item["id"] = rename(item["id"], f"{section} id")
    for item in doc.get("tools") or ():
        if not isinstance(item, dict):
            continue
        item["max_data_class"] = rename(item.get("max_data_class"), "max_data_class")
        for key in ("good_for", "alternatives"):
            item[key] = [rename(v, key) for v in item.get(key) or ()]
    for item in doc.get("red_lines") or ():
        if isinstance(item, dict):
            item["applies_to"] = [rename(v, "applies_to") for v in item.get("applies_to") or ()]
    for item in doc.get("use_cases") or ():
        examples = list(item.get("examples") or ()) if isinstance(item, dict) else []
        if isinstance(item, dict) and len(examples) < _MIN_EXAMPLES:
            extra = [str(item.get(k)) for k in ("name", "description") if item.get(k)]
            item["examples"] = (examples + extra)[: max(_MIN_EXAMPLES, len(examples))]
            notes.append(f"use case {item.get('id')!r}: name/description added as examples")
    return doc


def compat_copy(policy: Path, dest: Path) -> list[str]:
    """Write a copy today's validator accepts (lowercase ids, >= 3 examples); list the renames."""
    notes: list[str] = []
    files = [policy] if policy.is_file() else sorted(
        p for p in policy.rglob("*") if p.suffix in {".yaml", ".yml", ".json"}
        and not p.name.endswith(".schema.json")
    )
    for file in files:
        doc = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        target = dest / (file.name if policy.is_file() else file.relative_to(policy))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(_compat_doc(doc, notes), allow_unicode=True,
                                         sort_keys=False), encoding="utf-8")
    return sorted(set(notes))


_SAMPLE_KINDS = {"answered": "plain", "help": "small-talk", "data_check": "data-check",
                 "unmet": "unmet", "blocked": "blocked", "language": "non-english"}


def sample_rows(path: Path, policy_path: Path) -> list[str]:
    """tests/fixtures/sample_questions.yaml as JSONL rows: a use case becomes its fitting tools."""
    policy = load_policy(policy_path)
    rows = []
    for case in yaml.safe_load(path.read_text(encoding="utf-8")) or ():
        expect = case["expect"]
        outcome = expect["outcome"]
        tools: list[str] = []
        if outcome == "answered" and expect.get("use_case"):
            tools = [t.id for t in policy.tools
                     if expect["use_case"] in t.good_for and t.status.value in RECOMMENDABLE]
        elif expect.get("tool"):
            tools = [expect["tool"]]
        kind = _SAMPLE_KINDS.get(outcome, "named-tool" if expect.get("tool") else "unknown-tool")
        row = {"q": case["question"], "outcome": outcome, "tools": tools,
               "red_lines": expect.get("red_lines", []), "kind": kind}
        if "allowed" in expect:
            row["allowed"] = expect["allowed"]
        rows.append(json.dumps(row, ensure_ascii=False))
    return rows


def run_product(
    policy: Path, questions: list[Question], env_overrides: dict[str, str], work: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Import the policy into a fresh database and answer every question with `ask --json`."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{work / 'eval.db'}",
        "POLICY_PATH": str(policy),
        "LOG_FORMAT": "text",
        "METRICS_ENABLED": "false",
        "DIGEST_ENABLED": "false",
        **env_overrides,
    }
    app = [sys.executable, str(ROOT / "app.py")]
    info: dict[str, Any] = {}
    started = time.perf_counter()
    imported = subprocess.run([*app, "policies", "import", str(policy)], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600, check=False)
    info["import_seconds"] = round(time.perf_counter() - started, 2)
    info["import"] = "ok" if imported.returncode == 0 else (
        "failed, imported at start-up from POLICY_PATH instead: "
        + (imported.stderr.strip().splitlines() or ["?"])[-1][:300]
    )
    # One question per line: the product collapses whitespace itself, so this changes nothing.
    stdin = "\n".join(" ".join(q.q.split()) for q in questions) + "\n"
    started = time.perf_counter()
    asked = subprocess.run([*app, "ask", "-", "--json", "--asker", "policy-eval"], input=stdin,
                           env=env, cwd=ROOT, capture_output=True, text=True, timeout=3600,
                           check=False)
    info["ask_seconds"] = round(time.perf_counter() - started, 2)
    # One JSON object per answer; anything else on stdout (a notice, a warning) is not one.
    answers = [json.loads(line) for line in asked.stdout.splitlines() if line.startswith("{")]
    if len(answers) != len(questions):
        raise SystemExit(
            f"`ask - --json` gave {len(answers)} answers for {len(questions)} questions "
            f"(exit {asked.returncode}):\n{asked.stderr.strip()[-2000:]}"
        )
    return answers, info


def _machine() -> dict[str, Any]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()} {os.cpu_count()} cores, "
                       f"Python {platform.python_version()}",
            "commit": commit or None}


def evaluate(
    policy: Path, questions_file: Path, env_overrides: dict[str, str],
    save_answers: Path | None = None,
) -> dict[str, Any]:
    """Load, answer and score; the report carries the figures, misses and how it was run."""
    if questions_file.suffix in {".yaml", ".yml"}:  # the sample policy's regression format
        lines = sample_rows(questions_file, policy)
    else:
        lines = questions_file.read_text(encoding="utf-8").splitlines()
    questions = parse_questions(lines)
    if not questions:
        raise SystemExit(f"{questions_file}: no questions")
    work = Path(tempfile.mkdtemp(prefix="policy-eval-"))
    try:
        compat: list[str] = []
        target = policy
        try:
            load_policy(policy)
        except PolicyFileError as exc:
            target = work / "policy"
            compat = compat_copy(policy, target)
            try:
                load_policy(target)
            except PolicyFileError:
                raise SystemExit(f"{policy}: not a valid policy:\n{exc}") from None
            first = exc.problems[0].message if exc.problems else str(exc)
            compat.insert(0, f"today's validator rejects the policy as written "
                             f"({len(exc.problems)} problem(s), first: {first}); "
                             "evaluated a copy with these changes:")
        answers, info = run_product(target, questions, env_overrides, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if save_answers:
        save_answers.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n"
                                        for a in answers), encoding="utf-8")
    report = score(questions, answers)
    return {"policy": str(policy), "questions_file": str(questions_file),
            "settings": env_overrides, **_machine(), **info, "compat": compat, **report}


def _env_pair(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip().upper(), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("policy", type=Path, help="policy folder or file")
    parser.add_argument("questions", type=Path, help="labelled questions (JSONL)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--matcher", help="MATCHER setting (e.g. lexical, semantic)")
    parser.add_argument("--env", type=_env_pair, action="append", default=[],
                        metavar="KEY=VALUE", help="any other setting, e.g. MATCH_THRESHOLD=0.3")
    parser.add_argument("--save-answers", type=Path, help="write the raw ask --json lines here")
    parser.add_argument("--json-out", type=Path, help="also write the JSON report to this file")
    parser.add_argument("--max-misses", type=int, default=200)
    args = parser.parse_args(argv)
    overrides = dict(args.env)
    if args.matcher:
        overrides["MATCHER"] = args.matcher
    try:
        report = evaluate(args.policy, args.questions, overrides, args.save_answers)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json_out:
        args.json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    head = [f"{report['policy']} x {report['questions_file']}",
            f"{report['date']}, {report['machine']}, commit {report['commit']}, "
            f"settings {report['settings'] or 'default'}",
            f"import: {report['import']}"]
    head += [f"compat: {note}" for note in report["compat"]]
    print(format_report(report, title="\n".join(head) + "\n", max_misses=args.max_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
