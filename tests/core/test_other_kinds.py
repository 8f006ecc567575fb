"""Work of a kind the policy covers nowhere is "nothing approved fits", whatever its topic.

A translation, an image or a transcript is a product of its own: a policy none of whose
use cases is about it does not cover it, even when the message's topic is one of the
policy's jobs ("translate the newsletter article" beside "draft a newsletter article").
A use case that names the kind in its own words covers it, and the covered part of a
message asking for two jobs is still answered. The policies are dev held-out sets
transcribed as written (MRO: communications, IT, finance; AXA: a translation use case;
SFPD: an "Images" use case the bank lends nothing to; Walmart: job descriptions, no
translation); real model, real policy files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.other_kinds import (
    KIND_SURE,
    kinds_read,
    of_other_kind,
    other_kind_messages,
    parts,
    uncovered_kinds,
)
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
NAMES = ["writing", "translation", "images", "transcription"]
NONE_READ = np.zeros(0, dtype=np.int64)
FAMILY_OF = np.asarray([0, 0, 1, 2])  # four bank phrasings: writing x2, translation, images
SIMS = np.asarray([
    [0.3, 0.2, KIND_SURE + 0.1, 0.1],  # nearest a translation phrasing: that kind
    [0.7, 0.2, 0.6, 0.1],  # nearest writing, though near translation too
    [0.1, 0.1, 0.2, KIND_SURE - 0.1],  # images, but not near enough to say so
])


def test_a_text_asks_for_the_kind_of_its_nearest_bank_phrasing_when_near_enough() -> None:
    assert kinds_read(SIMS, FAMILY_OF).tolist() == [1, 0, -1]
    assert of_other_kind(SIMS, FAMILY_OF, np.asarray([1, 2])).tolist() == [True, False, False]
    assert not of_other_kind(SIMS, FAMILY_OF, NONE_READ).any()


def test_only_kinds_of_their_own_that_the_policy_neither_lends_nor_names_are_uncovered() -> None:
    # writing is no product of its own; translation is lent to the second use case.
    assert uncovered_kinds(NAMES, [[0], [1]], NONE_READ).tolist() == [2, 3]
    assert uncovered_kinds(NAMES, [[1, 2, 3]], NONE_READ).tolist() == []
    # one of the policy's own texts reads as images: covered though lent to no use case.
    assert uncovered_kinds(NAMES, [[0]], np.asarray([-1, 2, 0])).tolist() == [1, 3]


def test_a_message_joins_parts_at_and_then_also_commas() -> None:
    assert parts("write the job ad and then translate it into Spanish") == [
        "write the job ad", "translate it into Spanish"]
    assert parts("brainstorm titles, design the banner") == [
        "brainstorm titles", "design the banner"]
    assert parts("translate this job description into German") == [
        "translate this job description into German"]


def test_a_message_with_a_part_of_no_uncovered_kind_is_left_to_the_fit_decision() -> None:
    texts = ["translate the letter and also tidy it up",
             "translate the letter, then translate the memo"]
    sims = np.asarray([[0.1, 0.1, 0.8, 0.1]] * 2)
    part_sims = {"translate the letter": [0.1, 0.1, 0.8, 0.1],
                 "tidy it up": [0.3, 0.2, 0.1, 0.1],  # reads as no kind at all
                 "translate the memo": [0.1, 0.1, 0.7, 0.1]}

    def embed(pieces: list[str]) -> np.ndarray:
        return np.asarray([part_sims[p] for p in pieces])

    assert other_kind_messages(texts, sims, FAMILY_OF, np.asarray([1]), embed).tolist() == [
        False, True]


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.mark.semantic
def test_a_translation_on_the_policys_topic_is_still_no_job_of_a_policy_without_one() -> None:
    mro = _index("mro")
    assert advise_message(mro, "translate the newsletter article into Spanish").outcome == "unmet"
    assert advise_message(mro, "put our web page text into French").outcome == "unmet"
    assert advise_message(
        mro, "draft a newsletter article about the reliability workshop").outcome == "answered"


@pytest.mark.semantic
def test_a_policy_with_a_use_case_of_that_kind_keeps_answering_it() -> None:
    axa = _index("axa")  # translation lent to its use case
    assert advise_message(axa, "translate a claims letter into Spanish").outcome == "answered"
    sfpd = _index("sfpd")  # its "Images" use case is named in its own words, lent nothing
    assert advise_message(
        sfpd, "create a graphic for the community meeting flyer").outcome == "answered"


@pytest.mark.semantic
def test_the_covered_part_of_two_jobs_is_still_answered() -> None:
    walmart = _index("walmart")
    assert advise_message(walmart, "write a job description for a receiving associate "
                          "and translate it into Spanish").outcome == "answered"
    assert advise_message(walmart, "translate our job posting into Spanish").outcome == "unmet"
