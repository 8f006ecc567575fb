"""The fast replay (batched rankings, shared matcher, stored vectors, one embedding per
text, worker processes) reports exactly what answering every logged ask alone reports.

The reference is the bot's own path with none of the replay's shortcuts: a fresh index
per policy from `build_index` (no stored vectors, no shared matcher), and
`advise_message` called for each ask in turn.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.concierge import Concierge, Message
from bot.core.matching import hybrid
from bot.core.matching.text import intent_texts
from bot.core.whatif import CandidateInfo, WhatIf, WhatIfReport, build_report
from bot.core.whatif.replay import verdict_of
from bot.policy.files import policy_to_data, validate_data
from bot.policy.models import Policy
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store.asks import logged_asks
from bot.store.insights import InsightStore
from tests.whatif.seed import approve_synthesia, seed_asks
from tests.whatif.test_replay import sample_questions

#: How people frame the same job (the matcher ranks the job once for all of them).
FRAMES = ("", "is there an AI tool to ", "can I use AI to ")
INVOICES = {
    "id": "invoice-checks", "name": "Check invoices",
    "description": "Find duplicate or wrong supplier invoices before payment.",
    "examples": ["check supplier invoices for duplicates", "spot duplicate vendor payments",
                 "flag wrong invoices before paying"]}


def _big_review(policy: Policy) -> Policy:
    """Approve Synthesia, retire a transcriber, add a use case and its tool, a red line."""
    data: dict[str, Any] = policy_to_data(approve_synthesia(policy))
    data["tools"] = [t for t in data["tools"] if t["id"] != "word-transcribe"]
    for tool in data["tools"]:
        tool["alternatives"] = [a for a in tool.get("alternatives", []) if a != "word-transcribe"]
    for line in data["red_lines"]:
        line["applies_to"] = [a for a in line.get("applies_to", []) if a != "word-transcribe"]
    data["use_cases"].append(INVOICES)
    data["tools"].append({
        "id": "invoice-ai", "name": "Invoice Guard", "status": "approved",
        "summary": "Checks invoices in the ERP.", "good_for": ["invoice-checks"],
        "max_data_class": "confidential", "access": {"text": "Finance IT."}})
    data["red_lines"].append({
        "id": "no-travel-booking", "title": "No AI travel booking",
        "rule": "Never let an AI book travel.", "why": "Duty of care.", "triggers": ["flight"]})
    return validate_data(data)


async def _ask_everything(concierge: Concierge) -> None:
    """The seed's themed asks, then the sample questions in several framings."""
    await seed_asks(concierge)
    for n, question in enumerate(sample_questions()):
        for frame in FRAMES[: 1 + n % len(FRAMES)]:
            text = f"{frame}{question[:1].lower()}{question[1:]}" if frame else question
            await concierge.answer(Message(text=text, asker=f"U{n % 9}", platform="slack"))


async def _one_by_one(concierge: Concierge, settings: Settings, draft: Policy,
                      report: WhatIfReport) -> WhatIfReport:
    """The report of the same period, every ask answered alone by freshly built indexes."""
    snapshot = await concierge.store.policies.current()
    assert snapshot is not None
    factory = matcher_factory(settings)
    live_index = build_index(snapshot.version, snapshot.policy, factory, settings.match_threshold)
    draft_index = build_index(0, draft, factory, settings.match_threshold)
    asks = await logged_asks(concierge.store.sessions, since=report.since, until=report.until)
    verdicts = {a.question: (verdict_of(advise_message(live_index, a.question)),
                             verdict_of(advise_message(draft_index, a.question))) for a in asks}
    wanted = sorted({a.candidate_id for a in asks if a.candidate_id is not None})
    found = await InsightStore(concierge.store.sessions).candidates(ids=wanted) if wanted else []
    meta = {"since": report.since, "until": report.until, "days": report.days,
            "live_version": report.live_version, "draft_name": report.draft_name,
            "draft_version": report.draft_version, "changes": list(report.changes)}
    return build_report(asks=asks, verdicts=verdicts, live=snapshot.policy, draft=draft,
                        candidates={c.id: CandidateInfo(c.id, c.label, c.status) for c in found},
                        meta=meta)


@pytest.mark.parametrize("isolate", [False, True])
async def test_the_fast_replay_reports_what_answering_each_ask_alone_reports(
    concierge: Concierge, settings: Settings, isolate: bool
) -> None:
    """In this process, and in a worker process (as a server runs it)."""
    await _ask_everything(concierge)
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]
    now = datetime.now(UTC) + timedelta(seconds=1)
    drafts = (approve_synthesia(live), _big_review(live))
    for draft in drafts:
        whatif = WhatIf(concierge.store, make_matcher=matcher_factory(settings),
                        threshold=settings.match_threshold, workers=1, min_parallel=0,
                        isolate=isolate)
        report = await whatif.run(draft, draft_name="d", now=now)
        # the fixture exercises the report, not just zeros
        assert report.questions_replayed > 100
        assert report.asks_replayed > 150
        assert report.newly_answered.asks > 0
        if draft is not drafts[0]:
            assert report.newly_unmet.asks > 0
            assert report.newly_blocked.asks > 0
        assert ("workers" in report.timings) == isolate
        expected = await _one_by_one(concierge, settings, draft, report)
        assert replace(report, seconds=0.0, timings={}) == expected


async def test_the_replay_embeds_only_the_policy_texts_the_bot_has_not_stored(
    concierge: Concierge, settings: Settings
) -> None:
    """The bot stored the live version's vectors: a draft with a new use case and a new
    red line embeds the texts of those two and nothing else of the policy."""
    await seed_asks(concierge, accept_video=False)
    snapshot = await concierge.store.policies.current()
    assert snapshot is not None
    factory = matcher_factory(settings)
    model_id = factory().model_id  # type: ignore[attr-defined]
    assert await concierge.store.embeddings.load(snapshot.version, model_id) is not None
    hybrid._SHARED.clear()  # the vectors this process embedded for policies so far
    whatif = WhatIf(concierge.store, make_matcher=factory, threshold=settings.match_threshold,
                    workers=1)
    report = await whatif.run(_big_review(snapshot.policy), draft_name="d")
    assert report.newly_answered.asks > 0
    embedded = {text for _, text in hybrid._SHARED}
    new = set(intent_texts(INVOICES["name"], INVOICES["description"], INVOICES["examples"]))
    assert embedded & new
    # The new red line is read by meaning too: its texts are made of its own words only.
    line = "No AI travel booking. Never let an AI book travel. flight"
    line_words = set(re.findall(r"[a-z]+", line.lower()))
    others = embedded - new
    assert others
    assert all(set(re.findall(r"[a-z]+", t.lower())) <= line_words for t in others), others
