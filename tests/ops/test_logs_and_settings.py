"""Logs are one JSON object per line with no message text, token or email; settings errors
name every bad variable at once."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
from collections.abc import Iterator

import pytest

from bot.observability.logging import configure_logging
from bot.settings import ROOT
from tests.ops.conftest import PYTHON

# Built at runtime so no secret-looking literal sits in the repository.
TOKEN = "xoxb-" + "1234567890" + "-" + "0987654321" + "-abcdefGHIJKLmnop"
EMAIL = "pat.doe" + "@" + "example.com"
QUESTION = "can I paste the Henderson merger memo into ChatGPT"


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved_level, saved = root.level, list(root.handlers)
    handler = configure_logging("DEBUG", "json", stream=stream)
    yield stream
    root.removeHandler(handler)
    root.handlers[:] = saved
    root.setLevel(saved_level)


def _lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_record_is_one_json_line_without_crlf(log_stream: io.StringIO) -> None:
    log = logging.getLogger("bot.test")
    log.warning("first line\r\nsecond line", extra={"policy_version": 3})
    lines = _lines(log_stream)
    assert [(r["msg"], r["policy_version"], r["level"]) for r in lines] == [
        ("first line  second line", 3, "WARNING")]


def test_only_allowlisted_extra_keys_are_written(log_stream: io.StringIO) -> None:
    logging.getLogger("bot.test").info(
        "answered", extra={"text": QUESTION, "token": TOKEN, "user_email": EMAIL,
                           "outcome": "recommend", "platform": "slack"})
    record = _lines(log_stream)[0]
    assert {k: record.get(k) for k in ("outcome", "platform", "text", "token", "user_email")} \
        == {"outcome": "recommend", "platform": "slack", "text": None, "token": None,
            "user_email": None}


def test_tokens_and_emails_in_messages_are_redacted(log_stream: io.StringIO) -> None:
    logging.getLogger("bot.test").warning("bad call with %s for %s", TOKEN, EMAIL)
    output = log_stream.getvalue()
    assert (TOKEN in output, EMAIL in output, len(_lines(log_stream))) == (False, False, 1)


def test_exceptions_keep_their_type_and_frames_but_not_their_text(
        log_stream: io.StringIO) -> None:
    try:
        try:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
        except OSError as exc:
            raise ValueError(f"could not log question {QUESTION!r} from {EMAIL}") from exc
    except ValueError:
        logging.getLogger("bot.test").exception("query log failed")
    record = _lines(log_stream)[0]
    output = log_stream.getvalue()
    assert (QUESTION in output, EMAIL in output) == (False, False)
    assert record["exc_chain"] == ["ValueError", "ConnectionRefusedError"]
    assert any("test_logs_and_settings.py" in frame for frame in record["exc_frames"])


def test_bodies_and_sql_parameters_are_dropped(log_stream: io.StringIO) -> None:
    body = json.dumps({"event": {"text": QUESTION, "user": EMAIL}, "token": TOKEN})
    logging.getLogger("slack_bolt.AsyncApp").info(f"Invalid request signature detected "
                                                  f"(signature: v0=1, timestamp: 1, body: {body})")
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] ('%s',)", QUESTION)
    logging.getLogger("aiosqlite").debug("executing %s", QUESTION)
    logging.getLogger("bot.test").warning("kept")
    assert [r["msg"] for r in _lines(log_stream)] == ["kept"]


def _run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_"))}
    return subprocess.run([PYTHON, "app.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_settings_error_names_every_bad_variable_at_once() -> None:
    result = _run_cli("serve", PORT="http", MATCHER="magic", DIGEST_TIME="25:99",
                      LOG_FORMAT="xml", MAX_QUESTION_CHARS="5",
                      SLACK_SIGNING_SECRET="do-not-echo-this-secret")
    named = {name: name in result.stderr for name in
             ("PORT", "MATCHER", "DIGEST_TIME", "LOG_FORMAT", "MAX_QUESTION_CHARS")}
    assert (result.returncode, named) == (2, dict.fromkeys(named, True))
    assert "5 to fix" in result.stderr
    assert "do-not-echo-this-secret" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
