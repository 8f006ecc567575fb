"""Candidate review through the core: list, the four decisions, forms, and the notice."""

from __future__ import annotations

import asyncio

from sqlalchemy import event

from bot.core.conversation import Conversation, Surface
from bot.core.services import Services
from bot.store import Actor
from bot.store.insights import CandidateRecord
from tests.conversation.conftest import ADMIN, EMPLOYEE, all_text

MUSIC = ["Can I generate background music for a marketing video?",
         "Is there a tool to compose background music for videos?",
         "Can I use AI to create background music for a video?"]
MODELS = "Can I build 3D models of our products with AI?"


async def _seed(conversation: Conversation, surface: Surface) -> None:
    """Three people ask for music, one of them for 3D models: two candidates."""
    for i, question in enumerate(MUSIC):
        asker = EMPLOYEE if i == 0 else Actor(f"UASKER00{i}", "slack")
        await conversation.on_text(asker, question, surface)
    await conversation.on_text(EMPLOYEE, MODELS, surface)


async def _candidates(services: Services) -> dict[str, CandidateRecord]:
    found = await services.candidates.insights.candidates()
    return {("music" if "music" in c.label.lower() else "3d"): c for c in found}


async def test_list_by_demand_with_decision_commands(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    await _seed(conversation, surface)
    reply = await conversation.on_text(ADMIN, "admin candidates", surface)
    assert reply.kind == "candidates"
    first = reply.sections[0]
    assert "music" in (first.title or "").lower()  # three people beat one
    assert "Asked by: 3 people" in all_text(reply)
    commands = [a.command for a in first.actions]
    cid = (await _candidates(services))["music"].id
    assert commands == [f"admin candidates {op} {cid}"
                        for op in ("accept", "decline", "merge", "cover")]
    refused = await conversation.on_text(EMPLOYEE, "admin candidates", surface)
    assert refused.title == "Not allowed"


async def test_decisions_typed_and_through_forms(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    await _seed(conversation, surface)
    await conversation.on_text(ADMIN, "admin candidates", surface)  # places the requests
    found = await _candidates(services)
    music, models = found["music"].id, found["3d"].id

    form = await conversation.on_text(ADMIN, f"admin candidates decline {models}", surface)
    assert form.form is not None
    assert form.form.id == "candidate_decline"
    empty = await conversation.on_submit(ADMIN, "candidate_decline", form.form.state,
                                         {"reason": "  "}, surface)
    assert empty.form is not None
    assert "reason" in empty.form.errors
    merge = await conversation.on_text(ADMIN, f"admin candidates merge {models}", surface)
    assert merge.form is not None
    assert [c.value for c in merge.form.fields[0].choices] == [str(music)]
    merged = await conversation.on_submit(ADMIN, "candidate_merge", merge.form.state,
                                          {"into": str(music)}, surface)
    assert merged.title == f"Candidate #{models} merged into #{music}"

    accepted = await conversation.on_text(ADMIN, f"admin accept {music} worth a look", surface)
    assert accepted.title == f"Candidate #{music} accepted"
    cover = await conversation.on_text(ADMIN, f"admin candidates cover {music}", surface)
    assert cover.form is not None
    both = await conversation.on_submit(ADMIN, "candidate_cover", cover.form.state,
                                        {"tool": "adobe-firefly", "use_case": "generate-video"},
                                        surface)
    assert both.form is not None
    assert "not both" in both.form.errors["tool"]
    covered = await conversation.on_text(ADMIN, f"admin candidates cover {music} tool Firefly",
                                         surface)
    assert covered.title == f"Candidate #{music} is covered by Adobe Firefly"
    actions = {a.action for a in await services.store.audit.recent()}
    assert {"candidate.merge", "candidate.accept", "candidate.cover"} <= actions

    notices = await conversation.notices(EMPLOYEE)
    assert len(notices) == 1
    assert "IT now recommends Adobe Firefly" in notices[0].text
    assert await conversation.notices(EMPLOYEE) == []  # told once


async def test_mark_covered_button(conversation: Conversation, services: Services,
                                   surface: Surface) -> None:
    await _seed(conversation, surface)
    await conversation.on_text(ADMIN, "admin candidates", surface)
    music = (await _candidates(services))["music"].id
    stale = await conversation.on_action(ADMIN, "mark_covered", {"candidate_id": str(music)},
                                         surface)
    assert stale.kind == "error"
    refused = await conversation.on_action(
        EMPLOYEE, "mark_covered", {"candidate_id": str(music), "tool": "adobe-firefly"}, surface)
    assert refused.title == "Not allowed"
    done = await conversation.on_action(
        ADMIN, "mark_covered", {"candidate_id": str(music), "tool": "adobe-firefly"}, surface)
    assert done.title == f"Candidate #{music} is covered by Adobe Firefly"


async def test_unknown_candidates(conversation: Conversation, surface: Surface) -> None:
    missing = await conversation.on_text(ADMIN, "admin candidates accept 999", surface)
    assert missing.kind == "error"
    assert "999" in missing.title
    no_form = await conversation.on_text(ADMIN, "admin candidates decline 999", surface)
    assert no_form.kind == "not_found"


async def test_no_query_per_message_while_nobody_has_a_notice_waiting(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    """Every answer looks for notices; the askers who have one are read once per refresh,
    not once per message (a transaction on the server's event loop each time)."""
    await _seed(conversation, surface)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "unmet_requests.status" in statement:
            statements.append(statement)

    engine = services.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for _ in range(20):
            assert await conversation.notices(EMPLOYEE) == []
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) <= 1


async def test_a_request_covered_on_another_replica_is_told_after_the_refresh(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    await _seed(conversation, surface)
    await conversation.on_text(ADMIN, "admin candidates", surface)
    music = (await _candidates(services))["music"].id
    assert await conversation.notices(EMPLOYEE) == []  # read: nobody has one waiting
    other = Conversation(Services.build(services.concierge, admins=["UADMIN01"]))
    covered = await other.on_text(ADMIN, f"admin candidates cover {music} tool Firefly", surface)
    assert covered.title == f"Candidate #{music} is covered by Adobe Firefly"
    services.candidates.waiting.refresh = 0.2  # the default is 2 s
    await asyncio.sleep(0.3)
    [notice] = await conversation.notices(EMPLOYEE)
    assert "IT now recommends Adobe Firefly" in notice.text
