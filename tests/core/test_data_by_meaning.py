"""Data described in the asker's own words, placed among the policy's classes by meaning
(issue 9 §2: a named tool and data is a data check, with or without a verb).

North Carolina's guidance (`tests/fixtures/heldout/nc-dit`, a dev set) approves four
public tools for everyday work material only: personally identifiable or confidential
information stays out. Crunch Accounting's (`crunch-accounting`) keeps every piece of real
client data out of all AI tools. The messages below are written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.answer_pool import redact_for
from bot.core.data_meaning import DataMeaning, _leave_one_out, class_texts, floor_of
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy

pytestmark = pytest.mark.semantic

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.fixture(scope="module")
def nc() -> PolicyIndex:
    return _index("nc-dit")


@pytest.fixture(scope="module")
def crunch() -> PolicyIndex:
    return _index("crunch-accounting")


def test_public_data_is_never_placed_by_meaning(nc: PolicyIndex) -> None:
    # public needs words ("published", "on our website"): meaning starts at the first
    # class that is not public, so work data described in other words is never public
    assert floor_of(nc.policy, nc.lexicon.data.public_rank) == 1
    assert nc.meaning.classes == ("internal", "confidential")
    assert nc.meaning.reliable


def test_described_work_material_is_a_data_check_within_the_limit(nc: PolicyIndex) -> None:
    answer = advise_message(nc, "Claude for the agenda of our team's planning day, ok?")
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert answer.data_check.data_class == "internal"
    assert answer.data_check.allowed is True


def test_described_personnel_matter_is_kept_out(nc: PolicyIndex) -> None:
    answer = advise_message(
        nc, "is it ok to give ChatGPT the disciplinary write-up for one of my staff?"
    )
    assert answer.outcome in ("data_check", "blocked")
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "no-pii-or-confidential" in {r.id for r in answer.red_lines}


def test_a_job_is_not_data(nc: PolicyIndex) -> None:
    # "a first draft of ..." is work asked for, not data put in
    answer = advise_message(nc, "can Copilot write a first draft of a speech for me?")
    assert answer.outcome != "data_check"


def test_pasted_client_rows_are_refused_and_not_repeated(crunch: PolicyIndex) -> None:
    text = redact_for(
        crunch,
        "make a table of these: Harbour Bakery Ltd 55-201-339 $2,140; "
        "Summit Roofing 88-410-227 $9,800",
    )
    answer = advise_message(crunch, text)
    assert answer.outcome == "blocked"
    assert "no-real-client-data" in {r.id for r in answer.red_lines}
    # the pasted values are never shown back
    assert "Harbour" not in answer.text
    assert "55-201-339" not in answer.text


def test_class_texts_keep_what_a_class_affirms() -> None:
    texts = class_texts(
        "Internal", "Drafts and notes, with no personal information.", ["a team agenda"]
    )
    assert texts[:2] == ["Internal", "a team agenda"]
    assert "Drafts" not in texts  # one word: whose, not what
    assert not any("personal" in t for t in texts)


def test_classes_not_told_apart_give_no_class() -> None:
    # two classes whose examples are nearer the other class's: leave-one-out says no
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.9, 0.1], [0.1, 0.9]], dtype=np.float32)
    assert _leave_one_out(vectors, [0, 0, 1, 1], [0, 1, 2, 3]) == 0.0
    assert _leave_one_out(vectors, [0, 1, 0, 1], [0, 1, 2, 3]) == 1.0
    unsure = DataMeaning(("a", "b"), vectors, (0, 0, 1, 1), reliable=False)
    assert unsure.class_of(np.array([1.0, 0.0])) is None
    sure = DataMeaning(("a", "b"), vectors, (0, 1, 0, 1), reliable=True)
    assert sure.class_of(np.array([0.95, 0.05])) == "a"
    assert sure.class_of(np.array([0.05, 0.95])) == "b"


def test_pasted_rows_for_a_named_tool_are_checked_and_not_repeated(nc: PolicyIndex) -> None:
    text = redact_for(
        nc,
        "Gemini, total these by vendor: Lakeview Paving LLC, EIN 56-1112223, $31,000; "
        "Pine Hollow Farms, EIN 56-3334445, $7,400",
    )
    answer = advise_message(nc, text)
    assert answer.outcome in ("data_check", "blocked")
    assert "no-pii-or-confidential" in {r.id for r in answer.red_lines}
    assert "Lakeview" not in answer.text
    assert "56-1112223" not in answer.text


def test_public_data_into_a_public_tool_is_not_refused_by_the_tools_own_name() -> None:
    # "No sensitive or City data in public tools" has the tool's names as triggers ("free
    # chatgpt"): naming the tool is no City data, and published data may go in
    city = _index("sf-city")
    answer = advise_message(city, "free ChatGPT to shorten our published annual report, ok?")
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert answer.data_check.data_class == "public"
    assert answer.data_check.allowed is True
    refused = advise_message(city, "free ChatGPT to shorten the internal memo, ok?")
    assert refused.data_check is not None
    assert refused.data_check.allowed is False


@pytest.fixture(scope="module")
def mro() -> PolicyIndex:
    return _index("mro")


def test_data_a_job_works_on_is_placed_by_meaning(mro: PolicyIndex) -> None:
    """MRO lets only public data into any GenAI tool. A job handed data named in the
    asker's own words (no class example says "renewal quote") is placed among the
    policy's classes, so the line keeping non-public data out is shown (was: no line)."""
    answer = advise_message(
        mro, "here's our insurance renewal quote from the broker, can AI compare it with "
        "last year's"
    )
    assert "public-data-only" in {r.id for r in answer.red_lines}, (answer.outcome, answer.text)


def test_published_data_a_job_works_on_is_not_kept_out(mro: PolicyIndex) -> None:
    answer = advise_message(
        mro, "can the AI summarise the published NERC standard on cold weather for me"
    )
    assert "public-data-only" not in {r.id for r in answer.red_lines}


def test_a_data_line_the_message_triggers_is_not_joined_by_its_class_lines() -> None:
    """Loudon's restricted class is kept out by five lines; a message whose own words
    trigger one of them (a password) shows that one, not every line of the class."""
    loudon = _index("loudon-schools")
    answer = advise_message(
        loudon, "here's the admin password for the library printers, can ai write setup "
        "steps for staff"
    )
    assert [r.id for r in answer.red_lines] == ["red-security"], answer.text
