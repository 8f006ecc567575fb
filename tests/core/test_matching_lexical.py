"""The lexical matcher on a small, realistic policy: the phrasings employees really type."""

from __future__ import annotations

import pytest

from bot.core.matching.base import Intent, MatcherBackend
from bot.core.matching.lexical import LexicalMatcher
from bot.core.matching.registry import make_backend
from bot.core.matching.text import analyze, normalize

POLICY = (
    Intent(
        "summarize-documents",
        "Summarize documents",
        "Condense long reports, PDFs, meeting minutes or transcripts into a short summary.",
        (
            "summarize this report for me",
            "give me a short summary of a long pdf",
            "tl;dr of the meeting notes",
            "condense a 30 page document into key points",
            "what are the main points of this article",
        ),
    ),
    Intent(
        "write-code",
        "Write and debug code",
        "Generate, explain, review or debug source code and scripts.",
        (
            "write a python script to rename files",
            "help me debug this javascript error",
            "explain what this function does",
            "review my pull request",
            "convert this sql query to pandas",
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
            "put this paragraph into spanish",
            "localize our website copy for italy",
        ),
    ),
    Intent(
        "draft-emails",
        "Draft emails",
        "Write or improve emails and messages to colleagues and customers.",
        (
            "draft an email to a customer about a delay",
            "write a polite reply to my manager",
            "make my message sound more professional",
            "help me write a follow up email",
            "rewrite this email to be shorter",
        ),
    ),
    Intent(
        "make-images",
        "Create images",
        "Generate pictures, illustrations, icons or logos from a description.",
        (
            "generate an image of a robot for my slides",
            "create a logo for our team",
            "make an illustration for the newsletter",
            "draw a picture of a cat in space",
            "design an icon for the app",
        ),
    ),
    Intent(
        "analyze-spreadsheets",
        "Analyze spreadsheets",
        "Explore, chart and compute over spreadsheet or CSV data.",
        (
            "analyze the sales figures in this excel file",
            "make a chart from my spreadsheet",
            "find trends in this csv",
            "write a formula to sum column b",
            "pivot table of revenue by region",
        ),
    ),
)


@pytest.fixture(scope="module")
def matcher() -> LexicalMatcher:
    m = LexicalMatcher()
    m.fit(POLICY)
    return m


@pytest.mark.parametrize(
    ("message", "expected", "confident"),
    [
        ("I have 40 pages of minutes and no time", "summarize-documents", True),
        ("summarise pdf", "summarize-documents", True),
        ("can u sumarize this reprot", "summarize-documents", True),
        ("I need the gist of a long document", "summarize-documents", True),
        ("my python code throws an exception, can you fix it", "write-code", True),
        ("debuging a javscript bug", "write-code", True),
        ("translate to german pls", "translate", True),
        ("write an e-mail to a client apologising for the delay", "draft-emails", True),
        ("polish my reply to the boss", "draft-emails", True),
        ("create a pic for my presentation", "make-images", True),
        ("generate a logo", "make-images", True),
        ("analyse this spreadsheet", "analyze-spreadsheets", True),
        ("chart of the revenue in excel", "analyze-spreadsheets", True),
        # Indirect phrasings that share few words with five examples: right answer first,
        # but the lexical score stays modest (the semantic backend does better here).
        ("what's 'good morning' in French?", "translate", False),
        ("visualise the numbers in my xlsx", "analyze-spreadsheets", False),
    ],
)
def test_phrasings_reach_the_right_use_case(
    matcher: LexicalMatcher, message: str, expected: str, confident: bool
) -> None:
    ranked = matcher.rank(message)
    assert ranked[0].id == expected, ranked
    if confident:
        assert ranked[0].score >= matcher.default_threshold, ranked


@pytest.mark.parametrize(
    "message",
    [
        "what's the weather in Paris",
        "book a flight to Berlin",
        "set an alarm for 7am tomorrow",
        "order a pizza",
        "when does the cafeteria close",
    ],
)
def test_unrelated_messages_fall_below_the_threshold(matcher: LexicalMatcher, message: str) -> None:
    ranked = matcher.rank(message)
    assert ranked[0].score < matcher.default_threshold, ranked


def test_scores_are_in_unit_range_and_sorted(matcher: LexicalMatcher) -> None:
    ranked = matcher.rank("summarize my spreadsheet", k=10)
    assert len(ranked) == len(POLICY)
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert matcher.rank("summarize my spreadsheet", k=2) == ranked[:2]


def test_ranking_is_deterministic_across_fits() -> None:
    first, second = LexicalMatcher(), LexicalMatcher()
    first.fit(POLICY)
    second.fit(tuple(POLICY))
    for message in ("translate this", "gibberish qwxz", "", "email"):
        assert first.rank(message, k=6) == second.rank(message, k=6)


def test_empty_policy_ranks_nothing() -> None:
    m = LexicalMatcher()
    assert m.rank("summarize this") == []
    m.fit([])
    assert m.rank("summarize this") == []


def test_refit_replaces_the_previous_policy(matcher: LexicalMatcher) -> None:
    m = LexicalMatcher()
    m.fit(POLICY)
    m.fit(POLICY[:2])
    assert {s.id for s in m.rank("translate this email to german", k=10)} == {
        "summarize-documents",
        "write-code",
    }
    m.fit([])
    assert m.rank("anything") == []


def test_single_use_case_policy() -> None:
    m = LexicalMatcher()
    m.fit(POLICY[:1])
    hit = m.rank("summarize this long report")
    miss = m.rank("book a flight to Berlin")
    assert [s.id for s in hit] == ["summarize-documents"]
    assert hit[0].score >= m.default_threshold > miss[0].score


def test_three_examples_per_use_case() -> None:
    small = [Intent(i.id, i.name, i.description, i.examples[:3]) for i in POLICY]
    m = LexicalMatcher()
    m.fit(small)
    assert m.rank("summarise the report")[0].id == "summarize-documents"
    assert m.rank("translate into spanish")[0].id == "translate"
    assert m.rank("k=0 returns nothing", k=0) == []


def test_odd_input_does_not_break_ranking(matcher: LexicalMatcher) -> None:
    for message in ("", "   ", "🙂🙂", "？？？", "a" * 5000, "ＳＵＭＭＡＲＩＳＥ　ＰＤＦ"):
        ranked = matcher.rank(message)
        assert len(ranked) == 3
        assert all(0.0 <= s.score <= 1.0 for s in ranked)
    assert matcher.rank("ＳＵＭＭＡＲＩＳＥ　ＰＤＦ")[0].id == "summarize-documents"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Summarise the Organisation’s programme", "summarize the organizations program"),
        ("I can't analyse colours", "i can not analyze colors"),
        ("We'll advise on the exercise", "we will advise on the exercise"),
        ("ＴＬ；ＤＲ", "tl dr"),
    ],
)
def test_normalize_folds_spelling_and_contractions(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_analyze_stems_and_adds_synonyms() -> None:
    tokens = analyze("summarising my minutes")
    assert analyze("summarizing")[0] in tokens
    assert {"meet", "note"} <= set(tokens)


def test_registry_builds_backends_that_satisfy_the_protocol() -> None:
    backend = make_backend("Lexical")
    assert isinstance(backend, MatcherBackend)
    assert backend.name == "lexical"
    assert 0.0 < backend.default_threshold < 1.0
    with pytest.raises(ValueError, match="unknown matcher backend"):
        make_backend("magic")
