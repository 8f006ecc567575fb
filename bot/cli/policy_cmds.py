"""`policies ...` and `db ...`: IT's side of the concierge from a terminal (export and
`new` are in authoring_cmds)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli import authoring_cmds
from bot.cli.policy_io import live_tests, open_store, print_warnings, read_input, run_tests
from bot.core.admin import PolicyAdmin
from bot.policy.diff import describe_changes
from bot.policy.files import read_policy
from bot.policy.schema import SCHEMA_PATH, schema_text
from bot.settings import Settings
from bot.store import Actor
from bot.store.db import make_engine, upgrade

__all__ = ["actor", "add_commands"]


def actor() -> Actor:
    return Actor(f"cli:{getpass.getuser()}", "cli")


def add_commands(commands: argparse._SubParsersAction) -> None:
    policies = commands.add_parser("policies", help="validate, import, export and version policies")
    sub = policies.add_subparsers(dest="policies_command", metavar="ACTION", required=True)

    validate = sub.add_parser("validate", help="check a policy file or folder; changes nothing")
    validate.add_argument("path", type=Path, help="policy folder or file (or a tools .csv)")
    validate.add_argument("--csv", type=Path, help="a tools CSV replacing the tools of PATH")
    validate.set_defaults(handler=_validate)

    imp = sub.add_parser("import", help="replace the live policy (atomic, one new version)")
    imp.add_argument("path", type=Path, help="policy folder or file, or a tools .csv")
    imp.add_argument("--csv", type=Path, help="a tools CSV replacing the tools of PATH")
    imp.add_argument("-m", "--message", help="what changed and why (kept in history)")
    imp.add_argument("--force", action="store_true",
                     help="import even if the policy tests fail (recorded in the audit log)")
    imp.set_defaults(handler=_import)

    test = sub.add_parser("test", help="run the policy tests (tests.yaml) against a policy")
    test.add_argument("path", type=Path, nargs="?",
                      help="policy folder or file (default: the live policy and its tests)")
    test.add_argument("--csv", type=Path, help="a tools CSV replacing the tools of PATH")
    test.set_defaults(handler=_test)

    authoring_cmds.add_commands(sub)

    diff = sub.add_parser("diff", help="what importing PATH would change, in words")
    diff.add_argument("path", type=Path, help="policy folder or file, or a tools .csv")
    diff.add_argument("--csv", type=Path, help="a tools CSV replacing the tools of PATH")
    diff.set_defaults(handler=_diff)

    whatif = sub.add_parser(
        "whatif", help="replay the last N days of asks against DRAFT and the live policy")
    whatif.add_argument("path", type=Path, metavar="DRAFT")
    whatif.add_argument("--days", type=int, default=90, help="how far back (default 90)")
    whatif.add_argument("--json", action="store_true", help="the full report as JSON")
    whatif.set_defaults(handler=_whatif)

    history = sub.add_parser("history", help="list policy versions and their changes, newest first")
    history.add_argument("--limit", type=int, default=20)
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=_history)

    rollback = sub.add_parser("rollback", help="restore an earlier version as a new version")
    rollback.add_argument("version", type=int)
    rollback.set_defaults(handler=_rollback)

    schema = sub.add_parser("schema", help="write (or --check) policies/policy.schema.json")
    schema.add_argument("--check", action="store_true", help="fail if the file is out of date")
    schema.set_defaults(handler=_schema)

    db = commands.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    up = db_sub.add_parser("upgrade", help="bring the database (DATABASE_URL) to the latest schema")
    up.add_argument("--revision", default="head")
    up.set_defaults(handler=_db_upgrade)


def _needs_live(args: argparse.Namespace) -> bool:
    return args.path is None or (args.csv is None and args.path.suffix.lower() == ".csv") or (
        args.csv is not None and args.path is None)


async def _validate(args: argparse.Namespace, settings: Settings) -> int:
    if _needs_live(args):
        async with open_store(settings) as store:
            live = await store.policies.current()
            loaded = await read_input(args.path, args.csv, settings,
                                      live=live.policy if live else None)
    else:
        loaded = await read_input(args.path, args.csv, settings)
    print_warnings(loaded.warnings)
    policy = loaded.policy
    warned = f", {len(loaded.warnings)} warning(s)" if loaded.warnings else ""
    print(
        f"OK: {args.csv or args.path} is valid ({len(policy.tools)} tools, "
        f"{len(policy.use_cases)} use cases, {len(policy.data_classes)} data classes, "
        f"{len(policy.red_lines)} red lines, {len(loaded.tests)} policy tests{warned})."
    )
    return 0


async def _import(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, import_default=False) as store:
        live = await store.policies.current()
        loaded = await read_input(args.path, args.csv, settings,
                                  live=live.policy if live else None)
        print_warnings(loaded.warnings)
        tests = loaded.tests or await live_tests(store)
        detail: dict[str, Any] = {}
        if tests:
            report = run_tests(loaded.policy, tests, settings)
            detail["tests"] = report.to_detail()
            print(report.summary() if report.ok else report.text(), file=sys.stderr)
            if not report.ok and not args.force:
                await store.audit.record(
                    actor=actor().id, source="cli", action="import", target="policy",
                    allowed=False, detail={"reason": "policy tests failed", **detail},
                )
                print("error: nothing was imported because policy tests failed; fix the policy "
                      "or the tests, or import with --force (recorded in the audit log).",
                      file=sys.stderr)
                return 1
            if not report.ok:
                detail["forced"] = True
        version = await PolicyAdmin(store).import_policy(
            loaded.policy, actor=actor(),
            summary=args.message or f"Imported {args.csv or args.path}",
            files=loaded.files or None, detail=detail,
        )
    if version:
        # Embed and calibrate the new version now and store both, so no later process waits.
        from bot.runtime import Runtime

        runtime = await Runtime.start(settings, import_default=False)
        await runtime.close()
    print(f"Imported as version {version}." if version else "No changes: the policy is identical.")
    return 0


async def _test(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings, import_default=args.path is None) as store:
        live = await store.policies.current() if _needs_live(args) else None
        if args.path is None and args.csv is None:
            if live is None:
                print("error: no policy has been imported yet.", file=sys.stderr)
                return 1
            policy, tests, name = live.policy, await live_tests(store), f"version {live.version}"
        else:
            loaded = await read_input(args.path, args.csv, settings,
                                      live=live.policy if live else None)
            policy, tests, name = loaded.policy, loaded.tests, str(args.csv or args.path)
            if not tests:
                tests = await live_tests(store)
                name += " (with the live policy's tests)"
    if not tests:
        print(f"{name} has no policy tests: add a tests.yaml next to the policy "
              "(see policies/README.md).", file=sys.stderr)
        return 1
    report = run_tests(policy, tests, settings)
    print(f"Testing {name}:\n{report.text()}")
    return 0 if report.ok else 1


async def _diff(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        snapshot = await store.policies.current()
        loaded = await read_input(args.path, args.csv, settings,
                                  live=snapshot.policy if snapshot else None)
    print_warnings(loaded.warnings)
    changes = describe_changes(snapshot.policy if snapshot else None, loaded.policy)
    version = snapshot.version if snapshot else 0
    lines = "\n".join(f"  {c}" for c in changes) if changes else "  No changes."
    print(f"Live version {version} -> {args.csv or args.path}:\n{lines}")
    return 0


async def _whatif(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.whatif import WhatIf, progress_text, report_lines
    from bot.runtime import matcher_factory

    draft = read_policy(args.path).policy  # a broken draft is reported before any work
    async with open_store(settings) as store:
        whatif = WhatIf(store, make_matcher=matcher_factory(settings),
                        threshold=settings.match_threshold)
        job = whatif.start(draft, draft_name=f"{args.path}", days=args.days)
        task = job.task
        assert task is not None  # start() has created it
        while sys.stderr.isatty() and not task.done():
            await asyncio.wait({task}, timeout=1.0)
            print(f"\r{progress_text(job.stage, job.done, job.total)}   ", end="",
                  file=sys.stderr, flush=True)
        report = await job.wait()
        if sys.stderr.isatty():
            print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return 0


async def _history(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        versions = await store.policies.history(limit=args.limit)
    if args.json:
        print(json.dumps([
            {**v.__dict__, "changes": list(v.changes), "created_at": v.created_at.isoformat()}
            for v in versions
        ]))
        return 0
    for v in versions:
        print(f"v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.actor} ({v.source})  {v.summary}")
        for change in v.changes[:10]:
            print(f"      {change}")
        if len(v.changes) > 10:
            print(f"      ... and {len(v.changes) - 10} more")
    return 0


async def _rollback(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        version = await PolicyAdmin(store).rollback(args.version, actor=actor())
    if version is None:
        print(f"Version {args.version} is identical to the live policy; nothing to do.")
    else:
        print(f"Restored version {args.version} as version {version}.")
    return 0


async def _schema(args: argparse.Namespace, settings: Settings) -> int:
    current = schema_text()
    if args.check:
        on_disk = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if on_disk != current:
            print(
                f"{SCHEMA_PATH} is out of date: run `python app.py policies schema`.",
                file=sys.stderr,
            )
            return 1
        print(f"{SCHEMA_PATH} is current.")
        return 0
    SCHEMA_PATH.write_text(current, encoding="utf-8")
    print(f"Wrote {SCHEMA_PATH}")
    return 0


async def _db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine, args.revision)
    finally:
        await engine.dispose()
    print(f"Database is at {args.revision}.")
    return 0
