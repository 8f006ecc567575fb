"""Digest delivery over real HTTP: the fake Slack Web API and the fake Bot Connector."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from bot.core.insights.chart import render_chart
from bot.core.insights.digest import Digest, build_digest
from bot.core.insights.periods import parse_period
from bot.core.insights.sections import headline as digest_headline
from bot.core.ports import DeliveryError
from bot.scheduler import DigestSender, build_notifiers
from bot.settings import Settings
from bot.slack.notifier import SlackNotifier
from bot.store import Store
from bot.store.insights import InsightStore
from bot.teams.notifier import TeamsNotifier
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.insights.seed import log_query

WEEK = parse_period("2026-W10")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    fake = FakeSlackApi()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    fake = await FakeBotConnector().start()
    yield fake
    await fake.stop()


@pytest.fixture
def notify_settings(db_url: str, slack_api: FakeSlackApi) -> Settings:
    return Settings(  # type: ignore[call-arg]
        database_url=db_url, slack_bot_token="xoxb-test", slack_signing_secret="s",
        slack_api_url=slack_api.api_url, teams_dev_mode=True, host="127.0.0.1",
        digest_slack_channels="C0DIGEST,U0BOSS", digest_teams_conversations="19:leaders",
    )


async def _digest(store: Store) -> Digest:
    for i in range(6):
        await log_query(store, at=WEEK.start + timedelta(hours=i), asker=f"U0PRIVATE{i}",
                        tools=["copilot"], asked_tool="midjourney" if i < 2 else None,
                        asked_tool_status="prohibited" if i < 2 else None)
    return await build_digest(InsightStore(store.sessions), WEEK)


async def _store_reference(store: Store, connector: FakeBotConnector, conv: str) -> None:
    reference = ConversationReference(
        activity_id="a1", bot=ChannelAccount(id="28:concierge-bot", name="Concierge"),
        channel_id="msteams", conversation=ConversationAccount(id=conv, is_group=True),
        service_url=connector.url, user=ChannelAccount(id="29:someone"),
    )
    await store.conversations.upsert(platform="teams", conversation_id=conv, kind="channel",
                                     reference=reference.serialize())


async def test_slack_posts_one_message_with_the_chart_inline(
    store: Store, slack_api: FakeSlackApi, notify_settings: Settings
) -> None:
    digest = await _digest(store)
    chart = render_chart(digest.weeks)
    assert chart is not None

    await SlackNotifier.from_settings(notify_settings).send("C0DIGEST", digest, chart)

    [post] = slack_api.calls_to("chat.postMessage")
    assert post.params["channel"] == "C0DIGEST"
    assert "Questions: 6" in post.params["text"]
    blocks = post.params["blocks"]
    assert digest_headline(digest) in blocks[0]["text"]["text"]  # the headline first
    assert len(blocks) <= 50
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)
    assert any("midjourney (prohibited): 2 asks" in b.get("text", {}).get("text", "")
               for b in blocks)
    [complete] = slack_api.calls_to("files.completeUploadExternal")
    assert "channel_id" not in complete.params  # uploaded privately, shown in the message
    assert "thread_ts" not in complete.params  # not a thread reply
    file_id = complete.params["files"][0]["id"]
    [image] = [b for b in blocks if b["type"] == "image"]
    assert image["slack_file"] == {"id": file_id}
    assert image["alt_text"].startswith("Bar chart. Questions to the AI concierge per week")
    assert "W10: 6 questions" in image["alt_text"]
    assert blocks.index(image) == 1  # right under the headline
    [uploaded] = slack_api.uploads.values()
    assert uploaded == chart
    assert uploaded.startswith(PNG)
    assert "U0PRIVATE" not in str(post.params)


async def test_slack_user_destination_goes_through_the_direct_message(
    store: Store, slack_api: FakeSlackApi, notify_settings: Settings
) -> None:
    digest = await _digest(store)

    await SlackNotifier.from_settings(notify_settings).send("U0BOSS", digest, None)

    assert slack_api.calls_to("conversations.open")[0].params["users"] == "U0BOSS"
    assert slack_api.calls_to("chat.postMessage")[0].params["channel"].startswith("D")
    assert not slack_api.calls_to("files.getUploadURLExternal")


async def test_slack_refusal_is_a_permanent_delivery_error(
    store: Store, slack_api: FakeSlackApi, notify_settings: Settings
) -> None:
    digest = await _digest(store)
    bad = notify_settings.model_copy(update={"slack_bot_token": None})
    notifier = SlackNotifier.from_settings(bad)

    with pytest.raises(DeliveryError) as refused:
        await notifier.send("C0DIGEST", digest, None)

    assert refused.value.permanent
    assert "not_authed" in str(refused.value)


async def test_teams_sends_a_card_and_the_chart_to_the_stored_conversation(
    store: Store, connector: FakeBotConnector, notify_settings: Settings
) -> None:
    digest = await _digest(store)
    chart = render_chart(digest.weeks)
    assert chart is not None
    await _store_reference(store, connector, "19:leaders")

    await TeamsNotifier.from_settings(notify_settings, store.conversations).send(
        "19:leaders", digest, chart)

    [sent] = connector.sent
    assert sent.conversation_id == "19:leaders"
    [card] = sent.cards
    assert card["type"] == "AdaptiveCard"
    assert "Questions: 6" in str(card["body"])
    image = card["body"][1]  # the chart, inline under the headline, with alt text
    prefix = "data:image/png;base64,"
    assert image["type"] == "Image"
    assert image["url"].startswith(prefix)
    assert base64.b64decode(image["url"][len(prefix):]) == chart
    assert image["altText"].startswith("Bar chart. Questions to the AI concierge per week")
    assert len(sent.activity["attachments"]) == 1  # one message: the card
    assert "U0PRIVATE" not in str(sent.activity)
    assert not connector.unexpected


async def test_teams_without_reference_or_blocked_raises_delivery_error(
    store: Store, connector: FakeBotConnector, notify_settings: Settings
) -> None:
    digest = await _digest(store)
    notifier = TeamsNotifier.from_settings(notify_settings, store.conversations)
    with pytest.raises(DeliveryError) as missing:
        await notifier.send("19:unknown", digest, None)
    assert not missing.value.permanent

    await _store_reference(store, connector, "19:blocked")
    connector.fail_next(403, code="MessageWritesBlocked")
    with pytest.raises(DeliveryError) as blocked:
        await notifier.send("19:blocked", digest, None)
    assert blocked.value.permanent


async def test_scheduled_send_reaches_both_platforms_once(
    store: Store, slack_api: FakeSlackApi, connector: FakeBotConnector,
    notify_settings: Settings,
) -> None:
    await _digest(store)
    await _store_reference(store, connector, "19:leaders")
    sender = DigestSender(store, build_notifiers(notify_settings, store),
                          ["slack:C0DIGEST", "slack:U0BOSS", "teams:19:leaders"])

    first = await sender.send(WEEK)
    second = await sender.send(WEEK, force=True)

    assert first.sent == ("slack:C0DIGEST", "slack:U0BOSS", "teams:19:leaders")
    assert second.sent == ()
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert len(slack_api.calls_to("files.completeUploadExternal")) == 2
    assert len(connector.sent) == 1
