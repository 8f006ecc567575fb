"""Data retention: delete query and unmet logs older than N days, keeping weekly totals.

Before a week's rows are deleted its totals are written to `insight_weeks`, so the
digest's eight-week chart and week-on-week comparisons survive the deletion.
Candidates keep only stemmed term profiles and counts, never question text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.insights.periods import period_of
from bot.store.insights import InsightStore

__all__ = ["RetentionReport", "apply_retention"]

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionReport:
    cutoff: datetime
    queries_deleted: int
    unmet_deleted: int
    weeks_kept: tuple[str, ...]


async def apply_retention(
    insights: InsightStore, *, days: int, tz: str = "UTC", now: datetime | None = None
) -> RetentionReport:
    """Aggregate every ended week that loses rows, then delete rows older than `days`."""
    if days < 1:
        raise ValueError("retention must keep at least one day")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    kept: list[str] = []
    oldest = await insights.oldest_log()
    if oldest is not None and oldest < cutoff:
        week = period_of(oldest, tz)
        current = period_of(now, tz)
        while week.start < cutoff and week.key != current.key:
            if not await insights.stored_weeks([week.key]):
                totals = await insights.week_totals(week.start, week.end)
                await insights.store_week(week.key, totals)
                kept.append(week.key)
            week = week.next()
    queries, unmet = await insights.delete_before(cutoff)
    _log.info("retention applied", extra={"queries": queries, "unmet": unmet, "days": days})
    return RetentionReport(cutoff, queries, unmet, tuple(kept))
