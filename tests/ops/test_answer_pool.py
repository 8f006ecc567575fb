"""A real server under a burst bigger than its answer queue: every asker hears back.

`python app.py serve` with one answer worker process and a queue of 3: a burst of
signed Slack DMs and Teams messages is acknowledged at once, and each asker gets
exactly one reply, either the answer or the polite "busy, try again in a minute".
"""

from __future__ import annotations

import asyncio
import json

import aiohttp

from bot.core.answer_pool import BUSY_MESSAGE
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi
from tests.ops.conftest import StartServer, post_slack, slack_dm, teams_activity

SLACK_ASKERS = 120
TEAMS_ASKERS = 30
# A long question costs the worker real time, so the burst outruns it.
QUESTION = "Can I paste customer emails into DeepL to translate them? " * 60


async def test_a_burst_beyond_the_queue_gets_answers_or_busy_replies_never_silence(
        slack_server: StartServer, fake_slack: FakeSlackApi,
        connector: FakeBotConnector) -> None:
    server = await slack_server(ANSWER_WORKERS="1", ANSWER_QUEUE_LIMIT="3")
    async with aiohttp.ClientSession() as session:
        async def slack_event(n: int) -> int:
            body = slack_dm(QUESTION, f"EvBurst{n:05d}", f"DBURST{n:05d}",
                            user=f"UBURST{n:05d}", ts=f"1700000000.{n:06d}")
            return (await post_slack(server.url, body, session=session))[0]

        async def teams_message(n: int) -> int:
            activity = teams_activity(connector.url, QUESTION, f"burst-{n}",
                                      user=f"29:burst-{n}")
            activity["conversation"]["id"] = f"a:burst-{n}"
            async with session.post(server.url + "/api/messages", json=activity) as response:
                return response.status

        statuses = await asyncio.gather(*(slack_event(n) for n in range(SLACK_ASKERS)),
                                        *(teams_message(n) for n in range(TEAMS_ASKERS)))
    assert statuses == [200] * SLACK_ASKERS + [201] * TEAMS_ASKERS

    posts = await fake_slack.wait_for("chat.postMessage", count=SLACK_ASKERS, within=120)
    replies = await connector.wait_for(TEAMS_ASKERS, within=60)
    await asyncio.sleep(1.0)
    # Exactly one reply per asker: nobody is left in silence, nobody is told twice.
    assert sorted(c.params["channel"] for c in fake_slack.calls_to("chat.postMessage")) == \
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
