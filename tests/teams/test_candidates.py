"""IT reviews candidate use cases from Teams; askers hear once when their need is covered.

Activity JSON is POSTed to /api/messages on the running app (dev mode, loopback); the
cards come back through the fake Bot Connector; decisions are checked in the database
and the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.insights import CandidateRecord, InsightStore
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import ADMIN_AAD, USER_AAD, Served, make_activity

MUSIC = ["Can I generate background music for a marketing video?",
         "Is there a tool to compose background music for videos?",
         "Can I use AI to create background music for a video?"]
MODELS = "Can I build 3D models of our products with AI?"
OTHER_AAD = "00000000-0000-0000-0000-0000000000u2"


async def _say(served: Served, connector: FakeBotConnector, text: str | None = None, *,
               aad: str = ADMIN_AAD, value: dict[str, Any] | None = None,
               **extra: Any) -> list[dict[str, Any]]:
    """One activity; the cards of every reply it got (the turn runs after the 201)."""
    before = len(connector.sent)
    body = make_activity(connector.url, text, value=value, aad=aad, user_id=f"29:{aad}",
                         **extra)
    assert (await served.post(body)).status == 201
    await served.settle()
    return [card for record in connector.sent[before:] for card in record.cards]


def _text(card: dict[str, Any]) -> str:
    return json.dumps(card["body"], ensure_ascii=False)


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


def _submit(candidate_id: int, op: str, **extra: Any) -> dict[str, Any]:
    return {"action": "admin_candidate", "op": op, "candidate_id": candidate_id, **extra}


async def test_admin_lists_candidates_and_accepts_with_a_button(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    [card] = await _say(served, connector, "admin candidates")
    assert card["body"][0]["text"] == "Candidate use cases, by demand"
    first = card["body"][2]["items"]
    assert "background music" in first[0]["text"].lower()
    assert first[1]["text"].startswith("3 people · 3 asks")
    assert "new this week" in first[1]["text"]
    assert sum(q in _text(card) for q in MUSIC) == 0  # 3 people < MIN_GROUP_SIZE: no verbatim
    buttons = first[-1]["actions"]
    assert [b["title"] for b in buttons] == ["Accept", "Decline…", "Merge into…", "Covered by…"]
    assert USER_AAD not in json.dumps(card)
    assert served.runtime.concierge.pseudonym(USER_AAD) not in json.dumps(card)

    music = (await _candidates(served))["music"].id
    assert buttons[0]["data"] == _submit(music, "accept")
    [done] = await _say(served, connector, None, value=buttons[0]["data"])
    assert f"Candidate #{music} accepted" in _text(done)
    assert (await _candidates(served))["music"].status == "accepted"
    [entry] = await _audit(served, "candidate.accept")
    assert (entry.actor, entry.source, entry.target, entry.allowed) == (
        ADMIN_AAD, "teams", f"candidate:{music}", True)
    assert connector.unexpected == []


async def test_decline_form_needs_a_reason(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    [form] = await _say(served, connector, value=_submit(music, "form", form="decline"))
    [reason] = [b for b in form["body"] if b.get("id") == "reason"]
    assert reason["type"] == "Input.Text"
    assert form["actions"][0]["data"] == _submit(music, "decline")

    [again] = await _say(served, connector, value=_submit(music, "decline", reason="  "))
    assert "Nothing was saved." in _text(again)
    assert "reason for declining" in _text(again)
    assert any(b.get("id") == "reason" for b in again["body"])  # the form, to fix and resend
    assert (await _candidates(served))["music"].status == "open"
    assert await _audit(served, "candidate.decline") == []

    [done] = await _say(served, connector,
                        value=_submit(music, "decline", reason="Licensing is unclear"))
    assert f"Candidate #{music} declined" in _text(done)
    declined = (await _candidates(served))["music"]
    assert (declined.status, declined.reason) == ("declined", "Licensing is unclear")
    [entry] = await _audit(served, "candidate.decline")
    assert (entry.actor, entry.detail) == (ADMIN_AAD, {"reason": "Licensing is unclear"})


async def test_merge_and_cover_forms_and_text_forms(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    await _say(served, connector, "admin candidates")
    cands = await _candidates(served)
    music, models = cands["music"].id, cands["3d"].id

    [form] = await _say(served, connector, value=_submit(models, "form", form="merge"))
    [into] = [b for b in form["body"] if b.get("id") == "into"]
    assert [c["value"] for c in into["choices"]] == [str(music)]
    [done] = await _say(served, connector, value=_submit(models, "merge", into=str(music)))
    assert f"#{models} merged into #{music}" in _text(done)
    assert (await _candidates(served))["3d"].merged_into == music
    [entry] = await _audit(served, "candidate.merge")
    assert entry.detail == {"into": music}

    [form] = await _say(served, connector, value=_submit(music, "form", form="cover"))
    assert {b.get("id") for b in form["body"]} >= {"tool", "use_case"}
    [again] = await _say(served, connector, value=_submit(music, "cover", tool="",
                                                          use_case=""))
    assert "exactly one" in _text(again)
    assert (await _candidates(served))["music"].status == "open"
    [done] = await _say(served, connector, "admin candidates cover " + str(music)
                        + " usecase transcribe-audio")
    assert "covered by use_case:transcribe-audio" in _text(done)
    covered = (await _candidates(served))["music"]
    assert (covered.status, covered.covered_by) == ("covered", "use_case:transcribe-audio")
    [entry] = await _audit(served, "candidate.cover")
    assert (entry.actor, entry.source, entry.detail["requests"]) == (ADMIN_AAD, "teams", 4)


async def test_non_admins_are_refused_and_audited(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    for attempt in ({"text": "admin candidates"},
                    {"value": _submit(music, "accept")},
                    {"value": _submit(music, "form", form="decline")},
                    {"value": _submit(music, "decline", reason="not mine to say")}):
        [card] = await _say(served, connector, aad=USER_AAD, **attempt)  # type: ignore[arg-type]
        assert "only AI policy admins" in _text(card)
        assert "Background music" not in _text(card)
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
    assert f"#{models}" in _text(card)
    [done] = await _say(served, connector, f"admin candidates accept {models} worth a look",
                        aad="aad-boss")
    assert "accepted" in _text(done)
    [entry] = await _audit(served, "candidate.accept")
    assert (entry.actor, entry.detail) == ("aad-boss", {"note": "worth a look"})


async def test_covered_notice_reaches_the_asker_once(serve, teams_settings, connector):
    served = await _start(serve, teams_settings, connector)
    await _say(served, connector, "admin candidates")
    music = (await _candidates(served))["music"].id
    await _say(served, connector, f"admin candidates cover {music} tool adobe-firefly")

    answer, notice = await _say(served, connector, "Is DeepL approved?", aad=USER_AAD)
    assert "DeepL" in answer["fallbackText"]
    assert "Good news: you asked about “Can I generate background music" in _text(notice)
    assert "IT now recommends Adobe Firefly" in _text(notice)
    assert [r.question for r in await served.runtime.store.unmet.list(status="answered")] \
        == [MUSIC[0]]
    [only] = await _say(served, connector, "Is Midjourney approved?", aad=USER_AAD)
    assert "Good news" not in _text(only)  # told once

    # In a channel the other asker is not told in front of everyone; later, in private.
    channel = {"conversation_id": "19:general@thread.tacv2;messageid=9",
               "conversation_type": "channel"}
    [public] = await _say(served, connector, "list", aad="aad-asker-1", **channel)
    assert "Good news" not in _text(public)
    cards = await _say(served, connector, "list", aad="aad-asker-1",
                       conversation_id="a:personal-chat-2")
    assert len(cards) == 2
    assert "Is there a tool to compose background music" in _text(cards[1])
