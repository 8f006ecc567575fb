"""Ask IT from Teams over HTTP (issue 13 §4): the asker's click posts a new thread in IT's
channel (TEAMS_IT_CONVERSATION, through the reference stored when the app was installed
there); IT's reply in that thread is relayed to the asker's personal chat.
"""

from __future__ import annotations

from typing import Any

from bot.core.handoffs import ThreadRef
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import USER_AAD, Served, button, make_activity, text_of

IT = "19:it-desk@thread.tacv2"
QUESTION = "Can I use an AI to draft replies to customer complaints?"


async def _install_in_it_channel(served: Served, connector: FakeBotConnector) -> None:
    body = make_activity(connector.url, None, activity_type="installationUpdate", action="add",
                         conversation_id=IT, conversation_type="channel")
    assert (await served.post(body)).status == 201
    await served.settle()


async def test_ask_it_posts_to_it_and_relays_its_thread_reply_to_the_asker(
        serve: Any, teams_settings: Any, connector: FakeBotConnector) -> None:
    served: Served = await serve(teams_settings(teams_it_conversation=IT))
    await _install_in_it_channel(served, connector)
    [answer] = await served.say(connector, QUESTION)
    ask = button(answer, "Ask IT")["data"]

    before = len(connector.sent)
    await served.say(connector, value=ask)
    [post] = [r for r in connector.sent[before:] if r.conversation_id == IT]
    [confirmed] = [r for r in connector.sent[before:] if r.conversation_id != IT]
    assert "Passed on to IT" in text_of(confirmed.activity)
    assert post.reply_to_id is None  # a new thread, not a reply to anything
    assert "A question for IT" in text_of(post.activity)
    assert "Pat Doe" in text_of(post.activity)  # IT sees who asked (display name, not stored)
    assert "customer complaints" in text_of(post.activity)
    handoffs = served.runtime.services.handoffs
    handoff = await handoffs.by_thread("teams", ThreadRef(IT, post.id))
    assert handoff is not None
    assert handoff.status == "posted"
    assert "Pat Doe" not in repr(handoff)

    [again] = await served.say(connector, value=ask)  # a second click: no second post
    assert "Already with IT" in text_of(again)
    assert [r for r in connector.sent if r.conversation_id == IT] == [post]
    [refused] = await served.say(connector, value=ask, aad="someone-else")
    assert "Only the person who asked" in text_of(refused)

    before = len(connector.sent)
    reply = make_activity(
        connector.url, "<at>AI Tool Concierge</at> Yes: use Microsoft 365 Copilot for that.",
        conversation_id=f"{IT};messageid={post.id}", conversation_type="channel",
        user_id="29:ivy", aad="aad-ivy",
        entities=[{"type": "mention", "text": "<at>AI Tool Concierge</at>",
                   "mentioned": {"id": "28:concierge-bot", "name": "AI Tool Concierge"}}])
    reply["from"]["name"] = "Ivy from IT"
    assert (await served.post(reply)).status == 201
    await served.settle()
    [relayed] = connector.sent[before:]  # to the asker only; nothing answered in IT's thread
    assert relayed.conversation_id == "a:personal-chat-1"
    assert "IT replied to your question" in text_of(relayed.activity)
    assert "Yes: use Microsoft 365 Copilot for that." in text_of(relayed.activity)
    assert "Ivy from IT" in text_of(relayed.activity)
    handoff = await handoffs.by_thread("teams", ThreadRef(IT, post.id))
    assert handoff is not None
    assert handoff.status == "answered"
    assert USER_AAD not in str(await served.runtime.store.conversations.all("teams"))


async def test_asked_in_a_channel_the_reply_reaches_the_asker_in_a_personal_chat(
        serve: Any, teams_settings: Any, connector: FakeBotConnector) -> None:
    served: Served = await serve(teams_settings(teams_it_conversation=IT))
    await _install_in_it_channel(served, connector)
    channel = {"conversation_id": "19:general@thread.tacv2;messageid=77",
               "conversation_type": "channel"}
    [answer] = await served.say(connector, f"<at>AI Tool Concierge</at> {QUESTION}", **channel)
    before = len(connector.sent)
    await served.say(connector, value=button(answer, "Ask IT")["data"], **channel)
    [post] = [r for r in connector.sent[before:] if r.conversation_id == IT]
    [opened] = connector.created  # a personal chat with the asker, for the relay
    assert opened["members"] == [{"id": "29:" + USER_AAD}]
    assert opened["isGroup"] is False

    before = len(connector.sent)
    reply = make_activity(connector.url, "<at>AI Tool Concierge</at> Ask your manager.",
                          conversation_id=f"{IT};messageid={post.id}",
                          conversation_type="channel", user_id="29:ivy", aad="aad-ivy")
    assert (await served.post(reply)).status == 201
    await served.settle()
    [relayed] = connector.sent[before:]
    assert relayed.conversation_id == "a:created-1"  # privately, not in the channel
    assert "Ask your manager." in text_of(relayed.activity)


async def test_other_threads_in_the_it_channel_are_answered_as_usual(
        serve: Any, teams_settings: Any, connector: FakeBotConnector) -> None:
    served: Served = await serve(teams_settings(teams_it_conversation=IT))
    [card] = await served.say(connector, "<at>AI Tool Concierge</at> help",
                              conversation_id=f"{IT};messageid=12345",
                              conversation_type="channel")
    assert card["body"][0]["text"] == "How I can help"


async def test_without_an_it_conversation_the_asker_is_told_how_to_reach_it(
        serve: Any, teams_settings: Any, connector: FakeBotConnector) -> None:
    served: Served = await serve(teams_settings())
    [answer] = await served.say(connector, QUESTION)
    [told] = await served.say(connector, value=button(answer, "Ask IT")["data"])
    assert "can't pass questions to IT from here" in text_of(told)
    assert all(r.conversation_id == "a:personal-chat-1" for r in connector.sent)


async def test_an_it_channel_the_app_is_not_installed_in_is_a_polite_failure(
        serve: Any, teams_settings: Any, connector: FakeBotConnector) -> None:
    served: Served = await serve(teams_settings(teams_it_conversation=IT))
    [answer] = await served.say(connector, QUESTION)
    [failed] = await served.say(connector, value=button(answer, "Ask IT")["data"])
    assert "couldn't reach IT" in text_of(failed)
    assert all(r.conversation_id != IT for r in connector.sent)
