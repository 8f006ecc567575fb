"""Conversation flow over HTTP: activities POSTed to the real app (dev mode, loopback), the
real bot, conversation core and SQLite database; replies come back through the fake Bot
Connector, dialogs in the invoke's HTTP answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import (
    ADMIN_AAD,
    USER_AAD,
    Served,
    button,
    buttons,
    inputs,
    make_activity,
    open_dialog,
    submit_data,
    text_of,
)


@pytest.fixture
async def served(serve: Any, teams_settings: Any) -> Served:
    return await serve(teams_settings())  # type: ignore[no-any-return]


async def test_help_lists_the_commands(served: Served, connector: FakeBotConnector) -> None:
    [card] = await served.say(connector, "help")
    assert card["body"][0]["text"] == "How I can help"
    assert "tool <name>" in text_of(card)
    assert "What can I use" in text_of(card)  # example questions: how to ask
    assert not any(b.get("title") == "Helpful" for b in buttons(card))  # no feedback on help


async def test_tool_command_gives_status_data_limit_and_access(
        served: Served, connector: FakeBotConnector) -> None:
    [blocked] = await served.say(connector, "tool DeepSeek")
    assert "DeepSeek" in blocked["body"][0]["text"]
    assert "Prohibited" in text_of(blocked)
    [ok] = await served.say(connector, "tool ChatGPT Enterprise")
    assert "ChatGPT Enterprise" in ok["body"][0]["text"]
    assert "Approved" in text_of(ok)
    assert "Confidential" in text_of(ok)  # the data limit
    assert any(b["type"] == "Action.OpenUrl" for b in buttons(ok))  # how to get it


async def test_list_and_redlines(served: Served, connector: FakeBotConnector,
                                 sample_policy: Any) -> None:
    [listed] = await served.say(connector, "list")
    assert all(tool.name in text_of(listed) for tool in sample_policy.tools)
    [red] = await served.say(connector, "redlines")
    assert all(line.title in text_of(red) for line in sample_policy.red_lines)


async def test_red_line_is_shown_with_its_why(served: Served, connector: FakeBotConnector
                                              ) -> None:
    [card] = await served.say(connector, "Can I paste our AWS secret key into ChatGPT?")
    assert "Why" in text_of(card)
    assert "secret" in text_of(card).lower()


async def test_feedback_clicks_are_stored_once_and_update_the_card(
        served: Served, connector: FakeBotConnector) -> None:
    store = served.runtime.store
    [card] = await served.say(connector, "What can I use to summarize a PDF?")
    answered = connector.sent[-1]
    data = button(card, "Not what I needed")["data"]
    assert set(data) == {"concierge"}

    [thanks] = await served.say(connector, value=data)
    assert "passed your question to IT" in text_of(thanks)
    entry = await store.queries.get(int(data["concierge"]["query_id"]))
    assert entry is not None
    assert entry.feedback == "not_helpful"
    [unmet] = await store.unmet.list()
    assert unmet.question == entry.question
    assert answered.activity["attachments"]

    [again] = await served.say(connector, value=data)  # a second click
    assert "already have your feedback" in text_of(again)
    assert len(await store.unmet.list()) == 1
    helpful = {"concierge": {**data["concierge"], "helpful": "yes"}}
    assert "Thanks for the feedback" in text_of((await served.say(connector, value=helpful))[0])


async def test_a_click_whose_reply_replaces_the_card_updates_it_in_place(
        served: Served, connector: FakeBotConnector) -> None:
    cancel = {"concierge": {"a": "cancel", "form": "tool"}}
    before = len(connector.sent)
    [cancelled] = await served.say(connector, value=cancel, replyToId="card-7")
    [record] = connector.sent[before:]
    assert record.updated
    assert record.reply_to_id == "card-7"
    assert "Cancelled" in text_of(cancelled)

    connector.fail_updates = 1  # the message was deleted meanwhile: a new one instead
    before = len(connector.sent)
    await served.say(connector, value=cancel, replyToId="card-8")
    [record] = connector.sent[before:]
    assert not record.updated
    assert "Cancelled" in text_of(record.activity)


async def test_unmet_answer_offers_i_need_this_too(served: Served, connector: FakeBotConnector
                                                   ) -> None:
    [card] = await served.say(connector, "Can an AI robot water the office plants every weekend?")
    vote = button(card, "I need this too")["data"]
    assert "logged" in text_of(card)
    [counted] = await served.say(connector, value=vote, aad="someone-else")
    [again] = await served.say(connector, value=vote, aad="someone-else")
    assert text_of(counted) != text_of(again)  # counted once, then "already"
    [record] = await served.runtime.store.unmet.list()
    assert record.votes == 1


@pytest.mark.parametrize("value", [
    {"action": "feedback"},
    {"concierge": {"a": "feedback", "query_id": "1; DROP TABLE", "helpful": "yes"}},
    {"concierge": {"a": "vote"}},
    {"concierge": {"a": "mystery"}},
    {"concierge": "not an object"},
    {},
])
async def test_card_clicks_with_missing_fields_get_a_polite_reply(
        served: Served, connector: FakeBotConnector, value: dict[str, Any]) -> None:
    [card] = await served.say(connector, value=value)
    assert card["fallbackText"]
    assert "wrong on my side" not in text_of(card)  # a sentence for the person, not a crash


async def test_non_admin_edit_is_refused_and_audited(served: Served, connector: FakeBotConnector
                                                     ) -> None:
    store = served.runtime.store
    before = await store.policies.head_version()
    [refused] = await served.say(connector, "admin status deepseek approved")
    assert "admin" in text_of(refused).lower()
    [opener] = await served.say(connector, "admin tool add", aad=ADMIN_AAD)
    dialog = await open_dialog(served, connector, opener, aad=ADMIN_AAD)
    answer = await served.invoke(connector, "task/submit", {"data": {
        **submit_data(dialog), "id": "sneaky", "name": "Sneaky AI", "status": "standard",
        "summary": "Approve me"}})
    assert answer is not None
    assert "admin" in str(answer).lower()
    assert await store.policies.head_version() == before
    refusals = [e for e in await store.audit.recent() if not e.allowed]
    assert {(e.actor, e.source) for e in refusals} == {(USER_AAD, "teams")}
    assert len(refusals) == 2


async def test_admin_tool_dialog_shows_validation_errors_then_saves(
        served: Served, connector: FakeBotConnector) -> None:
    store = served.runtime.store
    version = await store.policies.head_version()
    [opener] = await served.say(connector, "admin tool add", aad=ADMIN_AAD)
    dialog = await open_dialog(served, connector, opener, aad=ADMIN_AAD)
    fields = inputs(dialog)
    assert {"id", "name", "status", "summary"} <= set(fields)
    assert fields["status"]["type"] == "Input.ChoiceSet"
    submit = submit_data(dialog)

    missing = await served.invoke(connector, "task/submit",
                                  {"data": {**submit, "id": "newbot"}}, aad=ADMIN_AAD)
    again = missing["task"]["value"]["card"]["content"]  # type: ignore[index]
    assert inputs(again)["id"].get("value") == "newbot"  # input kept
    assert await store.policies.head_version() == version

    valid = {**submit, "id": "newbot", "name": "NewBot", "status": "approved",
             "summary": "A new bot.", "access_url": "https://it.example/newbot"}
    before = len(connector.sent)
    closed = await served.invoke(connector, "task/submit", {"data": valid}, aad=ADMIN_AAD,
                                 replyToId="opener-1")
    assert closed is None  # success closes the dialog
    saved = connector.sent[before]  # then its impact on past asks, updated in place
    assert "version" in text_of(saved.activity).lower()
    assert saved.updated
    assert saved.reply_to_id == "opener-1"
    tool = (await store.policies.current()).policy.tool("newbot")
    assert tool is not None
    assert str(tool.access.url) == "https://it.example/newbot"

    stale = await served.invoke(connector, "task/submit",
                                {"data": {**valid, "summary": "Stale edit."}}, aad=ADMIN_AAD)
    assert stale is not None
    assert stale["task"]["type"] == "continue"
    assert (await store.policies.current()).policy.tool("newbot").summary == "A new bot."


async def test_admin_edit_keeps_fields_the_dialog_does_not_show(
        served: Served, connector: FakeBotConnector) -> None:
    store = served.runtime.store
    [opener] = await served.say(connector, "admin tool edit ChatGPT Enterprise", aad=ADMIN_AAD)
    dialog = await open_dialog(served, connector, opener, aad=ADMIN_AAD)
    values = {k: v.get("value", "") for k, v in inputs(dialog).items()}
    assert values["name"] == "ChatGPT Enterprise"
    version = await store.policies.head_version()
    assert await served.invoke(connector, "task/submit", {"data": {
        **submit_data(dialog), **values, "summary": "Updated summary."}}, aad=ADMIN_AAD) is None
    before = (await store.policies.get(version)).policy.tool("chatgpt-enterprise")
    tool = (await store.policies.current()).policy.tool("chatgpt-enterprise")
    assert tool.summary == "Updated summary."
    assert tool.aliases == before.aliases
    assert tool.good_for == before.good_for
    assert tool.model_extra == before.model_extra


async def test_admin_history_rollback_and_unmet(served: Served, connector: FakeBotConnector
                                                ) -> None:
    store = served.runtime.store
    start = await store.policies.head_version()

    async def say(text: str | None = None, value: dict[str, Any] | None = None) -> dict:
        [card] = await served.say(connector, text, value=value, aad=ADMIN_AAD)
        return card

    await say("admin retire deepseek")
    assert (await store.policies.current()).policy.tool("deepseek") is None
    assert "DeepSeek" in text_of(await say("admin history"))
    await say(f"admin rollback {start}")
    assert (await store.policies.current()).policy.tool("deepseek") is not None
    await say("admin redline remove no-deepfakes")
    assert "no-deepfakes" not in {r.id for r in (await store.policies.current()).policy.red_lines}
    edit = await say("admin usecase edit summarize-documents")
    assert any(b.get("data", {}).get("msteams") for b in buttons(edit))  # opens a dialog
    await say("admin status deepseek fine")
    assert (await store.policies.current()).policy.tool("deepseek").status.value == "prohibited"

    await served.say(connector, "Can an AI robot water the office plants every weekend?")
    review = await say("admin unmet")
    await say(value=button(review, "Planned")["data"])
    assert await store.unmet.list(status="planned")


async def test_duplicate_activity_id_is_answered_once(served: Served, connector: FakeBotConnector
                                                      ) -> None:
    body = make_activity(connector.url, "help", activity_id="same-id")
    assert [(await served.post(body)).status for _ in range(2)] == [201, 201]
    await served.settle()
    assert len(connector.sent) == 1


async def test_conversation_reference_is_stored_on_each_message(
        served: Served, connector: FakeBotConnector) -> None:
    await served.say(connector, "help")
    [(conv_id, kind, reference, _)] = await served.runtime.store.conversations.all("teams")
    assert (conv_id, kind) == ("a:personal-chat-1", "personal")
    assert reference["serviceUrl"] == connector.url
    # Only what a proactive post needs: no user, AAD object id or display name.
    assert "user" not in reference
    assert USER_AAD not in str(reference)


async def test_a_rating_updates_the_answer_in_place_without_its_rating_buttons(
        served: Served, connector: FakeBotConnector) -> None:
    [card] = await served.say(connector, "What can I use to summarize a PDF?")
    titles = [b.get("title") for b in buttons(card)]
    before = len(connector.sent)
    [rated] = await served.say(connector, value=button(card, "Helpful")["data"],
                               replyToId="answer-1")
    [record] = connector.sent[before:]
    assert record.updated
    assert record.reply_to_id == "answer-1"
    assert rated["body"][0]["text"] == card["body"][0]["text"]  # the same answer
    assert "Microsoft 365 Copilot" in text_of(rated)
    assert "Thanks for the feedback — noted." in text_of(rated)
    left = [b.get("title") for b in buttons(rated)]
    assert left == [t for t in titles if t not in ("Helpful", "Not what I needed")]
    assert "Ask IT" in left

    again_data = button(card, "Helpful")["data"]  # a second click (a double click)
    [again] = await served.say(connector, value=again_data, replyToId="answer-1")
    assert "already have your feedback" in text_of(again)
    assert not connector.sent[-1].updated  # the rated answer stays as it is
    assert await served.runtime.store.unmet.list() == []
