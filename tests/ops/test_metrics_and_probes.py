"""/metrics after real answers, and /readyz following the database down and back up."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from bot.observability import metrics
from bot.runtime import Runtime
from bot.settings import Settings
from bot.store import upgrade
from bot.store.db import make_engine
from tests.fakes.bot_connector import FakeBotConnector
from tests.ops.conftest import TcpProxy, ask_teams, pg_only
from tests.servers import serve

Start = Callable[..., Awaitable[str]]


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
async def start() -> AsyncIterator[Start]:
    """Serve a runtime over real HTTP on a free loopback port."""
    cleanups: list[Callable[[], Awaitable[None]]] = []

    async def run(db_url: str, **overrides: Any) -> str:
        settings = Settings(database_url=db_url, pseudonym_key="test-key", host="127.0.0.1",
                            teams_dev_mode=True, **overrides)
        if make_url(db_url).get_backend_name() == "postgresql":
            engine = make_engine(db_url)
            await upgrade(engine)
            await engine.dispose()
        runtime = await Runtime.start(settings)
        runner, url = await serve(runtime)

        async def stop() -> None:
            await runner.cleanup()
            await runtime.close()

        cleanups.append(stop)
        return url

    yield run
    for stop in reversed(cleanups):
        await stop()


async def _get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def test_metrics_count_answers_by_outcome_and_platform(
        db_url: str, start: Start, connector: FakeBotConnector) -> None:
    url = await start(db_url)
    _, _, before = await _get(url + "/metrics")
    for i, question in enumerate(["What can I use to summarize a 40-page PDF?",
                                  "Is ChatGPT Enterprise approved?",
                                  "something to compose sea shanties for goats"]):
        assert await ask_teams(url, connector, question, f"m-{i}") in {200, 201}
    await connector.wait_for(3)
    status, content_type, after = await _get(url + "/metrics")
    assert (status, content_type.split(";")[0]) == (200, "text/plain")

    def teams_total(text: str) -> float:
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith("concierge_questions_total{")
                   and 'platform="teams"' in line)

    assert teams_total(after) - teams_total(before) == 3
    latency = "concierge_answer_latency_seconds_count"
    assert _sample(after, latency, platform="teams") - _sample(before, latency,
                                                                platform="teams") == 3
    requests = "concierge_http_requests_total"
    assert _sample(after, requests, route="/api/messages") >= 3
    assert _sample(after, "concierge_policy_version") >= 1
    assert _sample(after, "process_resident_memory_bytes") > 0


async def test_platform_errors_and_digest_deliveries_are_exposed(
        db_url: str, start: Start) -> None:
    url = await start(db_url)
    _, _, before = await _get(url + "/metrics")
    metrics.record_platform_error("slack", "rate_limited")
    metrics.record_platform_error("teams", "not-a-kind")  # counted as "other"
    metrics.record_digest_delivery("teams", "sent")
    _, _, after = await _get(url + "/metrics")
    errors, digests = "concierge_platform_errors_total", "concierge_digest_deliveries_total"
    assert _sample(after, errors, platform="slack", kind="rate_limited") - _sample(
        before, errors, platform="slack", kind="rate_limited") == 1
    assert _sample(after, errors, platform="teams", kind="other") - _sample(
        before, errors, platform="teams", kind="other") == 1
    assert _sample(after, digests, platform="teams", result="sent") - _sample(
        before, digests, platform="teams", result="sent") == 1


async def test_metrics_can_be_switched_off(db_url: str, start: Start) -> None:
    url = await start(db_url, metrics_enabled=False)
    status, _, _ = await _get(url + "/metrics")
    assert status == 404


async def test_readyz_is_200_with_the_database_and_503_without(
        db_url: str, start: Start) -> None:
    pg_only(db_url)
    real = make_url(db_url)
    proxy = await TcpProxy(real.host or "127.0.0.1", real.port or 5432).start()
    try:
        url = await start(real.set(port=proxy.port).render_as_string(hide_password=False))
        up = await _get(url + "/readyz")
        await proxy.cut()
        down = await _get(url + "/readyz")
        live = await _get(url + "/healthz")
        await proxy.restore()
        back = await _get(url + "/readyz")
    finally:
        await proxy.close()
    assert (up[0], '"database": "up"' in up[2]) == (200, True)
    assert (down[0], '"database": "down"' in down[2]) == (503, True)
    assert live[0] == 200  # liveness does not depend on the database: no restart storm
    assert back[0] == 200
