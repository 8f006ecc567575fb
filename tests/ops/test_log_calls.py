"""Log calls that only break when their record is built must break in the tests too.

`logging` refuses an `extra` key that is a LogRecord attribute ("created", "message",
...) with a KeyError, but only when the level is enabled: at WARNING (pytest's default)
an INFO call with a bad key passes silently, at INFO (the server's default) it crashed
`candidates list` and the digest build. The suite now runs at INFO (pyproject), and this
scan keeps reserved keys out of every `extra=` in the code base.
"""

from __future__ import annotations

import ast
import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.insights.candidates import CandidateReview
from bot.core.insights.periods import period_of
from bot.observability.logging import ALLOWED_EXTRA
from bot.scheduler import DigestSender
from bot.settings import ROOT
from bot.store import Store
from tests.insights.seed import TOPICS, log_query

RESERVED = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "taskName"}


def _extra_keys() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg == "extra" and isinstance(kw.value, ast.Dict):
                    for key in kw.value.keys:
                        if isinstance(key, ast.Constant) and isinstance(key.value, str):
                            found.append((str(path.relative_to(ROOT)), node.lineno, key.value))
    return found


def test_no_log_call_uses_a_reserved_record_key() -> None:
    keys = _extra_keys()
    assert len(keys) > 10  # the scan sees the code base's log calls
    assert [k for k in keys if k[2] in RESERVED] == []
    assert sorted(ALLOWED_EXTRA & RESERVED) == []


def test_suite_runs_at_the_servers_log_level() -> None:
    assert logging.getLogger().getEffectiveLevel() <= logging.INFO


async def test_candidates_refresh_logs_at_info_with_new_requests(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime.now(UTC)
    for i, question in enumerate(TOPICS["music"]):
        await log_query(store, at=now - timedelta(minutes=i), asker=f"p{i}", question=question,
                        outcome="unmet")
    review = CandidateReview(store)
    with caplog.at_level(logging.INFO):
        report = await review.refresh()
        listed = await review.list()
    assert report.placed == 5
    assert [c.asks for c in listed] == [5]
    records = [r for r in caplog.records if r.getMessage() == "clustered unmet requests"]
    assert [(r.placed, r.new_candidates) for r in records] == [(5, 1)]  # type: ignore[attr-defined]


async def test_digest_build_clusters_new_requests_at_info(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    now = datetime.now(UTC)
    for i, question in enumerate(TOPICS["3d"]):
        await log_query(store, at=now - timedelta(minutes=i), asker=f"p{i}", question=question,
                        outcome="unmet")
    with caplog.at_level(logging.INFO):
        digest = await DigestSender(store, {}, []).build(period_of(now))
    assert digest.unmet == 5
    assert [c.asks for c in digest.candidates] == [5]
    assert any(r.getMessage() == "clustered unmet requests" for r in caplog.records)
