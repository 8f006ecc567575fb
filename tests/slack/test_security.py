"""Request verification through the real server: signatures, timestamps, bodies, logs."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from slack_bolt.middleware.request_verification.async_request_verification import (
    AsyncRequestVerification,
)
from slack_sdk.signature import Clock, SignatureVerifier

from bot.slack.app import SLACK_APP
from tests.slack.conftest import SlackHarness, sign

# S2: Slack's documented example (python-slack-sdk tests/slack_sdk/signature).
S2_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
S2_TIMESTAMP = "1531420618"
S2_BODY = (
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmib"
    "IGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
S2_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


class FrozenClock(Clock):
    def now(self) -> float:
        return float(S2_TIMESTAMP) + 10


def _event_body(text: str = "What can I use to summarize a PDF?") -> str:
    return json.dumps({"type": "event_callback", "team_id": "T0000TEAM", "event_id": "Ev0SEC",
                       "event": {"type": "message", "channel": "D0USERDM1", "user": "UEMP",
                                 "text": text, "ts": "1.2", "channel_type": "im"}})


async def _nothing_happened(slack: SlackHarness) -> None:
    await asyncio.sleep(0.5)
    assert slack.fake.calls_to("chat.postMessage") == []
    assert await slack.runtime.store.queries.count() == 0
    assert await slack.runtime.store.events.claim("slack:Ev0SEC")  # never claimed


def test_s2_vector_matches_the_sdk_verifier() -> None:
    verifier = SignatureVerifier(S2_SECRET, clock=FrozenClock())
    assert sign(S2_BODY, S2_TIMESTAMP, S2_SECRET) == S2_SIGNATURE
    assert verifier.is_valid(S2_BODY, S2_TIMESTAMP, S2_SIGNATURE)


async def test_s2_vector_passes_the_real_app_and_one_changed_byte_fails(
    start_slack,  # type: ignore[no-untyped-def]
) -> None:
    slack: SlackHarness = await start_slack(slack_signing_secret=S2_SECRET)
    bolt = slack.app[SLACK_APP]
    verification = next(m for m in bolt._async_middleware_list
                        if isinstance(m, AsyncRequestVerification))
    verification._verifier = SignatureVerifier(S2_SECRET, clock=FrozenClock())
    form = "application/x-www-form-urlencoded"
    status, _ = await slack.post(S2_BODY, form, timestamp=S2_TIMESTAMP, signature=S2_SIGNATURE)
    assert status == 404  # verified; Bolt has no listener for /webhook-collect
    tampered = S2_BODY.replace("roadrunner", "roadrunnes")
    status, _ = await slack.post(tampered, form, timestamp=S2_TIMESTAMP, signature=S2_SIGNATURE)
    assert status == 401


async def test_bad_signature_is_refused_and_nothing_is_stored(slack: SlackHarness) -> None:
    body = _event_body()
    ts = str(int(time.time()))
    status, _ = await slack.post(body, "application/json", timestamp=ts,
                                 signature=sign(body, ts, "not-the-secret"))
    assert status == 401
    await _nothing_happened(slack)


@pytest.mark.parametrize(("offset", "expected"), [(-301, 401), (301, 401), (-299, 200)])
async def test_timestamp_window_is_five_minutes(
    slack: SlackHarness, offset: int, expected: int
) -> None:
    body = _event_body()
    ts = str(int(time.time()) + offset)
    status, _ = await slack.post(body, "application/json", timestamp=ts, signature=sign(body, ts))
    assert status == expected


@pytest.mark.parametrize("timestamp", ["abc", "1" * 5000, "-5", "1.5", ""])
async def test_malformed_timestamps_are_401_not_500(slack: SlackHarness, timestamp: str) -> None:
    body = _event_body()
    status, _ = await slack.post(body, "application/json", timestamp=timestamp,
                                 signature=sign(body, timestamp))
    assert status == 401
    await _nothing_happened(slack)


async def test_missing_headers_and_wrong_version_are_refused(slack: SlackHarness) -> None:
    body = _event_body()
    ts = str(int(time.time()))
    for signature in ("", "v1=" + sign(body, ts)[3:]):
        status, _ = await slack.post(body, "application/json", timestamp=ts, signature=signature)
        assert status == 401
    for missing in ("X-Slack-Signature", "X-Slack-Request-Timestamp"):
        status, _ = await slack.post(body, "application/json", headers={missing: None})
        assert status == 401
    await _nothing_happened(slack)


async def test_ssl_check_with_bad_signature_is_refused(slack: SlackHarness) -> None:
    form = "application/x-www-form-urlencoded"
    status, _ = await slack.post("ssl_check=1&token=x", form, signature="v0=bad")
    assert status == 401
    status, _ = await slack.post("ssl_check=1&token=x", form)  # signed by Slack
    assert status == 200


async def test_malformed_and_oversized_bodies(slack: SlackHarness) -> None:
    status, _ = await slack.post('{"type": "event_callback", ', "application/json")
    assert status == 400
    status, _ = await slack.post("[1, 2]", "application/json")
    assert status == 400
    huge = json.dumps({"type": "event_callback", "pad": "x" * (1024 * 1024 + 10)})
    status, _ = await slack.post(huge, "application/json")
    assert status == 413
    await _nothing_happened(slack)


async def test_url_verification_challenge_is_answered(slack: SlackHarness) -> None:
    body = json.dumps({"token": "t", "challenge": "c-123", "type": "url_verification"})
    status, text = await slack.post(body, "application/json")
    assert status == 200
    assert "c-123" in text


async def test_bad_signature_body_and_secrets_stay_out_of_logs(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = _event_body("my salary is 123456 and my email is jane@example.com")
    ts = str(int(time.time()))
    status, _ = await slack.post(body, "application/json", timestamp=ts, signature="v0=forged")
    assert status == 401
    assert await slack.dm("What can I use with my salary 123456 data?") == 200
    await slack.fake.wait_for("chat.postMessage")
    # Every record at INFO and above, and the Slack, aiohttp and concierge loggers at DEBUG
    # (aiosqlite's DEBUG output of SQL parameters is a database driver's, off in production).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO
                       or r.name.startswith(("slack", "bot", "aiohttp")))
    assert "Invalid request signature detected" in logged  # the event is still visible
    for secret in ("jane@example.com", "123456", "xoxb-", "test-signing-secret", "v0=forged"):
        assert secret not in logged
