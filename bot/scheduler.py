"""The weekly digest: exactly once per period and destination, across replicas and crashes.

How: the first replica to reach a period inserts its row in `digest_periods` (a unique
key), freezing the figures; then each destination is claimed with its own row in
`digest_deliveries` before sending and marked `sent` after. A rerun (restart, another
replica, the next tick) skips what was sent, takes over claims whose lease expired, and
retries failed destinations with backoff; one failing destination never blocks others.
The one unavoidable gap: a crash after the platform accepted a message but before it was
marked sent resends that one message when the lease expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.core.insights.chart import render_chart
from bot.core.insights.clustering import refresh_candidates
from bot.core.insights.digest import Digest, build_digest
from bot.core.insights.periods import Period, due_at, last_complete, period_of
from bot.core.ports import DeliveryError, Notifier
from bot.settings import Settings
from bot.store import Store
from bot.store.digest_ledger import DigestLedger
from bot.store.insights import InsightStore

__all__ = [
    "DigestScheduler",
    "DigestSender",
    "SendReport",
    "build_notifiers",
    "destinations_from_settings",
]

_log = logging.getLogger(__name__)


def destinations_from_settings(settings: Settings) -> list[str]:
    """Destination keys "platform:id" from DIGEST_SLACK_CHANNELS / DIGEST_TEAMS_CONVERSATIONS."""
    return [f"slack:{c}" for c in settings.digest_slack_channels] + [
        f"teams:{c}" for c in settings.digest_teams_conversations
    ]


def build_notifiers(settings: Settings, store: Store) -> dict[str, Notifier]:
    """A notifier per configured platform (imported lazily: each pulls in its SDK)."""
    notifiers: dict[str, Notifier] = {}
    if settings.slack_bot_token and settings.slack_bot_token.get_secret_value():
        from bot.slack.notifier import SlackNotifier

        notifiers["slack"] = SlackNotifier.from_settings(settings)
    if settings.teams_enabled:
        from bot.teams.notifier import TeamsNotifier

        notifiers["teams"] = TeamsNotifier.from_settings(settings, store.conversations)
    return notifiers


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=5) * 2 ** max(attempts - 1, 0), timedelta(hours=6))


@dataclass(frozen=True)
class SendReport:
    period: str
    sent: tuple[str, ...]
    failed: tuple[str, ...]
    skipped: tuple[str, ...]
    unconfigured: tuple[str, ...]


class DigestSender:
    """Builds one period's digest once and delivers it to each destination exactly once."""

    def __init__(
        self,
        store: Store,
        notifiers: Mapping[str, Notifier],
        destinations: list[str],
        *,
        min_group_size: int = 5,
        lease: timedelta = timedelta(minutes=10),
        max_attempts: int = 8,
        backoff: Callable[[int], timedelta] = _backoff,
        owner: str | None = None,
        settings: object | None = None,
    ) -> None:
        self.store = store
        self.settings = settings  # for the embedding model (EMBEDDING_MODEL_DIR)
        self.insights = InsightStore(store.sessions)
        self.ledger = DigestLedger(store.sessions)
        self.notifiers = dict(notifiers)
        self.destinations = list(dict.fromkeys(destinations))
        self.min_group_size = min_group_size
        self.lease = lease
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def build(self, period: Period) -> Digest:
        """Fresh figures for `period` (clusters new unmet requests first)."""
        await refresh_candidates(self.insights, settings=self.settings)
        snapshot = await self.store.policies.current()
        return await build_digest(
            self.insights, period, policy=snapshot.policy if snapshot else None,
            min_group_size=self.min_group_size,
        )

    async def prepare(self, period: Period) -> Digest:
        """The period's frozen digest: built and claimed by the first replica, reused after."""
        stored = await self.ledger.figures(period.key)
        if stored is None:
            digest = await self.build(period)
            stored = await self.ledger.claim_period(
                period.key, owner=self.owner, figures=digest.to_dict()
            )
        return Digest.from_dict(stored)

    async def send(self, period: Period, *, force: bool = False) -> SendReport:
        """Deliver to every destination not yet served; `force` retries failures at once."""
        digest = await self.prepare(period)
        chart = await asyncio.to_thread(render_chart, digest.weeks)
        sent: list[str] = []
        failed: list[str] = []
        skipped: list[str] = []
        unconfigured: list[str] = []
        for destination in self.destinations:
            platform, _, target = destination.partition(":")
            notifier = self.notifiers.get(platform)
            if notifier is None:
                unconfigured.append(destination)
                continue
            attempt = await self.ledger.claim_delivery(
                period.key, destination, owner=self.owner,
                lease_until=datetime.now(UTC) + self.lease, force=force,
            )
            if not attempt:
                skipped.append(destination)
                continue
            try:
                await notifier.send(target, digest, chart)
            except Exception as exc:  # one destination's failure must not stop the others
                permanent = isinstance(exc, DeliveryError) and exc.permanent
                give_up = permanent or attempt >= self.max_attempts
                _log.warning(
                    "digest delivery failed",
                    extra={"destination": destination, "period": period.key, "attempt": attempt,
                           "error": type(exc).__name__, "give_up": give_up},
                )
                await self.ledger.finish(
                    period.key, destination, owner=self.owner,
                    status="gave_up" if give_up else "failed",
                    error=f"{type(exc).__name__}: {str(exc)[:150]}",
                    next_attempt_at=None if give_up else datetime.now(UTC) + self.backoff(attempt),
                )
                failed.append(destination)
                continue
            await self.ledger.finish(period.key, destination, owner=self.owner, status="sent")
            sent.append(destination)
        return SendReport(period.key, tuple(sent), tuple(failed), tuple(skipped),
                          tuple(unconfigured))


class DigestScheduler:
    """Runs the weekly schedule: every tick sends whatever of the due period is missing."""

    def __init__(
        self,
        sender: DigestSender,
        *,
        day: str = "mon",
        at: str = "09:00",
        tz: str = "UTC",
        poll_seconds: float = 60.0,
        catch_up: timedelta = timedelta(days=1),
    ) -> None:
        self.sender = sender
        self.day, self.at, self.tz = day, at, tz
        self.poll_seconds = poll_seconds
        self.catch_up = catch_up

    @classmethod
    def from_settings(cls, settings: Settings, store: Store, **kwargs: object) -> DigestScheduler:
        sender = DigestSender(
            store, build_notifiers(settings, store), destinations_from_settings(settings),
            min_group_size=settings.min_group_size, settings=settings,
        )
        return cls(sender, day=settings.digest_day, at=settings.digest_time,
                   tz=settings.digest_timezone, **kwargs)  # type: ignore[arg-type]

    def due_period(self, now: datetime) -> tuple[Period, datetime]:
        """The latest period whose digest is due at or before `now`, and when it was due."""
        period = last_complete(now, self.tz)
        due = due_at(period, day=self.day, at=self.at)
        if due > now:
            period = period.previous()
            due = due_at(period, day=self.day, at=self.at)
        return period, due

    def next_due(self, now: datetime) -> datetime:
        """When the next digest goes out (the last full week's, if it is not due yet)."""
        pending = due_at(last_complete(now, self.tz), day=self.day, at=self.at)
        return pending if pending > now else due_at(period_of(now, self.tz), day=self.day,
                                                    at=self.at)

    async def tick(self, now: datetime | None = None) -> SendReport | None:
        """Send the due period's missing deliveries; a long-missed period is not started late."""
        now = now or datetime.now(UTC)
        period, due = self.due_period(now)
        started = await self.sender.ledger.figures(period.key) is not None
        if not started and now - due > self.catch_up:
            return None
        return await self.sender.send(period)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Tick until `stop` is set; errors are logged and retried on the next tick."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                await self.tick()
            except Exception:
                _log.exception("digest tick failed; retrying on the next tick")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.poll_seconds)
