"""Real `python app.py serve` processes: graceful SIGTERM, two replicas on one database,
and recovery after the database goes away and comes back."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
import asyncpg
from aiohttp import web
from sqlalchemy.engine import make_url

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.ops.conftest import (
    USER_AAD,
    ServerProcess,
    TcpProxy,
    ask_teams,
    free_port,
    migrate,
    pg_only,
    server_env,
)
from tests.slack.conftest import SECRET, TOKEN, sign

QUESTION = "Can I paste the Henderson merger memo into ChatGPT Enterprise?"
EMAIL = "pat.doe" + "@" + "example.com"


class SlowConnector(FakeBotConnector):
    """A Bot Connector that takes `delay` seconds to accept each reply."""

    delay: float = 1.5

    async def _send(self, request: web.Request) -> web.Response:
        await asyncio.sleep(self.delay)
        return await super()._send(request)


async def _readyz(url: str) -> tuple[int, dict[str, Any]]:
    try:
        async with aiohttp.ClientSession() as session, session.get(
                url + "/readyz", timeout=aiohttp.ClientTimeout(total=5)) as response:
            return response.status, await response.json()
    except (aiohttp.ClientError, TimeoutError):
        return 0, {}


async def _wait_readyz(url: str, status: int, within: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if (await _readyz(url))[0] == status:
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"/readyz never answered {status} within {within}s")


def _slack_dm(text: str, event_id: str) -> str:
    return json.dumps({
        "token": "legacy-ignored", "team_id": TEAM_ID, "api_app_id": "A0CONCIERGE",
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "message", "channel": "D0USERDM1", "user": "UEMPLOYEE1",
                  "text": text, "ts": f"{time.time():.6f}", "channel_type": "im"},
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT0001", "is_bot": True}],
    })


async def test_sigterm_finishes_in_flight_work_and_exits_0(db_url: str, servers: Any) -> None:
    """A Teams turn still waiting on the connector and a Slack reply owed after the ack
    both complete after SIGTERM; then the process exits 0."""
    await migrate(db_url)
    connector = await SlowConnector().start()
    slack = FakeSlackApi()
    await slack.start()
    slack.delays["chat.postMessage"] = 1.5
    try:
        server: ServerProcess = servers(server_env(
            db_url, free_port(), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url))
        await server.wait_healthy()
        body = _slack_dm("Is ChatGPT Enterprise approved?", "EvShutdown1")
        ts = str(int(time.time()))
        async with aiohttp.ClientSession() as session:
            async with session.post(server.url + "/slack/events", data=body, headers={
                    "Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                    "X-Slack-Signature": sign(body, ts)}) as acked:
                assert acked.status == 200
            teams = asyncio.create_task(ask_teams(server.url, connector,
                                                  "Is DeepL Pro approved?", "shutdown-1"))
            await asyncio.sleep(0.5)  # the turn is now waiting on the slow connector
            server.terminate()
            teams_status = await teams
        code = await server.wait_exit(within=30)
        assert (teams_status, code) == (201, 0), server.logs
        assert len(connector.sent) == 1
        assert len(slack.calls_to("chat.postMessage")) == 1
        assert "server stopped" in server.logs
    finally:
        await connector.stop()
        await slack.close()


async def test_policy_change_on_one_replica_is_served_by_the_other(
        db_url: str, servers: Any, connector: FakeBotConnector) -> None:
    await migrate(db_url)
    a = servers(server_env(db_url, free_port(), ADMINS=USER_AAD))
    # One after the other: the first start imports the sample policy into the empty database.
    await a.wait_healthy()
    b = servers(server_env(db_url, free_port(), ADMINS=USER_AAD))
    await b.wait_healthy()
    before = (await _readyz(b.url))[1]["policy_version"]
    assert await ask_teams(a.url, connector, "admin status chatgpt enterprise prohibited",
                           "admin-1") == 201
    [saved] = await connector.wait_for(1)
    assert "Saved as policy version" in json.dumps(saved.cards)
    changed_at = time.monotonic()
    seen = ""
    for attempt in range(60):
        count = len(connector.sent)
        assert await ask_teams(b.url, connector, "Is ChatGPT Enterprise approved?",
                               f"ask-b-{attempt}") == 201
        replies = await connector.wait_for(count + 1)
        seen = json.dumps(replies[-1].cards)
        if "ChatGPT Enterprise is prohibited" in seen:
            break
        await asyncio.sleep(0.25)
    took = time.monotonic() - changed_at
    assert "ChatGPT Enterprise is prohibited" in seen
    assert took < 6.0  # refresh_seconds is 2 s
    assert (await _readyz(b.url))[1]["policy_version"] == before + 1


async def test_database_outage_polite_then_recovers_by_itself_nothing_lost(
        db_url: str, servers: Any, connector: FakeBotConnector) -> None:
    pg_only(db_url)
    await migrate(db_url)
    real = make_url(db_url)
    proxy = await TcpProxy(real.host or "127.0.0.1", real.port or 5432).start()
    try:
        via_proxy = real.set(port=proxy.port).render_as_string(hide_password=False)
        server = servers(server_env(via_proxy, free_port()))
        await server.wait_healthy()
        assert await ask_teams(server.url, connector, QUESTION, "db-1") == 201

        await proxy.cut()
        await _wait_readyz(server.url, 503, within=10)
        started = time.monotonic()
        assert await ask_teams(server.url, connector, f"{QUESTION} ({EMAIL})", "db-2") == 201
        assert time.monotonic() - started < 3.0  # acknowledged well inside Slack's 3 s
        replies = await connector.wait_for(2)
        assert len(replies) == 2  # the employee still got an answer (cached policy)

        await proxy.restore()
        recovered_in = await _wait_readyz(server.url, 200, within=15)
        assert recovered_in < 15
        assert await ask_teams(server.url, connector, QUESTION, "db-3") == 201
        await connector.wait_for(3)
        server.terminate()
        assert await server.wait_exit() == 0
    finally:
        await proxy.close()
    conn = await asyncpg.connect(user=real.username, password=real.password, host=real.host,
                                 port=real.port, database=real.database)
    try:
        logged = await conn.fetchval("SELECT count(*) FROM query_log")
    finally:
        await conn.close()
    assert logged == 3  # the question asked during the outage was written after it
    logs = server.logs
    assert (QUESTION in logs, "Henderson" in logs, EMAIL in logs) == (False, False, False)
    assert all(json.loads(line) for line in logs.splitlines() if line.strip())
