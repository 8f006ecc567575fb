"""A real server under a burst bigger than its answer queue: every asker hears back.

`python app.py serve` with one answer worker process and a queue of 3: a burst of
signed Slack DMs and Teams messages is acknowledged at once, and each asker gets
exactly one reply, either the answer or the polite "busy, try again in a minute".
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp

from bot.core.answer_pool import BUSY_MESSAGE
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import TEAM_ID, FakeSlackApi
from tests.ops.conftest import ServerProcess, free_port, migrate, server_env, teams_activity
from tests.slack.conftest import SECRET, TOKEN, sign

SLACK_ASKERS = 120
TEAMS_ASKERS = 30
# A long question costs the worker real time, so the burst outruns it.
QUESTION = "Can I paste customer emails into DeepL to translate them? " * 60


def _dm(n: int) -> str:
    return json.dumps({
        "token": "legacy-ignored", "team_id": TEAM_ID, "api_app_id": "A0CONCIERGE",
        "type": "event_callback", "event_id": f"EvBurst{n:05d}", "event_time": int(time.time()),
        "event": {"type": "message", "channel": f"DBURST{n:05d}", "user": f"UBURST{n:05d}",
                  "text": QUESTION, "ts": f"1700000000.{n:06d}", "channel_type": "im"},
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOT0001", "is_bot": True}],
    })


async def test_a_burst_beyond_the_queue_gets_answers_or_busy_replies_never_silence(
        db_url: str, servers: Any, connector: FakeBotConnector) -> None:
    await migrate(db_url)
    slack = FakeSlackApi()
    await slack.start()
    try:
        server: ServerProcess = servers(server_env(
            db_url, free_port(), SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.api_url, ANSWER_WORKERS="1", ANSWER_QUEUE_LIMIT="3"))
        await server.wait_healthy()
        async with aiohttp.ClientSession() as session:
            async def slack_event(n: int) -> int:
                body, ts = _dm(n), str(int(time.time()))
                async with session.post(server.url + "/slack/events", data=body, headers={
                        "Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                        "X-Slack-Signature": sign(body, ts)}) as response:
                    return response.status

            async def teams_message(n: int) -> int:
                activity = teams_activity(connector.url, QUESTION, f"burst-{n}",
                                          user=f"29:burst-{n}")
                activity["conversation"]["id"] = f"a:burst-{n}"
                async with session.post(server.url + "/api/messages",
                                        json=activity) as response:
                    return response.status

            statuses = await asyncio.gather(*(slack_event(n) for n in range(SLACK_ASKERS)),
                                            *(teams_message(n) for n in range(TEAMS_ASKERS)))
        assert statuses == [200] * SLACK_ASKERS + [201] * TEAMS_ASKERS

        posts = await slack.wait_for("chat.postMessage", count=SLACK_ASKERS, within=120)
        replies = await connector.wait_for(TEAMS_ASKERS, within=60)
        await asyncio.sleep(1.0)
        # Exactly one reply per asker: nobody is left in silence, nobody is told twice.
        assert sorted(c.params["channel"] for c in slack.calls_to("chat.postMessage")) == \
            [f"DBURST{n:05d}" for n in range(SLACK_ASKERS)]
        assert sorted(r.conversation_id for r in connector.sent) == \
            sorted(f"a:burst-{n}" for n in range(TEAMS_ASKERS))
        busy = [c for c in posts if BUSY_MESSAGE in c.params["text"]]
        answered = [c for c in posts if "DeepL" in c.params["text"]]
        assert busy, "the burst never exceeded the queue"
        assert answered, "nothing was answered"
        assert len(busy) + len(answered) == SLACK_ASKERS
        teams_text = [json.dumps(r.cards) for r in replies]
        odd = [t for t in teams_text if "DeepL" not in t and BUSY_MESSAGE not in t]
        assert not odd, odd[:2]
        assert "answer pool ready" in server.logs
        async with aiohttp.ClientSession() as session, session.get(
                server.url + "/metrics") as response:
            exposition = await response.text()
        told_busy = len(busy) + sum(BUSY_MESSAGE in t for t in teams_text)
        assert f"concierge_answers_busy_total {told_busy:.1f}" in exposition
        assert "concierge_answer_queue 0.0" in exposition  # drained
    finally:
        await slack.close()
