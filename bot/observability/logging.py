"""Structured logs that are safe to ship: one JSON object per line, no message text.

Why so strict: questions may contain customer data, and Slack/Teams payloads
carry tokens and personal data. Three layers keep them out of the logs:

1. Only allowlisted `extra` keys are written (ids, counts, statuses, never text).
2. Records known to dump request bodies (Bolt's bad-signature log, slack_sdk's
   DEBUG request logs, SQL parameter logs) are dropped outright.
3. The rendered message is passed through the redactor (tokens, emails, phones,
   cards) and CR/LF are removed; exception messages are written only for
   network/OS errors, other exceptions contribute their type and stack frames.

`configure_logging` is called once by the CLI entry point; calling it again
replaces its own handler instead of adding a second one.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

__all__ = ["ALLOWED_EXTRA", "JsonFormatter", "SafeLogFilter", "TextFormatter",
           "configure_logging"]

ALLOWED_EXTRA = frozenset({
    "platform", "outcome", "policy_version", "version", "event_id", "status", "http_status",
    "retry_after", "attempt", "attempts", "error", "kind", "method", "route", "latency_ms",
    "queries", "unmet", "days", "placed", "new_candidates", "count", "unmet_reason", "usergroup",
    "period", "destination_kind", "job", "replica", "port", "pending", "reason",
})
# Dropped entirely: these loggers print SQL parameters or request bodies when verbose.
_QUIET_LOGGERS = {
    "aiosqlite": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "asyncpg": logging.WARNING,
    "slack_sdk": logging.INFO,
    "slack_bolt.AsyncRequestVerification": logging.WARNING,
    "slack_bolt.RequestVerification": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "msrest": logging.WARNING,
    "urllib3": logging.WARNING,
}
_BODY_MARKERS = ("Invalid request signature detected", "body:", "Received the following body",
                 "Sending a request", "Received the following response")
_NETWORK_ERRORS = (OSError, TimeoutError, ConnectionError)
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName"}
_MAX_MESSAGE = 500
_HANDLER_NAME = "concierge-safe-handler"


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def _redact(text: str) -> str:
    try:
        from bot.core.redact import redact_text
    except ImportError:  # pragma: no cover - the package always ships the redactor
        return text
    return redact_text(text)


class SafeLogFilter(logging.Filter):
    """Drop records that may carry request bodies or SQL parameters; never raise."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            name = record.name
            if name.startswith(("sqlalchemy.engine", "aiosqlite", "asyncpg")) and \
                    record.levelno < logging.WARNING:
                return False
            if name.startswith("slack_sdk") and record.levelno < logging.INFO:
                return False
            message = str(record.msg)
            return not any(marker in message for marker in _BODY_MARKERS)
        except Exception:  # a broken record is dropped, logging must never stop the app
            return False


def _exception_fields(exc_info: Any) -> dict[str, Any]:
    _, exc, tb = exc_info
    if exc is None:
        return {}
    chain: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 5:
        chain.append(type(current).__name__)
        current = current.__cause__ or current.__context__
    frames = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
              for f in traceback.extract_tb(tb)[-8:]]
    fields: dict[str, Any] = {"exc_type": type(exc).__name__, "exc_chain": chain,
                              "exc_frames": frames}
    if isinstance(exc, _NETWORK_ERRORS):  # system messages ("connection refused"), no user data
        fields["exc_message"] = _redact(_one_line(str(exc)))[:_MAX_MESSAGE]
    return fields


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    try:
        message = record.getMessage()
    except Exception:
        message = str(record.msg)
    out: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "logger": record.name,
        "msg": _redact(_one_line(message))[:_MAX_MESSAGE],
    }
    for key, value in record.__dict__.items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key in ALLOWED_EXTRA and isinstance(value, (int, float, bool, type(None))):
            out[key] = value
        elif key in ALLOWED_EXTRA:
            out[key] = _redact(_one_line(str(value)))[:200]
    if record.exc_info:
        out.update(_exception_fields(record.exc_info))
    return out


class JsonFormatter(logging.Formatter):
    """One JSON object per line with only safe fields."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            return json.dumps(_fields(record), ensure_ascii=False, default=str)
        except Exception:
            return json.dumps({"level": "ERROR", "logger": "bot.observability",
                               "msg": "a log record could not be formatted"})


class TextFormatter(logging.Formatter):
    """Human-readable lines for development, with the same redaction as JSON."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            fields = _fields(record)
        except Exception:
            return "ERROR bot.observability: a log record could not be formatted"
        extras = " ".join(f"{k}={v}" for k, v in fields.items()
                          if k not in {"ts", "level", "logger", "msg"})
        line = f"{fields['ts']} {fields['level']} {fields['logger']}: {fields['msg']}"
        return _one_line(f"{line} {extras}".rstrip())


def configure_logging(level: str | int = "INFO", fmt: Literal["json", "text"] = "json",
                      stream: TextIO | None = None) -> logging.Handler:
    """Install the one safe handler on the root logger (replacing an earlier one).

    Args:
        level: root level, e.g. "INFO" or logging.DEBUG.
        fmt: "json" for production, "text" for a terminal.
        stream: where to write (stderr by default).

    Returns:
        The installed handler (tests attach a stream to read it back).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(SafeLogFilter())
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else level.upper())
    for name, minimum in _QUIET_LOGGERS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(minimum, logger.level or logging.NOTSET))
    logging.raiseExceptions = False  # a failing log write must not take a request down
    return handler
