"""Digest figures from seeded logs; privacy; the chart; retention keeps weekly totals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.core.concierge import Concierge, Message
from bot.core.insights.chart import render_chart
from bot.core.insights.clustering import refresh_candidates
from bot.core.insights.digest import Digest, build_digest
from bot.core.insights.periods import parse_period, period_of
from bot.core.insights.retention import apply_retention
from bot.core.insights.sections import text
from bot.store import Store
from bot.store.insights import InsightStore
from tests.insights.seed import TOPICS, log_query

WEEK = parse_period("2026-W10")  # Monday 2 March 2026, UTC
MON = WEEK.start + timedelta(hours=9)


async def _seed_week(store: Store) -> None:
    sales = [f"asker-sales-{i}" for i in range(6)]
    for i in range(8):
        await log_query(store, at=MON + timedelta(hours=i), asker=sales[i % 6],
                        department="Sales", use_case="summarize-documents", tools=["copilot"],
                        feedback="helpful" if i < 3 else None)
    for i in range(2):
        await log_query(store, at=MON + timedelta(days=1, hours=i), asker=sales[i],
                        department="Sales", use_case="transcribe-audio",
                        tools=["word-transcribe", "copilot"], red_lines=["customer-data"],
                        feedback="not_helpful" if i == 0 else None)
    for i in range(3):  # a department of two people: never broken out
        await log_query(store, at=MON + timedelta(days=2, hours=i), asker=f"asker-legal-{i % 2}",
                        department="Legal", outcome="tool_status", asked_tool="midjourney"
                        if i < 2 else "grok", asked_tool_status="prohibited" if i < 2 else
                        "unknown")
    await log_query(store, at=MON + timedelta(days=2), asker="asker-legal-0",
                    outcome="tool_status", asked_tool="copilot", asked_tool_status="approved")
    for i, question in enumerate(TOPICS["music"][:3]):
        await log_query(store, at=MON + timedelta(days=3, hours=i), asker=f"asker-music-{i}",
                        outcome="unmet", question=question)
    previous = WEEK.previous().start + timedelta(days=1)
    for i in range(4):
        await log_query(store, at=previous + timedelta(hours=i), asker=f"asker-old-{i % 2}",
                        use_case="summarize-documents", tools=["copilot"])
    await log_query(store, at=previous, asker="asker-old-0", outcome="unmet",
                    question=TOPICS["music"][3])
    await log_query(store, at=WEEK.end + timedelta(hours=1), asker="asker-next", tools=["x"])


async def test_seeded_logs_give_the_expected_figures(store: Store) -> None:
    await _seed_week(store)
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)

    digest = await build_digest(insights, WEEK, min_group_size=5)

    assert (digest.period, digest.start, digest.end) == ("2026-W10", "2026-03-02", "2026-03-08")
    assert (digest.questions, digest.questions_previous) == (17, 5)
    assert (digest.askers, digest.askers_previous) == (11, 2)
    assert digest.outcomes == {"answered": 10, "tool_status": 4, "unmet": 3}
    assert round(digest.unmet_share, 4) == round(3 / 17, 4)
    assert [(r.id, r.count) for r in digest.top_use_cases] == [
        ("summarize-documents", 8), ("transcribe-audio", 2)]
    assert [(r.id, r.count) for r in digest.top_tools] == [("copilot", 10), ("word-transcribe", 2)]
    assert [(s.tool, s.status, s.asks) for s in digest.shadow_ai] == [
        ("midjourney", "prohibited", 2), ("grok", "unknown", 1)]
    assert (digest.helpful, digest.not_helpful) == (3, 1)
    assert digest.helpful_rate == 0.75
    assert [(r.id, r.count) for r in digest.red_lines] == [("customer-data", 2)]
    assert [(r.id, r.count) for r in digest.departments] == [("Sales", 10)]
    assert digest.departments_hidden == 1
    [music] = digest.candidates
    assert (music.asks, music.askers, music.asks_this_period, music.asks_previous_period) == (
        4, 4, 3, 1)
    assert music.trend == "up"
    assert "music" in music.label.lower()
    assert music.examples == ()  # 4 people < MIN_GROUP_SIZE 5: counted, no verbatim example
    smaller_rule = await build_digest(insights, WEEK, min_group_size=4)
    assert len(smaller_rule.candidates[0].examples) == 3
    assert [w.questions for w in digest.weeks][-2:] == [5, 17]
    assert len(digest.weeks) == 8


async def test_digest_survives_the_ledger_round_trip_and_reads_well(store: Store) -> None:
    await _seed_week(store)
    digest = await build_digest(InsightStore(store.sessions), WEEK)

    again = Digest.from_dict(json.loads(json.dumps(digest.to_dict())))

    assert again == digest
    body = text(digest)
    assert "Questions: 17 (+12 vs the week before" in body
    assert "midjourney (prohibited): 2 asks" in body
    assert "smaller group(s) not shown" in body
    assert "Legal" not in body


async def test_no_asker_id_or_pseudonym_anywhere_in_the_digest(
    concierge: Concierge, store: Store
) -> None:
    askers = [f"U0SECRET{i:03d}" for i in range(6)]
    for asker in askers:
        await concierge.answer(Message("Can I generate music for a video ad?", asker, "slack",
                                       department="Marketing"))
        await concierge.answer(Message("Is Midjourney approved?", asker, "slack",
                                       department="Marketing"))
    insights = InsightStore(store.sessions)
    await refresh_candidates(insights)
    week = period_of(datetime.now(UTC))

    digest = await build_digest(insights, week)
    rendered = json.dumps(digest.to_dict()) + text(digest)

    assert digest.questions == 12
    assert digest.askers == 6
    for asker in askers:
        assert asker not in rendered
        assert concierge.pseudonym(asker) not in rendered
        assert concierge.pseudonym(asker)[:12] not in rendered


async def test_chart_is_a_png_of_the_last_weeks(store: Store) -> None:
    await _seed_week(store)
    digest = await build_digest(InsightStore(store.sessions), WEEK)

    png = render_chart(digest.weeks)

    assert png is not None
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert 2_000 < len(png) < 45_000
    assert render_chart(()) is None


async def test_retention_deletes_old_logs_and_keeps_weekly_totals(store: Store) -> None:
    await _seed_week(store)
    insights = InsightStore(store.sessions)
    old = await store.unmet.list(status=None, limit=100)
    assert await store.unmet.vote(old[-1].id, asker="voter")
    before = await build_digest(insights, WEEK)

    report = await apply_retention(insights, days=30, now=WEEK.end + timedelta(days=30, minutes=30))

    assert report.queries_deleted == 22  # every query of W09 and W10; W11's one is kept
    assert report.unmet_deleted == 4
    assert "2026-W10" in report.weeks_kept
    assert await store.queries.count() == 1
    after = await build_digest(insights, WEEK)
    assert after.questions == 0  # the rows are gone ...
    assert [w.questions for w in after.weeks] == [w.questions for w in before.weeks]  # ... totals
    assert after.questions_previous == before.questions_previous
