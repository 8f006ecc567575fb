"""Slack privacy and robustness (issues 12 and 13): redacted storage and echoes, malformed
signed payloads, half-configured settings, admin emails, `&amp;` shown once.

Signed HTTP into the real Bolt app, a real database, a fake Slack Web API.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from bot.web import build_web_app
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID
from tests.slack.conftest import ADMIN, SECRET, TOKEN, SlackHarness, sign

SSN = "078-05-1120"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY"
CARD = "4111.1111.1111.1111"
MOBILE = "07700 900461"
RAW = (SSN, AWS_SECRET, "4111", MOBILE, "Sunflower77", "Siobhan")


async def _stored_questions(slack: SlackHarness) -> list[str]:
    async with slack.runtime.store.engine.connect() as connection:
        rows = await connection.execute(text(
            "SELECT question FROM query_log UNION ALL SELECT question FROM unmet_requests"))
        return [row[0] for row in rows]


def _all_text(params: dict[str, Any]) -> str:
    return json.dumps(params, ensure_ascii=False)


async def test_sensitive_questions_are_stored_redacted(start_slack) -> None:  # type: ignore[no-untyped-def]
    slack: SlackHarness = await start_slack(phone_region="GB")
    questions = [
        f"my SSN is {SSN}, can I paste it into an AI that drives forklifts?",
        f"is it ok to put our aws secret access key {AWS_SECRET} into Copilot?",
        f"can ChatGPT read card {CARD}?",
        f"call me on {MOBILE} about a forklift robot",
        "my password is Sunflower77, can an AI drive the forklift?",
        "my colleague Siobhan wants an AI that drives the forklift",
    ]
    for question in questions:
        assert await slack.dm(question) == 200
    await slack.fake.wait_for("chat.postMessage", count=len(questions))
    stored = await _stored_questions(slack)
    assert len(stored) >= len(questions)
    for raw in RAW:
        assert not any(raw in s for s in stored), (raw, stored)
    joined = " ".join(stored)
    for placeholder in ("[NATIONAL_ID]", "[SECRET]", "[CARD]", "[PHONE]", "[NAME]"):
        assert placeholder in joined


async def test_share_echoes_the_redacted_question_without_control_or_bidi(
    slack: SlackHarness,
) -> None:
    question = f"is Grok approved? my SSN {SSN} key {AWS_SECRET} \u202egnp.exe\u202c\x00 ok"
    assert await slack.command(f"share {question}") == 200
    [shared] = await slack.fake.wait_for("response_url")
    assert shared.params["response_type"] == "in_channel"
    shown = _all_text(shared.params)
    assert "You asked:" in shown
    for raw in (SSN, AWS_SECRET, "\u202e", "\u202c", "\\u202e", "\\u0000"):
        assert raw not in shown
    assert "[NATIONAL_ID]" in shown
    assert "[SECRET]" in shown


async def test_mention_echo_is_redacted(slack: SlackHarness) -> None:
    status = await slack.event({"type": "app_mention", "user": "UEMPLOYEE1",
                                "text": f"<@{BOT_USER_ID}> can Bob Smith's card {CARD} go "
                                        "into DeepSeek?\u2066",
                                "ts": "1700000000.000900", "channel": "C0GENERAL1"})
    assert status == 200
    [post] = await slack.fake.wait_for("chat.postMessage")
    shown = _all_text(post.params)
    assert "You asked:" in shown
    for raw in ("4111", "Bob Smith", "\u2066", "\\u2066"):
        assert raw not in shown
    assert "[CARD]" in shown


FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def _payload(data: Any) -> str:
    return urlencode({"payload": json.dumps(data)})


_USER = {"id": "UEMPLOYEE1", "team_id": TEAM_ID}
MALFORMED = [
    ("empty body", "", JSON),
    ("empty form", "", FORM),
    ("missing type", json.dumps({"team_id": TEAM_ID, "event": {"type": "message"}}), JSON),
    ("type not a string", json.dumps({"type": 5}), JSON),
    ("event is a string", json.dumps({"type": "event_callback", "team_id": TEAM_ID,
                                      "event": "message"}), JSON),
    ("event text is a list", json.dumps({
        "type": "event_callback", "team_id": TEAM_ID, "event_id": "EvBAD1",
        "event": {"type": "message", "user": "U1", "channel": "D1", "channel_type": "im",
                  "text": ["hi"]}}), JSON),
    ("non-JSON payload", urlencode({"payload": "not json"}), FORM),
    ("payload without type", _payload({"user": _USER}), FORM),
    ("user is a string", _payload({"type": "block_actions", "user": "UEMPLOYEE1",
                                   "actions": [{"action_id": "concierge.feedback.helpful",
                                                "value": "1"}]}), FORM),
    ("actions is a string", _payload({"type": "block_actions", "user": _USER,
                                      "actions": "concierge.feedback.helpful"}), FORM),
    ("team is a string", _payload({"type": "block_actions", "user": _USER, "team": TEAM_ID,
                                   "actions": [{"action_id": "concierge.vote", "value": "1"}]}),
     FORM),
    ("view is a string", _payload({"type": "view_submission", "user": _USER, "view": "x"}),
     FORM),
    ("command without user", urlencode({"command": "/aitools", "text": "hi",
                                        "team_id": TEAM_ID}), FORM),
    ("url_verification without challenge", json.dumps({"type": "url_verification"}), JSON),
]


@pytest.mark.parametrize(("shape", "body", "content_type"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
async def test_malformed_signed_payloads_get_400(
    slack: SlackHarness, shape: str, body: str, content_type: str
) -> None:
    status, _ = await slack.post(body, content_type)
    assert status == 400, shape
    # Unsigned, the same body is still a 401: shape errors never hide signature errors.
    ts = str(int(time.time()))
    status, _ = await slack.post(body, content_type, timestamp=ts,
                                 signature=sign(body, ts, "wrong-secret"))
    assert status == 401
    assert slack.fake.calls_to("chat.postMessage") == []


async def test_admin_unmet_shows_ampersands_once(slack: SlackHarness) -> None:
    # Slack sends what people type with &, < and > escaped.
    question = "Is there an AI that can water the office plants in R&amp;D &lt;fast&gt;?"
    assert await slack.dm(question) == 200
    await slack.fake.wait_for("chat.postMessage")
    assert await slack.command("admin unmet", user=ADMIN) == 200
    [listing] = await slack.fake.wait_for("response_url")
    shown = listing.params["text"]
    assert "office plants" in shown, shown
    assert "R&amp;D" in shown
    assert "&amp;amp;" not in shown
    assert "&lt;fast&gt;" in shown
    assert "&amp;lt;" not in shown


async def test_admin_emails_work_for_slack(start_slack) -> None:  # type: ignore[no-untyped-def]
    slack: SlackHarness = await start_slack(admins=["it.lead@northwind.example"])
    slack.fake.emails["UITLEAD01"] = "IT.Lead@northwind.example"
    assert await slack.command("admin status synthesia prohibited", user="UITLEAD01") == 200
    [done] = await slack.fake.wait_for("response_url")
    assert "now prohibited" in done.params["text"]
    assert await slack.command("admin status synthesia approved", user="UNOBODY01") == 200
    refused = await slack.fake.wait_for("response_url", count=2)
    assert "now approved" not in refused[1].params["text"]
    assert slack.fake.calls_to("users.info")


@pytest.mark.parametrize(("settings", "missing"), [
    ({"slack_bot_token": TOKEN}, "SLACK_SIGNING_SECRET"),
    ({"slack_signing_secret": SECRET}, "SLACK_BOT_TOKEN"),
    ({"slack_app_token": "xapp-1-test"}, "SLACK_BOT_TOKEN"),
    ({"microsoft_app_id": "00000000-0000-0000-0000-0000000000a1"}, "MICROSOFT_APP_PASSWORD"),
    ({"microsoft_app_password": "p4ss"}, "MICROSOFT_APP_ID"),
])
async def test_half_configured_platforms_refuse_to_start(
    db_url: str, settings: dict[str, str], missing: str
) -> None:
    runtime = await Runtime.start(Settings(database_url=db_url, pseudonym_key="k" * 16,
                                           **settings))  # type: ignore[arg-type]
    try:
        with pytest.raises(SettingsError) as refused:
            build_web_app(runtime)
    finally:
        await runtime.close()
    message = str(refused.value)
    assert missing in message
    assert message.count("\n  - ") == 1
