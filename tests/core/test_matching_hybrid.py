"""The default hybrid matcher on the real bundled model: matching, calibration, negatives."""

from __future__ import annotations

import numpy as np
import pytest

from bot.core.advisor import build_index, policy_intents
from bot.core.matching.base import Intent, SavedVectors
from bot.core.matching.calibration import (
    Calibration,
    choose_threshold,
    out_of_scope_bank,
    uncovered_ai_jobs,
)
from bot.core.matching.framing import job_text
from bot.core.matching.hybrid import HybridMatcher, negative_text
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy

pytestmark = pytest.mark.semantic

USE_CASES = [
    {
        "id": "summarize",
        "name": "Summarize documents",
        "description": "Condense long reports, PDFs or minutes into a short summary.",
        "examples": ["summarize this report", "give me the key points of a long pdf",
                     "short summary of the meeting minutes"],
    },
    {
        "id": "code",
        "name": "Write and debug code",
        "description": "Generate, explain or debug source code and scripts.",
        "examples": ["write a python script to rename files", "fix this javascript error",
                     "explain what this SQL query does"],
    },
    {
        "id": "transcribe",
        "name": "Transcribe audio",
        "description": "Turn recordings of meetings, interviews or calls into text.",
        "examples": ["transcribe this interview recording", "turn my voice memo into text",
                     "get a transcript of the call"],
    },
    {
        "id": "images",
        "name": "Create images",
        "description": "Generate pictures, icons or illustrations from a description.",
        "examples": ["make an image for a flyer", "create an icon for our app",
                     "draw an illustration of a delivery truck"],
    },
]


def _policy(use_cases: list[dict] | None = None, tools: list[dict] | None = None,
            meta: dict | None = None) -> Policy:
    return Policy.model_validate({
        "meta": meta or {},
        "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
        "use_cases": use_cases or USE_CASES,
        "tools": tools or [],
    })


def _intents(policy: Policy) -> list[Intent]:
    return policy_intents(policy)


@pytest.fixture(scope="module")
def matcher() -> HybridMatcher:
    m = HybridMatcher()
    m.fit(_intents(_policy()))
    return m


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I have 40 pages of minutes and no time", "summarize"),
        ("tl;dr this quarterly report pls", "summarize"),
        ("my python code throws a KeyError", "code"),
        ("is there an AI that can write subtitles from a podcast recording?", "transcribe"),
        ("need a picture of a sunset for the newsletter", "images"),
    ],
)
def test_paraphrases_land_on_their_use_case(
    matcher: HybridMatcher, message: str, expected: str
) -> None:
    top = matcher.rank(message, k=1)[0]
    assert top.id == expected
    assert top.score >= matcher.default_threshold


@pytest.mark.parametrize(
    "message", ["book a flight to Berlin", "the printer on floor two is jammed",
                "how many vacation days do I have left"]
)
def test_requests_no_use_case_covers_fall_below_the_calibrated_threshold(
    matcher: HybridMatcher, message: str
) -> None:
    assert matcher.rank(message, k=1)[0].score < matcher.default_threshold


def test_threshold_is_calibrated_from_the_policy_and_the_bank(matcher: HybridMatcher) -> None:
    cal = matcher.calibration
    assert cal is not None
    assert cal.method.startswith("leave-one-out")
    assert cal.threshold == matcher.default_threshold
    assert 0.1 < cal.threshold < 0.6
    assert cal.in_scope == 20  # every text (examples, name, description), left out in turn
    # Every errand is scored out of scope; the bank's AI jobs near the policy's own texts
    # (this policy makes images) are its kind of work and are left out.
    covered = matcher._index.bank_covered
    assert cal.out_of_scope == int((~covered).sum()) >= 250
    left_out = [t for t, c in zip(out_of_scope_bank(), covered, strict=True) if c]
    assert left_out
    assert set(left_out) <= set(uncovered_ai_jobs())
    assert cal.in_scope_accuracy > 0.6
    assert cal.out_of_scope_rejected > 0.6
    # Another policy gets its own threshold: nothing is global.
    other = HybridMatcher()
    other.fit(_intents(_policy(USE_CASES[:2])))
    assert other.default_threshold != matcher.default_threshold


def test_choose_threshold_separates_and_protects_in_scope() -> None:
    in_scores = np.array([0.6, 0.65, 0.7, 0.75, 0.8, 0.85])
    out_scores = np.array([0.1, 0.15, 0.2, 0.25, 0.3])
    cal = choose_threshold(in_scores, np.ones(6, dtype=bool), out_scores, "test")
    assert 0.3 < cal.threshold < 0.6
    assert (cal.in_scope_accuracy, cal.out_of_scope_rejected) == (1.0, 1.0)
    # Overlapping samples: a refused question costs more than a loose answer, so the
    # threshold sits below the overlap's middle.
    overlap = choose_threshold(np.full(10, 0.4), np.ones(10, dtype=bool),
                               np.full(10, 0.4), "test")
    assert overlap.threshold < 0.4
    assert choose_threshold(np.array([0.5]), np.array([True]), out_scores, "x").method == (
        "fallback")


def test_counter_examples_push_a_request_away() -> None:
    # Not music ("compose music for the audio recording"): the out-of-scope bank's AI jobs
    # ("generate background music for a podcast intro") push that off every use case now.
    rating = "rate the sound quality of the interview recording"
    plain = HybridMatcher()
    plain.fit(_intents(_policy()))
    top = plain.rank(rating, k=1)[0]
    assert (top.id, top.score >= plain.default_threshold) == ("transcribe", True)

    use_cases = [dict(u) for u in USE_CASES]
    use_cases[2]["counter_examples"] = [
        "rate the sound quality of a recording", "judge how good a recording sounds"]
    guarded = HybridMatcher()
    guarded.fit(_intents(_policy(use_cases)))
    ranked = {s.id: s.score for s in guarded.rank(rating, k=4)}
    assert ranked.get("transcribe", 0.0) < guarded.default_threshold
    # Real transcription requests are not affected.
    assert guarded.rank("transcribe the board meeting recording", k=1)[0].id == "transcribe"


def test_not_good_for_of_the_use_cases_tools_is_a_negative() -> None:
    tools = [{
        "id": "scribe", "name": "Scribe", "status": "approved", "summary": "Transcription.",
        "good_for": ["transcribe"], "not_good_for": ["Not for composing music or songs."],
    }]
    policy = _policy(tools=tools)
    [transcribe] = [i for i in _intents(policy) if i.id == "transcribe"]
    assert transcribe.negatives == ("Not for composing music or songs.",)
    m = HybridMatcher()
    m.fit(_intents(policy))
    scores = {s.id: s.score for s in m.rank("compose music for our podcast intro", k=4)}
    assert scores["transcribe"] < m.default_threshold


@pytest.mark.parametrize(
    ("note", "wanted"),
    [
        ("Not for legal advice.", "legal advice"),
        ("Don't use for composing music", "composing music"),
        ("Not suitable for patient records", "patient records"),
        ("Never use with customer data", "customer data"),
        ("Spreadsheets with formulas", "Spreadsheets with formulas"),
    ],
)
def test_negative_text_keeps_the_request(note: str, wanted: str) -> None:
    assert negative_text(note) == wanted


@pytest.mark.parametrize(
    ("message", "job"),
    [
        ("is there an AI that can approve purchase orders for me?",
         "approve purchase orders for me?"),
        ("AI to book my annual leave", "book my annual leave"),
        ("hey, can you help me translate this", "translate this"),
        ("what can I use to summarize a PDF?", "summarize a PDF?"),
        ("Which tool can fly a drone over the warehouse?", "fly a drone over the warehouse?"),
        ("My boss wants a summary of 400 emails. Is there some AI thing for that?",
         "My boss wants a summary of 400 emails."),
        ("is there an AI?", "is there an AI?"),
        ("summarize this", "summarize this"),
    ],
)
def test_framing_is_stripped_from_messages(message: str, job: str) -> None:
    assert job_text(message) == job


def test_saved_vectors_and_calibration_are_reused() -> None:
    intents = _intents(_policy())
    first = HybridMatcher()
    first.fit(intents)
    saved = first.saved()
    assert saved.model_id == "all-MiniLM-L6-v2-onnx-int8"
    assert saved.calibration == first.calibration.to_dict()  # type: ignore[union-attr]
    assert "summarize this report" in saved.vectors

    # Stored calibration with the same fingerprint is used as stored.
    stored = dict(saved.calibration or {}, threshold=0.4321)
    again = HybridMatcher()
    again.fit(intents, SavedVectors(saved.model_id, saved.fingerprint, saved.vectors, stored))
    assert again.default_threshold == 0.4321
    # A changed policy (other fingerprint) is calibrated afresh.
    changed = HybridMatcher()
    changed.fit(intents[:3], SavedVectors(saved.model_id, saved.fingerprint, saved.vectors,
                                          stored))
    assert changed.default_threshold != 0.4321

    # Stored vectors are used instead of the model's: a swapped vector moves the match.
    vectors = dict(saved.vectors)
    for text in ("Write and debug code", "Generate, explain or debug source code and scripts.",
                 "write a python script to rename files", "fix this javascript error",
                 "explain what this SQL query does"):
        vectors[text] = saved.vectors["summarize this report"]
    swapped = HybridMatcher()
    swapped.fit(intents, SavedVectors(saved.model_id, "other", vectors, None))
    assert swapped.rank("summarize this report", k=2)[1].id == "code"


def test_meta_threshold_overrides_calibration_and_setting_overrides_both() -> None:
    policy = _policy(meta={"match_threshold": 0.55})
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    assert index.threshold == 0.55
    assert build_index(1, policy, lambda: make_backend("hybrid"), 0.3).threshold == 0.3
    calibrated = build_index(1, _policy(), lambda: make_backend("hybrid"))
    assert calibrated.threshold == calibrated.matcher.default_threshold != 0.55


def test_embedding_only_mode_and_empty_policies() -> None:
    m = make_backend("embedding")
    assert m.name == "embedding"
    assert m.rank("anything") == []
    m.fit([])
    assert m.rank("anything") == []
    m.fit(_intents(_policy())[:1])
    assert [s.id for s in m.rank("summarize the quarterly report")] == ["summarize"]
    assert isinstance(Calibration.from_dict({"threshold": 0.3}).threshold, float)
