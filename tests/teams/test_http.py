"""Activity JSON POSTed to /api/messages on the running app; replies go to a fake connector."""

from __future__ import annotations

import json
import time

import pytest

from bot.teams.auth import TeamsConfigError
from bot.web import build_web_app
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import buttons, make_activity, text_of


async def test_question_is_answered_with_an_adaptive_card(serve, teams_settings, connector):
    served = await serve(teams_settings())
    body = make_activity(connector.url, "What can I use to summarize a PDF?", activity_id="m-1")
    started = time.monotonic()
    response = await served.post(body)
    assert response.status == 201
    assert time.monotonic() - started < 5  # the turn ends far inside Teams' 15 s
    [reply] = await connector.wait_for(1)
    assert reply.conversation_id == "a:personal-chat-1"
    assert reply.reply_to_id == "m-1"
    [card] = reply.cards
    assert card["type"] == "AdaptiveCard"
    assert "Microsoft 365 Copilot" in card["fallbackText"]
    names = json.dumps(card["body"])
    assert "Microsoft 365 Copilot" in names
    assert "Confidential" in names  # the data limit
    titles = [b["title"] for b in buttons(card)]
    assert {"Helpful", "Not what I needed", "Ask IT"} <= set(titles)
    assert connector.unexpected == []


async def test_channel_mention_is_stripped_and_answered_in_the_thread(
    serve, teams_settings, connector
):
    served = await serve(teams_settings())
    body = make_activity(
        connector.url, "<at>AI Tool Concierge</at> list",
        conversation_id="19:general@thread.tacv2;messageid=171", conversation_type="channel",
        entities=[{"type": "mention", "text": "<at>AI Tool Concierge</at>",
                   "mentioned": {"id": "28:concierge-bot", "name": "AI Tool Concierge"}}],
    )
    assert (await served.post(body)).status == 201
    [reply] = await connector.wait_for(1)
    assert reply.conversation_id == "19:general@thread.tacv2;messageid=171"
    assert reply.cards[0]["body"][0]["text"].startswith("AI tools at Northwind")
    refs = await served.runtime.store.conversations.all("teams")
    assert [(r[0], r[1]) for r in refs] == [("19:general@thread.tacv2", "channel")]
    assert refs[0][2]["serviceUrl"] == connector.url


async def test_install_stores_the_conversation_reference_and_welcomes(
    serve, teams_settings, connector
):
    served = await serve(teams_settings())
    body = make_activity(connector.url, None, activity_type="conversationUpdate",
                         membersAdded=[{"id": "28:concierge-bot"}])
    assert (await served.post(body)).status == 201
    [welcome] = await connector.wait_for(1)
    [card] = welcome.cards
    assert "What can I use" in card["fallbackText"]  # how to ask, with examples
    assert "help for the commands" in text_of(card)
    assert {"Help", "All tools", "Red lines"} <= {b["title"] for b in buttons(card)}
    reference = await served.runtime.store.conversations.get("teams", "a:personal-chat-1")
    assert reference is not None
    assert reference["conversation"]["id"] == "a:personal-chat-1"
    assert reference["bot"]["id"] == "28:concierge-bot"


async def test_duplicate_activity_id_gets_one_answer(serve, teams_settings, connector):
    served = await serve(teams_settings())
    body = make_activity(connector.url, "help", activity_id="dup-1")
    statuses = [(await served.post(body)).status for _ in range(3)]
    assert statuses == [201, 201, 201]
    await served.settle()
    assert len(connector.sent) == 1


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        (b"[1, 2, 3]", "application/json", 400),
        (b'{"text": "no type"}', "application/json", 400),
        (b'{"type": "message", "text": "no conversation"}', "application/json", 400),
        (b'{"type": "message", "conversation": {"id": "c"}}', "application/json", 400),
        (b'{"type": "message"}', "text/plain", 415),
        (b'{"type": "message"}', "", 415),
    ],
)
async def test_malformed_requests_get_4xx_not_500(
    serve, teams_settings, connector, raw, content_type, status
):
    served = await serve(teams_settings())
    headers = {"Content-Type": content_type} if content_type else {}
    response = await served.session.post(served.url + "/api/messages", data=raw,
                                         headers=headers)
    assert response.status == status
    assert connector.sent == []


async def test_malformed_field_types_are_rejected(serve, teams_settings, connector):
    served = await serve(teams_settings())
    body = make_activity(connector.url, "help")
    body["from"] = "not an object"
    assert (await served.post(body)).status == 400


async def test_oversized_body_is_413(serve, teams_settings, connector):
    served = await serve(teams_settings())
    body = make_activity(connector.url, "x" * (1024 * 1024 + 10))
    assert (await served.post(body)).status == 413
    assert connector.sent == []


async def test_dev_mode_refuses_to_mount_on_a_public_interface(serve, teams_settings):
    settings = teams_settings(host="0.0.0.0")
    from bot.runtime import Runtime

    runtime = await Runtime.start(settings)
    try:
        with pytest.raises(TeamsConfigError, match="loopback"):
            build_web_app(runtime)
    finally:
        await runtime.close()


async def test_without_credentials_or_dev_mode_teams_is_not_mounted(serve, teams_settings):
    served = await serve(teams_settings(teams_dev_mode=False))
    response = await served.post({"type": "message"})
    assert response.status == 404


async def test_admin_command_by_http_uses_the_roster_email(serve, teams_settings,
                                                           connector: FakeBotConnector):
    connector.members["29:boss"] = {"id": "29:boss", "name": "Boss",
                                    "email": "it.boss@northwind.example",
                                    "userPrincipalName": "it.boss@northwind.example"}
    served = await serve(teams_settings(admins=["it.boss@northwind.example"]))
    body = make_activity(connector.url, "admin status perplexity approved",
                         user_id="29:boss", aad="aad-of-boss")
    assert (await served.post(body)).status == 201
    [reply] = await connector.wait_for(1)
    assert "policy version" in reply.cards[0]["body"][0]["text"]
    snapshot = await served.runtime.store.policies.current()
    assert snapshot is not None
    assert snapshot.policy.tool("perplexity-pro").status.value == "approved"
    [entry] = [e for e in await served.runtime.store.audit.recent() if e.action == "set_status"]
    assert (entry.actor, entry.source, entry.allowed) == ("aad-of-boss", "teams", True)


def _own_non_loopback_address() -> str | None:
    """This host's own LAN address (a UDP connect sends no packet), or None."""
    import ipaddress
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.123", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if ipaddress.ip_address(address).is_loopback else address


async def test_dev_mode_refuses_clients_that_are_not_loopback(teams_settings, connector):
    """Even behind a proxy that exposes the port, dev mode answers non-loopback peers 403."""
    import aiohttp
    from aiohttp import web

    from bot.runtime import Runtime

    address = _own_non_loopback_address()
    if address is None:
        pytest.skip("this host has no non-loopback IPv4 address")
    runtime = await Runtime.start(teams_settings())
    runner = web.AppRunner(build_web_app(runtime), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, address, 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            response = await session.post(f"http://{address}:{port}/api/messages",
                                          json=make_activity(connector.url, "help"))
            assert response.status == 403
        assert connector.sent == []
    finally:
        await runner.cleanup()
        await runtime.close()


async def test_logs_hold_no_message_text_or_tokens(serve, teams_settings, connector, caplog):
    # INFO is the production level; at DEBUG aiosqlite itself logs SQL parameters.
    caplog.set_level("INFO")
    served = await serve(teams_settings())
    secret_text = "my salary is 123456 and my password is hunter2"
    connector.fail_next(502, times=1)
    assert (await served.post(make_activity(connector.url, secret_text))).status == 201
    await served.post(make_activity(connector.url, secret_text),
                      headers={"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."})
    await served.post({"type": "message", "text": secret_text})  # malformed: 400
    await served.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "hunter2" not in logged
    assert "123456" not in logged
    assert "eyJhbGciOiJub25lIn0" not in logged
    assert "Teams reply got 502" in logged  # the paths above did log


async def test_installation_update_stores_the_reference_silently(serve, teams_settings, connector):
    served = await serve(teams_settings())
    body = make_activity(connector.url, None, activity_type="installationUpdate", action="add",
                         conversation_id="19:team-general@thread.tacv2",
                         conversation_type="channel")
    assert (await served.post(body)).status == 201
    await served.settle()
    refs = await served.runtime.store.conversations.all("teams")
    assert [(r[0], r[1]) for r in refs] == [("19:team-general@thread.tacv2", "channel")]
    assert connector.sent == []
