"""Fit and judge the learned "does this red line forbid the request?" decision (issue 9 §5).

    OMP_NUM_THREADS=1 .venv/bin/python bench/block_decision.py [--sets sf-city,uidaho,...]
        [--C 0.3] [--cutoff 0.5] [--write] [--evaluate new-set,...]

For each DEV held-out set (never a test set) the policy is loaded and indexed in process as
the product does (`build_index`, the hybrid matcher, redaction, `advise_message`). Every
question is answered once while recording, for each (message, red line) pair that reaches
the decision by meaning (no literal trigger blocked it; a red line that holds for the tools
named; not a negated or topic mention; not a question about a tool alone), the features
of `bot.core.advice.block_decision`. A pair is positive when the question's label accepts
`blocked` and lists that red line, negative when the label does not accept `blocked` (or
lists other red lines).

Judged by leaving one dev set out: fit on the other sets' pairs, answer the held-out set's
questions again with those weights, and compare with the constant floor (today's rule) and
with the literal triggers alone on the same questions: questions whose label accepts
`blocked` that get it (blocked recall), those that get it while their label does not
(false blocks), outcome and red-line recall. `--write` fits on every set given and writes
`bot/core/data/block_decision.json`. `--evaluate` scores sets with the shipped weights,
today's rule and triggers alone, fitting nothing (a new set's first run).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from policy_score import Question, id_key, parse_questions, score  # noqa: E402

from bot.core.advice import block_decision  # noqa: E402
from bot.core.advice.block_decision import FEATURES, BlockModel  # noqa: E402
from bot.core.advice.index import PolicyIndex, build_index  # noqa: E402
from bot.core.answer_pool import advise_text  # noqa: E402
from bot.core.concierge import clean_text  # noqa: E402
from bot.core.matching.hybrid import HybridMatcher  # noqa: E402
from bot.policy.files import load_policy  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
DEV_SETS = ("sf-city", "uidaho", "ny-courts", "loudon-schools", "ssd-stl", "voyager", "amapceo",
            "lfucg", "dhi", "nc-dit", "phsa", "mro", "global-care", "eu-commission",
            "client-funnels", "crunch-accounting", "tracklements", "tate-law", "walmart", "orr",
            "idaho-its", "sfpd", "axa", "shieldwire", "sigmar-recruitment", "hotel-jnterlaken",
            "middletown-library")
OUT = ROOT / "bot" / "core" / "data" / "block_decision.json"
#: A model that never blocks by meaning: the literal triggers alone.
NEVER = BlockModel(np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)),
                   -50.0)


def floor_chances(x: np.ndarray) -> np.ndarray:
    """Today's constant floor on the same pairs: blend >= FLOOR and over the best use case
    by MARGIN (`forbidden_uses`; its object and errand checks left out)."""
    from bot.core.forbidden_uses import FLOOR, MARGIN

    blend, over = x[:, FEATURES.index("blend")], x[:, FEATURES.index("over_use_case")]
    return ((blend >= FLOOR) & (over >= MARGIN)).astype(float)


@dataclass
class SetRows:
    name: str
    questions: list[Question]
    texts: list[str]
    index: PolicyIndex
    x: np.ndarray
    y: np.ndarray
    group: np.ndarray  # the question of each pair
    today: list[dict[str, Any]]  # the constant floor's answers
    literal: list[dict[str, Any]]  # the literal triggers' alone
    #: CLINC150 train requests asked of this policy: every pair is a negative
    clinc_x: np.ndarray
    #: CLINC150 val requests (judged, never fitted), and how many today's rule blocks
    clinc_val: list[str]
    clinc_today: int


def clinc_requests(split: str, per_intent: int, oos: int) -> list[str]:
    """Ordinary requests (CLINC150, read from ../shared/benchmarks, never copied):
    `per_intent` of each intent's and `oos` out-of-scope ones of the split."""
    from clinc150 import DEFAULT_DATA, load

    data = load(DEFAULT_DATA)
    seen: dict[str, int] = {}
    out = []
    for query, label in data[split]:
        seen[label] = seen.get(label, 0) + 1
        if seen[label] <= per_intent:
            out.append(query)
    return out + [q for q, _ in data["oos_" + split][:oos]]


def _answers(index: PolicyIndex, texts: list[str], weights: BlockModel | None,
             recorded: list[Any] | None = None) -> list[dict[str, Any]]:
    out = []
    for text in texts:
        with block_decision.using(weights, recorded):
            out.append(advise_text(index, text)[1].to_dict())
        if recorded is not None:
            recorded.append(None)  # end of this question's decisions
    return out


def collect(name: str, clinc: tuple[list[str], list[str]] = ([], [])) -> SetRows:
    folder = HELDOUT / name
    questions = parse_questions((folder / "questions.jsonl").read_text("utf-8").splitlines())
    matcher = HybridMatcher()
    index = build_index(1, load_policy(folder / "policy"), lambda: matcher)
    texts = [clean_text(q.q, 4000) for q in questions]
    recorded: list[Any] = []
    literal = _answers(index, texts, None, recorded)
    xs, ys, gs = [], [], []
    question = 0
    for item in recorded:
        if item is None:
            question += 1
            continue
        q = questions[question]
        wanted = {id_key(r) for r in q.red_lines}
        _text, ids, feats = item
        for line_id, row in zip(ids, feats, strict=True):
            xs.append(row)
            gs.append(question)
            ys.append(int("blocked" in q.outcomes and id_key(line_id) in wanted))
    today = _answers(index, texts, None)
    ordinary: list[Any] = []
    _answers(index, clinc[0], None, ordinary)
    clinc_x = [row for item in ordinary if item is not None for row in item[2]]
    clinc_today = sum(a.get("outcome") == "blocked" for a in _answers(index, clinc[1], None))
    return SetRows(name, questions, texts, index, np.asarray(xs).reshape(-1, len(FEATURES)),
                   np.asarray(ys), np.asarray(gs, dtype=int), today, literal,
                   np.asarray(clinc_x).reshape(-1, len(FEATURES)), clinc[1], clinc_today)


def figures(rows: SetRows, answers: list[dict[str, Any]]) -> dict[str, int]:
    report = score(rows.questions, answers)
    wants = ["blocked" in q.outcomes for q in rows.questions]
    got = [a.get("outcome") == "blocked" for a in answers]
    red = report.get("red_lines") or {}
    return {
        "n": len(rows.questions),
        "right": round(report["outcome_accuracy"] * len(rows.questions)),
        "blocked": sum(w and g for w, g in zip(wants, got, strict=True)),
        "want": sum(wants),
        "false": sum(g and not w for w, g in zip(wants, got, strict=True)),
        "red_shown": int(red.get("shown", 0)),
        "red_expected": int(red.get("expected", 0)),
    }


#: Features left out of the fit (`--drop`): their weight is 0.
DROPPED: set[str] = set()


def alone(rows: SetRows, chances: np.ndarray, cutoff: float) -> tuple[int, int, int, int]:
    """The decision by meaning with no literal trigger before it, over the questions that
    reach it: (blocked with a right red line, of those expecting a red line it reads,
    blocked among questions whose label does not accept `blocked`, of those)."""
    right = want = false = others = 0
    for g in np.unique(rows.group):
        mine = rows.group == g
        q = rows.questions[g]
        best = int(np.argmax(chances[mine]))
        hit = chances[mine][best] >= cutoff
        if rows.y[mine].any():
            want += 1
            right += int(hit and rows.y[mine][best] == 1)
        elif "blocked" not in q.outcomes:
            others += 1
            false += int(hit)
    return right, want, false, others


def fit_model(x: np.ndarray, y: np.ndarray, c: float, cutoff: float,
              weights: np.ndarray | None = None) -> BlockModel:
    from sklearn.linear_model import LogisticRegression

    x = x.copy()
    x[:, [FEATURES.index(f) for f in DROPPED]] = 0.0
    mean, scale = x.mean(axis=0), x.std(axis=0).clip(1e-6)
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit((x - mean) / scale, y, sample_weight=weights)
    return BlockModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]), cutoff)


#: Weight of each CLINC150 pair (`--clinc-weight`).
CLINC_WEIGHT = [0.3]


def fit_on(sets: list[SetRows], c: float, cutoff: float) -> BlockModel:
    x = np.vstack([r.x for r in sets] + [r.clinc_x for r in sets])
    y = np.concatenate([r.y for r in sets] + [np.zeros(len(r.clinc_x)) for r in sets])
    labelled = np.concatenate([r.y for r in sets])
    # The dev pairs' two classes weigh alike (few pairs are positive); each CLINC150 pair
    # weighs CLINC_WEIGHT of a dev negative.
    balance = (labelled == 0).sum() / max(int(labelled.sum()), 1)
    w = np.concatenate([np.where(labelled == 1, balance, 1.0)]
                       + [np.full(len(r.clinc_x), CLINC_WEIGHT[0]) for r in sets])
    return fit_model(x, y, c, cutoff, w)


def clinc_blocked(rows: SetRows, weights: BlockModel) -> int:
    """CLINC150 val requests (ordinary, none forbidden) this policy blocks."""
    return sum(a.get("outcome") == "blocked" for a in _answers(rows.index, rows.clinc_val,
                                                                weights))


def _row(name: str, figs: dict[str, dict[str, int]]) -> str:
    cells = []
    for f in figs.values():
        cells.append(f"{f['blocked']}/{f['want']} | {f['false']} | {f['right'] / f['n']:.1%} "
                     f"| {f['red_shown']}/{f['red_expected']}")
    return f"| {name} | " + " | ".join(cells) + " |"


def _header(labels: list[str]) -> str:
    head = "| set | " + " | ".join(f"{k} blocked | {k} false | {k} outcome | {k} red lines"
                                  for k in labels) + " |"
    return head + "\n|---|" + "---|" * (4 * len(labels))


def leave_one_set_out(sets: dict[str, SetRows], c: float, cutoff: float) -> None:
    labels = ["triggers", "today", "learned"]
    print(f"\nC={c} cutoff={cutoff} CLINC150 weight={CLINC_WEIGHT[0]} "
          f"(pairs: {sum(len(r.y) for r in sets.values())}, "
          f"positive {sum(int(r.y.sum()) for r in sets.values())})")
    print(_header(labels))
    totals = {k: dict.fromkeys(("n", "right", "blocked", "want", "false", "red_shown",
                                "red_expected"), 0) for k in labels}
    alone_total, floor_total, clinc_total = [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0]
    for held, rows in sets.items():
        fold = fit_on([r for n, r in sets.items() if n != held], c, cutoff)
        a = alone(rows, fold.probability(rows.x), cutoff)
        alone_total[:] = [t + v for t, v in zip(alone_total, a, strict=True)]
        floor = alone(rows, floor_chances(rows.x), 0.5)
        floor_total[:] = [t + v for t, v in zip(floor_total, floor, strict=True)]
        if rows.clinc_val:
            clinc_total[0] += rows.clinc_today
            clinc_total[1] += clinc_blocked(rows, fold)
            clinc_total[2] += len(rows.clinc_val)
        print(f"  {held}: by meaning alone, learned {a[0]}/{a[1]} blocked, {a[2]}/{a[3]} false; "
              f"constant floor {floor[0]}/{floor[1]}, {floor[2]}/{floor[3]}")
        figs = {"triggers": figures(rows, rows.literal), "today": figures(rows, rows.today),
                "learned": figures(rows, _answers(rows.index, rows.texts, fold))}
        for k, f in figs.items():
            for key, value in f.items():
                totals[k][key] += value
        print(_row(held, figs), flush=True)
    print(_row("**pooled**", totals))
    print(f"by meaning alone, pooled: learned {alone_total[0]}/{alone_total[1]} blocked, "
          f"{alone_total[2]}/{alone_total[3]} false; constant floor {floor_total[0]}/"
          f"{floor_total[1]}, {floor_total[2]}/{floor_total[3]}")
    print(f"CLINC150 val requests asked of the held-out policies, blocked: today "
          f"{clinc_total[0]}, learned {clinc_total[1]} of {clinc_total[2]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(DEV_SETS))
    parser.add_argument("--C", type=float, nargs="+", default=[0.3])
    parser.add_argument("--cutoff", type=float, nargs="+", default=[0.8])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--no-lodo", action="store_true")
    parser.add_argument("--clinc", type=int, nargs=2, default=[2, 100], metavar=("PER", "OOS"),
                        help="CLINC150 train requests per intent and out-of-scope ones, "
                             "asked of every policy as negatives (0 0: none)")
    parser.add_argument("--clinc-val", type=int, nargs=2, default=[1, 50],
                        metavar=("PER", "OOS"), help="CLINC150 val requests judged per policy")
    parser.add_argument("--clinc-weight", type=float, nargs="+", default=[1.0])
    parser.add_argument("--drop", default="own_hit,theme_hit",
                        help="features left out (the literal path already reads triggers)")
    parser.add_argument("--evaluate", default="",
                        help="sets to score with the shipped weights (no fit)")
    args = parser.parse_args(argv)
    if args.evaluate:
        shipped = block_decision.shipped_model()
        assert shipped is not None, "no shipped weights to evaluate"
        labels = ["triggers", "today", "shipped"]
        print(_header(labels))
        for name in args.evaluate.split(","):
            rows = collect(name)
            print(_row(name, {"triggers": figures(rows, rows.literal),
                              "today": figures(rows, rows.today),
                              "shipped": figures(rows, _answers(rows.index, rows.texts,
                                                                shipped))}), flush=True)
        return 0
    DROPPED.update(f for f in args.drop.split(",") if f)
    clinc = (clinc_requests("train", *args.clinc) if args.clinc[0] or args.clinc[1] else [],
             clinc_requests("val", *args.clinc_val) if args.clinc_val[0] else [])
    sets = {n: collect(n, clinc) for n in args.sets.split(",") if n}
    if not args.no_lodo:
        for weight in args.clinc_weight:
            CLINC_WEIGHT[0] = weight
            for c in args.C:
                for cutoff in args.cutoff:
                    leave_one_set_out(sets, c, cutoff)
    CLINC_WEIGHT[0] = args.clinc_weight[0]
    if args.write:
        model = replace(fit_on(list(sets.values()), args.C[0], args.cutoff[0]))
        fields = model.to_dict()
        OUT.write_text("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}"
                                           for k, v in fields.items()) + "\n}\n", "utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
        for name, weight in sorted(zip(FEATURES, model.coef, strict=True),
                                   key=lambda p: -abs(p[1])):
            print(f"  {name:18s} {weight:+.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
