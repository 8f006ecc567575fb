"""What-if replay on the sample policy with asks logged through the real concierge."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import yaml

from bot.core.advisor import advise_message, build_index
from bot.core.concierge import Concierge, Message
from bot.core.matching.hybrid import HybridMatcher
from bot.core.matching.registry import make_backend
from bot.core.whatif import (
    PrimedMatcher,
    WhatIf,
    impact_sentences,
    replay_indexes,
    replay_questions,
    report_lines,
)
from bot.core.whatif.replay import by_job, verdict_of
from bot.core.whatif.workers import shippable
from bot.errors import InputError
from bot.policy.files import policy_to_data, validate_data
from bot.policy.models import Policy
from bot.runtime import matcher_factory
from bot.settings import ROOT, Settings
from tests.whatif.seed import ANSWERED, OTHER_UNMET, VIDEO, approve_synthesia, seed_asks


def sample_questions() -> list[str]:
    path = ROOT / "tests" / "fixtures" / "sample_questions.yaml"
    return [item["question"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _whatif(concierge: Concierge, settings: Settings) -> WhatIf:
    return WhatIf(concierge.store, make_matcher=matcher_factory(settings))


def _edit(policy: Policy, change: Any) -> Policy:
    data = policy_to_data(policy)
    change(data)
    return validate_data(data)


async def test_approving_a_tool_answers_the_unmet_theme_with_the_right_counts(
    concierge: Concierge, settings: Settings
) -> None:
    seeded = await seed_asks(concierge)
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]
    report = await _whatif(concierge, settings).run(approve_synthesia(live), draft_name="draft/")

    everything = [*VIDEO, *ANSWERED, *OTHER_UNMET]
    assert report.asks_replayed == len(everything) == 27
    assert report.questions_replayed == len({q for _, q in everything})  # deduplicated
    assert report.askers_replayed == len({a for a, _ in everything})
    done = report.newly_answered
    assert (done.asks, done.askers) == (len(VIDEO), len({a for a, _ in VIDEO})) == (12, 7)
    (cover,) = done.groups["by_cover"]
    assert (cover.kind, cover.id, cover.asks, cover.askers) == ("tool", "synthesia", 12, 7)
    (use_case,) = done.groups["by_use_case"]
    assert use_case.id == "generate-video"
    by_candidate = done.groups["by_candidate"]
    assert sum(g.asks for g in by_candidate) == 12
    assert all(g.kind == "candidate" and g.detail["by"] == ["tool:synthesia"]
               for g in by_candidate)
    # every video ask's unmet request was clustered; the accepted one is covered
    assert seeded.video_candidate is not None
    (covered,) = report.covers_candidates
    assert covered.id == str(seeded.video_candidate)
    assert covered.detail["cover"] == {"tool": "synthesia", "name": "Synthesia"}
    assert (report.newly_unmet.asks, report.changed.asks, report.newly_blocked.asks) == (0, 0, 0)
    assert report.live_version == 1
    assert report.changes == ("~ tools/synthesia (max_data_class, status)",)

    text = "\n".join(report_lines(report))
    # All twelve video asks are one candidate (clustered by meaning), so it is named.
    (group,) = by_candidate
    assert "Approving Synthesia would answer 12 asks from 7 people, mostly " \
           f"“{group.label}” (candidate #{seeded.video_candidate})" in text
    assert "video" in group.label.lower()
    assert f"python app.py candidates cover {seeded.video_candidate} --tool synthesia" in text
    assert impact_sentences(report)[0].startswith(
        "Approving Synthesia would answer 12 past asks from 7 people")


async def test_worker_processes_give_the_same_report(
    concierge: Concierge, settings: Settings
) -> None:
    await seed_asks(concierge)
    draft = approve_synthesia((await concierge.store.policies.current()).policy)  # type: ignore[union-attr]
    alone = await _whatif(concierge, settings).run(draft, draft_name="d")
    spread = WhatIf(concierge.store, make_matcher=matcher_factory(settings), workers=2,
                    min_parallel=0)
    report = await spread.run(draft, draft_name="d")
    assert report.timings["workers"] == 2
    assert report.newly_answered == alone.newly_answered
    assert report.covers_candidates == alone.covers_candidates


async def test_losing_tools_changed_tools_and_new_red_lines(
    concierge: Concierge, settings: Settings
) -> None:
    await seed_asks(concierge, accept_video=False)
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]

    def change(data: dict[str, Any]) -> None:
        for tool in data["tools"]:
            if tool["id"] == "word-transcribe":
                tool["status"] = "prohibited"
        data["tools"].append({
            "id": "pdf-gist", "name": "PDF Gist", "status": "standard",
            "summary": "Summaries of long PDFs, inside our tenant.",
            "good_for": ["summarize-documents"], "max_data_class": "confidential",
            "access": {"text": "Ask IT."}})
        data["red_lines"].append({
            "id": "no-vehicle-automation", "title": "No AI at the wheel",
            "rule": "Never let AI drive vehicles.", "why": "Safety.", "triggers": ["forklift"]})
        data["red_lines"].append({
            "id": "no-travel-booking", "title": "No AI travel booking",
            "rule": "Never let an AI book travel.", "why": "Duty of care.",
            "triggers": ["flight"]})
        data["red_lines"].append({  # blocks an ask that has tools today
            "id": "no-ai-slides", "title": "No AI board slides",
            "rule": "Never use AI for quarterly review slides.", "why": "Brand.",
            "triggers": ["quarterly review"]})
        data["red_lines"].append({
            "id": "check-translations", "title": "Check important translations",
            "rule": "Have a colleague who reads the language check it before it goes out.",
            "why": "Machine translation misses nuance.", "triggers": ["german"]})

    report = await _whatif(concierge, settings).run(_edit(live, change), draft_name="d")
    assert report.newly_answered.asks == 0
    lost = report.newly_unmet
    assert (lost.asks, lost.askers) == (1, 1)  # "transcribe an interview recording"
    assert lost.groups["by_use_case"][0].id == "transcribe-audio"
    assert [g.id for g in lost.groups["by_tool"]] == ["word-transcribe"]
    summaries = [q for _, q in ANSWERED if "summarize" in q]
    moved = report.changed
    assert (moved.asks, moved.askers) == (len(summaries), 3)
    assert [g.id for g in moved.groups["added"]] == ["pdf-gist"]
    lines = {g.id: (g.asks, g.askers, g.detail) for g in report.newly_blocked.groups["by_red_line"]}
    assert lines == {
        # the forklift asks were already blocked by a red line of the sample policy
        "no-vehicle-automation": (2, 1, {"state": "new", "blocks": 0, "warns": 2}),
        "no-travel-booking": (1, 1, {"state": "new", "blocks": 1, "warns": 0}),
        "check-translations": (1, 1, {"state": "new", "blocks": 0, "warns": 1}),
        "no-ai-slides": (1, 1, {"state": "new", "blocks": 1, "warns": 0}),
    }
    assert report.newly_blocked.asks == 5  # blocked asks are not counted as lost answers
    sentences = impact_sentences(report)
    assert "1 past ask from 1 person would lose their recommended tools." in sentences
    assert "3 past asks from 3 people would get different tools." in sentences
    assert "Red line “No AI at the wheel” (new) would now warn on 2 past asks from 1 person." \
        in sentences
    assert "Red line “No AI travel booking” (new) would now block 1 past ask from 1 person." \
        in sentences
    assert "Red line “Check important translations” (new) would now warn on 1 past ask from " \
        "1 person." in sentences


async def test_a_new_use_case_is_matched_by_a_refitted_matcher(
    concierge: Concierge, settings: Settings
) -> None:
    invoices = [("U20", "an AI that checks vendor invoices for duplicate payments"),
                ("U21", "detect duplicate invoice payments in accounts payable"),
                ("U20", "an AI that checks vendor invoices for duplicate payments")]
    for asker, question in invoices:
        answer = await concierge.answer(Message(text=question, asker=asker, platform="teams"))
        assert not answer.tools  # unmet today
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]

    def change(data: dict[str, Any]) -> None:
        data["use_cases"].append({
            "id": "invoice-checks", "name": "Check invoices",
            "description": "Find duplicate or wrong supplier invoices before payment.",
            "examples": ["check supplier invoices for duplicates",
                         "spot duplicate vendor payments", "flag wrong invoices before paying"]})
        data["tools"].append({
            "id": "invoice-ai", "name": "Invoice Guard", "status": "approved",
            "summary": "Checks invoices in the ERP.", "good_for": ["invoice-checks"],
            "max_data_class": "confidential", "access": {"text": "Finance IT."}})

    report = await _whatif(concierge, settings).run(_edit(live, change), draft_name="d")
    done = report.newly_answered
    assert (done.asks, done.askers) == (3, 2)
    assert [g.id for g in done.groups["by_cover"]] == ["invoice-ai"]
    assert [g.kind for g in done.groups["by_candidate"]] == ["unclustered"]
    assert "Approving Invoice Guard would answer 3 asks from 2 people" in report_lines(report)[3]


async def test_period_and_bad_days(concierge: Concierge, settings: Settings) -> None:
    await seed_asks(concierge, accept_video=False)
    live = (await concierge.store.policies.current()).policy  # type: ignore[union-attr]
    whatif = _whatif(concierge, settings)
    later = datetime.now(UTC) + timedelta(days=3)
    report = await whatif.run(approve_synthesia(live), draft_name="d", days=2, now=later)
    assert (report.asks_replayed, report.newly_answered.asks) == (0, 0)
    assert impact_sentences(report) == [
        "No asks were logged in the last 2 days, so there is nothing to replay."]
    with pytest.raises(InputError, match="between 1 and"):
        await whatif.run(live, draft_name="d", days=0)


def test_batch_rankings_are_the_single_rankings(sample_policy: Policy) -> None:
    questions = sample_questions()
    index = build_index(1, sample_policy, lambda: make_backend("lexical"))
    many = index.matcher.rank_many(questions, k=3)  # type: ignore[attr-defined]
    assert many == [index.matcher.rank(q, k=3) for q in questions]

    draft = approve_synthesia(sample_policy)
    live_index, draft_index = replay_indexes(1, sample_policy, draft,
                                             lambda: make_backend("lexical"))
    assert isinstance(draft_index.matcher, PrimedMatcher)
    assert draft_index.matcher.shared  # same use cases: one fit, one set of rankings
    for question in questions:
        assert advise_message(live_index, question) == advise_message(index, question)


async def test_replayed_answers_are_the_bots_answers_with_the_default_matcher(
    concierge: Concierge, settings: Settings
) -> None:
    """The replay wraps the configured matcher: what it answers is what the bot answers."""
    questions = sample_questions()
    bot_index = await concierge.index()
    live_index, _ = replay_indexes(bot_index.version, bot_index.policy, bot_index.policy,
                                   matcher_factory(settings))
    replayed = replay_questions(live_index, live_index, questions)
    assert [live for live, _ in replayed] == [
        verdict_of(advise_message(bot_index, q)) for q in questions]



def test_built_indexes_travel_to_the_worker_processes(sample_policy: Policy) -> None:
    """The replay ships both fitted indexes to its workers (a fraction of a second); an
    index that can't be pickled makes every worker fit both again (seconds each)."""
    live_index, draft_index = replay_indexes(1, sample_policy, approve_synthesia(sample_policy),
                                             lambda: make_backend("hybrid"))
    blob = shippable((live_index, draft_index))
    assert blob is not None
    live_copy, _ = pickle.loads(blob)
    question = "can I use AI to summarize the notes of our weekly meeting"
    assert advise_message(live_copy, question) == advise_message(live_index, question)


class _JobsMade(HybridMatcher):
    """The hybrid backend, recording each message it makes a job text of."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[str] = []

    def job_texts(self, texts: Sequence[str]) -> list[str]:
        self.made.extend(texts)
        return super().job_texts(texts)


def test_the_replay_makes_each_questions_job_text_once(sample_policy: Policy) -> None:
    """Ordering the questions by job makes their job texts; ranking them uses those (making
    them again cost 0.06 s per 2,000 questions), and the verdicts are the bot's."""
    backend = _JobsMade()
    live_index, draft_index = replay_indexes(1, sample_policy, approve_synthesia(sample_policy),
                                             lambda: backend)
    questions = by_job(live_index.matcher, sample_questions())
    backend.made.clear()  # fitting reads the policy's own texts
    replayed = replay_questions(live_index, draft_index, questions)
    assert backend.made == []
    bot_index = build_index(1, sample_policy, lambda: make_backend("hybrid"))
    assert [live for live, _ in replayed] == [
        verdict_of(advise_message(bot_index, q)) for q in questions]

