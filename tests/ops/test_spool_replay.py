"""What the front acked is answered even when the answering process dies first (issue 12 §5).

Real `python app.py serve` processes over HTTP, replies at the fake Slack Web API and
Bot Connector. The answering child is stopped (SIGSTOP), so a Slack event and a Teams
activity are acked by the front but certainly not read, then killed (SIGKILL): the
supervisor starts another, which is handed both again from the front's spool and
answers each exactly once. When the whole server is killed, the next server on the
same database adopts its spool. Slack and Teams never redeliver what was acked.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.ops.conftest import (
    ServerProcess,
    StartServer,
    answering_pid,
    post_slack,
    post_teams,
    slack_dm,
    spool_dir,
    teams_activity,
    until,
)


async def _slack(url: str, body: str, content_type: str = "application/json") -> int:
    return (await post_slack(url, body, content_type=content_type))[0]


async def _teams(url: str, activity: dict[str, Any]) -> int:
    return (await post_teams(url, activity))[0]


def _answering(server: ServerProcess) -> int:
    return answering_pid(server, 7)


#: Besides Slack (wired by `slack_server`): a known nice value to find the answering
#: process by, and a short claim lease so "past the lease" is seconds away.
_ENV = {"ANSWER_NICE": "7", "EVENT_LEASE_SECONDS": "2"}


@pytest.fixture
def slack(fake_slack: FakeSlackApi) -> FakeSlackApi:
    return fake_slack


def _pending(db_url: str) -> int:
    """Entries without a done mark in every spool file on disk."""
    from bot.transport.spool import pending_in

    return sum(len(pending_in(p.read_bytes())) for p in spool_dir(db_url).glob("spool-*.log"))


async def test_acked_requests_survive_the_answering_process_being_killed_before_reading_them(
        db_url: str, slack_server: StartServer, slack: FakeSlackApi,
        connector: FakeBotConnector) -> None:
    server: ServerProcess = await slack_server(**_ENV)
    first = _answering(server)
    os.kill(first, signal.SIGSTOP)  # it reads nothing from now on
    assert await _slack(server.url, slack_dm("Is ChatGPT Enterprise approved?", "EvSpool01",
                                        "D0SPOOL01")) == 200
    assert await _teams(server.url, teams_activity(
        connector.url, "Is DeepL Pro approved?", "spool-1")) == 201
    assert _pending(db_url) == 2  # on disk before the acks went out
    await asyncio.sleep(0.5)
    os.kill(first, signal.SIGKILL)  # acked, never read: only the spool has them
    await until(lambda: "starting another" in server.logs, within=30)

    [post] = await slack.wait_for("chat.postMessage", within=120)
    assert post.params["channel"] == "D0SPOOL01"
    assert "ChatGPT Enterprise" in post.params["text"]
    [card] = await connector.wait_for(1, within=60)
    assert "DeepL" in json.dumps(card.cards)
    assert "handing over again requests acked but not answered" in server.logs
    await until(lambda: _pending(db_url) == 0, within=30)  # each reported done
    await asyncio.sleep(2.5)  # past the lease: nothing answers them a second time
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert len(connector.sent) == 1

    # Later questions are acked, answered and done as usual.
    assert await _slack(server.url, slack_dm("Is DeepL approved?", "EvSpool02",
                                        "D0SPOOL02")) == 200
    posts = await slack.wait_for("chat.postMessage", count=2, within=60)
    assert posts[1].params["channel"] == "D0SPOOL02"
    await until(lambda: _pending(db_url) == 0, within=30)
    server.terminate()
    assert await server.wait_exit() == 0
    assert list(spool_dir(db_url).glob("spool-*")) == []  # nothing left: files removed


async def test_a_reply_in_flight_when_the_answering_process_dies_is_posted_once(
        db_url: str, slack_server: StartServer, slack: FakeSlackApi) -> None:
    """Claimed and answered, the post held at Slack when it is killed: the replay waits
    for the claim's lease, then posts; a second replay would find the event done."""
    server: ServerProcess = await slack_server(**_ENV)
    slack.hold("chat.postMessage")
    assert await _slack(server.url, slack_dm("Is ChatGPT Enterprise approved?", "EvSpool11",
                                        "D0SPOOL11")) == 200
    await until(lambda: "chat.postMessage" in slack.held, within=60)
    os.kill(_answering(server), signal.SIGKILL)
    await until(lambda: "starting another" in server.logs, within=30)  # it is gone
    slack.release("chat.postMessage")
    await until(lambda: slack.abandoned == ["chat.postMessage"], within=30)
    assert slack.calls_to("chat.postMessage") == []
    [post] = await slack.wait_for("chat.postMessage", within=120)
    assert post.params["channel"] == "D0SPOOL11"
    await until(lambda: _pending(db_url) == 0, within=30)
    await asyncio.sleep(2.5)
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_the_next_server_answers_what_a_killed_server_acked(
        db_url: str, slack_server: StartServer, slack: FakeSlackApi,
        connector: FakeBotConnector) -> None:
    first: ServerProcess = await slack_server(**_ENV)
    os.kill(_answering(first), signal.SIGSTOP)
    assert await _slack(first.url, slack_dm("Is ChatGPT Enterprise approved?", "EvSpool21",
                                       "D0SPOOL21")) == 200
    assert await _teams(first.url, teams_activity(
        connector.url, "Is DeepL Pro approved?", "spool-21")) == 201
    stopped = _answering(first)
    first.proc.kill()  # the whole server: front and (stopped) answering process
    await asyncio.to_thread(first.proc.wait, 10)
    os.kill(stopped, signal.SIGKILL)
    await until(lambda: not Path(f"/proc/{stopped}").exists(), within=15)
    assert _pending(db_url) == 2

    second: ServerProcess = await slack_server(**_ENV)
    [post] = await slack.wait_for("chat.postMessage", within=120)
    assert post.params["channel"] == "D0SPOOL21"
    [card] = await connector.wait_for(1, within=60)
    assert "DeepL" in json.dumps(card.cards)
    assert "took over requests a previous server acked and did not answer" in second.logs
    await until(lambda: _pending(db_url) == 0, within=30)
    assert len(list(spool_dir(db_url).glob("spool-*.lock"))) == 1  # the dead one's is gone


def _left_by_a_crash(directory: Path, requests: list[tuple[str, Any]]) -> None:
    """A spool as a front leaves it when it dies after the posts, before the done marks."""
    from bot.transport.spool import Spool

    spool = Spool(directory)

    async def add() -> None:
        for kind, payload in requests:
            await spool.add(kind, payload)

    asyncio.run(add())
    os.close(spool._fd)  # no close(): the files stay, the lock goes with the process
    os.close(spool._lock)


async def test_requests_handed_over_again_after_they_were_answered_are_not_answered_twice(
        db_url: str, slack_server: StartServer, slack: FakeSlackApi,
        connector: FakeBotConnector) -> None:
    """The done marks were lost (the front died after the posts): the next server adopts
    the entries again and their claims (event id, activity id, command and click trigger
    ids) keep
    every reply single."""
    first: ServerProcess = await slack_server(**_ENV)
    event = slack_dm("Is ChatGPT Enterprise approved?", "EvSpool31", "D0SPOOL31")
    command = urlencode({
        "token": "legacy-ignored", "team_id": TEAM_ID, "team_domain": "example",
        "channel_id": "C0GENERAL1", "channel_name": "general", "user_id": "UEMPLOYEE1",
        "user_name": "someone", "command": "/aitools", "text": "Is DeepL approved?",
        "api_app_id": "A0CONCIERGE", "response_url": slack.response_url("spool31"),
        "trigger_id": "31.1234.abcdef"})
    click = urlencode({"payload": json.dumps({
        "type": "block_actions", "api_app_id": "A0CONCIERGE", "token": "legacy-ignored",
        "user": {"id": "UEMPLOYEE1", "username": "someone", "team_id": TEAM_ID},
        "team": {"id": TEAM_ID, "domain": "example"},
        "container": {"type": "message", "message_ts": "1.2", "channel_id": "D0SPOOL31"},
        "channel": {"id": "D0SPOOL31", "name": "directmessage"},
        "trigger_id": "32.1234.abcdef", "response_url": slack.response_url("spool32"),
        "actions": [{"action_id": "concierge", "block_id": "b1", "type": "button",
                     "value": json.dumps({"c": "help"}), "action_ts": "1.3",
                     "text": {"type": "plain_text", "text": "Help"}}]})})
    activity = teams_activity(connector.url, "Is DeepL Pro approved?", "spool-31")
    assert await _slack(first.url, event) == 200
    assert await _slack(first.url, command, "application/x-www-form-urlencoded") == 200
    assert await _slack(first.url, click, "application/x-www-form-urlencoded") == 200
    assert await _teams(first.url, activity) == 201
    await slack.wait_for("chat.postMessage", within=60)
    await slack.wait_for("response_url", count=2, within=60)
    await connector.wait_for(1, within=60)
    await until(lambda: _pending(db_url) == 0, within=30)

    json_type = {"content-type": ["application/json"]}
    form_type = {"content-type": ["application/x-www-form-urlencoded"]}
    await asyncio.to_thread(_left_by_a_crash, spool_dir(db_url), [
        ("slack", (event, json_type, "")), ("slack", (command, form_type, "")),
        ("slack", (click, form_type, "")), ("teams", (activity, ""))])
    second: ServerProcess = await slack_server(**_ENV)
    await until(lambda: "took over requests a previous server acked" in second.logs)
    await until(lambda: _pending(db_url) == 0, within=60)  # handed over and done
    await asyncio.sleep(2.5)  # past the lease
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert len(slack.calls_to("response_url")) == 2  # the command's and the click's
    assert len(connector.sent) == 1
    assert second.logs.count("duplicate event ignored") == 4


async def test_beyond_the_handover_limit_the_front_refuses_instead_of_piling_up(
        db_url: str, slack_server: StartServer, slack: FakeSlackApi) -> None:
    """A stopped (starved) answering process: HANDOVER_LIMIT requests are acked and kept,
    the next is refused with a 503 that Slack delivers again; once it runs, it answers
    what it was handed, and the front takes requests again."""
    server: ServerProcess = await slack_server(**_ENV, HANDOVER_LIMIT="2")
    answering = _answering(server)
    os.kill(answering, signal.SIGSTOP)
    try:
        statuses = [await _slack(server.url, slack_dm(
            "Is ChatGPT Enterprise approved?", f"EvLimit0{i}", f"D0LIMIT0{i}"))
            for i in range(3)]
    finally:
        os.kill(answering, signal.SIGCONT)
    assert statuses == [200, 200, 503]
    assert "the answering process is far behind" in server.logs
    posts = await slack.wait_for("chat.postMessage", count=2, within=60)
    assert sorted(p.params["channel"] for p in posts) == ["D0LIMIT00", "D0LIMIT01"]
    await until(lambda: _pending(db_url) == 0, within=30)
    assert await _slack(server.url, slack_dm("Is DeepL approved?", "EvLimit02",
                                             "D0LIMIT02")) == 200  # Slack's retry
    await slack.wait_for("chat.postMessage", count=3, within=60)
