"""Ask IT (issue 13 §4) on a real database: a handoff holds the redacted question and the
answer given, only the asker may open it, IT's thread leads back to it, retention
deletes it, and the three replies say what IT sees and what happens next."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.core.concierge import Concierge, Message
from bot.core.handoff_views import it_post, passed_on, relayed
from bot.core.handoffs import Handoff, Handoffs, NotYourQuestion, ThreadRef
from bot.core.insights.retention import apply_retention
from bot.errors import InputError
from bot.store import Actor, Store
from bot.store.insights import InsightStore
from bot.store.tables import QueryEntry

RAW = ("Can I paste the contract jane.doe@corp.example sent into ChatGPT? "
       "Call me on +44 20 7946 0958")
ASKER = Actor("U123ASKER", "slack")


async def _asked(concierge: Concierge, text: str = RAW, asker: Actor = ASKER) -> int:
    answer = await concierge.answer(Message(text=text, asker=asker.id, platform=asker.source))
    assert answer.query_id is not None
    return answer.query_id


def _service(store: Store, concierge: Concierge) -> Handoffs:
    return Handoffs(store, pseudonym=concierge.pseudonym)


async def _stored_text(store: Store) -> str:
    async with store.engine.connect() as connection:
        rows = await connection.execute(text("SELECT question, answer FROM handoffs"))
        return " ".join(f"{q} {a}" for q, a in rows)


async def test_open_keeps_the_redacted_question_and_the_headline_shown(
    store: Store, concierge: Concierge
) -> None:
    answer = await concierge.answer(Message(text=RAW, asker=ASKER.id, platform="slack"))
    assert answer.query_id is not None
    handoff = await _service(store, concierge).open(ASKER, answer.query_id)

    assert handoff.new
    assert handoff.status == "open"
    assert handoff.platform == "slack"
    assert handoff.query_id == answer.query_id
    assert handoff.asker_id == ASKER.id  # to relay IT's reply
    assert handoff.asker == concierge.pseudonym(ASKER.id)
    assert handoff.answer == answer.headline
    assert "[EMAIL]" in handoff.question
    assert "ChatGPT" in handoff.question
    stored = await _stored_text(store)
    assert "jane.doe" not in stored
    assert "7946" not in stored


async def test_a_second_click_finds_the_first_handoff(store: Store, concierge: Concierge) -> None:
    service = _service(store, concierge)
    query_id = await _asked(concierge)
    first = await service.open(ASKER, query_id)
    again = await service.open(ASKER, query_id)
    assert (again.id, again.new, first.new) == (first.id, False, True)
    async with store.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM handoffs")) == 1


async def test_only_the_asker_can_pass_a_question_on(store: Store, concierge: Concierge) -> None:
    service = _service(store, concierge)
    query_id = await _asked(concierge)
    with pytest.raises(NotYourQuestion, match="Only the person who asked") as refused:
        await service.open(Actor("U999OTHER", "slack"), query_id)
    assert isinstance(refused.value, InputError)  # user_message shows its own words
    with pytest.raises(NotYourQuestion):
        await service.open(ASKER, query_id + 1000)  # no such query (e.g. purged)
    assert await _stored_text(store) == ""


async def test_it_thread_leads_back_to_the_handoff(store: Store, concierge: Concierge) -> None:
    service = _service(store, concierge)
    handoff = await service.open(ASKER, await _asked(concierge),
                                 origin=ThreadRef("D0ASKERDM", "1700000000.000100"))
    post = ThreadRef("C0ITDESK", "1700000001.000200")
    await service.posted(handoff.id, post)

    found = await service.by_thread("slack", post)
    assert found is not None
    assert (found.id, found.status, found.it_thread) == (handoff.id, "posted", post)
    assert found.origin == ThreadRef("D0ASKERDM", "1700000000.000100")
    assert await service.by_thread("teams", post) is None
    assert await service.by_thread("slack", ThreadRef("C0ITDESK", "1700000009.0")) is None

    await service.relayed(handoff.id)
    answered = await service.get(handoff.id)
    assert answered is not None
    assert answered.status == "answered"
    with pytest.raises(InputError, match="no longer exists"):
        await service.posted(handoff.id + 1000, post)


async def test_teams_handoffs_are_found_by_conversation_and_activity(
    store: Store, concierge: Concierge
) -> None:
    asker = Actor("29:1aad-object-id", "teams")
    service = _service(store, concierge)
    handoff = await service.open(asker, await _asked(concierge, "is grammarly approved?", asker))
    post = ThreadRef("19:itdesk@thread.tacv2", "1700000002345")
    await service.posted(handoff.id, post)
    found = await service.by_thread("teams", post)
    assert found is not None
    assert found.id == handoff.id
    assert found.platform == "teams"


async def test_a_query_logged_before_headlines_still_says_what_was_answered(
    store: Store, concierge: Concierge
) -> None:
    pseudonym = concierge.pseudonym(ASKER.id)
    old = QueryEntry(platform="slack", asker=pseudonym, question="summarise a [EMAIL] thread",
                     outcome="answered", tools=["m365-copilot", "chatgpt-enterprise"])
    query_id, _ = await store.queries.record(old)
    handoff = await _service(store, concierge).open(ASKER, query_id)
    assert handoff.answer == "Suggested approved tools; tools: m365-copilot, chatgpt-enterprise"


async def test_retention_deletes_handoffs_with_the_logs(store: Store, concierge: Concierge) -> None:
    service = _service(store, concierge)
    await service.open(ASKER, await _asked(concierge))
    later = datetime.now(UTC) + timedelta(days=40)
    await apply_retention(InsightStore(store.sessions), days=30, now=later)
    assert await _stored_text(store) == ""


async def test_retention_deletes_the_relay_references_with_their_handoffs(
    store: Store, concierge: Concierge
) -> None:
    service = _service(store, concierge)
    old = await service.open(ASKER, await _asked(concierge))
    chat = {"conversation": {"id": "a:personal-chat"}, "serviceUrl": "https://smba.example"}
    await service.keep_origin(old.id, chat)
    assert await service.origin(old.id) == chat
    async with store.engine.begin() as connection:  # a younger handoff keeps its reference
        await connection.execute(text("UPDATE handoffs SET created_at = :at"),
                                 {"at": datetime.now(UTC) - timedelta(days=40)})
        await connection.execute(text("UPDATE query_log SET at = :at"),
                                 {"at": datetime.now(UTC) - timedelta(days=40)})
    young = await service.open(Actor("U456OTHER", "teams"),
                               await _asked(concierge, asker=Actor("U456OTHER", "teams")))
    await service.keep_origin(young.id, chat)
    await apply_retention(InsightStore(store.sessions), days=30)
    assert await service.get(old.id) is None
    assert await service.origin(old.id) is None
    assert await service.origin(young.id) == chat


def _handoff(**changes: object) -> Handoff:
    base: dict[str, object] = dict(
        id=7, created_at=datetime(2026, 11, 29, 23, 40, tzinfo=UTC), platform="slack",
        asker_id="U123ASKER", asker="p" * 32,
        question="Can I paste the contract [EMAIL] sent into ChatGPT?",
        answer="Not with confidential documents", status="open",
    )
    base.update(changes)
    return Handoff(**base)  # type: ignore[arg-type]


def test_the_it_post_names_the_asker_and_says_how_to_reply() -> None:
    post = it_post(_handoff(), asker_name="Jane Doe", contact_url="https://example.test/dm")
    assert post.private is False
    assert post.title == "A question for IT"
    assert [s.title for s in post.sections] == ["They asked", "The concierge answered"]
    assert post.sections[0].text == "“Can I paste the contract [EMAIL] sent into ChatGPT?”"
    facts = {f.label: f.value for f in post.facts}
    assert facts == {"Asked by": "Jane Doe", "Where": "Slack",
                     "When": "29 Nov 2026, 23:40 UTC", "Reference": "Ask IT #7"}
    assert [(a.label, a.url) for a in post.actions] == [("Message Jane Doe",
                                                         "https://example.test/dm")]
    for part in ("Jane Doe asked for help", "[EMAIL]", "Not with confidential documents",
                 "Reply in this thread"):
        assert part in post.text


def test_the_it_post_without_a_name_says_where_they_asked() -> None:
    post = it_post(_handoff(platform="teams"), asker_name="  ")
    assert {f.label: f.value for f in post.facts}["Asked by"] == "someone in Teams"
    assert post.text.startswith("Someone in Teams asked for help from IT (Ask IT #7).")
    assert post.actions == ()


def test_the_asker_is_told_it_was_passed_on_and_what_it_shows() -> None:
    first = passed_on(_handoff())
    assert first.title == "Passed on to IT"
    assert first.tone == "good"
    assert "IT will see your name" in first.text
    assert "[EMAIL]" in first.text
    repeat = passed_on(_handoff(new=False))
    assert repeat.title == "Already with IT"
    assert "on 29 Nov 2026, 23:40 UTC" in repeat.text


def test_it_s_reply_is_relayed_with_the_question_it_answers() -> None:
    reply = relayed(_handoff(), "  Yes, with Copilot only: it keeps data in our tenant. ",
                    responder="Sam from IT")
    assert reply.private
    assert reply.kind == "handoff_reply"
    assert [s.title for s in reply.sections] == ["You asked", "Sam from IT replied"]
    assert reply.sections[1].text == "Yes, with Copilot only: it keeps data in our tenant."
    long = relayed(_handoff(), "x" * 5000)
    assert long.sections[1].title == "IT's reply"
    assert len(long.sections[1].text) == 2800
    assert long.sections[1].text.endswith("…")
