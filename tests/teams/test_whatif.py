"""What-if replay from Teams over HTTP: `admin whatif` with an attached draft, and the
impact of a dialog's save, each shown as one message updated in place, with the cover
offer it leads to.

Activities are POSTed to /api/messages on the running app (dev mode, loopback); the
attached draft is served by the fake Bot Connector like Teams' pre-authenticated
download links; cards come back through the fake Bot Connector.
"""

from __future__ import annotations

from typing import Any

from bot.core.insights.candidates import CandidateReview
from bot.policy.files import dump_policy
from bot.teams.incoming import FILE_INFO
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import (
    ADMIN_AAD,
    USER_AAD,
    Served,
    button,
    buttons,
    inputs,
    open_dialog,
    submit_data,
    text_of,
)
from tests.whatif.seed import approve_synthesia, seed_asks

HEADLINE = "Approving Synthesia would answer 12 past asks from 7 people"


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

    [refused] = await served.say(connector, "admin whatif", aad=USER_AAD, attachments=[draft])
    assert "admin" in text_of(refused).lower()
    [usage] = await served.say(connector, "admin whatif", aad=ADMIN_AAD)
    assert "whatif" in text_of(usage).lower()  # how to send a draft

    before = len(connector.sent)
    cards = await served.say(connector, "admin whatif 60", aad=ADMIN_AAD, attachments=[draft],
                             within=120)
    progress, result = cards[0], cards[-1]
    assert "What-if: draft.yaml" in text_of(progress)
    first, *later = connector.sent[before:]
    assert later
    assert all(r.updated and r.reply_to_id == first.id for r in later)
    assert HEADLINE in text_of(result)
    assert "Replayed 27 asks from 14 people of the last 60 days" in text_of(result)
    offer = button(result, f"Mark #{seeded.video_candidate} covered by Synthesia")
    assert await store.policies.head_version() == live.version  # a replay changes nothing

    [covered] = await served.say(connector, value=offer["data"], aad=ADMIN_AAD)
    assert f"#{seeded.video_candidate}" in text_of(covered)
    cand = await CandidateReview(store).get(seeded.video_candidate)  # type: ignore[arg-type]
    assert cand is not None
    assert cand.status == "covered"

    bad = _attachment(connector, "bad.yaml", "tools: [{id: Bad Id}]\n")
    [invalid] = await served.say(connector, "admin whatif", aad=ADMIN_AAD, attachments=[bad])
    assert "Nothing was changed" in text_of(invalid)


async def test_a_dialog_save_reports_its_impact_in_place(
    serve: Any, teams_settings: Any, connector: FakeBotConnector
) -> None:
    served: Served = await serve(teams_settings())
    seeded = await seed_asks(served.runtime.concierge, platform="teams")
    store = served.runtime.store
    before_version = await store.policies.head_version()
    [opener] = await served.say(connector, "admin tool edit synthesia", aad=ADMIN_AAD)
    dialog = await open_dialog(served, connector, opener, aad=ADMIN_AAD)
    values = {k: v.get("value", "") for k, v in inputs(dialog).items()}
    values.update({"status": "approved", "max_data_class": "internal"})

    check = submit_data(dialog, "Check impact")  # replays the edit, saves nothing
    again = await served.invoke(connector, "task/submit", {"data": {**values, **check}},
                                aad=ADMIN_AAD, within=120)
    assert again is not None
    shown = again["task"]["value"]["card"]["content"]
    assert HEADLINE in text_of(shown)
    assert inputs(shown)["status"]["value"] == "approved"  # the dialog keeps the edits
    assert await store.policies.head_version() == before_version

    before = len(connector.sent)
    assert await served.invoke(connector, "task/submit", {"data": {
        **submit_data(dialog), **values}}, aad=ADMIN_AAD, replyToId="opener-9",
        within=120) is None
    records = connector.sent[before:]
    assert all(r.updated and r.reply_to_id == "opener-9" for r in records)
    assert f"version {before_version + 1}" in text_of(records[0].activity)
    impact = records[-1].cards[0]
    assert "Approving Synthesia would answer" in text_of(impact)
    assert any(str(seeded.video_candidate) in str(b.get("data")) for b in buttons(impact))
