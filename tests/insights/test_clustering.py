"""Candidate use cases from unmet requests: grouping, stability, labels, speed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import func, select

from bot.core.concierge import Concierge, Message
from bot.core.insights.candidates import CandidateReview
from bot.core.insights.clustering import default_embedder, refresh_candidates
from bot.core.insights.digest import build_digest
from bot.core.insights.periods import period_of
from bot.core.insights.sections import text
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Store
from bot.store.insights import InsightStore
from bot.store.insights_tables import UnmetEmbedding
from tests.conftest import SAMPLE_POLICY
from tests.insights.seed import TOPICS, log_query
from tests.insights.themes import NAMES, THEME_LABELS, THEMES

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


async def _seed_topics(store: Store) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for t, (topic, questions) in enumerate(TOPICS.items()):
        for i, question in enumerate(questions):
            _, unmet_id = await log_query(
                store, at=NOW - timedelta(hours=t * 10 + i), asker=f"p-{topic}-{i}",
                question=question, outcome="unmet",
            )
            assert unmet_id is not None
            ids.setdefault(topic, []).append(unmet_id)
    return ids


async def _members(store: Store) -> dict[int, set[int]]:
    """candidate id -> unmet request ids, read back from the database."""
    out: dict[int, set[int]] = {}
    for record in await store.unmet.list(status=None, limit=1000):
        async with store.sessions() as session:
            from bot.store.tables import UnmetRequest

            row = await session.get(UnmetRequest, record.id)
            assert row is not None
            if row.candidate_id is not None:
                out.setdefault(row.candidate_id, set()).add(row.id)
    return out


async def test_similar_requests_form_one_candidate_per_topic(store: Store) -> None:
    ids = await _seed_topics(store)
    insights = InsightStore(store.sessions)

    report = await refresh_candidates(insights)

    assert report.placed == 15
    assert report.created == 3
    groups = sorted(await _members(store), key=str)
    assert len(groups) == 3
    assert sorted(map(sorted, (await _members(store)).values())) == sorted(
        sorted(v) for v in ids.values()
    )
    labels = {c.label.lower() for c in await insights.candidates()}
    assert any("transcrib" in label for label in labels), labels
    assert any("3d" in label for label in labels), labels
    assert any("music" in label for label in labels), labels


async def test_new_request_joins_the_right_existing_candidate(store: Store) -> None:
    ids = await _seed_topics(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    before = {c.id: c for c in await insights.candidates()}
    members_before = await _members(store)
    transcribe_candidate = next(c for c, m in members_before.items() if ids["transcribe"][0] in m)

    _, new_id = await log_query(store, at=NOW + timedelta(days=7), asker="p-late",
                                question="please transcribe this interview recording",
                                outcome="unmet")
    report = await refresh_candidates(insights)

    assert (report.placed, report.joined, report.created) == (1, 1, 0)
    after = await _members(store)
    assert new_id in after[transcribe_candidate]
    for candidate, members in members_before.items():  # nothing already placed moved
        assert members <= after[candidate]
    for candidate in await insights.candidates():  # settled labels do not churn
        assert candidate.label == before[candidate.id].label
        assert candidate.label_fixed


async def test_unrelated_request_seeds_a_new_candidate_and_rerun_is_a_no_op(
    store: Store,
) -> None:
    await _seed_topics(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    await log_query(store, at=NOW, asker="p-x", outcome="unmet",
                    question="translate legal contracts into japanese")

    first = await refresh_candidates(insights)
    second = await refresh_candidates(insights)

    assert (first.placed, first.created) == (1, 1)
    assert (second.placed, second.joined, second.created) == (0, 0, 0)
    assert len(await insights.candidates()) == 4


async def test_candidates_keep_a_centroid_and_no_question_text(store: Store) -> None:
    await _seed_topics(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    for candidate in await insights.candidates():
        assert candidate.members == 5
        assert candidate.centroid is not None
        assert candidate.centroid_model == default_embedder().model_id
        assert all(question not in str(candidate.profile) + str(candidate.terms)
                   for qs in TOPICS.values() for question in qs)


class _Counting:
    """The real embedder, counting what it is asked to embed."""

    def __init__(self) -> None:
        self.inner = default_embedder()
        self.model_id = self.inner.model_id
        self.texts = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += len(texts)
        return self.inner.encode(texts)


async def test_each_request_is_embedded_once(store: Store) -> None:
    await _seed_topics(store)
    insights = InsightStore(store.sessions)
    counting = _Counting()
    await refresh_candidates(insights, embedder=counting)
    assert counting.texts == 15
    await log_query(store, at=NOW, asker="p-new", outcome="unmet",
                    question="compose a short music loop for our app")
    report = await refresh_candidates(insights, embedder=counting)
    assert (report.placed, counting.texts) == (1, 16)  # only the new one was embedded
    async with store.sessions() as session:
        stored = await session.scalar(select(func.count()).select_from(UnmetEmbedding))
    assert stored == 16


async def test_reviewed_candidates_are_never_reshuffled(store: Store) -> None:
    await _seed_topics(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    before = await _members(store)
    first = next(iter(await insights.candidates()))
    await insights.review(first.id, status="declined", reason="no", label_fixed=True)
    for i, question in enumerate(TOPICS["music"]):
        await log_query(store, at=NOW + timedelta(days=7), asker=f"late-{i}", outcome="unmet",
                        question=question.replace("video", "clip"))
    await refresh_candidates(insights)
    after = await _members(store)
    for candidate, members in before.items():
        assert members <= after[candidate]
    assert (await insights.get(first.id)).label == first.label  # type: ignore[union-attr]


def _grouped(members: dict[int, set[int]], ids: dict[str, list[int]]) -> dict[str, int]:
    """For each theme, how many of its asks sit in its largest candidate."""
    return {theme: max(len(set(asks) & m) for m in members.values())
            for theme, asks in ids.items()}


async def test_themes_from_distinct_people_become_one_candidate_each(store: Store) -> None:
    """Done-when: realistic asks, different words per person, a few naming colleagues."""
    ids: dict[str, list[int]] = {}
    for t, (theme, questions) in enumerate(THEMES.items()):
        for i, question in enumerate(questions):
            named = any(name in question for name in NAMES)  # newest: shown as examples
            at = NOW - timedelta(hours=t, minutes=0 if named else 1 + i)
            _, unmet_id = await log_query(store, at=at, asker=f"{theme}-{i}", question=question,
                                          outcome="unmet")
            ids.setdefault(theme, []).append(unmet_id or 0)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)

    cands = await insights.candidates()
    assert len(cands) == len(THEMES)
    grouped = _grouped(await _members(store), ids)
    assert all(n >= len(THEMES[t]) - 1 for t, n in grouped.items()), grouped
    labels = {c.label for c in cands}
    assert labels == set(THEME_LABELS.values()), labels

    # Nobody's name anywhere leadership looks: labels, the review list, the digest.
    listed = await CandidateReview(store).list(now=NOW)
    digest = await build_digest(insights, period_of(NOW))
    assert all(c.examples for c in listed)  # six people each: examples are shown
    shown = [e for c in listed for e in c.examples]
    assert sum("[NAME]" in e for e in shown) == 2, shown  # the two asks naming a colleague
    seen = json.dumps([asdict(c) for c in listed], default=str) + json.dumps(digest.to_dict()) \
        + text(digest)
    for name in NAMES:
        assert name not in seen, name


async def test_an_unmet_ask_is_embedded_when_logged_and_never_again(
    store: Store, settings: Settings
) -> None:
    counting = _Counting()
    concierge = Concierge(store, make_matcher=matcher_factory(settings),
                          pseudonym_key=b"test-key", unmet_embedder=lambda: counting)
    await concierge.start(SAMPLE_POLICY)
    answer = await concierge.answer(Message(
        text="Can I generate background music for a marketing video?", asker="U1",
        platform="slack"))
    assert answer.unmet_id is not None
    assert counting.texts == 1  # embedded when logged
    async with store.sessions() as session:
        [row] = (await session.scalars(select(UnmetEmbedding))).all()
    assert (row.unmet_id, row.model_id) == (answer.unmet_id, counting.model_id)

    report = await refresh_candidates(InsightStore(store.sessions), embedder=counting)
    assert (report.placed, report.created, counting.texts) == (1, 1, 1)  # not embedded again



def _home(members: dict[int, set[int]], asks: list[int]) -> int:
    """The candidate holding most of these asks."""
    return max(members, key=lambda c: len(members[c] & set(asks)))


async def _log_themes(store: Store, *, asks: slice, at: datetime) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for t, (theme, questions) in enumerate(THEMES.items()):
        for i, question in enumerate(questions[asks]):
            _, unmet_id = await log_query(store, at=at + timedelta(hours=t, minutes=i),
                                          asker=f"{theme}-{at:%d}-{i}", question=question,
                                          outcome="unmet")
            ids.setdefault(theme, []).append(unmet_id or 0)
    return ids


async def test_next_weeks_asks_join_their_themes_and_nothing_already_placed_moves(
    store: Store,
) -> None:
    """Week to week: four asks per theme form candidates, the next two per theme join them.

    Fails if a run regroups earlier requests, moves a reviewed candidate's members or
    label, or lets a new ask start a near-duplicate of its theme's candidate.
    """
    insights = InsightStore(store.sessions)
    week1 = await _log_themes(store, asks=slice(0, 4), at=NOW)
    await refresh_candidates(insights)
    before = await _members(store)
    home = {theme: _home(before, asks) for theme, asks in week1.items()}
    assert len(set(home.values())) == len(THEMES)  # one candidate per theme
    reviewed = await insights.get(home["ocr"])
    assert reviewed is not None
    await insights.review(reviewed.id, status="accepted", reason="pilot", label_fixed=True)

    week2 = await _log_themes(store, asks=slice(4, 6), at=NOW + timedelta(days=7))
    report = await refresh_candidates(insights)
    after = await _members(store)

    assert report.placed == 12
    for candidate, members in before.items():  # nothing placed in week 1 moved
        assert members <= after[candidate]
    where = {unmet_id: c for c, members in after.items() for unmet_id in members}
    joined_home = sum(where[a] == home[t] for t, asks in week2.items() for a in asks)
    wrong = [a for t, asks in week2.items() for a in asks
             if where[a] in before and where[a] != home[t]]
    assert not wrong, wrong  # never into another theme's candidate
    assert joined_home >= 10, joined_home
    again = await insights.get(reviewed.id)
    assert again is not None
    assert (again.label, again.status) == (reviewed.label, "accepted")
    assert report.created == 12 - report.joined
