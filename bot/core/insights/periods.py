"""Digest periods: ISO weeks (Monday to Sunday) in the organization's time zone.

A period key like "2026-W48" is what the exactly-once ledger claims, so it must be the
same on every replica: it depends only on the instant and the configured time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import InputError

__all__ = ["DAYS", "Period", "due_at", "last_complete", "parse_period", "period_of"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_KEY = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class Period:
    """One ISO week; `start` and `end` are aware datetimes in UTC ([start, end))."""

    key: str
    start: datetime
    end: datetime
    tz: str

    @property
    def first_day(self) -> date:
        return self.start.astimezone(ZoneInfo(self.tz)).date()

    def previous(self, weeks: int = 1) -> Period:
        return _week(self.first_day - timedelta(weeks=weeks), self.tz)

    def next(self) -> Period:
        return _week(self.first_day + timedelta(weeks=1), self.tz)


def _week(monday: date, tz: str) -> Period:
    zone = ZoneInfo(tz)
    monday = monday - timedelta(days=monday.weekday())
    year, week, _ = monday.isocalendar()
    start = datetime.combine(monday, time(0), zone).astimezone(UTC)
    end = datetime.combine(monday + timedelta(weeks=1), time(0), zone).astimezone(UTC)
    return Period(f"{year}-W{week:02d}", start, end, tz)


def period_of(instant: datetime, tz: str = "UTC") -> Period:
    """The week containing `instant`."""
    return _week(instant.astimezone(ZoneInfo(tz)).date(), tz)


def last_complete(now: datetime, tz: str = "UTC") -> Period:
    """The most recent week that has ended."""
    return period_of(now, tz).previous()


def parse_period(key: str, tz: str = "UTC") -> Period:
    """Parse "YYYY-Www"; raises InputError with an example when malformed."""
    match = _KEY.match(key.strip())
    if not match:
        raise InputError(f"Period must be current, last or an ISO week like 2026-W07, "
                         f"not {key!r}.")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise InputError(f"There is no ISO week {key!r}.") from None
    return _week(monday, tz)


def due_at(period: Period, *, day: str, at: str) -> datetime:
    """When the digest of `period` is due: the first `day` at `at` after the week ends."""
    zone = ZoneInfo(period.tz)
    end_local = period.end.astimezone(zone).date()
    offset = (DAYS.index(day) - end_local.weekday()) % 7
    hour, minute = (int(part) for part in at.split(":"))
    local = datetime.combine(end_local + timedelta(days=offset), time(hour, minute), zone)
    return local.astimezone(UTC)
