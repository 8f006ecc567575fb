"""Shared fixtures: a real, migrated database per test (SQLite, and PostgreSQL when available).

Set TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) to run every
database test on PostgreSQL as well; `.ci/run` starts a server and sets it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.core.concierge import Concierge
from bot.policy import Policy, load_policy
from bot.runtime import matcher_factory
from bot.settings import ROOT, Settings
from bot.store import Store, upgrade
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.slack_api import FakeSlackApi

SAMPLE_POLICY = ROOT / "policies"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")

_BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings and Bolt read the environment: tests must never pick up real secrets."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DIGEST_")) or name in {
            "DATABASE_URL",
            "ADMINS",
            "PSEUDONYM_KEY",
            "MATCHER",
            "MATCH_THRESHOLD",
            "POLICY_PATH",
            "IT_CHANNEL",
        }:
            monkeypatch.delenv(name, raising=False)


async def _on_pg_server(sql: str) -> None:
    """Run one statement on the PostgreSQL server's maintenance database."""
    import asyncpg

    admin_url = make_url(POSTGRES_URL)
    conn = await asyncpg.connect(
        user=admin_url.username,
        password=admin_url.password,
        host=admin_url.host,
        port=admin_url.port or 5432,
        database=admin_url.database or "postgres",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _create_pg_database() -> str:
    name = f"test_{uuid.uuid4().hex[:12]}"
    await _on_pg_server(f'CREATE DATABASE "{name}"')
    return (
        make_url(POSTGRES_URL)
        .set(drivername="postgresql+asyncpg", database=name)
        .render_as_string(hide_password=False)
    )


async def _drop_pg_database(url: str) -> None:
    await _on_pg_server(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


@pytest.fixture(params=_BACKENDS)
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database URL for one test."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    url = await _create_pg_database()
    try:
        yield url
    finally:
        await _drop_pg_database(url)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    store = Store.open(db_url)
    await upgrade(store.engine)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    """A fake Bot Connector (the activities' serviceUrl) that records what it is sent."""
    fake = await FakeBotConnector().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlackApi]:
    """A fake Slack Web API (the servers' SLACK_API_URL) that records what it is called with."""
    fake = FakeSlackApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture(scope="session")
def sample_policy() -> Policy:
    return load_policy(SAMPLE_POLICY)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url, pseudonym_key="test-key")  # type: ignore[arg-type]


@pytest.fixture
async def concierge(store: Store, settings: Settings) -> Concierge:
    concierge = Concierge(
        store,
        make_matcher=matcher_factory(settings),
        pseudonym_key=b"test-key",
        refresh_seconds=0.0,
    )
    await concierge.start(SAMPLE_POLICY)
    return concierge


@pytest.fixture
def env_for_cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the CLI (which reads settings from the environment) at the test database."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("PSEUDONYM_KEY", "test-key")
    return db_url
