"""Sparse use cases reach the common ways people ask for their kind of work (issue 9, unmet).

Real policies give a use case a name, a description and about three examples. The
policies here are dev held-out sets transcribed as written (Voyager Technologies: six use
cases, three examples each; the St. Louis special school district: no programming use
case; University of Idaho). Real model, real policy files, and the real store for the
end-to-end test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.concierge import Concierge, Message
from bot.core.matching.families import common_jobs
from bot.core.matching.framing import job_text, without_pasted
from bot.core.matching.hybrid import HybridMatcher
from bot.core.matching.registry import make_backend
from bot.policy.files import load_policy
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Store
from bot.store.tables import UnmetRequest

pytestmark = pytest.mark.semantic

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
VOYAGER = HELDOUT / "voyager" / "policy"
SQL = "write a SQL query that joins the parts and suppliers tables"
NOTES = (
    "summarize these notes for my manager: 'chamber 3 is booked until Friday, the vibration "
    "test slips a week, two technicians are out sick, need approval for overtime'"
)


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


@pytest.fixture(scope="module")
def voyager() -> PolicyIndex:
    return _index("voyager")


def _lent_to(index: PolicyIndex) -> dict[str, set[str]]:
    """Use case -> the lent phrasings among its texts."""
    matcher = index.matcher
    assert isinstance(matcher, HybridMatcher)
    lent: dict[str, set[str]] = {}
    for row in np.flatnonzero(matcher._index.lent):
        lent.setdefault(matcher._ids[matcher._index.owner[row]], set()).add(matcher._texts[row])
    return lent


def test_a_use_case_plainly_about_a_kind_of_work_is_lent_its_phrasings(
    voyager: PolicyIndex,
) -> None:
    families = dict(common_jobs())
    lent = _lent_to(voyager)
    # "Code quality: review my pull request, debug this python error, refactor ..."
    assert set(families["code"]) <= lent["code"]
    assert set(families["email"]) <= lent["drafting"]
    # No use case of this policy is about images, translation or transcription.
    for family in ("images", "translation", "transcription"):
        assert not any(set(families[family]) & texts for texts in lent.values())


def test_a_policy_with_no_such_use_case_is_lent_nothing_of_it() -> None:
    lent = _lent_to(_index("ssd-stl"))
    code = set(dict(common_jobs())["code"])
    assert not any(code & texts for texts in lent.values())


def test_a_request_worded_unlike_the_three_examples_lands_on_its_use_case(
    voyager: PolicyIndex,
) -> None:
    answer = advise_message(voyager, SQL)
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "code"  # "research" before: nothing reached it
    assert "claude-code" in [t.id for t in answer.tools]


@pytest.mark.xfail(
    strict=True,
    reason="known regression of the fit decision refitted on 27 dev sets (2026-12-01): a "
    "13-word message reads long (SHORTEST_READ floor narrows the length feature's spread) "
    "and job_gap lost its weight, so this code request is answered (p 0.53, was 0.28)",
)
def test_lent_phrasings_do_not_answer_work_the_policy_does_not_cover() -> None:
    answer = advise_message(_index("ssd-stl"), SQL)
    assert answer.outcome == "unmet"
    assert answer.logged_unmet


def test_a_job_near_an_errand_is_kept_when_a_lent_phrasing_is_nearer(
    voyager: PolicyIndex,
) -> None:
    # "the customer says their package is late" is an errand of the out-of-scope bank; the
    # drafting use case's own texts are far, its lent "draft an email to a vendor about a
    # late delivery" is nearer than the errand.
    answer = advise_message(
        voyager, "reply politely to a customer who complained about a late shipment"
    )
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "drafting"


def test_an_errand_stays_unmet_beside_a_lent_phrasing_of_its_topic() -> None:
    # uidaho's meeting summaries are lent "list the action items from a meeting"; booking
    # rooms for meetings is still an errand, judged against the policy's own wording.
    answer = advise_message(
        _index("uidaho"), "ai to book the conference rooms for all our committee meetings"
    )
    assert answer.outcome == "unmet"


def test_calibration_leaves_out_only_the_policys_own_texts(voyager: PolicyIndex) -> None:
    matcher = voyager.matcher
    assert isinstance(matcher, HybridMatcher)
    assert matcher.calibration is not None
    own = int((~matcher._index.lent).sum())
    assert 0 < own < len(matcher._texts)
    assert matcher.calibration.in_scope == own


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        (NOTES, "summarize these notes for my manager"),
        ("why does this crash: Traceback (most recent call last): File \"a.py\", line 3, "
         "in <module> ZeroDivisionError: division by zero", "why does this crash"),
        ("translate this into Spanish: the lab is closed on Monday for the inventory count",
         "translate this into Spanish"),
        # Not a request pointing at what follows, or too little pasted: the whole message.
        ("quick question: is there an approved tool that can make videos of our product "
         "for marketing", None),
        ("make a chart from this: Q1 12, Q2 15", None),
        ("Reminder: write the agenda for the supplier summit on monday morning please", None),
    ],
)
def test_pasted_material_is_no_part_of_the_job(message: str, asked: str | None) -> None:
    assert without_pasted(message) == (asked or message)
    if asked:  # what the model reads of the message (framing is stripped as before)
        assert job_text(message) == asked


def test_a_request_with_pasted_notes_is_answered_by_what_it_asks(voyager: PolicyIndex) -> None:
    answer = advise_message(
        voyager,
        "tl;dr these notes: 'harness build 40% done, connector backorder to Dec 12, QA found "
        "two crimps out of spec, rework Monday'",
    )  # unmet when the model read the notes too
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "summarizing"


async def test_the_store_keeps_the_lent_phrasings_and_answers_with_them(
    store: Store, settings: Settings
) -> None:
    concierge = Concierge(
        store, make_matcher=matcher_factory(settings), pseudonym_key=b"test-key",
        refresh_seconds=0.0,
    )
    await concierge.start(VOYAGER)
    ask = Message(text=SQL, asker="U1", platform="slack", department="Engineering")
    answer = await concierge.answer(ask)
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "code"
    pasted = await concierge.answer(Message(text=NOTES, asker="U2", platform="teams"))
    assert pasted.outcome == "answered"
    async with store.sessions() as session:
        assert list(await session.scalars(select(UnmetRequest))) == []
    # The lent phrasings' vectors are stored with the policy version, so a second process
    # builds the same index from the store without embedding them again.
    model_id = make_backend("hybrid").model_id  # type: ignore[attr-defined]
    stored = await store.embeddings.load(1, model_id)
    assert stored is not None
    assert "write a SQL query to join two tables" in stored.texts
    assert stored.calibration is not None
    again = Concierge(
        store, make_matcher=matcher_factory(settings), pseudonym_key=b"test-key",
        refresh_seconds=0.0,
    )
    await again.start(VOYAGER)
    second = await again.answer(ask)
    assert second.use_case is not None
    assert second.use_case.id == "code"
    assert second.use_case.score == answer.use_case.score
