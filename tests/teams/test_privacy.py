"""Teams privacy and tenancy (issue 12): minimal conversation references, tenant allowlist,
redacted storage. Activities are POSTed over HTTP to the real app; replies reach a fake
Bot Connector."""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference
from sqlalchemy import text

from bot.teams.notifier import TeamsNotifier
from tests.teams.conftest import USER_AAD, make_activity

SSN = "078-05-1120"


async def test_stored_reference_has_no_user_ids_or_names_and_still_reaches_the_chat(
    serve, teams_settings, connector
):
    settings = teams_settings()
    served = await serve(settings)
    body = make_activity(connector.url, "help", conversation_id="19:leaders@thread.tacv2",
                         conversation_type="channel")
    body["conversation"]["name"] = "Leadership team"
    body["recipient"]["name"] = "AI Tool Concierge"
    assert (await served.post(body)).status == 201
    await served.settle()
    [(conv_id, _, reference, _)] = await served.runtime.store.conversations.all("teams")
    stored = str(reference)
    for private in ("29:user-1", USER_AAD, "Pat Doe", "Leadership team", "AI Tool Concierge"):
        assert private not in stored
    assert set(reference) == {"conversation", "channelId", "serviceUrl", "bot"}
    # The digest posts proactively from exactly this reference (as TeamsNotifier does).
    notifier = TeamsNotifier.from_settings(settings, served.runtime.store.conversations)
    ref = ConversationReference().deserialize(
        await served.runtime.store.conversations.get("teams", conv_id))

    async def post(turn_context: TurnContext) -> None:
        await turn_context.send_activity("digest")

    before = len(connector.sent)
    await notifier.adapter.continue_conversation(ref, post, bot_app_id="")
    assert [s.conversation_id for s in connector.sent[before:]] == ["19:leaders@thread.tacv2"]


async def test_other_tenants_are_refused_logged_and_nothing_is_stored(
    serve, teams_settings, connector, caplog
):
    served = await serve(teams_settings(teams_allowed_tenants="tenant-home, tenant-two"))
    caplog.set_level(logging.WARNING, logger="bot.teams.app")
    foreign = make_activity(connector.url, f"my ssn is {SSN}, is Grok approved?")
    response = await served.post(foreign)
    assert response.status == 403
    await asyncio.sleep(0.3)
    assert connector.sent == []
    assert await served.runtime.store.queries.count() == 0
    assert await served.runtime.store.conversations.all("teams") == []
    assert any("tenant that is not allowed" in r.getMessage() for r in caplog.records)

    home = make_activity(connector.url, "help")
    home["channelData"] = {"tenant": {"id": "tenant-two"}}
    assert (await served.post(home)).status == 201
    await connector.wait_for(1)


async def test_the_apps_own_tenant_is_the_default_allowlist(serve, teams_settings, connector):
    served = await serve(teams_settings(microsoft_app_tenant_id="tenant-home"))
    assert (await served.post(make_activity(connector.url, "help"))).status == 403
    invoke = make_activity(connector.url, None, activity_type="invoke", name="adaptiveCard/action")
    assert (await served.post(invoke)).status == 403
    own = make_activity(connector.url, "help")
    own["channelData"] = {"tenant": {"id": "tenant-home"}}
    own["conversation"]["tenantId"] = "tenant-home"
    assert (await served.post(own)).status == 201
    await connector.wait_for(1)


async def test_questions_are_stored_redacted(serve, teams_settings, connector):
    served = await serve(teams_settings(phone_region="GB"))
    question = (f"Can I paste {SSN}, card 4111.1111.1111.1111, mobile 07700 900461 and "
                "my colleague Siobhan's notes into an AI that drives forklifts? "
                "my password is Sunflower77")
    assert (await served.post(make_activity(connector.url, question))).status == 201
    await served.settle()
    async with served.runtime.store.engine.connect() as connection:
        stored = [row[0] for row in await connection.execute(
            text("SELECT question FROM query_log UNION ALL SELECT question FROM unmet_requests"))]
    assert stored
    for secret in (SSN, "4111", "07700", "Siobhan", "Sunflower77"):
        assert not any(secret in s for s in stored), (secret, stored)
