"""IT edits the policy from Slack: modals, commands, refusals, export and import."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import yaml

from bot.policy.files import dump_policy, parse_policy
from tests.fakes.slack_api import TEAM_ID
from tests.slack.conftest import ADMIN, USER, SlackHarness, StartSlack, button


async def _respond(slack: SlackHarness, text: str, **kwargs: Any) -> str:
    before = len(slack.fake.calls_to("response_url"))
    assert await slack.command(text, **kwargs) == 200
    calls = await slack.fake.wait_for("response_url", count=before + 1)
    return str(calls[before].params["text"])


async def _open_form(slack: SlackHarness, text: str) -> dict[str, Any]:
    before = len(slack.fake.calls_to("views.open"))
    assert await slack.command(text, user=ADMIN) == 200
    calls = await slack.fake.wait_for("views.open", count=before + 1)
    return calls[before].params["view"]  # type: ignore[no-any-return]


async def test_non_admin_edit_is_refused_and_audited(slack: SlackHarness) -> None:
    store = slack.runtime.store
    before = await store.policies.head_version()
    text = await _respond(slack, "admin status deepseek approved", user_name=ADMIN)
    assert "only AI policy admins" in text
    assert await store.policies.head_version() == before
    (entry,) = [a for a in await store.audit.recent() if not a.allowed]
    assert (entry.actor, entry.source, entry.target) == (USER, "slack", "deepseek")
    assert slack.fake.calls_to("views.open") == []
    await slack.command("admin tool", user=USER)
    await asyncio.sleep(0.3)
    assert slack.fake.calls_to("views.open") == []  # no form for non-admins either


async def test_admin_modal_edit_lands_as_a_new_version(slack: SlackHarness) -> None:
    store = slack.runtime.store
    before = await store.policies.head_version()
    view = await _open_form(slack, "admin tool deepl-pro")
    assert view["callback_id"] == "concierge"
    assert json.loads(view["private_metadata"])["form"] == "tool"
    assert len(view["blocks"]) <= 100
    status, response = await slack.submit(view, {"status": "pilot", "contact": "#ask-ai"})
    assert status == 200
    assert response == {}  # plain ack: the modal closes
    assert await store.policies.head_version() == before + 1
    tool = (await store.policies.current()).policy.tool("deepl-pro")  # type: ignore[union-attr]
    assert tool is not None
    assert (tool.status.value, tool.contact) == ("pilot", "#ask-ai")
    assert tool.access is not None  # fields left alone survive the edit
    latest = (await store.policies.history(limit=1))[0]
    assert (latest.actor, latest.source) == (ADMIN, "slack")
    confirmation = (await slack.fake.wait_for("chat.postMessage"))[0]
    assert confirmation.params["channel"] == ADMIN
    assert f"version {before + 1}" in confirmation.params["text"]


async def test_modal_validation_errors_are_shown_inline(slack: SlackHarness) -> None:
    store = slack.runtime.store
    before = await store.policies.head_version()
    view = await _open_form(slack, "admin tool deepl-pro")
    status, response = await slack.submit(view, {"access_url": "not a link"})
    assert status == 200
    assert response["response_action"] == "errors"
    assert set(response["errors"]) == {"access_url"}
    _, response = await slack.submit(view, {"aliases": "DeepL\nChatGPT Enterprise"})
    assert set(response["errors"]) == {"aliases"}
    assert "already a name or alias" in response["errors"]["aliases"]
    new_form = await _open_form(slack, "admin tool")
    status, response = await slack.submit(new_form, {"id": "Bad Id!", "name": "X",
                                                     "summary": "s", "status": "approved"})
    assert response["response_action"] == "errors"
    assert "id" in response["errors"]
    assert await store.policies.head_version() == before


async def test_admin_adds_a_red_line_and_a_use_case_through_forms(slack: SlackHarness) -> None:
    store = slack.runtime.store
    form = await _open_form(slack, "admin add redline")
    status, response = await slack.submit(form, {
        "id": "no-voice-clones", "title": "No voice clones", "rule": "Never clone a voice.",
        "why": "Fraud risk.", "triggers": "clone a voice\nvoice clone"})
    assert (status, response) == (200, {})
    form = await _open_form(slack, "admin usecase")
    status, response = await slack.submit(form, {
        "id": "write-poems", "name": "Write poems", "description": "Poetry for events.",
        "examples": "write a poem\nrhyme for a card"})
    # Two examples are accepted (name and description count too); more match better.
    assert (status, response) == (200, {})
    policy = (await store.policies.current()).policy  # type: ignore[union-attr]
    assert any(r.id == "no-voice-clones" for r in policy.red_lines)
    assert policy.use_case("write-poems") is not None


async def test_stale_form_is_refused_without_losing_the_other_edit(slack: SlackHarness) -> None:
    view = await _open_form(slack, "admin tool deepl-pro")
    assert "Saved as policy version" in await _respond(slack, "admin status deepl-pro pilot",
                                                       user=ADMIN)
    _, response = await slack.submit(view, {"contact": "#late"})
    assert response["response_action"] == "errors"
    assert "Someone else changed the policy" in next(iter(response["errors"].values()))
    tool = (await slack.runtime.store.policies.current()).policy.tool("deepl-pro")  # type: ignore[union-attr]
    assert tool is not None
    assert tool.status.value == "pilot"


async def test_status_retire_history_rollback_and_unmet(slack: SlackHarness) -> None:
    store = slack.runtime.store
    assert "now prohibited" in await _respond(slack, "admin status synthesia prohibited",
                                              user=ADMIN)
    assert "is not a status" in await _respond(slack, "admin status synthesia banned",
                                               user=ADMIN)
    assert "Retired Synthesia" in await _respond(slack, "admin retire synthesia", user=ADMIN)
    assert (await store.policies.current()).policy.tool("synthesia") is None  # type: ignore[union-attr]
    history = await _respond(slack, "admin history", user=ADMIN)
    assert "by an admin in Slack" in history
    assert ADMIN not in history  # never a raw user id
    assert "Version 3" in history
    assert "version 4" in await _respond(slack, "admin rollback 1", user=ADMIN)
    assert (await store.policies.current()).policy.tool("synthesia") is not None  # type: ignore[union-attr]
    await slack.dm("Is there an AI that can water the office plants?")
    await slack.fake.wait_for("chat.postMessage")
    assert "water the office plants" in await _respond(slack, "admin unmet", user=ADMIN)
    assert "/aitools admin tool" in await _respond(slack, "admin", user=USER)


async def test_user_group_members_are_admins(start_slack: StartSlack) -> None:
    slack = await start_slack(admin_usergroups=["S0ITADMINS"])
    slack.fake.usergroups["S0ITADMINS"] = ["U0GROUPIE1"]
    assert "Saved as policy version" in await _respond(
        slack, "admin status deepl-pro pilot", user="U0GROUPIE1")
    assert "only AI policy admins" in await _respond(
        slack, "admin status deepl-pro approved", user="U0OUTSIDER")
    assert slack.fake.calls_to("usergroups.users.list")


async def test_admin_from_another_workspace_is_refused(slack: SlackHarness) -> None:
    text = await _respond(slack, "admin status deepl-pro pilot", user=ADMIN, team="T0FOREIGN")
    assert "only AI policy admins" in text
    refused = [a for a in await slack.runtime.store.audit.recent() if not a.allowed]
    assert refused[0].actor == f"T0FOREIGN/{ADMIN}"
    assert TEAM_ID != "T0FOREIGN"


async def test_export_uploads_the_policy_as_yaml(slack: SlackHarness) -> None:
    assert "Edit it and send it back" in await _respond(slack, "admin export", user=ADMIN)
    (complete,) = await slack.fake.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"].startswith("D")
    (uploaded,) = slack.fake.uploads.values()
    exported = parse_policy(uploaded.decode(), "export.yaml")
    current = (await slack.runtime.store.policies.current()).policy  # type: ignore[union-attr]
    assert exported == current
    assert "only AI policy admins" in await _respond(slack, "admin export", user=USER)
    assert len(slack.fake.uploads) == 1  # nothing for a non-admin


async def _share_file(slack: SlackHarness, name: str, content: str, *, user: str = ADMIN) -> str:
    info = slack.fake.add_file(name, content.encode())
    before = len(slack.fake.calls_to("chat.postMessage"))
    assert await slack.dm("import", user=user, subtype="file_share",
                          files=[{"id": info["id"], "name": name}]) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=before + 1)
    return json.dumps(calls[before].params, ensure_ascii=False)


async def test_import_a_yaml_file_shared_with_the_bot(slack: SlackHarness) -> None:
    store = slack.runtime.store
    before = await store.policies.head_version()
    data = yaml.safe_load(dump_policy((await store.policies.current()).policy))  # type: ignore[union-attr]
    data["meta"]["contact"] = "#new-channel"
    assert "only AI policy admins" in await _share_file(slack, "p.yaml", yaml.safe_dump(data),
                                                        user=USER)
    assert f"version {before + 1}" in await _share_file(slack, "p.yaml", yaml.safe_dump(data))
    assert "identical" in await _share_file(slack, "p.yaml", yaml.safe_dump(data))
    data["tools"][0]["status"] = "allowed"
    problems = await _share_file(slack, "bad.yaml", yaml.safe_dump(data))
    assert "Nothing was changed" in problems
    assert "tools[0].status" in problems
    assert await store.policies.head_version() == before + 1


async def test_a_shared_file_over_1_mb_is_refused_even_when_files_info_says_small(
        slack: SlackHarness) -> None:
    """The size is counted over every chunk read (one read(n) returns what is buffered)."""
    info = slack.fake.add_file("big.yaml", b"meta:\n" + b"# padding\n" * 150_000)
    info["size"] = 10  # files.info may not know (or tell) the real size
    before = len(slack.fake.calls_to("chat.postMessage"))
    assert await slack.dm("import", user=ADMIN, subtype="file_share",
                          files=[{"id": info["id"], "name": "big.yaml"}]) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=before + 1)
    assert "larger than 1 MB" in json.dumps(calls[before].params, ensure_ascii=False)


async def _share_with(slack: SlackHarness, message: str, name: str, content: str) -> str:
    info = slack.fake.add_file(name, content.encode())
    before = len(slack.fake.calls_to("chat.postMessage"))
    assert await slack.dm(message, user=ADMIN, subtype="file_share",
                          files=[{"id": info["id"], "name": name}]) == 200
    calls = await slack.fake.wait_for("chat.postMessage", count=before + 1)
    return json.dumps(calls[before].params, ensure_ascii=False)


async def test_import_runs_the_policy_tests_and_force_is_audited(slack: SlackHarness) -> None:
    store = slack.runtime.store
    before = await store.policies.head_version()
    data = yaml.safe_load(dump_policy((await store.policies.current()).policy))  # type: ignore[union-attr]
    midjourney = next(t for t in data["tools"] if t["id"] == "midjourney")
    midjourney["status"] = "approved"  # breaks "Midjourney is prohibited, with ... alternatives"
    # The upload carries no tests, so the live policy's tests (policies/tests.yaml) apply.
    refused = await _share_with(slack, "import", "p.yaml", yaml.safe_dump(data))
    assert "Nothing was imported: the policy tests failed" in refused
    assert "Midjourney is prohibited, with approved alternatives" in refused
    assert "midjourney is not refused" in refused
    assert await store.policies.head_version() == before
    forced = await _share_with(slack, "admin import force", "p.yaml", yaml.safe_dump(data))
    assert f"as policy version {before + 1}" in forced  # "admin import" works as in Teams
    audit = await store.audit.recent()
    refusal = next(a for a in audit if a.action == "import" and not a.allowed)
    assert refusal.detail["reason"] == "policy tests failed"
    entry = next(a for a in audit if a.action == "import" and a.version == before + 1)
    assert entry.detail["forced"] is True
    assert entry.detail["tests"]["failed"]
    assert entry.detail["changes"] == [f"{midjourney['name']}: status prohibited → approved"]


async def test_a_form_asked_for_in_a_dm_opens_from_a_button(slack: SlackHarness) -> None:
    """Slack opens modals only from a command or a click: a DM gets a button that does."""
    assert await slack.dm("admin tool deepl-pro", user=ADMIN) == 200
    (post,) = await slack.fake.wait_for("chat.postMessage")
    value = button(post.params, "Edit")
    assert json.loads(value) == {"c": "admin tool deepl-pro"}
    assert slack.fake.calls_to("views.open") == []
    assert await slack.click(value, user=ADMIN) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    assert json.loads(opened.params["view"]["private_metadata"])["form"] == "tool"
