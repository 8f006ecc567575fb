"""Candidate use cases from unmet requests: grouping, stability, labels, speed."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from bot.core.insights.clustering import Doc, make_plan, refresh_candidates
from bot.store import Store
from bot.store.insights import InsightStore
from tests.insights.seed import TOPICS, log_query

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
    assert any("transcribe" in label for label in labels), labels
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


async def test_candidates_keep_no_question_text_in_their_profile(store: Store) -> None:
    await _seed_topics(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    for candidate in await insights.candidates():
        assert candidate.members == 5
        assert all(" " not in term for term in candidate.profile)
        assert all(question not in str(candidate.profile)
                   for qs in TOPICS.values() for question in qs)


def test_ten_thousand_requests_cluster_in_seconds() -> None:
    rng = random.Random(7)
    verbs = ["summarize", "translate", "transcribe", "draft", "analyze", "generate", "classify",
             "review", "explain", "compare", "visualize", "schedule", "forecast", "debug"]
    objects = ["contracts", "invoices", "meeting recordings", "sales data", "python code",
               "marketing emails", "product photos", "support tickets", "job descriptions",
               "financial reports", "customer surveys", "legal memos", "shipping manifests"]
    extras = ["quickly", "in german", "for the board", "every week", "with charts", "", "",
              "for customers", "from last year", "in bulk"]
    docs = [
        Doc(i, f"can I {rng.choice(verbs)} {rng.choice(objects)} {rng.choice(extras)}".strip())
        for i in range(10_000)
    ]
    started = time.perf_counter()
    plan = make_plan(docs, [])
    elapsed = time.perf_counter() - started

    assert sum(len(ids) for ids in plan.assign_new) == 10_000
    assert len(plan.new) < 2_000
    assert elapsed < 20, f"clustering 10k requests took {elapsed:.1f}s"
