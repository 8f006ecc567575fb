"""Score the concierge's `ask --json` answers against labelled questions (pure; no I/O).

`bench/policy_eval.py` runs the product and calls this; the unit tests call it on
hand-made answers. Kept apart so the figures can be checked without a policy or a
database. The question schema is documented in `bench/policy_eval.py`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "OUTCOME_SYNONYMS",
    "Question",
    "answer_tools",
    "canonical_outcome",
    "format_report",
    "id_key",
    "parse_questions",
    "score",
]

#: Canonical outcome -> every spelling accepted in a label or from the product. New product
#: outcomes (meta, catalogue, blocked, language) are grouped with the answer they stand for.
OUTCOME_SYNONYMS: dict[str, frozenset[str]] = {
    "answered": frozenset({"answered", "answer", "recommend", "recommended", "use_case"}),
    "tool_status": frozenset(
        {"tool_status", "status", "tool", "tool_info", "family", "tool_family", "tools"}
    ),
    "data_check": frozenset({"data_check", "data", "datacheck", "data_verdict"}),
    "unmet": frozenset({"unmet", "no_match", "nothing_fits", "gap", "unmet_demand"}),
    "help": frozenset(
        {"help", "meta", "catalogue", "catalog", "small_talk", "smalltalk", "greeting",
         "about", "usage", "thanks"}
    ),
    "blocked": frozenset({"blocked", "forbidden", "red_line", "redline", "refused"}),
    "language": frozenset(
        {"language", "unsupported_language", "other_language", "languages", "non_english"}
    ),
}
_CANON = {spelling: canon for canon, names in OUTCOME_SYNONYMS.items() for spelling in names}
_MISSING = object()
_NOT_RECOMMENDABLE = frozenset({"under_review", "prohibited"})
_SEP = re.compile(r"[^a-z0-9_]+")


def canonical_outcome(value: object) -> str:
    """The canonical outcome of a label or an answer; unknown spellings are kept as they are."""
    if value is None:
        return "error"
    key = _SEP.sub("_", str(value).strip().lower()).strip("_")
    return _CANON.get(key, key)


def id_key(value: object) -> str:
    """Ids compare case-insensitively and ignore spelling of separators (`P1`, `c-3`, `GREEN`)."""
    return re.sub(r"[^a-z0-9]+", "-", str(value).lower()).strip("-")


@dataclass(frozen=True)
class Question:
    """One labelled question (a line of QUESTIONS.jsonl)."""

    q: str
    outcomes: frozenset[str]
    tools: tuple[str, ...] = ()
    red_lines: tuple[str, ...] = ()
    #: red lines that must not be shown (a negated or unrelated mention)
    not_red_lines: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ("unlabelled",)
    allowed: Any = _MISSING  # True / False / None (policy silent); _MISSING when not labelled
    line: int = 0
    note: str = ""
    raw_outcome: str = field(default="", compare=False)


def _strings(value: Any, name: str, line: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ValueError(f"line {line}: '{name}' must be a string or a list of strings")


def parse_questions(lines: Iterable[str]) -> list[Question]:
    """Parse QUESTIONS.jsonl; every problem is reported with its line number."""
    out: list[Question] = []
    problems: list[str] = []
    for number, text in enumerate(lines, start=1):
        if not text.strip() or text.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(text)
            if not isinstance(row, dict):
                raise ValueError(f"line {number}: expected a JSON object")
            q = row.get("q")
            if not isinstance(q, str) or not q.strip():
                raise ValueError(f"line {number}: 'q' must be a non-empty string")
            outcomes = _strings(row.get("outcome"), "outcome", number)
            if not outcomes:
                raise ValueError(f"line {number}: 'outcome' is required")
            kinds = _strings(row.get("kind"), "kind", number) or ("unlabelled",)
            out.append(
                Question(
                    q=q,
                    outcomes=frozenset(canonical_outcome(o) for o in outcomes),
                    tools=_strings(row.get("tools"), "tools", number),
                    red_lines=_strings(row.get("red_lines"), "red_lines", number),
                    not_red_lines=_strings(row.get("not_red_lines"), "not_red_lines", number),
                    kinds=tuple(k.strip().lower() for k in kinds),
                    allowed=row.get("allowed", _MISSING),
                    line=number,
                    note=str(row.get("note", "")),
                    raw_outcome="/".join(outcomes),
                )
            )
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ValueError("invalid questions file:\n  " + "\n  ".join(problems))
    return out


def answer_tools(answer: Mapping[str, Any]) -> list[str]:
    """The tools an answer puts first: the tool asked about, then the recommended tools.

    Alternatives ("use X instead") are not counted: they are not the answer to the job.
    """
    ranked: list[str] = []
    asked = answer.get("asked_tool") or {}
    if isinstance(asked, Mapping) and asked.get("id"):
        ranked.append(str(asked["id"]))
    for tool in answer.get("tools") or ():
        if isinstance(tool, Mapping) and tool.get("id") and tool["id"] not in ranked:
            ranked.append(str(tool["id"]))
    return ranked


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _is_unmet(answer: Mapping[str, Any]) -> bool:
    return canonical_outcome(answer.get("outcome")) == "unmet" or bool(answer.get("logged_unmet"))


def _judge(question: Question, answer: Mapping[str, Any]) -> dict[str, Any]:
    outcome = canonical_outcome(answer.get("outcome"))
    got_tools = [id_key(t) for t in answer_tools(answer)]
    want_tools = {id_key(t) for t in question.tools}
    shown = {id_key(r.get("id")) for r in answer.get("red_lines") or () if isinstance(r, Mapping)}
    missing = [r for r in question.red_lines if id_key(r) not in shown]
    verdict = (answer.get("data_check") or {}).get("allowed", _MISSING)
    problems = []
    outcome_ok = outcome in question.outcomes
    if not outcome_ok:
        problems.append(f"outcome {outcome}")
    top1 = top3 = None
    if want_tools:
        top1 = bool(got_tools) and got_tools[0] in want_tools
        top3 = any(t in want_tools for t in got_tools[:3])
        if not top1:
            problems.append("first tool " + (got_tools[0] if got_tools else "none"))
    if missing:
        problems.append("red lines missing " + ", ".join(missing))
    false_lines = [r for r in question.not_red_lines if id_key(r) in shown]
    if false_lines:
        problems.append("red lines shown that must not be " + ", ".join(false_lines))
    verdict_ok = None
    if question.allowed is not _MISSING:
        verdict_ok = verdict is not _MISSING and verdict == question.allowed
        if not verdict_ok:
            problems.append(f"allowed {'-' if verdict is _MISSING else verdict}")
    if answer.get("error"):
        problems.append(f"error: {answer['error']}")
    unsafe = [
        str(t.get("id")) for t in answer.get("tools") or ()
        if isinstance(t, Mapping) and t.get("status") in _NOT_RECOMMENDABLE
    ] if outcome == "answered" else []
    if unsafe:
        problems.append("recommended a tool that is not allowed: " + ", ".join(unsafe))
    return {
        "outcome": outcome,
        "outcome_ok": outcome_ok,
        "top1": top1,
        "top3": top3,
        "red_expected": len(question.red_lines),
        "red_shown": len(question.red_lines) - len(missing),
        "red_false": len(false_lines),
        "red_not": len(question.not_red_lines),
        # a red line shown where the labels expect none: not always wrong (a line
        # written for the tool is shown with it), but what spam would look like
        "red_unasked": bool(shown) and not question.red_lines,
        "verdict_ok": verdict_ok,
        "unmet_expected": "unmet" in question.outcomes,
        "unmet_predicted": _is_unmet(answer),
        "problems": problems,
        "unsafe": bool(unsafe),
        "got_tools": got_tools,
        "got_red_lines": sorted(shown),
    }


def _summary(judged: Sequence[dict[str, Any]]) -> dict[str, Any]:
    tooled = [j for j in judged if j["top1"] is not None]
    red_expected = sum(j["red_expected"] for j in judged)
    verdicts = [j for j in judged if j["verdict_ok"] is not None]
    tp = sum(j["unmet_expected"] and j["unmet_predicted"] for j in judged)
    fp = sum(j["unmet_predicted"] and not j["unmet_expected"] for j in judged)
    fn = sum(j["unmet_expected"] and not j["unmet_predicted"] for j in judged)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = (
        round(2 * precision * recall / (precision + recall), 4)
        if precision is not None and recall is not None and precision + recall > 0
        else (0.0 if precision == 0 or recall == 0 else None)
    )
    return {
        "questions": len(judged),
        "outcome_accuracy": _ratio(sum(j["outcome_ok"] for j in judged), len(judged)),
        "tool_questions": len(tooled),
        "top1": _ratio(sum(bool(j["top1"]) for j in tooled), len(tooled)),
        "top3": _ratio(sum(bool(j["top3"]) for j in tooled), len(tooled)),
        "unmet": {"precision": precision, "recall": recall, "f1": f1,
                  "tp": tp, "fp": fp, "fn": fn},
        "red_lines": {"expected": red_expected,
                      "shown": sum(j["red_shown"] for j in judged),
                      "recall": _ratio(sum(j["red_shown"] for j in judged), red_expected),
                      "false": sum(j["red_false"] for j in judged),
                      "must_not": sum(j["red_not"] for j in judged),
                      "unasked": sum(j["red_unasked"] for j in judged),
                      "unlabelled": sum(not j["red_expected"] for j in judged)},
        "data_verdicts": {"labelled": len(verdicts),
                          "accuracy": _ratio(sum(bool(j["verdict_ok"]) for j in verdicts),
                                             len(verdicts))},
        "all_right": _ratio(sum(not j["problems"] for j in judged), len(judged)),
        "unapproved_recommended": sum(j["unsafe"] for j in judged),
    }


def score(questions: Sequence[Question], answers: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """All figures, per question kind, the confusion of outcomes, and every miss."""
    if len(questions) != len(answers):
        raise ValueError(f"{len(questions)} questions but {len(answers)} answers")
    judged = [_judge(q, a) for q, a in zip(questions, answers, strict=True)]
    report = _summary(judged)
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for question, j in zip(questions, judged, strict=True):
        for kind in question.kinds:
            by_kind[kind].append(j)
    report["per_kind"] = {
        kind: {k: v for k, v in _summary(items).items() if k not in {"unmet", "data_verdicts"}}
        for kind, items in sorted(by_kind.items())
    }
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for question, j in zip(questions, judged, strict=True):
        confusion[question.raw_outcome][j["outcome"]] += 1
    report["outcome_confusion"] = {e: dict(c) for e, c in sorted(confusion.items())}
    report["misses"] = [
        {
            "line": q.line,
            "q": q.q,
            "kinds": list(q.kinds),
            "expected": {"outcome": q.raw_outcome, "tools": list(q.tools),
                         "red_lines": list(q.red_lines),
                         **({} if q.allowed is _MISSING else {"allowed": q.allowed})},
            "got": {"outcome": j["outcome"], "tools": j["got_tools"][:3],
                    "red_lines": j["got_red_lines"],
                    "headline": str(a.get("headline") or a.get("error") or "")[:160]},
            "problems": j["problems"],
        }
        for q, j, a in zip(questions, judged, answers, strict=True)
        if j["problems"]
    ]
    return report


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def format_report(report: Mapping[str, Any], *, title: str = "", max_misses: int = 200) -> str:
    """The figures, a table per question kind, and the misses, for a person to read."""
    un, red, dv = report["unmet"], report["red_lines"], report["data_verdicts"]
    lines = [title] if title else []
    lines += [
        f"questions: {report['questions']}   all right: {_pct(report['all_right'])}",
        f"outcome accuracy: {_pct(report['outcome_accuracy'])}",
        f"tool top-1: {_pct(report['top1'])}   top-3: {_pct(report['top3'])}"
        f"   (of {report['tool_questions']} questions with an expected tool)",
        f"unmet precision: {_pct(un['precision'])}   recall: {_pct(un['recall'])}"
        f"   F1: {_num(un['f1'])}"
        f"   (tp {un['tp']}, fp {un['fp']}, fn {un['fn']})",
        f"red-line recall: {_pct(red['recall'])}   ({red['shown']} of {red['expected']})"
        f"   false: {red.get('false', 0)} of {red.get('must_not', 0)} must-not"
        f"   shown unasked: {red.get('unasked', 0)} of {red.get('unlabelled', 0)}",
        f"answers recommending a tool that is not allowed: {report['unapproved_recommended']}",
    ]
    if dv["labelled"]:
        lines.append(f"data-check verdicts right: {_pct(dv['accuracy'])} of {dv['labelled']}")
    lines += ["", f"{'kind':<14} {'n':>4} {'outcome':>8} {'top-1':>6} {'red':>5}"]
    for kind, s in report["per_kind"].items():
        lines.append(
            f"{kind:<14} {s['questions']:>4} {_pct(s['outcome_accuracy']):>8} "
            f"{_pct(s['top1']):>6} {_pct(s['red_lines']['recall']):>5}"
        )
    lines += ["", "expected outcome -> what came back"]
    for expected, got in report["outcome_confusion"].items():
        spread = ", ".join(f"{k} {v}" for k, v in sorted(got.items(), key=lambda kv: -kv[1]))
        lines.append(f"  {expected:<30} {spread}")
    misses = report["misses"]
    lines += ["", f"misses: {len(misses)}"]
    for miss in misses[:max_misses]:
        exp, got = miss["expected"], miss["got"]
        lines.append(f"- line {miss['line']} [{', '.join(miss['kinds'])}] {miss['q']!r}")
        want = f"{exp['outcome']}" + (f" tools={exp['tools']}" if exp["tools"] else "")
        want += f" red_lines={exp['red_lines']}" if exp["red_lines"] else ""
        want += f" allowed={exp['allowed']}" if "allowed" in exp else ""
        lines.append(f"    expected: {want}")
        lines.append(
            f"    got:      {got['outcome']} tools={got['tools']} red_lines={got['red_lines']}"
        )
        lines.append(f"    says:     {got['headline']}")
        lines.append(f"    wrong:    {'; '.join(miss['problems'])}")
    if len(misses) > max_misses:
        lines.append(f"... and {len(misses) - max_misses} more (use --json for all)")
    return "\n".join(lines)
