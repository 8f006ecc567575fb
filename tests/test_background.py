"""Server background work: forgetting old event ids and applying retention."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from bot.background import background_tasks, housekeeping
from bot.core.concierge import Concierge, Message
from bot.runtime import Runtime
from bot.settings import Settings
from bot.store import Store
from bot.store.tables import ProcessedEvent, QueryEntry, utcnow


async def test_housekeeping_forgets_old_events_and_applies_retention(
    store: Store, settings: Settings, concierge: Concierge
) -> None:
    await concierge.answer(Message("summarize a pdf", "U1", "slack"))
    async with store.sessions() as session:
        session.add(ProcessedEvent(key="slack:old", at=utcnow() - timedelta(hours=3)))
        session.add(ProcessedEvent(key="slack:new"))
        old = QueryEntry(platform="slack", asker="x", question="q", outcome="answered",
                         at=utcnow() - timedelta(days=40))
        session.add(old)
        await session.commit()
    runtime = Runtime(settings.model_copy(update={"retention_days": 30}), store, concierge)
    stop = asyncio.Event()
    task = asyncio.create_task(housekeeping(runtime, stop))
    for _ in range(100):
        await asyncio.sleep(0.05)
        async with store.sessions() as session:
            keys = set(await session.scalars(select(ProcessedEvent.key)))
            count = len(list(await session.scalars(select(QueryEntry.id))))
        if keys == {"slack:new"} and count == 1:
            break
    stop.set()
    await task
    assert keys == {"slack:new"}
    assert count == 1  # the 40-day-old entry went, today's answer stayed


async def test_digest_schedule_runs_only_with_destinations(
    store: Store, settings: Settings, concierge: Concierge
) -> None:
    stop = asyncio.Event()
    plain = background_tasks(Runtime(settings, store, concierge), stop)
    configured = background_tasks(
        Runtime(settings.model_copy(update={"digest_slack_channels": ["C1"]}), store, concierge),
        stop,
    )
    assert [t.get_name() for t in plain] == ["housekeeping", "release-memory"]
    assert [t.get_name() for t in configured] == ["housekeeping", "release-memory",
                                                  "digest-schedule"]
    stop.set()
    await asyncio.gather(*plain, *configured)
