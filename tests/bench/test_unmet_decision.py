"""The fit decision's bench: a replayed decision is exactly the forced answers it picks, and
only questions one decision gets right and the other wrong are training examples.

Hand-made answers in the `ask --json` shape; no model, no policy.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from policy_score import parse_questions  # noqa: E402
from unmet_decision import SetRows, fit_model, fit_on, labelled, replay  # noqa: E402

from bot.core.matching.fit_decision import FEATURES  # noqa: E402

QUESTIONS = parse_questions([
    '{"q": "summarize the board minutes", "outcome": "answered"}',
    '{"q": "compose a jingle for the podcast", "outcome": "unmet"}',
    '{"q": "hello", "outcome": "help"}',
    '{"q": "a job nobody labelled well", "outcome": "tool_status"}',
])
ANSWERED = {"outcome": "answered", "tools": [{"id": "t", "status": "standard"}]}
UNMET = {"outcome": "unmet", "logged_unmet": True}
HELP = {"outcome": "help"}


def _rows() -> SetRows:
    features = np.arange(4 * len(FEATURES), dtype=float).reshape(4, len(FEATURES))
    return SetRows(
        name="mini", questions=QUESTIONS,
        fit=[ANSWERED, ANSWERED, HELP, ANSWERED],
        nofit=[UNMET, UNMET, HELP, UNMET],
        today=[ANSWERED, ANSWERED, HELP, UNMET],
        features=features, over=np.array([True, True, True, False]),
        bank=np.zeros((0, len(FEATURES))),
    )


def test_only_questions_the_decision_can_turn_are_labelled() -> None:
    x, y = labelled(_rows())
    # q1: fitting is right (1); q2: not fitting is right (0); q3 answers the same either
    # way; q4 is wrong either way.
    assert y.tolist() == [1, 0]
    assert np.array_equal(x, _rows().features[:2])


def test_a_replayed_decision_is_scored_on_the_answers_it_picks() -> None:
    rows = _rows()
    today = replay(rows, rows.over)
    # q2 answered (a missed unmet), q4 logged as unmet though it asks about a tool.
    assert (today["tp"], today["fp"], today["fn"]) == (0, 1, 1)
    assert today["outcome"] == 0.5
    right = replay(rows, np.array([True, False, True, True]))
    assert (right["tp"], right["fp"], right["fn"]) == (1, 0, 0)
    assert right["outcome"] == 0.75


def test_fitted_weights_separate_what_they_were_fitted_on() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, len(FEATURES)))
    y = (x[:, 1] > 0).astype(int)  # "over the threshold" decides in this toy data
    model = fit_model(x, y, np.ones(len(y)), 1.0)
    assert (model.fits(x) == (y == 1)).mean() > 0.95
    assert abs(model.coef[1]) == abs(model.coef).max()


def test_the_banks_errands_are_does_not_fit_rows_at_their_weight() -> None:
    # Our own generic out-of-scope data (no CLINC150): each dev policy's bank errands,
    # scored unseen, pull the decision towards "nothing fits" where they lie, and only
    # as much as their weight says.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, len(FEATURES)))
    y = (x[:, 1] > 0).astype(int)
    questions = parse_questions(['{"q": "q", "outcome": "answered"}'] * len(y))
    rows = SetRows(name="toy", questions=questions,
                   fit=[ANSWERED if v else UNMET for v in y],
                   nofit=[UNMET if v else ANSWERED for v in y], today=[ANSWERED] * len(y),
                   features=x, over=np.ones(len(y), dtype=bool),
                   bank=np.tile(np.eye(len(FEATURES))[1] * 2.0, (40, 1)))
    errand = np.eye(len(FEATURES))[1:2] * 2.0  # "over the threshold", as the errands are
    without = fit_on([rows], {}, 1.0, 0.0, 0.0)
    light = fit_on([rows], {}, 1.0, 0.0, 0.01)
    heavy = fit_on([rows], {}, 1.0, 0.0, 1.0)
    assert without.probability(errand)[0] > light.probability(errand)[0]
    assert light.probability(errand)[0] > heavy.probability(errand)[0]
    assert heavy.probability(errand)[0] < 0.5 < without.probability(errand)[0]
