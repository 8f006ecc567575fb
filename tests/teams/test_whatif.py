"""What-if replay from Teams over HTTP: `admin whatif` with an attached draft, the form's
"Check impact", and the impact of a save, with the cover offer it leads to.

Activities are POSTed to /api/messages on the running app (dev mode, loopback); the
attached draft is served by the fake Bot Connector like Teams' pre-authenticated
download links; cards come back through the fake Bot Connector.
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.insights.candidates import CandidateReview
from bot.policy.files import dump_policy
from bot.teams.whatif import FILE_INFO
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import ADMIN_AAD, USER_AAD, Served, make_activity
from tests.whatif.seed import approve_synthesia, seed_asks

HEADLINE = "Approving Synthesia would answer 12 past asks from 7 people"


async def _say(served: Served, connector: FakeBotConnector, text: str | None = None, *,
               aad: str = ADMIN_AAD, value: dict[str, Any] | None = None,
               **extra: Any) -> list[dict[str, Any]]:
    before = len(connector.sent)
    body = make_activity(connector.url, text, value=value, aad=aad, user_id=f"29:{aad}",
                         **extra)
    assert (await served.post(body)).status == 201
    await served.settle(within=120)
    return [card for record in connector.sent[before:] for card in record.cards]


def _text(card: dict[str, Any]) -> str:
    return json.dumps(card["body"], ensure_ascii=False)


def _attachment(connector: FakeBotConnector, name: str, content: str) -> dict[str, Any]:
    connector.files[name] = content.encode()
    return {"contentType": FILE_INFO, "name": name,
            "content": {"downloadUrl": f"{connector.url}files/{name}", "uniqueId": "u1",
                        "fileType": name.rsplit(".", 1)[-1]}}


async def test_admin_whatif_on_an_attached_draft_then_cover_the_candidate(
    serve: Any, teams_settings: Any, connector: FakeBotConnector
) -> None:
    served: Served = await serve(teams_settings())
    seeded = await seed_asks(served.runtime.concierge, platform="teams")
    store = served.runtime.store
    live = await store.policies.current()
    assert live is not None
    draft = _attachment(connector, "draft.yaml", dump_policy(approve_synthesia(live.policy)))

    [refused] = await _say(served, connector, "admin whatif", aad=USER_AAD,
                           attachments=[draft])
    assert "only AI policy admins" in _text(refused)
    [usage] = await _say(served, connector, "admin whatif")
    assert "Attach the draft policy" in _text(usage)

    progress, result = await _say(served, connector, "admin whatif 60", attachments=[draft])
    assert "What-if: draft.yaml" in _text(progress)
    assert HEADLINE in _text(result)
    assert "Replayed 27 asks from 14 people of the last 60 days" in _text(result)
    [offer] = result["actions"]
    assert offer["title"] == f"Mark #{seeded.video_candidate} covered by Synthesia"
    assert await store.policies.head_version() == live.version  # a replay changes nothing

    [covered] = await _say(served, connector, None, value=offer["data"])
    assert f"Candidate #{seeded.video_candidate} is covered by tool:synthesia" in _text(covered)
    cand = await CandidateReview(store).get(seeded.video_candidate)  # type: ignore[arg-type]
    assert cand is not None
    assert cand.status == "covered"

    bad = _attachment(connector, "bad.yaml", "tools: [{id: Bad Id}]\n")
    [invalid] = await _say(served, connector, "admin whatif", attachments=[bad])
    assert "The draft is invalid" in _text(invalid)


def _form_values(card: dict[str, Any]) -> dict[str, Any]:
    inputs = [i for i in card["body"] if str(i.get("id", "")).startswith("f_")]
    return {i["id"]: i.get("value", "") for i in inputs}


async def test_the_tool_form_checks_the_impact_then_saves_and_reports_it(
    serve: Any, teams_settings: Any, connector: FakeBotConnector
) -> None:
    served: Served = await serve(teams_settings())
    seeded = await seed_asks(served.runtime.concierge, platform="teams")
    store = served.runtime.store
    before = await store.policies.head_version()
    [form] = await _say(served, connector, "admin tool edit synthesia")
    save, check = form["actions"]
    assert check["title"] == "Check impact"
    values = {**_form_values(form), "f_status": "approved", "f_max_data_class": "internal"}

    progress, again = await _say(served, connector, None, value={**values, **check["data"]})
    assert "Checking the impact" in _text(progress)
    assert HEADLINE in _text(again)
    assert _form_values(again)["f_status"] == "approved"  # the form keeps the edits
    assert await store.policies.head_version() == before

    cards = await _say(served, connector, None, value={**values, **save["data"]})
    saved, progress, impact = cards
    assert f"Saved as policy version {before + 1}" in _text(saved)
    assert "Impact of tool synthesia on past asks" in _text(progress)
    assert "Approving Synthesia would answer" in _text(impact)
    assert impact["actions"][0]["data"]["candidate_id"] == seeded.video_candidate
