"""Helpers for operations tests: real `python app.py serve` processes and a cuttable DB link.

Servers run as subprocesses on 127.0.0.1 with free ports, in Teams dev mode
(loopback only), replying to a fake Bot Connector in the test process. The
database can be taken away without touching the server by pointing it at a
TCP proxy that the test cuts and restores.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.settings import ROOT
from bot.store import Store, upgrade
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.slack.conftest import SECRET, TOKEN, sign

PYTHON = sys.executable
USER_AAD = "00000000-aaaa-4bbb-8ccc-000000000001"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def migrate(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        await upgrade(store.engine)
    finally:
        await store.close()


def spool_dir(db_url: str) -> Path:
    """Where servers on this database keep what they acked: next to a SQLite file (the
    default), else one folder per PostgreSQL test database (never the repository's data/)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":
        return Path(str(url.database) + ".spool")
    return Path(tempfile.gettempdir()) / f"concierge-spool-{url.database}"


def server_env(db_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_", "SPOOL_"))}
    env.update({
        "DATABASE_URL": db_url, "PSEUDONYM_KEY": "test-key", "HOST": "127.0.0.1",
        "PORT": str(port), "TEAMS_DEV_MODE": "true", "LOG_LEVEL": "INFO",
        "LOG_FORMAT": "json", "PYTHONUNBUFFERED": "1", "SPOOL_DIR": str(spool_dir(db_url)),
    })
    env.update(extra)
    return env


class ServerProcess:
    """One `python app.py serve` replica; stderr (the JSON logs) goes to a file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env, self.log_path = env, log_path
        self.port = int(env["PORT"])
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("wb")
        self.proc = subprocess.Popen([PYTHON, "app.py", "serve"], cwd=ROOT, env=env,
                                     stdout=self._log, stderr=subprocess.STDOUT)

    @property
    def logs(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    async def wait_healthy(self, within: float = 90.0) -> None:
        deadline = time.monotonic() + within
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise AssertionError(f"server exited {self.proc.returncode}:\n{self.logs}")
                with contextlib.suppress(aiohttp.ClientError, OSError):
                    async with session.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise AssertionError(f"server not healthy within {within}s:\n{self.logs}")

    def terminate(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)

    async def wait_exit(self, within: float = 30.0) -> int:
        try:
            return await asyncio.to_thread(self.proc.wait, within)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError(f"server did not exit within {within}s:\n{self.logs}") from None

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._log.close()


class TcpProxy:
    """A loopback TCP forwarder whose link can be cut (the database "goes away") and restored."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}
        try:
            await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        finally:
            self._writers -= {writer, up_writer}

    async def cut(self) -> None:
        """Refuse new connections and drop every open one, like a database that died."""
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        await self.cut()


def teams_activity(service_url: str, text: str, activity_id: str,
                   user: str = "29:user-1") -> dict[str, Any]:
    return {
        "type": "message", "id": activity_id, "timestamp": "2025-01-01T10:00:00.000Z",
        "serviceUrl": service_url, "channelId": "msteams",
        "from": {"id": user, "name": "Pat Doe", "aadObjectId": USER_AAD},
        "conversation": {"id": "a:personal-chat-1", "conversationType": "personal",
                         "tenantId": "tenant-1"},
        "recipient": {"id": "28:concierge-bot", "name": "AI Tool Concierge"},
        "channelData": {"tenant": {"id": "tenant-1"}}, "locale": "en-US", "text": text,
    }


async def ask_teams(server_url: str, connector: FakeBotConnector, text: str,
                    activity_id: str) -> int:
    async with aiohttp.ClientSession() as session, session.post(
        server_url + "/api/messages", json=teams_activity(connector.url, text, activity_id)
    ) as response:
        return response.status


def pg_only(db_url: str) -> None:
    if make_url(db_url).get_backend_name() != "postgresql":
        pytest.skip("needs PostgreSQL (a TCP link that can be cut)")


@pytest.fixture
def servers(tmp_path: Path) -> Any:
    """Start replicas with `servers(env)`; all are killed at the end if still running."""
    started: list[ServerProcess] = []

    def start(env: dict[str, str]) -> ServerProcess:
        server = ServerProcess(env, tmp_path / f"server-{len(started)}.log")
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc): the server's answering side, workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


async def until(check: Any, within: float = 20.0) -> None:
    """Poll `check` until it holds; fail the test after `within` seconds."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


StartServer = Callable[..., Awaitable[ServerProcess]]


@pytest.fixture
def slack_server(db_url: str, servers: Any, fake_slack: FakeSlackApi) -> StartServer:
    """`await slack_server(**env)`: a healthy `python app.py serve` replica on the migrated
    test database, with Slack wired to `fake_slack` (and Teams in dev mode, as every one)."""
    migrated: list[bool] = []

    async def start(**extra: str) -> ServerProcess:
        if not migrated:
            await migrate(db_url)
            migrated.append(True)
        server: ServerProcess = servers(server_env(
            db_url, free_port(), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=fake_slack.api_url, **extra))
        await server.wait_healthy()
        return server

    return start


def slack_dm(text: str, event_id: str, channel: str, *, user: str = "UEMPLOYEE1",
             ts: str | None = None) -> str:
    """The body of a Slack DM event, as Slack posts it to /slack/events."""
    return json.dumps({
        "token": "legacy-ignored", "team_id": TEAM_ID, "api_app_id": "A0CONCIERGE",
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "message", "channel": channel, "user": user, "text": text,
                  "ts": ts or f"{time.time():.6f}", "channel_type": "im"},
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT0001", "is_bot": True}],
    })


async def post_slack(url: str, body: str, *, signed: bool = True, retry_num: int = 0,
                     session: aiohttp.ClientSession | None = None,
                     content_type: str = "application/json") -> tuple[int, str]:
    """Post an event (or, form-encoded, a command) to a server's /slack/events, signed as
    Slack signs it (or wrongly); `retry_num`: Slack's redelivery of it. Status and body."""
    ts = str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
               "X-Slack-Signature": sign(body, ts) if signed else "v0=" + "0" * 64}
    if retry_num:
        headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}

    async def send(through: aiohttp.ClientSession) -> tuple[int, str]:
        async with through.post(url + "/slack/events", data=body, headers=headers) as response:
            return response.status, await response.text()

    if session is not None:
        return await send(session)
    async with aiohttp.ClientSession() as own:
        return await send(own)


async def post_teams(url: str, activity: dict[str, Any]) -> tuple[int, bytes]:
    """Post an activity to a server's /api/messages (Teams dev mode: no token). Status, body."""
    async with aiohttp.ClientSession() as session, session.post(
            url + "/api/messages", json=activity) as response:
        return response.status, await response.read()


def nice_of(pid: int) -> int:
    """A process's nice value (Linux /proc): how a test tells the answering process apart."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def answering_pid(server: ServerProcess, nice: int) -> int:
    """The server's one answering process, started at ANSWER_NICE=`nice`."""
    [pid] = [p for p in child_pids(server.proc.pid) if nice_of(p) == nice]
    return pid
