"""Ack first, reply afterwards (platform rule T3): the 201 never waits for the turn.

A fake Bot Connector that is slow to accept replies stands in for a busy Teams;
it also counts how many replies are being sent at the same moment, which is how
the bound on concurrent turns is observed from outside.
"""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from bot.teams.app import TURN_CONCURRENCY
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import make_activity


class SlowConnector(FakeBotConnector):
    """Takes `delay` seconds to accept each reply; remembers the most sends at once."""

    delay: float = 0.5
    active: int = 0
    most_at_once: int = 0

    async def _send(self, request: web.Request) -> web.Response:
        self.active += 1
        self.most_at_once = max(self.most_at_once, self.active)
        try:
            await asyncio.sleep(self.delay)
            return await super()._send(request)
        finally:
            self.active -= 1


class GarbledFirstReply(FakeBotConnector):
    """Answers the first reply with a body that is not JSON, so that send raises in the SDK."""

    garbled: int = 0

    async def _send(self, request: web.Request) -> web.Response:
        if self.garbled == 0:
            self.garbled += 1
            self.attempts += 1
            return web.Response(status=200, text="<html>gateway</html>",
                                content_type="application/json")
        return await super()._send(request)


async def test_201_comes_back_before_a_slow_reply(serve, teams_settings):
    connector = await SlowConnector().start()
    connector.delay = 1.5
    try:
        served = await serve(teams_settings())
        loop = asyncio.get_running_loop()
        started = loop.time()
        response = await served.post(make_activity(connector.url, "help", activity_id="s-1"))
        acked_at = loop.time()
        assert response.status == 201
        assert connector.sent == []  # the reply is still on its way
        [reply] = await connector.wait_for(1, within=10)
        assert reply.at - started >= 1.5  # the connector alone takes 1.5 s
        assert acked_at < reply.at  # acked before the reply, however loaded the machine
        assert reply.reply_to_id == "s-1"
        assert reply.cards[0]["body"][0]["text"] == "How I can help"
    finally:
        await connector.stop()


async def test_at_most_turn_concurrency_turns_run_at_once_and_all_are_answered(
        serve, teams_settings):
    connector = await SlowConnector().start()
    connector.delay = 3.0  # every reply is slow: acks must not wait for any of them
    count = TURN_CONCURRENCY + 8
    try:
        served = await serve(teams_settings())
        bodies = [make_activity(connector.url, "help", activity_id=f"c-{i}",
                                conversation_id=f"a:chat-{i}") for i in range(count)]
        responses = await asyncio.gather(*(served.post(body) for body in bodies))
        acked_at = asyncio.get_running_loop().time()
        assert [r.status for r in responses] == [201] * count
        replies = await connector.wait_for(count, within=30)
        assert len(replies) == count
        # All acked before the first (3 s) reply was accepted: relative, not a wall bound.
        assert acked_at < min(r.at for r in replies)
        assert sorted(r.conversation_id for r in replies) == sorted(
            f"a:chat-{i}" for i in range(count))
        # Turns overlap (they wait on the slow connector together), never beyond the bound.
        assert 1 < connector.most_at_once <= TURN_CONCURRENCY
    finally:
        await connector.stop()


async def test_a_turn_that_fails_after_the_ack_still_tells_the_user(serve, teams_settings,
                                                                     caplog):
    caplog.set_level("INFO")
    connector = await GarbledFirstReply().start()
    try:
        served = await serve(teams_settings())
        response = await served.post(make_activity(connector.url, "list"))
        assert response.status == 201
        await served.settle()
        [apology] = connector.sent
        assert "something went wrong" in json.dumps(apology.cards)
        assert any(r.getMessage().startswith("Teams turn failed") for r in caplog.records)
    finally:
        await connector.stop()


async def test_invoke_keeps_its_response_in_the_http_answer(serve, teams_settings, connector):
    """Invokes are answered in the request: the status comes from the bot, not a blind 201."""
    served = await serve(teams_settings())
    body = make_activity(connector.url, None, activity_type="invoke",
                         name="adaptiveCard/action",
                         value={"action": {"type": "Action.Execute", "verb": "nope"}})
    response = await served.post(body)
    # 501 is the SDK's "no handler for this invoke" InvokeResponse: the bot ran in-request.
    assert response.status == 501
    assert connector.unexpected == []
