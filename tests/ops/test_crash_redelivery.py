"""kill -9 after the ack: the redelivery to a restarted server is answered, exactly once.

Real `python app.py serve` processes on one database. The fake Slack Web API and
Bot Connector hold the reply until the test releases it; the first server is
killed (SIGKILL) while its reply is held, so nothing was posted. A second server
then gets the platform's redelivery (Slack: same event id with X-Slack-Retry-Num;
Teams: the same activity again), answers it once its predecessor's lease lapsed,
and a further redelivery is skipped.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.ops.conftest import (
    ServerProcess,
    StartServer,
    ask_teams,
    child_pids,
    free_port,
    migrate,
    post_slack,
    server_env,
    slack_dm,
    until,
)

LEASE = "2"


def _crash_dm(text: str, event_id: str) -> str:
    return slack_dm(text, event_id, "D0CRASHDM", ts="1700000000.000300")


async def _kill(server: ServerProcess) -> None:
    """SIGKILL: no shutdown hook, no drain, no finally. Its answer workers exit by themselves."""
    workers = child_pids(server.proc.pid)
    assert workers, "the server runs its answers in worker processes"
    server.proc.kill()
    await asyncio.to_thread(server.proc.wait, 10)
    await until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), within=15)


async def test_slack_event_killed_after_the_ack_is_answered_once_after_restart(
        slack_server: StartServer, fake_slack: FakeSlackApi) -> None:
    first = await slack_server(EVENT_LEASE_SECONDS=LEASE)
    body = _crash_dm("Is ChatGPT Enterprise approved?", "EvCrash0001")
    fake_slack.hold("chat.postMessage")
    assert (await post_slack(first.url, body))[0] == 200  # acked
    await until(lambda: "chat.postMessage" in fake_slack.held)  # answered, reply in flight
    await _kill(first)
    fake_slack.release("chat.postMessage")
    await until(lambda: fake_slack.abandoned == ["chat.postMessage"])
    assert fake_slack.calls_to("chat.postMessage") == []  # the answer was lost with the process

    second = await slack_server(EVENT_LEASE_SECONDS=LEASE)
    assert (await post_slack(second.url, body, retry_num=1))[0] == 200
    [reply] = await fake_slack.wait_for("chat.postMessage", within=20)
    assert reply.params["channel"] == "D0CRASHDM"
    assert "ChatGPT Enterprise" in reply.params["text"]
    assert (await post_slack(second.url, body, retry_num=2))[0] == 200  # after it was done
    await asyncio.sleep(1.5)
    assert len(fake_slack.calls_to("chat.postMessage")) == 1
    assert "answering a redelivered event whose first claim lapsed" in second.logs


async def test_teams_activity_killed_after_the_ack_is_answered_once_after_restart(
        db_url: str, servers: Any, connector: FakeBotConnector) -> None:
    await migrate(db_url)
    env = {"EVENT_LEASE_SECONDS": LEASE}
    first: ServerProcess = servers(server_env(db_url, free_port(), **env))
    await first.wait_healthy()
    connector.hold()
    assert await ask_teams(first.url, connector, "Is DeepL Pro approved?", "crash-1") == 201
    await until(lambda: connector.held == ["a:personal-chat-1"])
    await _kill(first)
    connector.release()
    await until(lambda: connector.abandoned == 1)
    assert connector.sent == []

    second: ServerProcess = servers(server_env(db_url, free_port(), **env))
    await second.wait_healthy()
    # Teams delivers the same activity again (same id, same conversation).
    assert await ask_teams(second.url, connector, "Is DeepL Pro approved?", "crash-1") == 201
    [reply] = await connector.wait_for(1, within=20)
    assert "DeepL" in json.dumps(reply.cards)
    assert await ask_teams(second.url, connector, "Is DeepL Pro approved?", "crash-1") == 201
    await asyncio.sleep(1.5)
    assert len(connector.sent) == 1
