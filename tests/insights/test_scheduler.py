"""Exactly-once digest delivery: concurrent senders, crash and rerun, retries, schedule."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.insights.digest import Digest
from bot.core.insights.periods import parse_period
from bot.core.ports import DeliveryError
from bot.scheduler import DigestScheduler, DigestSender
from bot.store import Store, upgrade
from bot.store.digest_ledger import DigestLedger
from tests.insights.seed import log_query

WEEK = parse_period("2026-W10")
DESTINATIONS = ["slack:C1", "slack:C2", "teams:conv-1", "teams:conv-2"]


class Crash(BaseException):
    """Stands for the process dying mid-send (not an Exception: nothing may catch it)."""


@dataclass
class RecordingNotifier:
    """A Notifier port implementation that records deliveries and can fail on demand."""

    platform: str
    delivered: list[tuple[str, str, bool]] = field(default_factory=list)
    fail: dict[str, int] = field(default_factory=dict)  # destination -> failures left
    crash_on: str | None = None
    delay: float = 0.0

    async def send(self, destination: str, digest: Digest, chart_png: bytes | None) -> None:
        await asyncio.sleep(self.delay)
        if destination == self.crash_on:
            self.crash_on = None
            raise Crash
        if self.fail.get(destination, 0) > 0:
            self.fail[destination] -= 1
            raise DeliveryError("temporarily unavailable")
        self.delivered.append((destination, digest.period, chart_png is not None))


def _sender(store: Store, slack: RecordingNotifier, teams: RecordingNotifier,
            **kwargs: object) -> DigestSender:
    return DigestSender(store, {"slack": slack, "teams": teams}, DESTINATIONS,
                        **kwargs)  # type: ignore[arg-type]


async def _seed(store: Store) -> None:
    for i in range(3):
        await log_query(store, at=WEEK.start + timedelta(hours=i), asker=f"a{i}", tools=["t"])


async def test_two_replicas_sending_at_once_deliver_one_digest_per_destination(
    store: Store, db_url: str
) -> None:
    await _seed(store)
    replica = Store.open(db_url)  # a second replica: its own engine on the same database
    await upgrade(replica.engine)
    slack, teams = RecordingNotifier("slack", delay=0.01), RecordingNotifier("teams", delay=0.01)
    try:
        reports = await asyncio.gather(
            _sender(store, slack, teams).send(WEEK), _sender(replica, slack, teams).send(WEEK)
        )
    finally:
        await replica.close()

    delivered = sorted(d for d, _, _ in slack.delivered + teams.delivered)
    assert delivered == sorted(d.partition(":")[2] for d in DESTINATIONS)
    assert sorted(reports[0].sent + reports[1].sent) == sorted(DESTINATIONS)
    assert all(chart for _, _, chart in slack.delivered + teams.delivered)
    statuses = {d.destination: d.status for d in await DigestLedger(store.sessions).deliveries(
        WEEK.key)}
    assert statuses == dict.fromkeys(DESTINATIONS, "sent")


async def test_crash_after_k_of_n_destinations_then_rerun_sends_only_the_rest(
    store: Store,
) -> None:
    await _seed(store)
    slack, teams = RecordingNotifier("slack"), RecordingNotifier("teams", crash_on="conv-1")
    with pytest.raises(Crash):
        await _sender(store, slack, teams, lease=timedelta(0)).send(WEEK)
    assert [d for d, _, _ in slack.delivered + teams.delivered] == ["C1", "C2"]

    report = await _sender(store, slack, teams).send(WEEK)  # the restarted process

    assert report.sent == ("teams:conv-1", "teams:conv-2")
    assert report.skipped == ("slack:C1", "slack:C2")
    assert [d for d, _, _ in slack.delivered + teams.delivered] == ["C1", "C2", "conv-1",
                                                                   "conv-2"]


async def test_failing_destination_does_not_block_others_and_is_retried(store: Store) -> None:
    await _seed(store)
    slack = RecordingNotifier("slack", fail={"C1": 2})
    teams = RecordingNotifier("teams")
    sender = _sender(store, slack, teams, backoff=lambda attempt: timedelta(0))

    first = await sender.send(WEEK)
    second = await sender.send(WEEK)
    third = await sender.send(WEEK)

    assert first.failed == ("slack:C1",)
    assert set(first.sent) == set(DESTINATIONS) - {"slack:C1"}
    assert second.failed == ("slack:C1",)
    assert third.sent == ("slack:C1",)
    assert [d for d, _, _ in slack.delivered].count("C1") == 1
    [c1] = [d for d in await sender.ledger.deliveries(WEEK.key) if d.destination == "slack:C1"]
    assert (c1.status, c1.attempts) == ("sent", 3)


async def test_retry_waits_for_its_backoff_and_gives_up_on_permanent_errors(
    store: Store,
) -> None:
    await _seed(store)

    class Refusing(RecordingNotifier):
        async def send(self, destination: str, digest: Digest, chart: bytes | None) -> None:
            raise DeliveryError("channel_not_found", permanent=True)

    slack = RecordingNotifier("slack", fail={"C1": 1})
    sender = _sender(store, slack, Refusing("teams"))

    await sender.send(WEEK)
    later = await sender.send(WEEK)  # backoff (5 min) not over: nothing is attempted
    forced = await sender.send(WEEK, force=True)  # `digest send --now` retries at once

    assert later.skipped == tuple(DESTINATIONS)
    assert forced.sent == ("slack:C1",)
    statuses = {d.destination: d.status for d in await sender.ledger.deliveries(WEEK.key)}
    assert statuses["teams:conv-1"] == statuses["teams:conv-2"] == "gave_up"


async def test_every_destination_gets_the_figures_frozen_at_the_first_claim(
    store: Store,
) -> None:
    await _seed(store)
    slack, teams = RecordingNotifier("slack", fail={"C2": 1}), RecordingNotifier("teams")
    sender = _sender(store, slack, teams, backoff=lambda attempt: timedelta(0))
    await sender.send(WEEK)
    await log_query(store, at=WEEK.start + timedelta(days=1), asker="late", tools=["t"])

    await sender.send(WEEK)

    frozen = await sender.ledger.figures(WEEK.key)
    assert frozen is not None
    assert frozen["questions"] == 3  # the retry did not recompute with the late row


async def test_platforms_without_a_notifier_are_left_for_later(store: Store) -> None:
    await _seed(store)
    sender = DigestSender(store, {"slack": RecordingNotifier("slack")}, DESTINATIONS)

    report = await sender.send(WEEK)

    assert report.unconfigured == ("teams:conv-1", "teams:conv-2")
    assert {d.destination for d in await sender.ledger.deliveries(WEEK.key)} == {
        "slack:C1", "slack:C2"}


async def test_schedule_sends_the_due_week_once_and_skips_long_missed_weeks(
    store: Store,
) -> None:
    await _seed(store)
    slack, teams = RecordingNotifier("slack"), RecordingNotifier("teams")
    scheduler = DigestScheduler(_sender(store, slack, teams), day="mon", at="09:00",
                                tz="Europe/Berlin")
    monday_morning = datetime(2026, 3, 9, 7, 59, tzinfo=UTC)  # 08:59 in Berlin

    # One minute early: the due week is still W09, a week late and never started: not sent.
    assert await scheduler.tick(monday_morning) is None
    assert scheduler.due_period(monday_morning)[0].key == "2026-W09"
    assert scheduler.due_period(monday_morning + timedelta(minutes=2))[0].key == "2026-W10"
    assert scheduler.next_due(monday_morning) == datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
    report = await scheduler.tick(monday_morning + timedelta(minutes=2))
    again = await scheduler.tick(monday_morning + timedelta(hours=1))
    assert report is not None
    assert again is not None
    assert report.sent == tuple(DESTINATIONS)
    assert again.skipped == tuple(DESTINATIONS)
    assert [d for d, _, _ in slack.delivered + teams.delivered] == ["C1", "C2", "conv-1",
                                                                   "conv-2"]
    # A week nobody started within a day of its due time is not sent late.
    assert await scheduler.tick(datetime(2026, 3, 18, 12, 0, tzinfo=UTC)) is None
