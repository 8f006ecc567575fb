"""The digest's exactly-once bookkeeping: one claimed row per period, one per destination.

Several replicas (and a restart after a crash mid-send) share this ledger, so a period is
computed once and each destination is sent to once, with failed ones retried later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.insight_stats import aware
from bot.store.insights_tables import DigestDelivery, DigestPeriod
from bot.store.tables import utcnow

__all__ = ["DeliveryRecord", "DigestLedger"]


@dataclass(frozen=True)
class DeliveryRecord:
    destination: str
    status: str
    attempts: int
    last_error: str | None
    sent_at: datetime | None


class DigestLedger:
    """Exactly-once bookkeeping: one claimed row per period, one delivery row per destination."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim_period(
        self, period: str, *, owner: str, figures: dict[str, Any]
    ) -> dict[str, Any]:
        """Insert the period with its figures unless it exists; return the stored figures."""
        async with self._sessions() as session:
            session.add(DigestPeriod(period=period, claimed_by=owner[:100], figures=figures))
            try:
                await session.commit()
                return figures
            except IntegrityError:
                await session.rollback()
        return await self.figures(period) or figures

    async def figures(self, period: str) -> dict[str, Any] | None:
        async with self._sessions() as session:
            row = await session.get(DigestPeriod, period)
            return dict(row.figures) if row else None

    async def claim_delivery(
        self, period: str, destination: str, *, owner: str, lease_until: datetime, force: bool
    ) -> int:
        """The attempt number when this caller may send now (first claim, expired lease or due
        retry), else 0: someone else is sending, it was sent, or the retry is not due yet."""
        now = utcnow()
        async with self._sessions() as session:
            session.add(DigestDelivery(
                period=period, destination=destination, owner=owner[:100],
                lease_until=lease_until, updated_at=now,
            ))
            try:
                await session.commit()
                return 1
            except IntegrityError:
                await session.rollback()
            d = DigestDelivery
            due = d.next_attempt_at <= now if not force else d.status == "failed"
            result = await session.execute(
                update(d)
                .where(
                    d.period == period,
                    d.destination == destination,
                    or_(
                        and_(d.status == "failed", due),
                        and_(d.status == "sending", d.lease_until < now),
                    ),
                )
                .values(status="sending", owner=owner[:100], lease_until=lease_until,
                        attempts=d.attempts + 1, updated_at=now)
                .returning(d.attempts)
            )
            attempts = result.scalar_one_or_none()
            await session.commit()
            return int(attempts or 0)

    async def finish(
        self,
        period: str,
        destination: str,
        *,
        owner: str,
        status: str,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        now = utcnow()
        async with self._sessions() as session:
            await session.execute(
                update(DigestDelivery)
                .where(
                    DigestDelivery.period == period,
                    DigestDelivery.destination == destination,
                    DigestDelivery.owner == owner[:100],
                )
                .values(
                    status=status, last_error=(error or None) and error[:200],
                    next_attempt_at=next_attempt_at, updated_at=now,
                    sent_at=now if status == "sent" else None,
                )
            )
            await session.commit()

    async def deliveries(self, period: str) -> list[DeliveryRecord]:
        query = select(DigestDelivery).where(DigestDelivery.period == period).order_by(
            DigestDelivery.id
        )
        async with self._sessions() as session:
            return [
                DeliveryRecord(
                    d.destination, d.status, d.attempts, d.last_error,
                    aware(d.sent_at) if d.sent_at else None,
                )
                for d in await session.scalars(query)
            ]
