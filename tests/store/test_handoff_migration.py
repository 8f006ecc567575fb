"""Migration 0008 (Ask IT) on SQLite and PostgreSQL: queries logged before it keep working
(no headline), and it downgrades and upgrades again cleanly."""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.store import Store, upgrade
from bot.store.db import alembic_config


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, revision)


def _columns(connection: Connection, table: str) -> set[str]:
    inspector = inspect(connection)
    if table not in inspector.get_table_names():
        return set()
    return {c["name"] for c in inspector.get_columns(table)}


async def test_0008_adds_handoffs_and_the_headline_and_goes_back(db_url: str) -> None:
    store = Store.open(db_url)
    try:
        await upgrade(store.engine, "0007")
        async with store.engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO query_log (at, platform, asker, question, outcome, tools, red_lines)"
                " VALUES (CURRENT_TIMESTAMP, 'slack', 'p', 'an old [EMAIL] question',"
                " 'unmet', '[]', '[]')"))
        await upgrade(store.engine)
        async with store.engine.connect() as connection:
            assert "headline" in await connection.run_sync(_columns, "query_log")
            handoff_columns = await connection.run_sync(_columns, "handoffs")
        assert {"asker_id", "question", "answer", "it_channel", "it_thread",
                "status"} <= handoff_columns
        old = await store.queries.get(1)
        assert old is not None
        assert old.headline is None
        opened = await store.handoffs.open(platform="slack", query_id=1, asker_id="U1",
                                           asker="p", question=old.question, answer="unmet")
        assert opened.created

        async with store.engine.begin() as connection:
            await connection.run_sync(_downgrade, "0007")
        async with store.engine.connect() as connection:
            assert await connection.run_sync(_columns, "handoffs") == set()
            assert "headline" not in await connection.run_sync(_columns, "query_log")
        await upgrade(store.engine)
        async with store.engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM query_log"))
        assert count == 1
    finally:
        await store.close()
