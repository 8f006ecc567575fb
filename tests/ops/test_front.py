"""`serve` as a front that acks and an answering process that answers (issue 12 §9).

In one process: the front's aiohttp app and the answering side's handlers joined by a
real socket pair, signed requests over HTTP, replies on the fake Slack Web API and
Bot Connector. As processes: `python app.py serve`, whose answering child runs at
ANSWER_NICE; stopped (SIGSTOP) it delays the answers, never the acks; killed, it is
replaced and the next question is answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.front.answering import Answering
from bot.front.app import build_front_app
from bot.observability.merge import merge_expositions
from bot.runtime import Runtime
from bot.settings import Settings
from bot.transport.handoff import Handoff, serve_frames
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.ops.conftest import (
    StartServer,
    answering_pid,
    child_pids,
    nice_of,
    post_slack,
    post_teams,
    slack_dm,
    teams_activity,
    until,
)
from tests.slack.conftest import SECRET, TOKEN

FRONT_DM = "D0FRONTDM"


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


class Unspooled:
    """The front's link straight onto the socket pair, nothing kept (the spool is tested
    with real processes in test_spool_replay.py)."""

    def __init__(self, handoff: Handoff) -> None:
        self.handoff = handoff

    async def send(self, kind: str, payload: Any) -> bool:
        return self.handoff.can_take() and self.handoff.send(kind, payload)

    async def call(self, kind: str, payload: Any, within: float) -> Any:
        return await self.handoff.call(kind, payload, within)


class Split:
    """The front on a free loopback port, its answering side on the same loop."""

    def __init__(self, url: str, handoff: Handoff, serving: asyncio.Task[bool],
                 side: asyncio.StreamWriter) -> None:
        self.url, self.handoff, self.serving, self.side = url, handoff, serving, side


@contextlib.asynccontextmanager
async def split_server(settings: Settings) -> AsyncIterator[Split]:
    runtime = await Runtime.start(settings)
    side = Answering(runtime)
    ours, theirs = socket.socketpair()
    front_reader, front_writer = await asyncio.open_unix_connection(sock=ours)
    side_reader, side_writer = await asyncio.open_unix_connection(sock=theirs)
    serving = asyncio.create_task(serve_frames(side_reader, side_writer, side.handle))
    handoff = Handoff(front_reader, front_writer)
    runner = web.AppRunner(build_front_app(settings, Unspooled(handoff)), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield Split(f"http://127.0.0.1:{port}", handoff, serving, side_writer)
    finally:
        await runner.cleanup()
        await handoff.stop()
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.wait_for(serving, 10)
        await side.drain()
        await handoff.close()
        side_writer.close()
        await runtime.close()


def _settings(db_url: str, slack: FakeSlackApi) -> Settings:
    return Settings(database_url=db_url, pseudonym_key="test-key", host="127.0.0.1",
                    teams_dev_mode=True, slack_bot_token=TOKEN,  # type: ignore[arg-type]
                    slack_signing_secret=SECRET, slack_api_url=slack.api_url)


async def test_the_front_acks_and_the_answering_side_answers_both_platforms(
        db_url: str, fake_slack: FakeSlackApi, connector: FakeBotConnector) -> None:
    async with split_server(_settings(db_url, fake_slack)) as split:
        dm = slack_dm("Is ChatGPT Enterprise approved?", "EvFront001", FRONT_DM)
        assert (await post_slack(split.url, dm))[0] == 200
        [reply] = await fake_slack.wait_for("chat.postMessage", within=20)
        assert reply.params["channel"] == FRONT_DM
        assert "ChatGPT Enterprise" in reply.params["text"]

        # What must be answered in the body is answered there, by the answering side.
        challenge = json.dumps({"token": "x", "challenge": "c-123",
                                "type": "url_verification"})
        status, text = await post_slack(split.url, challenge)
        assert (status, json.loads(text)) == (200, {"challenge": "c-123"})
        unsigned = slack_dm("hi", "EvFront002", FRONT_DM)
        assert (await post_slack(split.url, unsigned, signed=False))[0] == 401

        status, _ = await post_teams(split.url, teams_activity(
            connector.url, "Is DeepL Pro approved?", "front-1"))
        assert status == 201
        [card] = await connector.wait_for(1, within=20)
        assert "DeepL" in json.dumps(card.cards)
        invoke = teams_activity(connector.url, "", "front-2") | {
            "type": "invoke", "name": "task/fetch", "value": {"data": {}}}
        status, body = await post_teams(split.url, invoke)
        assert status == 200
        assert json.loads(body)["task"]["type"] == "message"

        status, ready = await _get(split.url + "/readyz")
        assert status == 200
        assert json.loads(ready)["policy_version"] >= 1
        status, exposition = await _get(split.url + "/metrics")
        assert status == 200
        assert 'concierge_http_requests_total{route="/slack/events",status="200"}' \
            in exposition
        assert any(line.startswith("concierge_questions_total{")  # counted where answered
                   and 'platform="slack"' in line for line in exposition.splitlines())


async def test_with_the_answering_side_gone_requests_are_refused_never_acked_and_lost(
        db_url: str, fake_slack: FakeSlackApi, connector: FakeBotConnector) -> None:
    async with split_server(_settings(db_url, fake_slack)) as split:
        split.serving.cancel()
        split.side.transport.abort()  # the answering process died
        await asyncio.wait_for(split.handoff.closed.wait(), 5)
        dm = slack_dm("Is DeepL approved?", "EvGone01", FRONT_DM)
        assert (await post_slack(split.url, dm))[0] == 503
        status, _ = await post_teams(split.url, teams_activity(
            connector.url, "Is DeepL Pro approved?", "gone-1"))
        assert status == 503  # Teams and Slack deliver it again later
        assert (await _get(split.url + "/readyz"))[0] == 503
        assert (await _get(split.url + "/healthz"))[0] == 200


def test_metrics_of_both_processes_are_added_up() -> None:
    front = (b"# HELP concierge_http_requests_total HTTP requests.\n"
             b"# TYPE concierge_http_requests_total counter\n"
             b'concierge_http_requests_total{route="/slack/events",status="200"} 7.0\n'
             b"# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
             b"# TYPE process_resident_memory_bytes gauge\n"
             b"process_resident_memory_bytes 100.0\n")
    answering = (b"# HELP concierge_questions_total Questions answered.\n"
                 b"# TYPE concierge_questions_total counter\n"
                 b'concierge_questions_total{outcome="answered",platform="slack"} 5.0\n'
                 b"# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                 b"# TYPE process_resident_memory_bytes gauge\n"
                 b"process_resident_memory_bytes 300.0\n")
    merged = merge_expositions(front, answering).decode()
    assert 'concierge_http_requests_total{route="/slack/events",status="200"} 7.0' in merged
    assert 'concierge_questions_total{outcome="answered",platform="slack"} 5.0' in merged
    assert "process_resident_memory_bytes 400.0" in merged
    assert merged.count("# TYPE process_resident_memory_bytes") == 1


async def test_acks_never_wait_for_the_niced_answering_process_which_is_replaced_if_killed(
        slack_server: StartServer, fake_slack: FakeSlackApi,
        connector: FakeBotConnector) -> None:
    server = await slack_server(ANSWER_NICE="7")
    answering = answering_pid(server, 7)
    os.kill(answering, signal.SIGSTOP)  # it can do nothing at all now
    try:
        started = time.monotonic()
        dm = slack_dm("Is ChatGPT Enterprise approved?", "EvStopped1", FRONT_DM)
        assert (await post_slack(server.url, dm))[0] == 200
        status, _ = await post_teams(server.url, teams_activity(
            connector.url, "Is DeepL Pro approved?", "stopped-1"))
        assert status == 201
        assert time.monotonic() - started < 3.0  # inside Slack's 3 s, answers or not
        await asyncio.sleep(0.5)
        assert fake_slack.calls_to("chat.postMessage") == []
        assert connector.sent == []
    finally:
        os.kill(answering, signal.SIGCONT)
    assert "ChatGPT Enterprise" in (await fake_slack.wait_for("chat.postMessage",
                                                              within=30))[0].params["text"]
    await connector.wait_for(1, within=30)

    os.kill(answering, signal.SIGKILL)
    await until(lambda: "starting another" in server.logs, within=30)
    await until(lambda: any(pid != answering and nice_of(pid) == 7
                             for pid in child_pids(server.proc.pid)), within=60)
    await until(lambda: "answering process ready" in server.logs.split(
        "starting another", 1)[1], within=120)
    dm = slack_dm("Is ChatGPT Enterprise approved?", "EvAfter1", "D0AFTERDM")
    assert (await post_slack(server.url, dm))[0] == 200
    posts = await fake_slack.wait_for("chat.postMessage", count=2, within=30)
    assert posts[1].params["channel"] == "D0AFTERDM"


def _running(pid: int) -> bool:
    """Alive and not a zombie (a re-parented child may wait to be reaped by init)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


async def test_killing_the_front_ends_its_answering_process_even_a_stopped_one(
        slack_server: StartServer) -> None:
    """A front killed outright (kill -9, the OOM killer) leaves no answering process and
    no answer workers behind, even one that could not read the end of its socket."""
    server = await slack_server(ANSWER_NICE="7")
    await until(lambda: "answering process ready" in server.logs, within=120)
    answering = answering_pid(server, 7)
    workers = child_pids(answering)
    assert workers  # the answer workers of the pool
    os.kill(answering, signal.SIGSTOP)  # it reads nothing, not even the socket's end
    server.proc.kill()
    server.proc.wait(10)
    await until(lambda: not _running(answering), within=10)
    await until(lambda: not any(_running(pid) for pid in workers), within=10)
