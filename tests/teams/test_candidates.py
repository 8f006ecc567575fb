"""IT reviews candidate use cases from Teams; askers hear once when their need is covered.

Activity JSON is POSTed to /api/messages on the running app (dev mode, loopback); the
cards come back through the fake Bot Connector, the decision dialogs in the invoke's HTTP
answer; decisions are checked in the database and the audit log.
"""

from __future__ import annotations

from typing import Any

from bot.store.insights import CandidateRecord, InsightStore
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import (
    ADMIN_AAD,
    USER_AAD,
    Served,
    buttons,
    inputs,
    open_dialog,
    submit_data,
    text_of,
)

MUSIC = ["Can I generate background music for a marketing video?",
         "Is there a tool to compose background music for videos?",
         "Can I use AI to create background music for a video?"]
MODELS = "Can I build 3D models of our products with AI?"
OTHER_AAD = "00000000-0000-0000-0000-0000000000u2"


async def _say(served: Served, connector: FakeBotConnector, text: str | None = None, *,
               aad: str = ADMIN_AAD, value: dict[str, Any] | None = None,
               **extra: Any) -> list[dict[str, Any]]:
    return await served.say(connector, text, aad=aad, value=value, **extra)


async def _start(serve: Any, teams_settings: Any, connector: FakeBotConnector) -> Served:
    served: Served = await serve(teams_settings())
    for i, question in enumerate(MUSIC):
        await _say(served, connector, question, aad=USER_AAD if i == 0 else f"aad-asker-{i}")
    await _say(served, connector, MODELS, aad=USER_AAD)
    return served


async def _candidates(served: Served) -> dict[str, CandidateRecord]:
    found = await InsightStore(served.runtime.store.sessions).candidates()
    return {("music" if "music" in c.label.lower() else "3d"): c for c in found}


async def _audit(served: Served, action: str) -> list[Any]:
    return [a for a in await served.runtime.store.audit.recent() if a.action == action]


def _section_buttons(card: dict[str, Any], candidate_id: int) -> list[dict[str, Any]]:
    return [b for b in buttons(card) if f" {candidate_id}" in str(b.get("data", ""))]


async def _decision(served: Served, connector: FakeBotConnector, list_card: dict[str, Any],
                    title: str, candidate_id: int, aad: str = ADMIN_AAD) -> dict[str, Any]:
    """Click a candidate's "Decline…"/"Merge into…"/"Covered by…" and open its dialog."""
    [click] = [b for b in _section_buttons(list_card, candidate_id) if b["title"] == title]
    [opener] = await _say(served, connector, value=click["data"], aad=aad)
    return await open_dialog(served, connector, opener, aad=aad)


async def test_admin_lists_candidates_and_accepts_with_a_button(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    [card] = await _say(served, connector, "admin candidates")
    assert card["body"][0]["text"] == "Candidate use cases, by demand"
    text = text_of(card)
    assert text.lower().index("background music") < text.index("3D")  # most askers first
    assert "3 people" in text
    assert "new this week" in text
    assert sum(q in text for q in MUSIC) == 0  # 3 people < MIN_GROUP_SIZE: no verbatim
    music = (await _candidates(served))["music"].id
    assert [b["title"] for b in _section_buttons(card, music)] == [
        "Accept", "Decline…", "Merge into…", "Covered by…"]
    assert USER_AAD not in text
    assert served.runtime.concierge.pseudonym(USER_AAD) not in text

    accept = _section_buttons(card, music)[0]["data"]
    [done] = await _say(served, connector, None, value=accept)
    assert f"#{music}" in text_of(done)
    assert "accepted" in text_of(done)
    assert (await _candidates(served))["music"].status == "accepted"
    [entry] = await _audit(served, "candidate.accept")
    assert (entry.actor, entry.source, entry.target, entry.allowed) == (
        ADMIN_AAD, "teams", f"candidate:{music}", True)
    assert connector.unexpected == []


async def test_decline_dialog_needs_a_reason(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    [card] = await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    dialog = await _decision(served, connector, card, "Decline…", music)
    assert inputs(dialog)["reason"]["type"] == "Input.Text"
    submit = submit_data(dialog)

    again = await served.invoke(connector, "task/submit",
                                {"data": {**submit, "reason": "  "}}, aad=ADMIN_AAD)
    shown = again["task"]["value"]["card"]["content"]  # the dialog again, to fix and resend
    assert "reason" in inputs(shown)
    assert "reason" in text_of(shown).lower()
    assert (await _candidates(served))["music"].status == "open"
    assert await _audit(served, "candidate.decline") == []

    before = len(connector.sent)
    assert await served.invoke(connector, "task/submit", {"data": {
        **submit, "reason": "Licensing is unclear"}}, aad=ADMIN_AAD) is None
    [done] = connector.sent[before:]
    assert f"#{music}" in text_of(done.activity)
    assert "declined" in text_of(done.activity)
    declined = (await _candidates(served))["music"]
    assert (declined.status, declined.reason) == ("declined", "Licensing is unclear")
    [entry] = await _audit(served, "candidate.decline")
    assert (entry.actor, entry.detail) == (ADMIN_AAD, {"reason": "Licensing is unclear"})


async def test_merge_and_cover_dialogs_and_text_commands(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    [card] = await _say(served, connector, "admin candidates")
    cands = await _candidates(served)
    music, models = cands["music"].id, cands["3d"].id

    dialog = await _decision(served, connector, card, "Merge into…", models)
    assert [c["value"] for c in inputs(dialog)["into"]["choices"]] == [str(music)]
    assert await served.invoke(connector, "task/submit", {"data": {
        **submit_data(dialog), "into": str(music)}}, aad=ADMIN_AAD) is None
    assert (await _candidates(served))["3d"].merged_into == music
    [entry] = await _audit(served, "candidate.merge")
    assert entry.detail == {"into": music}

    dialog = await _decision(served, connector, card, "Covered by…", music)
    assert {"tool", "use_case"} <= set(inputs(dialog))
    again = await served.invoke(connector, "task/submit", {"data": {
        **submit_data(dialog), "tool": "", "use_case": ""}}, aad=ADMIN_AAD)
    assert again is not None
    assert again["task"]["type"] == "continue"
    assert (await _candidates(served))["music"].status == "open"
    [done] = await _say(served, connector, f"admin candidates cover {music} usecase "
                                           "transcribe-audio")
    assert f"#{music}" in text_of(done)
    covered = (await _candidates(served))["music"]
    assert (covered.status, covered.covered_by) == ("covered", "use_case:transcribe-audio")
    [entry] = await _audit(served, "candidate.cover")
    assert (entry.actor, entry.source, entry.detail["requests"]) == (ADMIN_AAD, "teams", 4)


async def test_non_admins_are_refused_and_audited(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    [card] = await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    accept, decline = (b["data"] for b in _section_buttons(card, music)[:2])
    admin_dialog = await _decision(served, connector, card, "Decline…", music)
    for attempt in ({"text": "admin candidates"}, {"value": accept}, {"value": decline}):
        [refused] = await _say(served, connector, aad=USER_AAD, **attempt)  # type: ignore[arg-type]
        assert "admin" in text_of(refused).lower()
        assert "Background music" not in text_of(refused)
    answer = await served.invoke(connector, "task/submit", {"data": {
        **submit_data(admin_dialog), "reason": "not mine to say"}}, aad=USER_AAD)
    assert answer is not None
    assert "admin" in str(answer).lower()
    assert (await _candidates(served))["music"].status == "open"
    denied = sorted(a.action for a in await served.runtime.store.audit.recent()
                    if not a.allowed and a.actor == USER_AAD)
    assert denied == ["candidate.accept", "candidate.decline", "candidate.decline",
                      "candidate.list"]


async def test_an_admin_by_roster_email_can_decide(serve, teams_settings, connector):
    connector.members["29:aad-boss"] = {"id": "29:aad-boss", "email": "it.boss@example.com"}
    served = await serve(teams_settings(admins=["it.boss@example.com"]))
    await _say(served, connector, MODELS, aad=USER_AAD)
    [card] = await _say(served, connector, "admin candidates", aad="aad-boss")
    models = (await _candidates(served))["3d"].id
    assert f"#{models}" in text_of(card)
    [done] = await _say(served, connector, f"admin candidates accept {models} worth a look",
                        aad="aad-boss")
    assert "accepted" in text_of(done)
    [entry] = await _audit(served, "candidate.accept")
    assert (entry.actor, entry.detail) == ("aad-boss", {"note": "worth a look"})


async def test_covered_notice_reaches_the_asker_once(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    await _say(served, connector, f"admin candidates cover {music} tool adobe-firefly")

    answer, notice = await _say(served, connector, "Is DeepL approved?", aad=USER_AAD)
    assert "DeepL" in answer["fallbackText"]
    assert "Good news: you asked about “Can I generate background music" in text_of(notice)
    assert "IT now recommends Adobe Firefly" in text_of(notice)
    assert [r.question for r in await served.runtime.store.unmet.list(status="answered")] \
        == [MUSIC[0]]
    [only] = await _say(served, connector, "Is Midjourney approved?", aad=USER_AAD)
    assert "Good news" not in text_of(only)  # told once

    # In a channel the other asker is not told in front of everyone; later, in private.
    channel = {"conversation_id": "19:general@thread.tacv2;messageid=9",
               "conversation_type": "channel"}
    [public] = await _say(served, connector, "list", aad="aad-asker-1", **channel)
    assert "Good news" not in text_of(public)
    cards = await _say(served, connector, "list", aad="aad-asker-1",
                       conversation_id="a:personal-chat-2")
    assert len(cards) == 2
    assert "Is there a tool to compose background music" in text_of(cards[1])
