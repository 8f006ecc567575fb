"""Log entries kept during a database outage are written once when many answers resume at once.

In-process concierge on PostgreSQL behind a TCP proxy that the test cuts and restores.
Every answer first writes the entries kept in memory; before the fix, answers arriving
together after the outage wrote the same kept entry concurrently (SQLAlchemy refused an
entry already attached to another session, and the answer failed).
"""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.core.concierge import Concierge, Message
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Store, upgrade
from bot.store.tables import QueryEntry
from tests.conftest import SAMPLE_POLICY
from tests.ops.conftest import TcpProxy, pg_only


async def test_entries_kept_in_an_outage_are_written_once_by_concurrent_answers(
        db_url: str) -> None:
    pg_only(db_url)
    real = make_url(db_url)
    proxy = await TcpProxy(real.host or "127.0.0.1", real.port or 5432).start()
    store = Store.open(real.set(port=proxy.port).render_as_string(hide_password=False))
    try:
        await upgrade(store.engine)
        concierge = Concierge(store, make_matcher=matcher_factory(Settings(database_url=db_url)),
                              pseudonym_key=b"test-key", refresh_seconds=3600.0)
        await concierge.start(SAMPLE_POLICY)
        await proxy.cut()
        for n in range(3):  # answered from the cached policy; the log waits in memory
            answer = await concierge.answer(Message(f"Is DeepL Pro approved? ({n})",
                                                    asker="U1", platform="slack"))
            assert answer.query_id is None
        assert concierge.pending == 3
        await proxy.restore()
        answers = await asyncio.gather(*(
            concierge.answer(Message(f"Is ChatGPT Enterprise approved? ({n})", asker=f"U{n}",
                                     platform="teams")) for n in range(8)))
        assert all(a.query_id is not None for a in answers)
        await concierge.flush_pending()
        assert concierge.pending == 0
        async with store.sessions() as session:
            logged = await session.scalar(select(func.count()).select_from(QueryEntry))
        assert logged == 11  # 3 kept + 8 new, none twice, none lost
    finally:
        await store.close()
        await proxy.close()
