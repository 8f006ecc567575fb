"""Fit and judge the learned "does the best use case fit?" decision (issue 9, unmet F1).

    OMP_NUM_THREADS=1 .venv/bin/python bench/unmet_decision.py [--sets sf-city,uidaho,...]
        [--write [PATH]] [--C C ...] [--bank-weight W ...] [--clinc-weight W ...]
        [--evaluate SETS [--weights FILE ...]]

For each DEV held-out set (never a test set): the policy is loaded and indexed in process
as the product does (`build_index`, the hybrid matcher, redaction, `advise_message`), and
every question is answered twice, once with the best use case forced to fit and once
forced not to, plus once with the threshold alone (today's rule). With the features the
matcher reads for each question's best use case (`fit_decision.FEATURES`), any decision
can then be replayed exactly: its answer to each question is one of the two forced ones.
A question is a training example only where one forced answer has the right outcome and
the other does not.

Generic out-of-scope data of our own: the built-in bank's errands, each scored on every
dev policy by a matcher whose bank (competition and calibration) lacks it (`bank_rows`,
BANK_FOLDS parts), are "does not fit" rows at `--bank-weight` each. The dev sets hold few
requests that are not AI jobs at all; these keep the decision from answering them.

CLINC150 (read from ../shared/benchmarks/clinc150, never copied) is only reported (val,
for 10 and `--clinc-large` examples per intent), unless `--clinc-weight` > 0 adds its
train rows to the fit as the fourth session's weights did; the shipped weights use none.

Judged by leave-one-dev-set-out: fit on all dev sets but one, replay the held-out set,
compare with today's rule on the same set; the last column is the share of the held-out
policy's own bank errands the decision answers. C and the bank weight are chosen by the
pooled leave-one-out outcome (then unmet F1). `--write` fits on every dev set with the
first values given and writes `bot/core/matching/data/fit_decision.json` (or PATH).
`--evaluate` scores sets with the shipped weights (and `--weights` files) without fitting.
`--guard` prints CLINC150 test at 10 per intent (the issue's guard: >= 84 % in-scope, >= 65 %
OOS recall) for the weights fitted on every dev set, or with `--evaluate` for the shipped
and `--weights` ones (`--evaluate "" --guard`: the guard alone). A pass / fail check
before shipping weights, never a way to choose them.
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

from policy_score import Question, parse_questions, score  # noqa: E402

from bot.core.advice.index import build_index, policy_intents  # noqa: E402
from bot.core.answer_pool import advise_text, redact_for  # noqa: E402
from bot.core.concierge import clean_text  # noqa: E402
from bot.core.matching.calibration import (  # noqa: E402
    COVERED_SIMILARITY,
    out_of_scope_bank,
    uncovered_ai_jobs,
)
from bot.core.matching.fit_decision import FEATURES, FitModel, shipped_model  # noqa: E402
from bot.core.matching.hybrid import HybridMatcher  # noqa: E402
from bot.core.pasted import without_placeholders  # noqa: E402
from bot.policy.files import load_policy  # noqa: E402

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"
DEV_SETS = ("sf-city", "uidaho", "ny-courts", "loudon-schools", "ssd-stl", "voyager", "amapceo",
            "lfucg", "dhi", "nc-dit", "phsa", "mro", "global-care", "eu-commission",
            "client-funnels", "walmart", "tate-law", "crunch-accounting", "orr", "tracklements",
            "idaho-its", "axa", "hotel-jnterlaken", "middletown-library", "sfpd", "shieldwire",
            "sigmar-recruitment")
OUT = ROOT / "bot" / "core" / "matching" / "data" / "fit_decision.json"
_CONST = np.zeros(len(FEATURES))


def _forced(value: bool) -> FitModel:
    return FitModel(_CONST, np.ones(len(FEATURES)), _CONST, 50.0 if value else -50.0)


@dataclass
class SetRows:
    name: str
    questions: list[Question]
    fit: list[dict[str, Any]]
    nofit: list[dict[str, Any]]
    today: list[dict[str, Any]]
    features: np.ndarray  # NaN rows: nothing ranked
    over: np.ndarray  # today's rule: score >= threshold
    bank: np.ndarray  # features of the bank's errands, each scored unseen (`bank_rows`)


def collect(name: str, *, bank: bool = True) -> SetRows:
    folder = HELDOUT / name
    questions = parse_questions((folder / "questions.jsonl").read_text("utf-8").splitlines())
    matcher = HybridMatcher()
    index = build_index(1, load_policy(folder / "policy"), lambda: matcher)
    texts = [clean_text(q.q, 4000) for q in questions]
    runs = {}
    for label, model in (("fit", _forced(True)), ("nofit", _forced(False)), ("today", None)):
        matcher.decision = model
        runs[label] = [advise_text(index, t)[1].to_dict() for t in texts]
    matcher.decision = None
    keys = [without_placeholders(redact_for(index, t)) for t in texts]
    jobs = matcher.job_texts(keys)
    vecs = matcher._model().encode_message(jobs)
    scores, feats = matcher.scored(jobs, vecs)
    assert feats is not None
    over = scores.max(axis=1) >= index.threshold
    return SetRows(name, questions, runs["fit"], runs["nofit"], runs["today"], feats, over,
                   bank_rows(folder / "policy") if bank else np.zeros((0, len(FEATURES))))



#: The bank is split into this many parts; each part is scored by a matcher fitted and
#: calibrated with the other parts only, so no request is scored against itself.
BANK_FOLDS = 5


def bank_rows(policy_dir: Path, folds: int = BANK_FOLDS) -> np.ndarray:
    """Generic out-of-scope questions that are ours: the built-in bank's errands (not its AI
    jobs, which a policy may cover), each scored against the policy by a matcher whose bank
    (competition and calibration) lacks it. Errands a policy text nearly repeats are left
    out (the policy covers them)."""
    policy = load_policy(policy_dir)
    bank = list(out_of_scope_bank())
    ai_jobs = set(uncovered_ai_jobs())
    rows = []
    for k in range(folds):
        matcher = HybridMatcher(bank=[t for i, t in enumerate(bank) if i % folds != k])
        matcher.decision = None
        matcher.fit(policy_intents(policy))
        held = [t for i, t in enumerate(bank) if i % folds == k and t not in ai_jobs]
        jobs = matcher.job_texts(held)
        vecs = matcher._model().encode_message(jobs)
        _, feats = matcher.scored(jobs, vecs)
        if feats is None:
            continue
        own = matcher._index.pos[~matcher._index.lent]
        rows.append(feats[(vecs @ own.T).max(axis=1) < COVERED_SIMILARITY])
    return np.vstack(rows) if rows else np.zeros((0, len(FEATURES)))


def _ok(question: Question, answer: dict[str, Any]) -> bool:
    return bool(score([question], [answer])["outcome_accuracy"])


def labelled(rows: SetRows) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for i, q in enumerate(rows.questions):
        fit_ok, nofit_ok = _ok(q, rows.fit[i]), _ok(q, rows.nofit[i])
        if fit_ok != nofit_ok:
            xs.append(rows.features[i])
            ys.append(1 if fit_ok else 0)
    return np.asarray(xs).reshape(-1, rows.features.shape[1]), np.asarray(ys)


def replay(rows: SetRows, decide: np.ndarray) -> dict[str, Any]:
    answers = [f if d else n for f, n, d in zip(rows.fit, rows.nofit, decide, strict=True)]
    report = score(rows.questions, answers)
    return {"outcome": report["outcome_accuracy"], "top1": report["top1"], **report["unmet"]}


def _clinc_matcher(per_intent: int) -> tuple[dict[str, Any], HybridMatcher, list[str]]:
    """CLINC150 and a matcher fitted on `per_intent` examples of each intent, as
    `bench/clinc150.py` builds it (with the out-of-scope bank's vectors known)."""
    from clinc150 import DEFAULT_DATA, intents_from, load
    from embedding_cache import embed_cached

    from bot.core.matching.base import SavedVectors
    from bot.core.matching.embedder import get_embedder

    data = load(DEFAULT_DATA)
    intents = intents_from(data["train"], per_intent)
    matcher = HybridMatcher()
    texts = [t for i in intents for t in (*i.examples, i.name)] + list(out_of_scope_bank())
    known = dict(zip(texts, embed_cached(get_embedder(), texts), strict=True))
    matcher.fit(intents, SavedVectors(matcher.model_id, "", known))
    return data, matcher, [i.id for i in intents]


def _scored(matcher: HybridMatcher, queries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Scores and fit-decision features of `queries` (their job texts, embedded once)."""
    from embedding_cache import embed_cached

    from bot.core.matching.embedder import get_embedder

    jobs = matcher.job_texts(queries)
    scores, feats = matcher.scored(jobs, embed_cached(get_embedder(), jobs))
    assert feats is not None
    return scores, feats


def clinc_rows(per_intent: int = 10, extra: int = 3) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    data, matcher, ids = _clinc_matcher(per_intent)
    seen: dict[str, int] = {}
    train_in = []
    for query, label in data["train"]:
        seen[label] = seen.get(label, 0) + 1
        if per_intent < seen[label] <= per_intent + extra:
            train_in.append((query, label))
    out = {}
    for split, ins, oos in (("train", train_in, data["oos_train"]),
                            ("val", data["val"], data["oos_val"])):
        scores, feats = _scored(matcher, [q for q, _ in ins] + [q for q, _ in oos])
        right = np.asarray([ids[b] == label for b, (_, label) in
                            zip(scores[: len(ins)].argmax(axis=1), ins, strict=True)])
        y = np.concatenate([np.ones(len(ins)), np.zeros(len(oos))])
        keep = np.concatenate([right, np.ones(len(oos), dtype=bool)])
        out[split] = (feats[keep], y[keep])
        out[split + "_all"] = (feats, np.concatenate([right, np.zeros(len(oos), dtype=bool)]),
                               y == 1, scores.max(axis=1) >= matcher.default_threshold)
    return out


#: The guard a fitted decision must pass (issue 9): CLINC150 test, 10 examples per intent.
GUARD_IN_SCOPE, GUARD_OOS = 84.0, 65.0


def clinc_guard(model: FitModel, per_intent: int = 10) -> tuple[float, float]:
    """CLINC150 *test* in-scope accuracy and OOS recall (%) with `model` deciding, as
    `bench/clinc150.py` measures them: a pass / fail guard only, never a choice (the
    shipped weights passed with 0.1 point to spare, and refits on later code fell below)."""
    data, matcher, ids = _clinc_matcher(per_intent)
    ins, oos = data["test"], data["oos_test"]
    scores, feats = _scored(matcher, [q for q, _ in ins] + [q for q, _ in oos])
    fits = model.fits(feats)
    right = np.asarray([ids[b] == label for b, (_, label) in
                        zip(scores[: len(ins)].argmax(axis=1), ins, strict=True)])
    return (100 * float((right & fits[: len(ins)]).mean()),
            100 * float((~fits[len(ins):]).mean()))


def fit_model(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float) -> FitModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0).clip(1e-6)
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit((x - mean) / scale, y, sample_weight=w)
    return FitModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(DEV_SETS))
    parser.add_argument("--clinc-weight", type=float, nargs="+", default=[0.0])
    parser.add_argument("--bank-weight", type=float, nargs="+", default=[0.01],
                        help="weight of the bank's errands scored unseen on each dev policy")
    parser.add_argument("--C", type=float, nargs="+", default=[0.3])
    parser.add_argument("--cutoff", type=float, nargs="+", default=[0.5])
    parser.add_argument("--write", nargs="?", const=str(OUT), default="",
                        help="fit on every dev set and write the weights (default: shipped file)")
    parser.add_argument("--clinc-large", type=int, default=50,
                        help="also a CLINC150 policy of this many examples per intent")
    parser.add_argument("--evaluate", default=None,
                        help="sets to score with the shipped weights and today's rule (no fit)")
    parser.add_argument("--weights", nargs="*", default=[],
                        help="with --evaluate: other weights files to score as well")
    parser.add_argument("--guard", action="store_true",
                        help="CLINC150 test at 10 per intent for the weights fitted on every "
                             "dev set (and for the shipped and --weights ones with --evaluate)")
    args = parser.parse_args(argv)
    if args.evaluate is not None:
        shipped = shipped_model()
        assert shipped is not None, "no shipped weights to evaluate"
        others = [(path, FitModel.from_dict(json.loads(Path(path).read_text("utf-8"))))
                  for path in args.weights]
        for name in args.evaluate.split(","):
            if not name:
                continue
            rows = collect(name, bank=False)
            for label, decide in (("today's rule", rows.over),
                                  ("shipped weights", shipped.fits(rows.features)),
                                  *((path, m.fits(rows.features)) for path, m in others)):
                f = replay(rows, decide)
                print(f"{name}: {label}: outcome {f['outcome']:.1%}, top-1 {f['top1']}, "
                      f"unmet {_f1(f['tp'], f['fp'], f['fn'])} (tp {f['tp']} fp {f['fp']} "
                      f"fn {f['fn']})")
        if args.guard:
            for label, model in (("shipped weights", shipped), *others):
                _print_guard(label, model)
        return 0
    names = [s for s in args.sets.split(",") if s]
    sets = {n: collect(n) for n in names}
    clinc = clinc_rows()
    if args.clinc_large:
        large = clinc_rows(per_intent=args.clinc_large)
        clinc["train"] = tuple(np.concatenate([a, b]) for a, b in
                               zip(clinc["train"], large["train"], strict=True))
        clinc["large_val_all"] = large["val_all"]
    for c in args.C:
        for weight in args.clinc_weight:
            for bank_weight in args.bank_weight:
                for cutoff in args.cutoff:
                    leave_one_set_out(sets, clinc, c, weight, bank_weight, cutoff)
    if args.guard:
        _print_guard("fitted on every dev set", replace(
            fit_on(list(sets.values()), clinc, args.C[0], args.clinc_weight[0],
                   args.bank_weight[0]), cutoff=args.cutoff[0]))
    if args.write:
        model = replace(fit_on(list(sets.values()), clinc, args.C[0], args.clinc_weight[0],
                               args.bank_weight[0]), cutoff=args.cutoff[0])
        fields = model.to_dict()
        out = Path(args.write)
        out.write_text("{\n" + ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}"
                                           for k, v in fields.items()) + "\n}\n", "utf-8")
        print(f"wrote {out}")
    return 0


def _print_guard(label: str, model: FitModel) -> None:
    in_scope, oos = clinc_guard(model)
    verdict = "passes" if in_scope >= GUARD_IN_SCOPE and oos >= GUARD_OOS else "FAILS"
    print(f"CLINC150 test, 10 per intent, {label}: in-scope {in_scope:.2f} %, OOS recall "
          f"{oos:.2f} % ({verdict} the guard, >= {GUARD_IN_SCOPE} / >= {GUARD_OOS})")


def fit_on(
    sets: list[SetRows], clinc: dict[str, Any], c: float, weight: float, bank_weight: float,
) -> FitModel:
    xs, ys, ws = [], [], []
    for rows in sets:
        x, y = labelled(rows)
        xs.append(x), ys.append(y), ws.append(np.ones(len(y)))
        if bank_weight > 0 and len(rows.bank):
            xs.append(rows.bank), ys.append(np.zeros(len(rows.bank)))
            ws.append(np.full(len(rows.bank), bank_weight))
    if weight > 0:
        xs.append(clinc["train"][0]), ys.append(clinc["train"][1])
        ws.append(np.full(len(clinc["train"][1]), weight))
    return fit_model(np.vstack(xs), np.concatenate(ys), np.concatenate(ws), c)


def _f1(tp: int, fp: int, fn: int) -> str:
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"{p:.2f} / {r:.2f} / {2 * p * r / max(p + r, 1e-9):.2f}"


def leave_one_set_out(
    sets: dict[str, SetRows], clinc: dict[str, Any], c: float, weight: float,
    bank_weight: float, cutoff: float,
) -> dict[str, Any]:
    print(f"\nC={c} CLINC150 weight={weight} bank weight={bank_weight} cutoff={cutoff}")
    print("| held-out set | today outcome | today unmet P / R / F1 | learned outcome "
          "| learned unmet P / R / F1 | learned: errands answered |\n|---|---|---|---|---|---|")
    totals = {"today": np.zeros(4), "learned": np.zeros(4)}
    errands = [0, 0]
    for held, rows in sets.items():
        model = replace(fit_on([r for n, r in sets.items() if n != held], clinc, c, weight,
                               bank_weight), cutoff=cutoff)
        ok = ~np.isnan(rows.features).any(axis=1)
        decide = np.where(ok, model.fits(np.nan_to_num(rows.features)), rows.over)
        figures = {"today": replay(rows, rows.over), "learned": replay(rows, decide)}
        cells = []
        for key, f in figures.items():
            right = round(f["outcome"] * len(rows.questions))
            totals[key] += (right, f["tp"], f["fp"], f["fn"])
            cells += [f"{f['outcome']:.0%}", _f1(f["tp"], f["fp"], f["fn"])]
        # The held-out policy's own bank errands, scored unseen: how much chatter it answers.
        answered = int(model.fits(rows.bank).sum()) if len(rows.bank) else 0
        errands[0] += answered
        errands[1] += len(rows.bank)
        cells.append(f"{answered / max(len(rows.bank), 1):.1%}")
        print(f"| {held} | " + " | ".join(cells) + " |", flush=True)
    n = sum(len(r.questions) for r in sets.values())
    cells = []
    for t in totals.values():
        cells += [f"{t[0] / n:.1%}", _f1(int(t[1]), int(t[2]), int(t[3]))]
    cells.append(f"{errands[0] / max(errands[1], 1):.1%}")
    print("| **pooled** | " + " | ".join(cells) + " |")
    model = replace(fit_on(list(sets.values()), clinc, c, weight, bank_weight), cutoff=cutoff)
    for key in ("val_all", "large_val_all"):
        if key not in clinc:
            continue
        feats, right, is_in, over = clinc[key]
        fits = model.fits(feats)
        print(f"CLINC150 {key} (fit on every dev set): in-scope "
              f"{(right & fits)[is_in].mean():.1%} (rule {(right & over)[is_in].mean():.1%}), "
              f"OOS recall {(~fits)[~is_in].mean():.1%} (rule {(~over)[~is_in].mean():.1%})")
    return {**{key: t / [n, 1, 1, 1] for key, t in totals.items()},
            "errands": errands[0] / max(errands[1], 1)}


if __name__ == "__main__":
    raise SystemExit(main())
