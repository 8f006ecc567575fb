"""What-if replay from Slack over signed HTTP: an uploaded draft, a form's impact, a save."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

from bot.core.insights.candidates import CandidateReview
from bot.policy.files import dump_policy
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import ADMIN, USER, SlackHarness, button, buttons, form_state
from tests.whatif.seed import approve_synthesia, seed_asks

_clicks = itertools.count(1)

HEADLINE = "Approving Synthesia would answer 12 past asks from 7 people"


async def _wait_text(slack: SlackHarness, method: str, needle: str,
                     within: float = 90.0) -> dict[str, Any]:
    """The first call to `method` whose text (or view) mentions `needle`; replays take a while."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for call in slack.fake.calls_to(method):
            if needle in str(call.params):
                return call.params
        await asyncio.sleep(0.1)
    raise AssertionError(f"no {method} mentioning {needle!r}")


async def _share(slack: SlackHarness, name: str, content: str, text: str = "whatif", *,
                 user: str = ADMIN) -> None:
    info = slack.fake.add_file(name, content.encode())
    assert await slack.dm(text, user=user, subtype="file_share",
                          files=[{"id": info["id"], "name": name}]) == 200


async def test_whatif_on_an_uploaded_draft_then_mark_the_candidate_covered(
    slack: SlackHarness,
) -> None:
    seeded = await seed_asks(slack.runtime.concierge)
    store = slack.runtime.store
    live = await store.policies.current()
    assert live is not None
    assert seeded.video_candidate is not None
    draft = dump_policy(approve_synthesia(live.policy))

    await _share(slack, "draft.yaml", draft, user=USER)
    refused = await _wait_text(slack, "chat.postMessage", "only AI policy admins")
    assert refused["channel"] == "D0USERDM1"

    await _share(slack, "draft.yaml", draft, "whatif 60")
    progress = await _wait_text(slack, "chat.postMessage", "What-if: draft.yaml")
    done = await _wait_text(slack, "chat.update", HEADLINE)
    assert done["channel"] == progress["channel"] == "D0USERDM1"  # updated in place
    assert "Replayed 27 asks from 14 people of the last 60 days against live policy " \
           "version 1." in done["text"]
    (button,) = [b for b in buttons(done) if b["text"]["text"].startswith("Mark #")]
    assert json.loads(button["value"]) == {"a": "mark_covered", "tool": "synthesia",
                                           "candidate_id": str(seeded.video_candidate)}
    assert await store.policies.head_version() == live.version  # a replay changes nothing

    assert await slack.click(button["value"], user=ADMIN) == 200
    await _wait_text(slack, "response_url", "is covered by Synthesia")
    cand = await CandidateReview(store).get(seeded.video_candidate)
    assert cand is not None
    assert cand.status == "covered"

    await _share(slack, "bad.yaml", "tools: [{id: Bad Id}]\n")
    await _wait_text(slack, "chat.postMessage", "Nothing was changed")


async def _click_impact(slack: SlackHarness, view: dict[str, Any],
                        overrides: dict[str, Any]) -> None:
    """A "Check impact" button inside the open form: it carries what is typed so far."""
    status, _ = await slack.interact({
        "type": "block_actions", "api_app_id": "A0CONCIERGE", "token": "legacy-ignored",
        "user": {"id": ADMIN, "username": "it", "team_id": TEAM_ID},
        "team": {"id": TEAM_ID, "domain": "example"},
        "trigger_id": f"{next(_clicks)}.2.3",  # one per click, as Slack sends it
        "container": {"type": "view", "view_id": "V1"},
        "view": {**view, "id": "V1", "hash": "h", "team_id": TEAM_ID,
                 "state": {"values": form_state(view, overrides)}},
        "actions": [{"action_id": "concierge", "block_id": "impact", "type": "button",
                     "value": button(view, "Check impact"), "action_ts": "1.3",
                     "text": {"type": "plain_text", "text": "Check impact"}}],
    })
    assert status == 200


async def test_the_tool_form_shows_the_impact_before_saving_and_after(
    slack: SlackHarness,
) -> None:
    seeded = await seed_asks(slack.runtime.concierge)
    store = slack.runtime.store
    before = await store.policies.head_version()
    assert await slack.command("admin tool synthesia", user=ADMIN) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = opened.params["view"]
    check = json.loads(button(opened.params["view"], "Check impact"))
    assert check == {"a": "check_impact", "form": "tool", "item": "synthesia",
                     "version": str(before)}

    await _click_impact(slack, view, {"status": "approved", "max_data_class": "internal"})
    updated = await _wait_text(slack, "views.update", HEADLINE)
    assert updated["view_id"] == "V1"  # the open form, updated in place
    assert [b["block_id"] for b in updated["view"]["blocks"] if b["type"] == "input"] == [
        b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert await store.policies.head_version() == before  # nothing saved by checking

    await _click_impact(slack, view, {"summary": ""})  # invalid: the form again, no replay
    (_, again) = await slack.fake.wait_for("views.update", count=2)
    assert HEADLINE not in json.dumps(again.params)
    assert "Nothing was saved" in json.dumps(again.params)  # and says what to fix

    status, response = await slack.submit(view, {"status": "approved",
                                                 "max_data_class": "internal"})
    assert (status, response) == (200, {})
    assert await store.policies.head_version() == before + 1
    result = await _wait_text(slack, "chat.update", "Approving Synthesia would answer")
    assert "on past asks" in result["text"]
    assert any(json.loads(b.get("value") or "{}").get("candidate_id")
               == str(seeded.video_candidate) for b in buttons(result))
