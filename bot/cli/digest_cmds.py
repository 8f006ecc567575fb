"""`digest`, `candidates` and `retention`: the leadership side from a terminal.

    python app.py digest preview [--json] [--period current|last|2026-W07] [--chart out.png]
    python app.py digest send --now [--period 2026-W07]
    python app.py digest run                      # the weekly schedule, in the foreground
    python app.py candidates list [--status open|all|...] [--json]
    python app.py candidates accept|decline|merge|cover ID ...
    python app.py retention run [--days N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.core.insights.candidates import STATUSES, CandidateReview, CandidateSummary
from bot.core.insights.chart import render_chart
from bot.core.insights.periods import Period, last_complete, parse_period, period_of
from bot.core.insights.retention import apply_retention
from bot.core.insights.sections import text
from bot.core.wording import count
from bot.errors import InputError
from bot.runtime import Runtime
from bot.settings import Settings
from bot.store import Actor

__all__ = ["add_commands"]

_Sub = argparse._SubParsersAction


def add_commands(commands: _Sub) -> None:
    digest = commands.add_parser("digest", help="the weekly leadership digest")
    actions = digest.add_subparsers(dest="digest_command", metavar="ACTION", required=True)
    preview = actions.add_parser("preview", help="show a period's digest without sending it")
    preview.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    preview.add_argument("--period", help="current (the week in progress), last (the default: "
                         "the last full week) or an ISO week such as 2026-W07")
    preview.add_argument("--chart", type=Path, help="also write the chart PNG to this file")
    preview.set_defaults(handler=_preview)
    send = actions.add_parser("send", help="send the digest to the configured destinations")
    send.add_argument("--now", action="store_true", required=True,
                      help="send now instead of waiting for the schedule")
    send.add_argument("--period", help="last (the default) or an ISO week")
    send.set_defaults(handler=_send)
    run = actions.add_parser("run", help="run the weekly schedule in the foreground")
    run.set_defaults(handler=_run)

    cands = commands.add_parser("candidates", help="review candidate use cases from unmet needs")
    verbs = cands.add_subparsers(dest="candidates_command", metavar="ACTION", required=True)
    listing = verbs.add_parser("list", help="candidates by demand (clusters new requests first)")
    listing.add_argument("--status", default="open", choices=[*STATUSES, "all"])
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    accept = verbs.add_parser("accept", help="a real need: find a tool for it")
    accept.add_argument("id", type=int)
    accept.add_argument("--note")
    accept.set_defaults(handler=_accept)
    decline = verbs.add_parser("decline", help="decline, with a reason")
    decline.add_argument("id", type=int)
    decline.add_argument("--reason", required=True)
    decline.set_defaults(handler=_decline)
    merge = verbs.add_parser("merge", help="merge a duplicate into another candidate")
    merge.add_argument("id", type=int)
    merge.add_argument("--into", type=int, required=True)
    merge.set_defaults(handler=_merge)
    cover = verbs.add_parser("cover", help="link to an existing tool or use case")
    cover.add_argument("id", type=int)
    target = cover.add_mutually_exclusive_group(required=True)
    target.add_argument("--tool")
    target.add_argument("--use-case", dest="use_case")
    cover.set_defaults(handler=_cover)

    retention = commands.add_parser("retention", help="delete old query and unmet logs")
    rverbs = retention.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    rrun = rverbs.add_parser("run", help="apply RETENTION_DAYS now (weekly totals are kept)")
    rrun.add_argument("--days", type=int, help="override RETENTION_DAYS")
    rrun.set_defaults(handler=_retention)


def _actor() -> Actor:
    return Actor(f"cli:{getpass.getuser()}", "cli")


def _period(args: argparse.Namespace, settings: Settings) -> Period:
    """`current` (the week in progress), `last` (the last full week) or an ISO week."""
    tz, key = settings.digest_timezone, (args.period or "last").strip().lower()
    if key == "current":
        return period_of(datetime.now(UTC), tz)
    if key == "last":
        return last_complete(datetime.now(UTC), tz)
    return parse_period(args.period, tz)


async def _preview(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler import DigestSender

    period = _period(args, settings)  # a malformed --period fails before anything starts
    runtime = await Runtime.start(settings)
    try:
        sender = DigestSender(runtime.store, {}, [], min_group_size=settings.min_group_size,
                              settings=settings)
        digest = await sender.build(period)
    finally:
        await runtime.close()
    if args.chart:
        png = await asyncio.to_thread(render_chart, digest.weeks)
        if png is None:
            print("No questions in the last weeks: no chart written.")
        else:
            args.chart.write_bytes(png)
    print(json.dumps(digest.to_dict(), ensure_ascii=False) if args.json else text(digest))
    return 0


async def _send(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler import DigestScheduler

    if (args.period or "").strip().lower() == "current":
        # Sending freezes the figures for good (exactly once): never a week still in progress.
        raise InputError("The current week is still in progress, so it cannot be sent; "
                         "preview it with `digest preview --period current`.")
    period = _period(args, settings)
    if not (settings.digest_slack_channels or settings.digest_teams_conversations):
        raise InputError("No destinations: set DIGEST_SLACK_CHANNELS and/or "
                         "DIGEST_TEAMS_CONVERSATIONS.")
    runtime = await Runtime.start(settings)
    try:
        scheduler = DigestScheduler.from_settings(settings, runtime.store)
        report = await scheduler.sender.send(period, force=True)
    finally:
        await runtime.close()
    for label, items in (("sent", report.sent), ("failed (will retry)", report.failed),
                         ("already delivered or in progress", report.skipped),
                         ("platform not configured", report.unconfigured)):
        for destination in items:
            print(f"{report.period} {destination}: {label}")
    return 1 if report.failed or report.unconfigured else 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler import DigestScheduler

    runtime = await Runtime.start(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        scheduler = DigestScheduler.from_settings(settings, runtime.store)
        print(f"Digest scheduled {settings.digest_day} {settings.digest_time} "
              f"{settings.digest_timezone}; next due {scheduler.next_due(datetime.now(UTC))}.")
        await scheduler.run(stop)
    finally:
        await runtime.close()
    return 0


def _summary(c: CandidateSummary) -> dict[str, Any]:
    return {
        "id": c.id, "label": c.label, "status": c.status, "asks": c.asks, "askers": c.askers,
        "votes": c.votes, "asks_this_week": c.asks_this_week,
        "asks_previous_week": c.asks_previous_week, "trend": c.trend,
        "departments": list(c.departments),
        "first_seen": c.first_seen.isoformat() if c.first_seen else None,
        "last_seen": c.last_seen.isoformat() if c.last_seen else None,
        "reason": c.reason, "merged_into": c.merged_into, "covered_by": c.covered_by,
        "examples": list(c.examples),
    }


async def _review(settings: Settings) -> tuple[Runtime, CandidateReview]:
    runtime = await Runtime.start(settings)
    return runtime, runtime.services.candidates


async def _list(args: argparse.Namespace, settings: Settings) -> int:
    runtime, review = await _review(settings)
    try:
        await review.refresh()
        found = await review.list(status=None if args.status == "all" else args.status,
                                  limit=args.limit)
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps([_summary(c) for c in found], ensure_ascii=False))
        return 0
    if not found:
        print("No candidate use cases.")
    for c in found:
        extra = {"declined": f" ({c.reason})", "merged": f" → #{c.merged_into}",
                 "covered": f" → {c.covered_by}"}.get(c.status, "")
        depts = f"; {', '.join(c.departments)}" if c.departments else ""
        print(f"#{c.id} [{c.status}{extra}] {c.label}: "
              f"{count(c.askers, 'person', 'people')}, {count(c.asks, 'ask')}, "
              f"{count(c.votes, 'vote')} (I need this too), {c.asks_this_week} this week, "
              f"{c.asks_previous_week} the week before ({c.trend}){depts}")
        for example in c.examples:
            print(f"    “{example}”")
    return 0


async def _decide(args: argparse.Namespace, settings: Settings, verb: str) -> int:
    runtime, review = await _review(settings)
    try:
        if verb == "accept":
            await review.accept(args.id, actor=_actor(), note=args.note)
            print(f"Candidate #{args.id} accepted.")
        elif verb == "decline":
            await review.decline(args.id, actor=_actor(), reason=args.reason)
            print(f"Candidate #{args.id} declined.")
        elif verb == "merge":
            target = await review.merge(args.id, into=args.into, actor=_actor())
            print(f"Candidate #{args.id} merged into #{target}.")
        else:
            covered = await review.cover(args.id, actor=_actor(), tool=args.tool,
                                         use_case=args.use_case)
            print(f"Candidate #{args.id} covered by {covered}; its askers will be told.")
    finally:
        await runtime.close()
    return 0


async def _accept(args: argparse.Namespace, settings: Settings) -> int:
    return await _decide(args, settings, "accept")


async def _decline(args: argparse.Namespace, settings: Settings) -> int:
    return await _decide(args, settings, "decline")


async def _merge(args: argparse.Namespace, settings: Settings) -> int:
    return await _decide(args, settings, "merge")


async def _cover(args: argparse.Namespace, settings: Settings) -> int:
    return await _decide(args, settings, "cover")


async def _retention(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.insights import InsightStore

    days = args.days or settings.retention_days
    if not days or days < 1:
        raise InputError("Retention is off: set RETENTION_DAYS (or pass --days N).")
    runtime = await Runtime.start(settings)
    try:
        report = await apply_retention(InsightStore(runtime.store.sessions), days=days,
                                       tz=settings.digest_timezone)
    finally:
        await runtime.close()
    print(f"Deleted {report.queries_deleted} queries and {report.unmet_deleted} unmet requests "
          f"older than {report.cutoff:%Y-%m-%d %H:%M} UTC; kept weekly totals for "
          f"{len(report.weeks_kept)} week(s).")
    return 0
