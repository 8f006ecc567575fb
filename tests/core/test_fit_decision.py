"""The learned "does the best use case fit?" decision (issue 9 §3, unmet precision / recall).

Small policies of our own, the real model and the weights shipped in the package.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.calibration import Calibration
from bot.core.matching.families import LEND_FROM
from bot.core.matching.fit_decision import (
    FEATURES,
    SHORTEST_READ,
    FitModel,
    decision_features,
    shipped_model,
)
from bot.core.matching.hybrid import HybridMatcher
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy

pytestmark = pytest.mark.semantic

USE_CASES = [
    {"id": "summarize", "name": "Summarize documents",
     "description": "Condense long reports, PDFs or minutes into a short summary.",
     "examples": ["summarize this report", "give me the key points of a long pdf",
                  "short summary of the meeting minutes"]},
    {"id": "code", "name": "Write and debug code",
     "description": "Generate, explain or debug source code and scripts.",
     "examples": ["write a python script to rename files", "fix this javascript error",
                  "explain what this SQL query does"]},
    {"id": "transcribe", "name": "Transcribe audio",
     "description": "Turn recordings of meetings, interviews or calls into text.",
     "examples": ["transcribe this interview recording", "turn my voice memo into text",
                  "get a transcript of the call"]},
    {"id": "images", "name": "Create images",
     "description": "Generate pictures, icons or illustrations from a description.",
     "examples": ["make an image for a flyer", "create an icon for our app",
                  "draw an illustration of a delivery truck"]},
]
TOOLS = [{"id": "helper", "name": "Helper", "status": "standard", "max_data_class": "public",
          "summary": "The approved assistant.",
          "good_for": ["summarize", "code", "transcribe", "images"]}]
#: Just over this policy's calibrated threshold on "Transcribe audio", but a song is no
#: transcript: the score alone would answer it, the learned decision does not.
SONG = "write a song for the retirement party"


def _policy(meta: dict | None = None) -> Policy:
    return Policy.model_validate({
        "meta": meta or {},
        "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
        "use_cases": USE_CASES,
        "tools": TOOLS,
    })


def test_the_shipped_weights_load_and_round_trip() -> None:
    model = shipped_model()
    assert model is not None
    assert model.coef.shape == (len(FEATURES),)
    again = FitModel.from_dict(model.to_dict())
    features = np.linspace(-1.0, 1.0, len(FEATURES))[None, :]
    assert np.allclose(again.probability(features), model.probability(features), atol=1e-6)
    with pytest.raises(ValueError, match="other features"):
        FitModel.from_dict({**model.to_dict(), "features": ["score"]})


def test_features_read_the_score_against_the_policys_own_distribution() -> None:
    # Two policies, the same raw score: where it lies among each policy's own left-out
    # examples and bank requests is what the decision reads.
    scores = np.array([[0.40, 0.10, 0.05]])
    parts = {"raw": scores + 0.1, "nearest": np.full((1, 3), 0.6),
             "central": np.full((1, 3), 0.5), "words": np.full((1, 3), 0.2),
             "errand": np.array([0.3]), "ai_job": np.array([0.5]),
             "common": np.array([0.4]), "coverage": np.array([0.8]),
             "kind_near": np.array([[0.6, 0.3, 0.2]])}
    broad = Calibration(0.25, "t", 10, 1.0, 10, 1.0, in_mean=0.40, in_std=0.1,
                        out_mean=0.10, out_std=0.05)
    narrow = Calibration(0.45, "t", 10, 1.0, 10, 1.0, in_mean=0.60, in_std=0.1,
                         out_mean=0.30, out_std=0.05)
    a = dict(zip(FEATURES, decision_features(scores, parts, broad, np.array([4.0]))[0],
                 strict=True))
    b = dict(zip(FEATURES, decision_features(scores, parts, narrow, np.array([4.0]))[0],
                 strict=True))
    assert "score" not in FEATURES  # a maximum over texts: read only against the policy
    assert a["z_in"] == pytest.approx(0.0)
    assert b["z_in"] == pytest.approx(-2.0)
    assert a["over_threshold"] > 0 > b["over_threshold"]
    assert a["margin"] == pytest.approx(0.30)
    assert a["bank_push"] == pytest.approx(0.10)
    assert a["shield"] == pytest.approx(0.6 - 0.5)  # nearest text vs nearest bank request
    # A message shorter than SHORTEST_READ words reads as that long: terse is no less a job.
    assert a["length"] == pytest.approx(np.log1p(SHORTEST_READ))


def test_only_a_long_message_reads_as_long() -> None:
    # Two, four and SHORTEST_READ words read alike; a rambling message reads longer.
    scores = np.array([[0.40, 0.10]] * 4)
    parts = {"raw": scores, "nearest": np.full((4, 2), 0.5), "central": np.full((4, 2), 0.5),
             "words": np.full((4, 2), 0.2), "errand": np.full(4, 0.3),
             "ai_job": np.full(4, 0.3), "common": np.full(4, 0.4), "coverage": np.full(4, 0.8),
             "kind_near": np.full((4, 2), 0.5)}
    calibration = Calibration(0.3, "t", 10, 1.0, 10, 1.0)
    lengths = np.array([2.0, 4.0, float(SHORTEST_READ), 30.0])
    read = decision_features(scores, parts, calibration, lengths)[:, FEATURES.index("length")]
    assert read[0] == read[1] == read[2]
    assert read[3] > read[2]


def test_nearest_text_and_words_are_read_against_the_policys_own_bank() -> None:
    # A use case of a hundred texts puts any message nearer its nearest text and its words
    # than one of three does, and so does it put the bank's requests: the decision reads
    # a message's nearness as it stands among the bank's on the same policy, not as such.
    scores = np.array([[0.40, 0.10]])
    parts = {"raw": scores, "nearest": np.array([[0.6, 0.2]]),
             "central": np.array([[0.5, 0.2]]), "words": np.array([[0.3, 0.0]]),
             "errand": np.array([0.3]), "ai_job": np.array([0.3]),
             "common": np.array([0.4]), "coverage": np.array([0.8]),
             "kind_near": np.array([[0.5, 0.5]])}
    base = {"threshold": 0.3, "method": "t", "in_scope": 10, "in_scope_accuracy": 1.0,
            "out_of_scope": 10, "out_of_scope_rejected": 1.0}
    few = Calibration(**base, out_nearest_mean=0.3, out_nearest_std=0.1,
                      out_words_mean=0.1, out_words_std=0.1)
    many = Calibration(**base, out_nearest_mean=0.55, out_nearest_std=0.1,
                       out_words_mean=0.3, out_words_std=0.1)
    a = dict(zip(FEATURES, decision_features(scores, parts, few, np.array([4.0]))[0],
                 strict=True))
    b = dict(zip(FEATURES, decision_features(scores, parts, many, np.array([4.0]))[0],
                 strict=True))
    assert "nearest" not in FEATURES
    assert "words" not in FEATURES
    assert a["nearest_z"] == pytest.approx(3.0)
    assert b["nearest_z"] == pytest.approx(0.5)
    assert a["words_z"] == pytest.approx(2.0)
    assert b["words_z"] == pytest.approx(0.0)
    assert Calibration.from_dict(many.to_dict()) == many
    # A common AI job's phrasing (0.4) is no nearer than the use case's text (0.6): no gap.
    assert a["job_gap"] == 0.0
    coding = {**parts, "common": np.array([0.75])}  # plainly another kind of work
    c = dict(zip(FEATURES, decision_features(scores, coding, few, np.array([4.0]))[0],
                 strict=True))
    assert c["job_gap"] == pytest.approx(-0.15)


def test_the_decision_reads_how_plainly_the_use_case_is_about_the_kind_of_work() -> None:
    # kind_near: the family of common AI jobs a message reads as (code, writing ...), and
    # how plainly the best use case's own texts are about that family; kind_gap: how far
    # another use case is more about it. A script beside "Write and debug code" is that
    # use case's own kind of work; a song is no kind of work this policy is about.
    matcher = HybridMatcher()
    build_index(1, _policy(), lambda: matcher)
    jobs = matcher.job_texts(["write a python script to merge two csv files", SONG])
    scores, feats = matcher.scored(jobs, matcher.embed(jobs))
    assert feats is not None
    near, gap = FEATURES.index("kind_near"), FEATURES.index("kind_gap")
    assert matcher._ids[int(scores[0].argmax())] == "code"
    assert feats[0, near] >= LEND_FROM  # the code family is plainly this use case's
    assert feats[0, gap] == 0.0  # and no other use case is more about it
    assert feats[1, near] < feats[0, near]
    assert feats[1, gap] <= 0.0


def test_calibration_records_where_the_banks_requests_lie() -> None:
    matcher = HybridMatcher()
    build_index(1, _policy(), lambda: matcher)
    cal = matcher.calibration
    assert cal is not None
    assert 0.0 < cal.out_nearest_mean < 1.0
    assert cal.out_nearest_std > 0.0
    assert 0.0 <= cal.out_words_mean < cal.out_nearest_mean
    assert cal.out_words_std > 0.0
    # Stored with the policy version and read back by a new process.
    again = HybridMatcher()
    build_index(1, _policy(), lambda: again, saved=matcher.saved())
    assert again.calibration == cal


def test_a_matcher_can_calibrate_against_another_bank() -> None:
    # The bench scores the bank's errands as unseen questions with a matcher whose bank
    # lacks them; its calibration and fingerprint are its own.
    errands = ["what's the weather going to be like tomorrow", "my laptop won't turn on",
               "book a table for four at 7pm", "where do I park my car",
               "how many vacation days do I have left"]
    small = HybridMatcher(bank=errands)
    build_index(1, _policy(), lambda: small)
    full = HybridMatcher()
    build_index(1, _policy(), lambda: full)
    assert small.calibration is not None
    assert full.calibration is not None
    assert small.calibration.out_of_scope == len(errands)
    assert full.calibration.out_of_scope > 250
    assert small.saved().fingerprint != full.saved().fingerprint


def test_the_matcher_decides_whether_its_best_use_case_fits() -> None:
    matcher = HybridMatcher()
    index = build_index(1, _policy(), lambda: matcher)
    covered = matcher.rank("I have 40 pages of minutes and no time", k=2)
    assert covered[0].id == "summarize"
    assert covered[0].fits is True
    assert covered[1].fits is None  # only the best use case is decided
    assert matcher.rank("book a flight to Berlin", k=1)[0].fits is False
    song = matcher.rank(SONG, k=1)[0]
    assert song.score >= index.threshold  # the threshold alone would answer it
    assert song.fits is False
    answer = advise_message(index, SONG)
    assert answer.outcome == "unmet"
    assert answer.logged_unmet
    assert advise_message(index, "summarize this 30 page audit for me").outcome == "answered"


@pytest.mark.parametrize("how", ["setting", "policy"])
def test_a_threshold_set_by_hand_decides_instead(how: str) -> None:
    # MATCH_THRESHOLD or meta.match_threshold: the operator's number is what counts.
    low = 0.05
    if how == "setting":
        index = build_index(1, _policy(), lambda: make_backend("hybrid"), low)
    else:
        index = build_index(1, _policy({"match_threshold": low}), lambda: make_backend("hybrid"))
    assert index.threshold_set
    answer = advise_message(index, SONG)
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "transcribe"


def test_without_weights_the_threshold_decides() -> None:
    matcher = HybridMatcher()
    matcher.decision = None
    index = build_index(1, _policy(), lambda: matcher)
    assert not index.threshold_set
    assert matcher.rank(SONG, k=1)[0].fits is None
    assert advise_message(index, SONG).outcome == "answered"
