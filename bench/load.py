#!/usr/bin/env python3
"""Load and soak benchmark: signed Slack events and Teams activities at a real server.

    python bench/load.py                       # 200 events/s for 20 s, then the bare-Bolt floor,
                                               # a 50/s run for reply latency, 2 bursts of 1,200
    python bench/load.py --rate 100 --seconds 10 --database-url postgresql://...
    python bench/load.py --soak 30             # 30 min at --soak-rate; RSS and task count
    python bench/load.py --soak 30 --soak-burst 1200   # and 1,200 at once every 5 minutes

Everything runs on 127.0.0.1: the concierge (`python app.py serve`, a subprocess
with Slack and Teams dev mode configured), a bare slack-bolt AsyncApp that only
acks behind the same aiohttp adapter (the floor, also a subprocess), and, in
this process, the load generator plus the fake Slack Web API and fake Bot
Connector that receive the replies. The load is open-loop (requests are sent on
schedule whether or not earlier ones finished) and bounded in count and time.
Every request carries its own reply address (a Slack channel, a Teams conversation),
so each reply the fakes receive is matched to its request: reply latency is send →
reply received, and a run only counts as served when every asker got a reply
(the answer, or the "busy, try again" of a full answer queue). Secrets are test values.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import itertools
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

THIS = Path(__file__).resolve()
ROOT = THIS.parents[1]
sys.path.insert(0, str(ROOT))

SECRET = "bench-signing-secret-not-a-real-one"
TOKEN = "xoxb-bench-not-a-real-token"
QUESTIONS = [
    "What can I use to summarize a 40-page PDF?", "Is ChatGPT Enterprise approved?",
    "Can I paste customer emails into DeepL?", "I need to transcribe a meeting",
    "what tool helps me write python code", "Is Midjourney allowed?",
    "translate a contract into German", "make a slide deck from my notes",
]
_ids = itertools.count(1)
#: reply key (Slack channel / Teams conversation, unique per request) -> monotonic send time
SENT: dict[str, float] = {}
BUSY_TEXT = "answering a lot of questions right now"


def _sign(body: str, ts: str) -> str:
    return "v0=" + hmac.new(SECRET.encode(), f"v0:{ts}:{body}".encode(),
                            hashlib.sha256).hexdigest()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def slack_request(question: str) -> tuple[str, dict[str, str]]:
    n = next(_ids)
    SENT[f"D{n:09d}"] = time.monotonic()
    body = json.dumps({
        "token": "legacy", "team_id": "T0000TEAM", "api_app_id": "A0CONCIERGE",
        "type": "event_callback", "event_id": f"EvLoad{n:010d}", "event_time": int(time.time()),
        "event": {"type": "message", "channel": f"D{n:09d}", "user": f"U{n % 997:08d}",
                  "text": question, "ts": f"{time.time():.6f}", "channel_type": "im"},
        "authorizations": [{"team_id": "T0000TEAM", "user_id": "UBOT0001", "is_bot": True}],
    })
    ts = str(int(time.time()))
    return body, {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                  "X-Slack-Signature": _sign(body, ts)}


def teams_request(question: str, service_url: str) -> tuple[str, dict[str, str]]:
    n = next(_ids)
    SENT[f"a:chat-{n}"] = time.monotonic()
    body = json.dumps({
        "type": "message", "id": f"load-{n}", "serviceUrl": service_url, "channelId": "msteams",
        "timestamp": "2025-01-01T10:00:00.000Z", "text": question, "locale": "en-US",
        "from": {"id": f"29:user-{n % 997}", "name": "Load", "aadObjectId": f"aad-{n % 997}"},
        "conversation": {"id": f"a:chat-{n}", "conversationType": "personal",
                         "tenantId": "tenant-1"},
        "recipient": {"id": "28:concierge-bot", "name": "AI Tool Concierge"},
        "channelData": {"tenant": {"id": "tenant-1"}},
    })
    return body, {"Content-Type": "application/json"}


@dataclass
class Run:
    name: str
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    wall: float = 0.0

    def add(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        counts = self.statuses.setdefault(kind, {})
        counts[status] = counts.get(status, 0) + 1

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "wall_s": round(self.wall, 2)}
        for kind, values in self.latencies.items():
            ok = sum(c for s, c in self.statuses[kind].items() if 200 <= s < 300)
            ordered = sorted(values)
            out[kind] = {
                "sent": len(values), "ok": ok, "statuses": self.statuses[kind],
                "throughput_per_s": round(ok / self.wall, 1) if self.wall else 0.0,
                "p50_ms": round(statistics.median(ordered) * 1000, 1),
                "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
                "max_ms": round(ordered[-1] * 1000, 1),
            }
        return out


async def fire(url: str, rate: float, seconds: float, make: Any, name: str,
               limit: int = 256) -> Run:
    """Open-loop load: one request every 1/rate s for `seconds`; latency = send → response."""
    run = Run(name)
    connector = aiohttp.TCPConnector(limit=limit)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def one(kind: str, path: str, body: str, headers: dict[str, str]) -> None:
            started = time.perf_counter()
            try:
                async with session.post(url + path, data=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (aiohttp.ClientError, TimeoutError):
                status = 599
            run.add(kind, status, time.perf_counter() - started)

        total = int(rate * seconds)
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, path, body, headers = make(i)
            tasks.append(asyncio.create_task(one(kind, path, body, headers)))
        await asyncio.gather(*tasks)
        run.wall = time.perf_counter() - start
    return run


# -- replies ------------------------------------------------------------------------------


def _replied(keys: set[str], slack_api: Any, connector: Any) -> dict[str, tuple[float, bool]]:
    """key -> (seconds from send to the reply reaching the fake, whether it was "busy")."""
    got: dict[str, tuple[float, bool]] = {}
    for call in slack_api.calls_to("chat.postMessage"):
        key = call.params.get("channel")
        if key in keys and key not in got:
            got[key] = (call.at - SENT[key], BUSY_TEXT in str(call.params.get("text")))
    for record in connector.sent:
        key = record.conversation_id
        if key in keys and key not in got:
            got[key] = (record.at - SENT[key], BUSY_TEXT in json.dumps(record.activity))
    return got


async def replies(keys: set[str], slack_api: Any, connector: Any,
                  within: float = 60.0) -> dict[str, Any]:
    """Wait (bounded) until every request of a run has its reply; latency and busy counts."""
    deadline = time.monotonic() + within
    got = _replied(keys, slack_api, connector)
    while len(got) < len(keys) and time.monotonic() < deadline:
        await asyncio.sleep(0.25)
        got = _replied(keys, slack_api, connector)
    answered = sorted(t for t, busy in got.values() if not busy)
    every = sorted(t for t, _ in got.values())

    def pct(values: list[float], q: float) -> float | None:
        return round(values[min(len(values) - 1, int(len(values) * q))] * 1000, 1) \
            if values else None

    return {"sent": len(keys), "replied": len(got), "busy": len(every) - len(answered),
            "reply_p50_ms": pct(every, 0.5), "reply_p99_ms": pct(every, 0.99),
            "reply_max_ms": pct(every, 1.0), "answered_p99_ms": pct(answered, 0.99)}


async def measured(server_url: str, rate: float, seconds: float, make: Any, name: str,
                   slack_api: Any, connector: Any) -> tuple[Run, dict[str, Any]]:
    """One open-loop run, then its replies (every request must get one)."""
    before = set(SENT)
    run = await fire(server_url, rate, seconds, make, name)
    return run, await replies(set(SENT) - before, slack_api, connector)


async def burst(server: Process, count: int, make: Any, slack_api: Any,
                connector: Any) -> dict[str, Any]:
    """`count` questions at once (far beyond the answer queue): RSS, acks and replies."""
    rss_before = server.rss_mb()
    run, got = await measured(server.url, 2000.0, count / 2000.0, make,
                              f"burst of {count}", slack_api, connector)
    summary = run.summary()
    return {"count": count, "rss_mb_before": round(rss_before, 1),
            "rss_mb_after": round(server.rss_mb(), 1),
            "acks": {k: {"ok": v["ok"], "p99_ms": v["p99_ms"]} for k, v in summary.items()
                     if isinstance(v, dict)},
            "replies": got}


# -- servers ------------------------------------------------------------------------------


def bare_server(port: int, slack_api: str) -> None:
    """The floor: a bare Bolt AsyncApp that only acks, behind the same aiohttp adapter."""
    from aiohttp import web
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.app import to_aiohttp_response, to_bolt_request

    # Same client set-up as ours (auth.test answered by the same fake), no listeners' work.
    bolt = AsyncApp(signing_secret=SECRET, client=AsyncWebClient(token=TOKEN, base_url=slack_api),
                    process_before_response=False, ssl_check_enabled=False)

    @bolt.event("message")
    async def ack_only() -> None:
        return None

    async def events(request: web.Request) -> web.Response:
        translated = await to_bolt_request(request)
        if isinstance(translated, web.Response):
            return translated
        return to_aiohttp_response(await bolt.async_dispatch(translated))

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post("/slack/events", events)
    app.router.add_get("/healthz", lambda _: web.json_response({"status": "ok"}))
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


class Process:
    def __init__(self, args: list[str], env: dict[str, str], port: int) -> None:
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    async def wait_healthy(self) -> None:
        async with aiohttp.ClientSession() as session:
            for _ in range(3000):  # 5 min: the model and workers load slowly on a busy machine
                if self.proc.poll() is not None:
                    self.log.seek(0)
                    raise SystemExit(f"server exited:\n{self.log.read().decode()[-3000:]}")
                try:
                    async with session.get(self.url + "/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise SystemExit("server did not become healthy")

    def rss_mb(self) -> float:
        """Resident memory of the server and every process under it (the answering
        process and the answer workers are the server's memory too)."""
        return round(sum(self.rss_by_depth().values()), 1)

    def rss_by_depth(self) -> dict[str, float]:
        """RSS (MB) of the server ("front"), its children ("answering": the answering
        process and multiprocessing's helper) and everything below ("workers")."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        depth, level, grew = {self.proc.pid: 0}, 0, True
        while grew:
            level += 1
            more = {pid for pid, parent in parents.items() if parent in depth} - set(depth)
            depth |= dict.fromkeys(more, level)
            grew = bool(more)
        totals = {"front": 0.0, "answering": 0.0, "workers": 0.0}
        for pid, at in depth.items():
            try:
                text = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"VmRSS:\s+(\d+)", text)
            name = ("front", "answering", "workers")[min(at, 2)]
            totals[name] += int(found.group(1)) / 1024 if found else 0.0
        return {name: round(mb, 1) for name, mb in totals.items()}

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of the process's main thread: its event loop, where
        the acks are made. Unlike wall time, it does not grow with the machine's load."""
        fields = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/stat").read_text() \
            .rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_"))}
    env.update(extra)
    return env


async def start_concierge(database_url: str, slack_api: str) -> Process:
    port = _free_port()
    if not database_url.startswith("sqlite"):
        await asyncio.to_thread(subprocess.run, [sys.executable, "app.py", "db", "upgrade"],
                                cwd=ROOT, check=True, env=_env(DATABASE_URL=database_url))
    server = Process([sys.executable, "app.py", "serve"], _env(
        DATABASE_URL=database_url, PSEUDONYM_KEY="bench", HOST="127.0.0.1", PORT=str(port),
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack_api,
        TEAMS_DEV_MODE="true", LOG_LEVEL="WARNING", LOG_FORMAT="json",
        # The spool of what was acked: next to a SQLite file; never the repository's data/.
        **({} if database_url.startswith("sqlite") else
           {"SPOOL_DIR": tempfile.mkdtemp(prefix="concierge-bench-spool-")})), port)
    try:
        await server.wait_healthy()
    except BaseException:  # never leave a server running behind a failed start
        server.stop()
        raise
    return server


async def start_bare(slack_api: str) -> Process:
    port = _free_port()
    server = Process([sys.executable, str(THIS), "--bare-server", str(port),
                      "--slack-api", slack_api], _env(), port)
    try:
        await server.wait_healthy()
    except BaseException:
        server.stop()
        raise
    return server


async def scrape(url: str) -> dict[str, float]:
    async with aiohttp.ClientSession() as session, session.get(url + "/metrics") as response:
        text = await response.text()
    wanted = ("process_resident_memory_bytes", "concierge_asyncio_tasks",
              "concierge_spool_pending")
    return {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines()
            if line.startswith(wanted)}


# -- main ---------------------------------------------------------------------------------


def _machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, " \
           f"Python {platform.python_version()}, {platform.system()} {platform.release()}"


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from tests.fakes.bot_connector import FakeBotConnector
    from tests.fakes.slack_api import FakeSlackApi

    slack_api, connector = FakeSlackApi(), FakeBotConnector()
    await slack_api.start()
    await connector.start()
    tmp = tempfile.TemporaryDirectory()
    database_url = args.database_url or f"sqlite+aiosqlite:///{tmp.name}/bench.db"
    results: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M %Z"),
                               "machine": _machine(), "database": database_url.split(":")[0],
                               # a shared machine's load decides what absolute times mean
                               "load_average_at_start": os.getloadavg()}
    server = await start_concierge(database_url, slack_api.api_url)
    bare = None if args.soak else await start_bare(slack_api.api_url)
    try:
        def mixed(i: int) -> tuple[str, str, str, dict[str, str]]:
            question = QUESTIONS[i % len(QUESTIONS)]
            if i % 100 < args.teams_percent:
                return ("teams", "/api/messages", *teams_request(question, connector.url))
            return ("slack", "/slack/events", *slack_request(question))

        def slack_only(i: int) -> tuple[str, str, str, dict[str, str]]:
            return ("slack", "/slack/events", *slack_request(QUESTIONS[i % len(QUESTIONS)]))

        await fire(server.url, 20, 1, mixed, "warm-up")  # import caches, JIT-free warm-up
        await asyncio.sleep(2)
        if args.soak:
            results["soak"] = await soak(server, args, mixed, slack_api, connector)
            return results
        cpu: dict[str, float] = {}
        before = server.cpu_seconds()
        ours, ours_replies = await measured(server.url, args.rate, args.seconds, mixed,
                                            "concierge (mixed)", slack_api, connector)
        cpu["mixed"], before = server.cpu_seconds() - before, server.cpu_seconds()
        ours_slack, slack_replies = await measured(server.url, args.rate, args.seconds,
                                                   slack_only, "concierge (Slack only)",
                                                   slack_api, connector)
        cpu["slack_only"] = server.cpu_seconds() - before
        assert bare is not None
        await fire(bare.url, 20, 1, slack_only, "warm-up")
        before = bare.cpu_seconds()
        floor = await fire(bare.url, args.rate, args.seconds, slack_only, "bare Bolt (ack only)")
        cpu["bare"] = bare.cpu_seconds() - before
        events = args.rate * args.seconds
        # Main-thread CPU per event, replies included (a single process posts them too).
        results["main_thread_cpu_ms_per_event"] = {
            name: round(seconds * 1000 / events, 3) for name, seconds in cpu.items()}
        bare.stop()
        bare = None
        results["runs"] = [ours.summary(), ours_slack.summary(), floor.summary()]
        floor_s = floor.summary()["slack"]
        results["overhead_ratio"] = {
            name: {"p50": round(run["p50_ms"] / max(floor_s["p50_ms"], 0.01), 2),
                   "p99": round(run["p99_ms"] / max(floor_s["p99_ms"], 0.01), 2)}
            for name, run in (("mixed_slack_part", ours.summary()["slack"]),
                              ("slack_only", ours_slack.summary()["slack"]))}
        results["replies"] = {"mixed": ours_replies, "slack_only": slack_replies}
        if args.reply_rate:
            low, low_replies = await measured(server.url, args.reply_rate, args.seconds, mixed,
                                              f"concierge (mixed, {args.reply_rate:g}/s)",
                                              slack_api, connector)
            results["runs"].append(low.summary())
            results["replies"][f"mixed_{args.reply_rate:g}_per_s"] = low_replies
        if args.burst:
            results["bursts"] = [await burst(server, args.burst, mixed, slack_api, connector)
                                 for _ in range(2)]
        results["server_rss_mb"] = round(server.rss_mb(), 1)
        results["load_average_at_end"] = os.getloadavg()
    finally:
        server.stop()
        if bare is not None:
            bare.stop()
        await slack_api.close()
        await connector.stop()
        tmp.cleanup()
    return results


async def soak(server: Process, args: argparse.Namespace, make: Any, slack_api: Any,
               connector: Any) -> dict[str, Any]:
    """Moderate load for `--soak` minutes in 60 s slices, sampling RSS, asyncio tasks and
    the front's spool; with --soak-burst, a slice every --soak-burst-every minutes starts
    with that many questions at once (far beyond the answer queue) and counts their
    replies: every asker must get the answer or "busy"."""
    samples = []
    for minute in range(int(args.soak)):
        sample: dict[str, Any] = {"minute": minute + 1}
        if args.soak_burst and minute % args.soak_burst_every == 0:
            _, sample["burst_replies"] = await measured(
                server.url, 2000.0, args.soak_burst / 2000.0, make,
                f"soak burst {minute + 1}", slack_api, connector)
        started = time.monotonic()
        run = await fire(server.url, args.soak_rate, 60, make, f"soak minute {minute + 1}")
        await asyncio.sleep(max(0.0, 60.0 - (time.monotonic() - started)))
        metrics = await scrape(server.url)
        summary = run.summary()
        sample |= {"rss_mb": server.rss_mb(), "rss_by_process_mb": server.rss_by_depth(),
                   "asyncio_tasks": metrics.get("concierge_asyncio_tasks", -1),
                   "spool_pending": metrics.get("concierge_spool_pending", -1),
                   "non_2xx": sum(n for v in summary.values() if isinstance(v, dict)
                                  for status, n in v["statuses"].items()
                                  if not 200 <= status < 300),
                   "p99_ms": {k: v["p99_ms"] for k, v in summary.items() if isinstance(v, dict)}}
        samples.append(sample)
        print(json.dumps(sample), flush=True)
    # Every asker of the whole soak, however late: the answer or "busy", never silence.
    everyone = await replies(set(SENT), slack_api, connector, within=300.0)
    first, last = samples[min(2, len(samples) - 1)], samples[-1]
    return {"rate": args.soak_rate, "burst": args.soak_burst, "every_asker": everyone,
            "burst_every_minutes": args.soak_burst_every, "samples": samples,
            "rss_growth_mb_after_warmup": round(last["rss_mb"] - first["rss_mb"], 1),
            "tasks_first_last": [first["asyncio_tasks"], last["asyncio_tasks"]]}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="duration of each run")
    parser.add_argument("--teams-percent", type=int, default=30,
                        help="share of Teams activities in the mixed run")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    parser.add_argument("--soak", type=float, default=0.0, help="soak for MINUTES instead")
    parser.add_argument("--soak-rate", type=float, default=30.0)
    parser.add_argument("--soak-burst", type=int, default=0,
                        help="questions at once at the start of a soak slice (0: none)")
    parser.add_argument("--soak-burst-every", type=int, default=5,
                        help="minutes between soak bursts")
    parser.add_argument("--reply-rate", type=float, default=50.0,
                        help="also a mixed run at this rate, for reply latency (0: skip)")
    parser.add_argument("--burst", type=int, default=1200,
                        help="then twice this many questions at once (0: skip)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--bare-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--slack-api", default="", help=argparse.SUPPRESS)
    return parser


if __name__ == "__main__":
    arguments = _parser().parse_args()
    if arguments.bare_server:
        bare_server(arguments.bare_server, arguments.slack_api)
        sys.exit(0)
    if arguments.rate * arguments.seconds > 20_000:
        sys.exit("refusing more than 20,000 requests per run")
    outcome = asyncio.run(main(arguments))
    print(json.dumps(outcome, indent=2))
    if arguments.json:
        arguments.json.write_text(json.dumps(outcome, indent=2))
