"""Conversation flow with botbuilder's TestAdapter: the real bot, core and SQLite database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge
from bot.store import Store
from bot.teams.admin import TeamsAdmin
from bot.teams.bot import ConciergeTeamsBot
from tests.teams.conftest import ADMIN_AAD, USER_AAD

CARD = "application/vnd.microsoft.card.adaptive"


def _card(activity: Activity) -> dict[str, Any]:
    [attachment] = activity.attachments
    assert attachment.content_type == CARD
    assert attachment.content["fallbackText"]
    return attachment.content  # type: ignore[no-any-return]


def _texts(card: dict[str, Any]) -> str:
    return json.dumps(card["body"], ensure_ascii=False)


async def ask(adapter: TestAdapter, activity: Activity | str) -> dict[str, Any]:
    """Send one activity and return the card of the one reply it gets.

    TestFlow awaits the inspector and, when it is a plain function, calls it a second
    time; an async inspector runs exactly once.
    """
    got: list[dict[str, Any]] = []

    async def grab(reply: Activity, description: str | None = None) -> None:
        got.append(_card(reply))

    await (await adapter.send(activity)).assert_reply(grab)
    return got[0]


@pytest.fixture
def adapter(concierge: Concierge, store: Store) -> TestAdapter:
    admin = TeamsAdmin(PolicyAdmin(store, admins=[ADMIN_AAD]))
    bot = ConciergeTeamsBot(concierge, store, admin)
    template = Activity(
        channel_id="msteams", service_url="https://smba.example/teams/",
        from_property=ChannelAccount(id="29:user-1", name="Pat", aad_object_id=USER_AAD),
        recipient=ChannelAccount(id="28:bot", name="Concierge"),
        conversation=ConversationAccount(id="a:chat-1", conversation_type="personal"),
    )
    return TestAdapter(bot.on_turn, template)


def _as(aad: str, text: str | None = None, value: dict[str, Any] | None = None) -> Activity:
    return Activity(type="message", text=text, value=value,
                    from_property=ChannelAccount(id=f"29:{aad}", aad_object_id=aad))


async def test_help_lists_the_commands(adapter):
    def check(activity: Activity, description: str | None = None) -> None:
        card = _card(activity)
        assert card["body"][0]["text"] == "How I can help"
        assert "tool <name>" in _texts(card)
        assert "actions" not in card  # no feedback buttons on help

    await (await adapter.send("help")).assert_reply(check)


async def test_tool_command_gives_status_data_limit_and_access(adapter):
    def check(activity: Activity, description: str | None = None) -> None:
        card = _card(activity)
        assert card["body"][0]["text"].startswith("No: ")  # prohibited or under review
        assert "Approved alternatives" in _texts(card)

    def check_ok(activity: Activity, description: str | None = None) -> None:
        card = _card(activity)
        assert card["body"][0]["text"] == "Yes: ChatGPT Enterprise is approved here."
        text = _texts(card)
        assert "Up to Confidential data" in text
        assert "Action.OpenUrl" in text

    await (await adapter.send("tool DeepSeek")).assert_reply(check)
    await (await adapter.send("tool ChatGPT Enterprise")).assert_reply(check_ok)


async def test_list_and_redlines(adapter, sample_policy):
    def check_list(activity: Activity, description: str | None = None) -> None:
        text = _texts(_card(activity))
        assert all(tool.name in text for tool in sample_policy.tools)

    def check_red(activity: Activity, description: str | None = None) -> None:
        card = _card(activity)
        assert all(line.why[:40] in _texts(card) for line in sample_policy.red_lines)

    await (await adapter.send("list")).assert_reply(check_list)
    await (await adapter.send("redlines")).assert_reply(check_red)


async def test_red_line_is_shown_with_its_why(adapter, sample_policy):
    def check(activity: Activity, description: str | None = None) -> None:
        card = _card(activity)
        assert "⚠ Red line" in _texts(card)
        assert "Why:" in _texts(card)

    await (await adapter.send("Can I paste our AWS secret key into ChatGPT?")).assert_reply(check)


async def test_feedback_submits_are_stored(adapter, store):
    card = await ask(adapter, "What can I use to summarize a PDF?")
    data = next(a["data"] for a in card["actions"] if a["title"] == "Not what I needed")
    assert data["action"] == "feedback"
    assert isinstance(data["query_id"], int)

    thanks = await ask(adapter, _as(USER_AAD, value=data))
    assert "passed your question to IT" in thanks["fallbackText"]
    entry = await store.queries.get(data["query_id"])
    assert entry is not None
    assert entry.feedback == "not_helpful"
    [unmet] = await store.unmet.list()
    assert unmet.question == entry.question

    again = await ask(adapter, _as(USER_AAD, value=data))  # a second click
    assert "already have your feedback" in again["fallbackText"]
    assert len(await store.unmet.list()) == 1

    helpful = {**data, "helpful": True}
    assert "Thanks for the feedback" in (await ask(adapter, _as(USER_AAD, value=helpful)))[
        "fallbackText"]


async def test_unmet_answer_offers_i_need_this_too(adapter, store):
    card = await ask(adapter, "Can an AI robot water the office plants every weekend?")
    vote = next(a["data"] for a in card["actions"] if a["title"] == "I need this too")
    assert "logged" in card["fallbackText"]
    counted = await ask(adapter, _as("someone-else", value=vote))
    assert "counted your vote" in counted["fallbackText"]
    again = await ask(adapter, _as("someone-else", value=vote))
    assert "already said" in again["fallbackText"]
    [record] = await store.unmet.list()
    assert record.votes == 1


@pytest.mark.parametrize("value", [
    {"action": "feedback"},
    {"action": "feedback", "query_id": "1; DROP TABLE", "helpful": True},
    {"action": "vote"},
    {"action": "mystery"},
    {},
])
async def test_card_submit_with_missing_fields_gets_a_polite_reply(adapter, value):
    def check(activity: Activity, description: str | None = None) -> None:
        text = _card(activity)["fallbackText"]
        assert "out of date" in text or "didn't recognise" in text

    await (await adapter.send(_as(USER_AAD, value=value))).assert_reply(check)


async def test_non_admin_edit_is_refused_and_audited(adapter, store):
    before = await store.policies.head_version()

    def refused(activity: Activity, description: str | None = None) -> None:
        assert "only AI policy admins" in _card(activity)["fallbackText"]

    await (await adapter.send("admin status deepseek approved")).assert_reply(refused)
    form = {"action": "admin_save", "kind": "tool", "expected_version": before, "editing": "",
            "f_id": "sneaky", "f_name": "Sneaky AI", "f_status": "standard",
            "f_summary": "Approve me"}
    await (await adapter.send(_as(USER_AAD, value=form))).assert_reply(refused)
    assert await store.policies.head_version() == before
    refusals = [e for e in await store.audit.recent() if not e.allowed]
    assert {(e.actor, e.source) for e in refusals} == {(USER_AAD, "teams")}
    assert len(refusals) == 2


async def test_admin_tool_form_shows_validation_errors_then_saves(adapter, store):
    version = await store.policies.head_version()
    form = await ask(adapter, _as(ADMIN_AAD, "admin tool add"))
    inputs = {i["id"]: i for i in form["body"] if i["type"].startswith("Input.")}
    assert {"f_id", "f_name", "f_status", "f_summary", "f_good_for"} <= set(inputs)
    assert inputs["f_status"]["type"] == "Input.ChoiceSet"
    submit = form["actions"][0]["data"]
    assert submit["expected_version"] == version

    missing = await ask(adapter, _as(ADMIN_AAD, value={**submit, "f_id": "newbot"}))
    text = _texts(missing)
    assert "Nothing was saved" in text
    assert "Name: required" in text
    assert "Summary: required" in text

    invalid = {**submit, "f_id": "newbot", "f_name": "NewBot", "f_status": "approved",
               "f_summary": "A new bot.", "f_good_for": "summarize-documents,not-a-use-case"}
    shown = await ask(adapter, _as(ADMIN_AAD, value=invalid))
    assert "unknown use case 'not-a-use-case'" in _texts(shown)
    assert any(i.get("value") == "NewBot" for i in shown["body"])  # input kept
    assert await store.policies.head_version() == version

    valid = {**invalid, "f_good_for": "summarize-documents",
             "f_access_url": "https://it.example/newbot"}
    saved = await ask(adapter, _as(ADMIN_AAD, value=valid))
    assert "Saved as policy version" in saved["fallbackText"]
    tool = (await store.policies.current()).policy.tool("newbot")
    assert tool is not None
    assert str(tool.access.url) == "https://it.example/newbot"

    stale = await ask(adapter, _as(ADMIN_AAD, value={**valid, "f_summary": "Stale edit."}))
    assert "Nothing was saved" in _texts(stale)  # the form's version is out of date


async def test_admin_edit_keeps_fields_the_form_does_not_show(adapter, store):
    form = await ask(adapter, _as(ADMIN_AAD, "admin tool edit ChatGPT Enterprise"))
    assert "Edit tool chatgpt-enterprise" in _texts(form)
    values = {i["id"]: i.get("value", "") for i in form["body"] if i["type"].startswith("Input.")}
    assert values["f_name"] == "ChatGPT Enterprise"
    data = {**form["actions"][0]["data"], **values, "f_summary": "Updated summary."}
    saved = await ask(adapter, _as(ADMIN_AAD, value=data))
    assert "Saved as policy version" in saved["fallbackText"]
    before = (await store.policies.get(data["expected_version"])).policy.tool("chatgpt-enterprise")
    tool = (await store.policies.current()).policy.tool("chatgpt-enterprise")
    assert tool.summary == "Updated summary."
    assert tool.aliases == before.aliases
    assert tool.good_for == before.good_for
    assert tool.model_extra == before.model_extra


async def test_admin_history_rollback_and_unmet(adapter, store):
    start = await store.policies.head_version()

    async def say(text: str | None = None, value: dict[str, Any] | None = None) -> dict:
        return await ask(adapter, _as(ADMIN_AAD, text, value))

    await say("admin retire deepseek")
    assert (await store.policies.current()).policy.tool("deepseek") is None
    history = await say("admin history")
    assert "Removed tool DeepSeek (was prohibited)" in _texts(history)
    await say(f"admin rollback {start}")
    assert (await store.policies.current()).policy.tool("deepseek") is not None
    removed = await say("admin redline remove no-deepfakes")
    assert "Saved as policy version" in removed["fallbackText"]
    assert "Edit use case" in _texts(await say("admin usecase edit summarize-documents"))
    assert "Unknown status" in (await say("admin status deepseek fine"))["fallbackText"]

    await ask(adapter, "Can an AI robot water the office plants every weekend?")
    review = await say("admin unmet")
    button = next(a for c in review["body"][1:] for i in c["items"] if i["type"] == "ActionSet"
                  for a in i["actions"] if a["title"] == "Planned")
    marked = await say(value=button["data"])
    assert "marked planned" in marked["fallbackText"]
    assert await store.unmet.list(status="planned")


async def test_duplicate_activity_id_is_answered_once(adapter):
    await ask(adapter, Activity(type="message", text="help", id="same-id"))
    flow = await adapter.send(Activity(type="message", text="help", id="same-id"))
    await flow.assert_no_reply()
    assert adapter.activity_buffer == []


async def test_conversation_reference_is_stored_on_each_message(adapter, store):
    await ask(adapter, "help")
    [(conv_id, kind, reference, _)] = await store.conversations.all("teams")
    assert (conv_id, kind) == ("a:chat-1", "personal")
    assert reference["serviceUrl"] == "https://smba.example/teams/"
    # Only what a proactive post needs: no user, AAD object id or display name.
    assert "user" not in reference
    assert USER_AAD not in str(reference)
