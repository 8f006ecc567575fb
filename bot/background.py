"""Work a server does besides answering: the weekly digest, housekeeping, freed memory.

Both are safe with several replicas: the digest claims its period and each
destination in the database, and housekeeping only deletes what is old.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

from bot.runtime import Runtime

__all__ = ["EVENT_MEMORY", "background_tasks", "flush_pending", "housekeeping"]

_log = logging.getLogger(__name__)
#: How long an event id is remembered. Slack retries for up to ~5 minutes and Teams
#: resends within seconds; two hours also covers a redelivery after a replica was
#: stopped for a deploy, and still keeps the table small.
EVENT_MEMORY = timedelta(hours=2)
HOUSEKEEPING_EVERY = 600.0
_FLUSH_TIMEOUT = 10.0


async def housekeeping(runtime: Runtime, stop: asyncio.Event) -> None:
    """Forget old event ids and apply log retention, every ten minutes."""
    from bot.core.insights.retention import apply_retention
    from bot.store.insights import InsightStore

    settings = runtime.settings
    while not stop.is_set():
        try:
            await runtime.store.events.forget_older_than(EVENT_MEMORY)
            if settings.retention_days:
                await apply_retention(
                    InsightStore(runtime.store.sessions),
                    days=settings.retention_days,
                    tz=settings.digest_timezone,
                )
        except Exception as exc:  # the database may be away; try again next round
            _log.warning("housekeeping failed", extra={"error": type(exc).__name__})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=HOUSEKEEPING_EVERY)


def background_tasks(runtime: Runtime, stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """Start housekeeping, and the digest schedule when destinations are configured."""
    from bot.memory import release_memory
    from bot.scheduler import DigestScheduler, destinations_from_settings

    tasks = [asyncio.create_task(housekeeping(runtime, stop), name="housekeeping"),
             asyncio.create_task(release_memory(stop), name="release-memory")]
    settings = runtime.settings
    if settings.digest_enabled and destinations_from_settings(settings):
        scheduler = DigestScheduler.from_settings(settings, runtime.store)
        tasks.append(asyncio.create_task(scheduler.run(stop), name="digest-schedule"))
        _log.info("digest schedule started")
    return tasks


async def flush_pending(runtime: Runtime) -> None:
    """At shutdown: write log entries accepted while the database was down, if it is back."""
    try:
        async with asyncio.timeout(_FLUSH_TIMEOUT):
            written = await runtime.concierge.flush_pending()
    except Exception as exc:
        _log.warning("shutdown: pending log entries could not be written",
                     extra={"error": type(exc).__name__})
        return
    if written:
        _log.warning("shutdown: pending log entries written", extra={"count": written})
