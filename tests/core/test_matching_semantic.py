"""The embedding-only matcher on the bundled ONNX all-MiniLM-L6-v2 (no torch)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.matching.base import Intent, MatcherBackend
from bot.core.matching.registry import make_backend
from bot.core.matching.semantic import SemanticMatcher, SemanticUnavailable

pytestmark = pytest.mark.semantic

POLICY = (
    Intent(
        "summarize-documents",
        "Summarize documents",
        "Condense long reports, PDFs, meeting minutes or transcripts into a short summary.",
        (
            "summarize this report for me",
            "give me a short summary of a long pdf",
            "condense a 30 page document into key points",
        ),
    ),
    Intent(
        "write-code",
        "Write and debug code",
        "Generate, explain, review or debug source code and scripts.",
        (
            "write a python script to rename files",
            "help me debug this javascript error",
            "review my pull request",
        ),
    ),
    Intent(
        "translate",
        "Translate text",
        "Translate text or documents between languages.",
        (
            "translate this email into german",
            "how do i say thank you in japanese",
            "translate the contract from french to english",
        ),
    ),
    Intent(
        "make-images",
        "Create images",
        "Generate pictures, illustrations, icons or logos from a description.",
        (
            "generate an image of a robot for my slides",
            "create a logo for our team",
            "draw a picture of a cat in space",
        ),
    ),
)


@pytest.fixture(scope="module")
def matcher() -> SemanticMatcher:
    m = SemanticMatcher()
    m.fit(POLICY)
    return m


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("I have 40 pages of minutes and no time", "summarize-documents"),
        ("summarise pdf", "summarize-documents"),
        ("my code crashes with a null pointer exception", "write-code"),
        ("what's 'good morning' in French?", "translate"),
        ("I need a picture of a sunset for the newsletter", "make-images"),
    ],
)
def test_paraphrases_reach_the_right_use_case(
    matcher: SemanticMatcher, message: str, expected: str
) -> None:
    ranked = matcher.rank(message)
    assert ranked[0].id == expected, ranked
    assert ranked[0].score >= matcher.default_threshold, ranked


@pytest.mark.parametrize("message", ["what's the weather in Paris", "book a flight to Berlin"])
def test_unrelated_messages_fall_below_the_threshold(
    matcher: SemanticMatcher, message: str
) -> None:
    ranked = matcher.rank(message)
    assert ranked[0].score < matcher.default_threshold, ranked


def test_scores_sorted_in_unit_range_and_deterministic(matcher: SemanticMatcher) -> None:
    ranked = matcher.rank("turn my notes into a short recap", k=10)
    assert [s.id for s in ranked][:1] == ["summarize-documents"]
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert matcher.rank("turn my notes into a short recap", k=10) == ranked


def test_empty_and_single_use_case_policies(matcher: SemanticMatcher) -> None:
    m = SemanticMatcher()
    assert m.rank("anything") == []
    m.fit([])
    assert m.rank("anything") == []
    m.fit(POLICY[:1])
    assert [s.id for s in m.rank("summarize the quarterly report")] == ["summarize-documents"]


def test_registry_and_missing_model_path(tmp_path: Path) -> None:
    backend = make_backend("semantic")
    assert isinstance(backend, MatcherBackend)
    assert backend.name == "semantic"
    broken = make_backend("semantic", model_path=str(tmp_path))
    with pytest.raises(SemanticUnavailable, match=r"no manifest\.json"):
        broken.fit(POLICY)
