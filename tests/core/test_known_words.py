"""Snapping misspelt words to a vocabulary grouped by length: the same word a scan of the
whole vocabulary finds, ties to the earlier word."""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.matching.text import KnownWords, snap_to_known

VOCABULARY = ["summarize", "summary", "translate", "transcribe", "cars", "cart", "card",
              "meeting", "minutes", "spreadsheet", "presentation", "slides", "email"]


def test_the_nearest_word_is_the_one_a_full_scan_finds() -> None:
    known = KnownWords(VOCABULARY)
    for token, limit in [("sumarize", 2), ("sumary", 1), ("tanscribe", 2), ("meetin", 1),
                         ("spredsheet", 2), ("presentaton", 2), ("emial", 1), ("slide", 1),
                         ("zzzzzz", 2), ("minuts", 1), ("transcrib", 2)]:
        scan = process.extractOne(token, VOCABULARY, scorer=OSA.distance, score_cutoff=limit)
        assert known.nearest(token, limit) == (scan[0] if scan else None), token


def test_a_tie_goes_to_the_earlier_word_whatever_its_length() -> None:
    # "carx" is one edit from "cars" and "cart" (same length) and from "car" (shorter).
    assert KnownWords(["cart", "cars"]).nearest("carx", 1) == "cart"
    assert KnownWords(["cars", "cart"]).nearest("carx", 1) == "cars"
    assert KnownWords(["carxes", "car", "cart"]).nearest("carx", 2) == "car"
    assert KnownWords(["cart", "car"]).nearest("carx", 2) == "cart"


def test_snapping_keeps_known_short_and_numeric_tokens() -> None:
    known = KnownWords(VOCABULARY)
    tokens = ["sumarize", "the", "2024", "meetng", "minutes", "xyzzyplugh"]
    assert snap_to_known(tokens, known, min_len=5, long_from=8) == [
        "summarize", "the", "2024", "meeting", "minutes", "xyzzyplugh"]
    assert "summary" in known
    assert not KnownWords(())
