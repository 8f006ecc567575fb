"""IT reviews candidate use cases from Slack; askers hear once when their need is covered.

Unmet requests are made the real way (signed DMs to the running app); decisions go
through `/aitools admin candidates`, its buttons and its modals; results are checked in
the database, the audit log and on the fake Slack Web API.
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.insights import CandidateRecord, InsightStore
from tests.fakes.slack_api import BOT_USER_ID
from tests.slack.conftest import ADMIN, USER, SlackHarness

MUSIC = ["Can I generate background music for a marketing video?",
         "Is there a tool to compose background music for videos?",
         "Can I use AI to create background music for a video?"]
MODELS = "Can I build 3D models of our products with AI?"


async def _seed(slack: SlackHarness) -> None:
    """Three people ask for music, one of them for 3D models: two candidates."""
    for i, question in enumerate(MUSIC):
        assert await slack.dm(question, user=USER if i == 0 else f"UASKER00{i}") == 200
    assert await slack.dm(MODELS, user=USER) == 200
    await slack.fake.wait_for("chat.postMessage", count=4)


async def _respond(slack: SlackHarness, text: str, *, user: str = ADMIN) -> dict[str, Any]:
    before = len(slack.fake.calls_to("response_url"))
    assert await slack.command(text, user=user) == 200
    return (await slack.fake.wait_for("response_url", count=before + 1))[before].params


async def _candidates(slack: SlackHarness) -> dict[str, CandidateRecord]:
    found = await InsightStore(slack.runtime.store.sessions).candidates()
    return {("music" if "music" in c.label.lower() else "3d"): c for c in found}


async def _audit(slack: SlackHarness, action: str) -> list[Any]:
    return [a for a in await slack.runtime.store.audit.recent() if a.action == action]


def _press(op: str, cid: int) -> str:
    """The value a candidate's decision button carries (as rendered in the list)."""
    return json.dumps({"c": f"admin candidates {op} {cid}"}, separators=(",", ":"))


async def _open(slack: SlackHarness, op: str, cid: int, *, user: str = ADMIN) -> dict[str, Any]:
    before = len(slack.fake.calls_to("views.open"))
    assert await slack.click(_press(op, cid), user=user) == 200
    return (await slack.fake.wait_for("views.open", count=before + 1))[before].params["view"]  # type: ignore[no-any-return]


async def test_admin_lists_candidates_by_demand_with_buttons(slack: SlackHarness) -> None:
    await _seed(slack)
    reply = await _respond(slack, "admin candidates")
    blocks = reply["blocks"]
    assert len(blocks) <= 50
    first, second = reply["text"].splitlines()[1:3]
    assert "background music" in first.lower()  # three people beat one
    assert "3 people, 3 asks" in first
    assert "3D models" in second
    shown = json.dumps(blocks)
    assert "3 this week, 0 last week, new this week" in shown
    # Three people < MIN_GROUP_SIZE (5): counted, but no verbatim request is shown.
    assert sum(q in shown for q in MUSIC) == 0
    music = int(first.split()[0].lstrip("#"))
    actions = next(b for b in blocks if b["type"] == "actions")
    assert [e["value"] for e in actions["elements"]] == [
        _press(op, music) for op in ("accept", "decline", "merge", "cover")]
    assert reply["response_type"] == "ephemeral"
    everything = json.dumps(reply)
    assert USER not in everything  # never who asked
    assert slack.runtime.concierge.pseudonym(USER) not in everything


async def test_accept_by_button_and_merge_and_decline_by_text(slack: SlackHarness) -> None:
    await _seed(slack)
    await _respond(slack, "admin candidates")  # places the requests
    cands = await _candidates(slack)
    music, models = cands["music"].id, cands["3d"].id
    before = len(slack.fake.calls_to("response_url"))
    assert await slack.click(_press("accept", music), user=ADMIN) == 200
    (confirm,) = (await slack.fake.wait_for("response_url", count=before + 1))[before:]
    assert f"#{music} accepted" in confirm.params["text"]
    assert (await _candidates(slack))["music"].status == "accepted"
    (entry,) = await _audit(slack, "candidate.accept")
    assert (entry.actor, entry.source, entry.target, entry.allowed) == (
        ADMIN, "slack", f"candidate:{music}", True)

    # Declining needs a reason: without one, the decline form opens; nothing changes.
    assert await slack.command(f"admin candidates decline {models}", user=ADMIN) == 200
    (form,) = await slack.fake.wait_for("views.open")
    assert json.loads(form.params["view"]["private_metadata"])["form"] == "candidate_decline"
    assert (await _candidates(slack))["3d"].status == "open"

    merged = await _respond(slack, f"admin candidates merge {models} into {music}")
    assert f"#{models} merged into #{music}" in merged["text"]
    after = await _candidates(slack)
    assert (after["3d"].status, after["3d"].merged_into) == ("merged", music)
    (entry,) = await _audit(slack, "candidate.merge")
    assert entry.detail == {"into": music}

    declined = await _respond(slack, f"admin candidates decline {music} Legal said no")
    assert "declined. Reason: Legal said no" in declined["text"]
    assert (await _candidates(slack))["music"].reason == "Legal said no"
    (entry,) = await _audit(slack, "candidate.decline")
    assert entry.detail == {"reason": "Legal said no"}


async def test_decline_modal_needs_a_reason_shown_inline(slack: SlackHarness) -> None:
    await _seed(slack)
    await _respond(slack, "admin candidates")
    music = (await _candidates(slack))["music"].id
    view = await _open(slack, "decline", music)
    assert json.loads(view["private_metadata"])["form"] == "candidate_decline"
    status, response = await slack.submit(view, {"reason": "   "})
    assert status == 200
    assert response["response_action"] == "errors"
    assert "Please give a reason" in response["errors"]["reason"]
    assert (await _candidates(slack))["music"].status == "open"
    assert await _audit(slack, "candidate.decline") == []

    status, response = await slack.submit(view, {"reason": "Licensing is unclear"})
    assert (status, response) == (200, {})
    declined = (await _candidates(slack))["music"]
    assert (declined.status, declined.reason) == ("declined", "Licensing is unclear")
    (entry,) = await _audit(slack, "candidate.decline")
    assert (entry.actor, entry.allowed) == (ADMIN, True)
    (confirmation,) = (await slack.fake.wait_for("chat.postMessage", count=5))[4:]
    assert confirmation.params["channel"] == ADMIN
    assert f"#{music} declined" in confirmation.params["text"]


async def test_merge_and_cover_modals(slack: SlackHarness) -> None:
    await _seed(slack)
    await _respond(slack, "admin candidates")
    cands = await _candidates(slack)
    music, models = cands["music"].id, cands["3d"].id

    view = await _open(slack, "merge", models)
    (select,) = [b for b in view["blocks"] if b.get("block_id") == "into"]
    assert [o["value"] for o in select["element"]["options"]] == [str(music)]
    status, response = await slack.submit(view, {"into": str(music)})
    assert (status, response) == (200, {})
    assert (await _candidates(slack))["3d"].merged_into == music

    view = await _open(slack, "cover", music)
    _, response = await slack.submit(view, {})  # neither a tool nor a use case
    assert response["response_action"] == "errors"
    assert "Choose a tool or a use case" in response["errors"]["tool"]
    status, response = await slack.submit(view, {"tool": "adobe-firefly"})
    assert (status, response) == (200, {})
    covered = (await _candidates(slack))["music"]
    assert (covered.status, covered.covered_by) == ("covered", "tool:adobe-firefly")
    (entry,) = await _audit(slack, "candidate.cover")
    assert entry.detail["covered_by"] == "tool:adobe-firefly"
    assert entry.detail["requests"] == 4  # three music asks and the merged 3D one


async def test_non_admins_are_refused_and_audited(slack: SlackHarness) -> None:
    await _seed(slack)
    await _respond(slack, "admin candidates")
    music = (await _candidates(slack))["music"].id

    listed = await _respond(slack, "admin candidates", user=USER)
    assert "only AI policy admins" in listed["text"]
    assert "Background music" not in json.dumps(listed)
    assert await slack.click(_press("accept", music), user=USER) == 200
    assert await slack.click(_press("decline", music), user=USER) == 200
    refused = await _respond(slack, f"admin candidates cover {music} tool adobe-firefly",
                             user=USER)
    assert "only AI policy admins" in refused["text"]
    await slack.fake.wait_for("response_url", count=5)

    assert (await _candidates(slack))["music"].status == "open"
    assert slack.fake.calls_to("views.open") == []  # no form either
    denied = [(a.action, a.actor, a.source) for a in await slack.runtime.store.audit.recent()
              if not a.allowed]
    assert sorted(denied) == sorted([("candidate.list", USER, "slack"),
                                     ("candidate.accept", USER, "slack"),
                                     ("candidate.decline", USER, "slack"),
                                     ("candidate.cover", USER, "slack")])


async def test_covered_notice_reaches_the_asker_once(slack: SlackHarness) -> None:
    await _seed(slack)
    await _respond(slack, "admin candidates")
    music = (await _candidates(slack))["music"].id
    covered = await _respond(slack, f"admin candidates cover {music} tool adobe-firefly")
    assert "covered by Adobe Firefly" in covered["text"]

    posted = len(slack.fake.calls_to("chat.postMessage"))
    assert await slack.dm("What can I use to summarize a PDF?", user=USER) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=posted + 2)
    answer, notice = calls[posted:posted + 2]
    assert "Copilot" in answer.params["text"]
    assert notice.params["channel"] == "D0USERDM1"
    assert notice.params["text"].startswith("Good news: you asked about “Can I generate")
    assert "IT now recommends Adobe Firefly" in notice.params["text"]
    requests = await slack.runtime.store.unmet.list(status="answered")
    assert [r.question for r in requests] == [MUSIC[0]]  # only this asker's request

    assert await slack.dm("Is Midjourney approved?", user=USER) == 200
    await slack.fake.wait_for("chat.postMessage", count=posted + 3)
    assert await slack.dm("Is DeepL approved?", user=USER) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=posted + 4)
    assert not any("Good news" in c.params["text"] for c in calls[posted + 2:])  # not again

    # Another asker of the same candidate hears it on the slash command, ephemerally.
    reply = await _respond(slack, "list", user="UASKER001")
    assert "Good news" not in reply["text"]
    (notice,) = (await slack.fake.wait_for("response_url", count=4))[3:]
    assert notice.params["response_type"] == "ephemeral"
    assert "Is there a tool to compose background music" in notice.params["text"]

    # A third hears it after a channel mention, as an ephemeral only they can see.
    assert await slack.event({"type": "app_mention", "user": "UASKER002",
                              "text": f"<@{BOT_USER_ID}> is DeepL approved?",
                              "ts": "1700000000.000900", "channel": "C0GENERAL1"}) == 200
    (private,) = await slack.fake.wait_for("chat.postEphemeral")
    assert (private.params["channel"], private.params["user"]) == ("C0GENERAL1", "UASKER002")
    assert private.params["thread_ts"] == "1700000000.000900"
    assert private.params["text"].startswith("Good news")
    public = [c for c in slack.fake.calls_to("chat.postMessage")
              if c.params["channel"] == "C0GENERAL1"]
    assert len(public) == 1
    assert "Good news" not in public[0].params["text"]  # the answer only, in public
