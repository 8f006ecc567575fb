"""Prometheus metrics for one process, served at `GET /metrics`.

Every replica exposes its own figures; Prometheus sums them. Labels are small,
fixed vocabularies (outcome, platform, route, kind), never user or message data,
so cardinality stays bounded however many employees ask.

Adapters and the digest call the `record_*` functions; the concierge reports
each answer through `observe_answer`, registered as a Concierge observer. The
platform of an answer comes from a context variable the web layer sets per
request (`platform_scope`), because the observer only receives the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    gc_collector,
    generate_latest,
    platform_collector,
    process_collector,
)

__all__ = [
    "CONTENT_TYPE",
    "PLATFORM",
    "REGISTRY",
    "observe_answer",
    "observe_http",
    "platform_scope",
    "record_database_up",
    "record_digest_delivery",
    "record_platform_error",
    "render",
]

CONTENT_TYPE = CONTENT_TYPE_LATEST
PLATFORMS = frozenset({"slack", "teams", "cli", "unknown"})

# One registry per process, not prometheus_client's global default, so nothing
# imported by a dependency can add series we never chose to expose.
REGISTRY = CollectorRegistry(auto_describe=True)
process_collector.ProcessCollector(registry=REGISTRY)
platform_collector.PlatformCollector(registry=REGISTRY)
gc_collector.GCCollector(registry=REGISTRY)

PLATFORM: contextvars.ContextVar[str] = contextvars.ContextVar("platform", default="unknown")

QUESTIONS = Counter(
    "concierge_questions",
    "Questions answered, by outcome and chat platform.",
    ["outcome", "platform"],
    registry=REGISTRY,
)
ANSWER_LATENCY = Histogram(
    "concierge_answer_latency_seconds",
    "Time to build an answer (understanding, matching, policy), by platform.",
    ["platform"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
PLATFORM_ERRORS = Counter(
    "concierge_platform_errors",
    "Failures talking to or serving a chat platform, by platform and kind.",
    ["platform", "kind"],
    registry=REGISTRY,
)
DIGEST_DELIVERIES = Counter(
    "concierge_digest_deliveries",
    "Leadership digest deliveries, by platform and result (sent, failed, skipped).",
    ["platform", "result"],
    registry=REGISTRY,
)
HTTP_REQUESTS = Counter(
    "concierge_http_requests",
    "HTTP requests served, by route and status code.",
    ["route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "concierge_http_request_seconds",
    "Time to answer an HTTP request (the platform's acknowledgement), by route.",
    ["route"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 3.0, 5.0, 10.0),
    registry=REGISTRY,
)
POLICY_VERSION = Gauge(
    "concierge_policy_version",
    "The policy version this replica serves.",
    registry=REGISTRY,
)
DATABASE_UP = Gauge(
    "concierge_database_up",
    "1 when the last readiness check reached the database, else 0.",
    registry=REGISTRY,
)

ASYNCIO_TASKS = Gauge(
    "concierge_asyncio_tasks",
    "asyncio tasks alive in the server's event loop (should stay flat under steady load).",
    registry=REGISTRY,
)

ANSWER_QUEUE = Gauge(
    "concierge_answer_queue",
    "Questions waiting for or being answered by the answer workers (at most "
    "ANSWER_QUEUE_LIMIT).",
    registry=REGISTRY,
)
ANSWERS_BUSY = Counter(
    "concierge_answers_busy_total",
    "Questions answered 'busy, try again in a minute' because the answer queue was full.",
    registry=REGISTRY,
)


SPOOL_PENDING = Gauge(
    "concierge_spool_pending",
    "Requests acknowledged by the front and not yet finished by the answering process "
    "(kept on disk until then; should return to 0 when the load stops).",
    registry=REGISTRY,
)


def watch_spool(pending: Any) -> None:
    """Expose the front's spool (a zero-argument callable: entries not done) at scrape time."""
    SPOOL_PENDING.set_function(lambda: float(pending()))


def watch_answer_queue(waiting: Any) -> None:
    """Expose the answer pool's queue length (a zero-argument callable) at scrape time."""
    ANSWER_QUEUE.set_function(lambda: float(waiting()))


def record_busy() -> None:
    ANSWERS_BUSY.inc()


def _count_tasks() -> float:
    try:
        return float(len(asyncio.all_tasks()))
    except RuntimeError:  # scraped outside the event loop (e.g. in a test)
        return 0.0


ASYNCIO_TASKS.set_function(_count_tasks)

_KIND = frozenset({
    "rate_limited", "server_error", "timeout", "auth", "blocked", "too_large",
    "listener_error", "turn_error", "http_5xx", "other",
})
_RESULTS = frozenset({"sent", "failed", "skipped", "retried"})


def _platform(value: str | None) -> str:
    value = (value or PLATFORM.get()).lower()
    return value if value in PLATFORMS else "unknown"


@contextlib.contextmanager
def platform_scope(platform: str) -> Iterator[None]:
    """Attribute answers built inside this block (and tasks it starts) to `platform`."""
    token = PLATFORM.set(_platform(platform))
    try:
        yield
    finally:
        PLATFORM.reset(token)


def observe_answer(answer: Any, seconds: float) -> None:
    """Concierge observer: count the answer by outcome and time it.

    Args:
        answer: the neutral `Answer` (only its `outcome` and `policy_version` are read).
        seconds: how long the concierge took to build it.
    """
    platform = _platform(None)
    outcome = str(getattr(answer, "outcome", "unknown"))[:40]
    QUESTIONS.labels(outcome=outcome, platform=platform).inc()
    ANSWER_LATENCY.labels(platform=platform).observe(max(seconds, 0.0))
    version = getattr(answer, "policy_version", None)
    if isinstance(version, int):
        POLICY_VERSION.set(version)


def record_platform_error(platform: str, kind: str) -> None:
    """Count one platform failure, e.g. `record_platform_error("slack", "rate_limited")`.

    `kind` is one of: rate_limited, server_error, timeout, auth, blocked, too_large,
    listener_error, turn_error, http_5xx, other (anything else counts as other).
    """
    PLATFORM_ERRORS.labels(platform=_platform(platform),
                           kind=kind if kind in _KIND else "other").inc()


def record_digest_delivery(platform: str, result: str) -> None:
    """Count one digest delivery attempt: result is sent, failed, skipped or retried."""
    DIGEST_DELIVERIES.labels(platform=_platform(platform),
                             result=result if result in _RESULTS else "failed").inc()


def observe_http(route: str, status: int, seconds: float) -> None:
    """Count and time one HTTP request; `route` is the route pattern, never the raw path."""
    HTTP_REQUESTS.labels(route=route, status=str(status)).inc()
    HTTP_LATENCY.labels(route=route).observe(max(seconds, 0.0))


def record_database_up(up: bool) -> None:
    DATABASE_UP.set(1 if up else 0)


def render() -> bytes:
    """The text exposition of every metric of this process."""
    return generate_latest(REGISTRY)
