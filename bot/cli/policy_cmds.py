"""`policies ...` and `db ...`: IT's side of the concierge from a terminal."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from bot.core.admin import PolicyAdmin
from bot.policy.diff import diff_policies, format_changes
from bot.policy.files import dump_policy, load_policy
from bot.policy.schema import SCHEMA_PATH, schema_text
from bot.runtime import Runtime
from bot.settings import Settings
from bot.store import Actor
from bot.store.db import make_engine, upgrade

__all__ = ["add_commands"]


def _actor() -> Actor:
    return Actor(f"cli:{getpass.getuser()}", "cli")


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    policies = commands.add_parser("policies", help="validate, import, export and version policies")
    sub = policies.add_subparsers(dest="policies_command", metavar="ACTION", required=True)

    validate = sub.add_parser("validate", help="check a policy file or folder; changes nothing")
    validate.add_argument("path", type=Path)
    validate.set_defaults(handler=_validate)

    imp = sub.add_parser("import", help="replace the live policy (atomic, one new version)")
    imp.add_argument("path", type=Path)
    imp.add_argument("-m", "--message", help="what changed and why (kept in history)")
    imp.set_defaults(handler=_import)

    export = sub.add_parser("export", help="write the live policy as YAML")
    export.add_argument("--out", type=Path, help="folder to write one file per section into")
    export.add_argument("--version", type=int, help="export an earlier version")
    export.set_defaults(handler=_export)

    diff = sub.add_parser("diff", help="what importing PATH would change")
    diff.add_argument("path", type=Path)
    diff.set_defaults(handler=_diff)

    whatif = sub.add_parser(
        "whatif", help="replay the last N days of asks against DRAFT and the live policy")
    whatif.add_argument("path", type=Path, metavar="DRAFT")
    whatif.add_argument("--days", type=int, default=90, help="how far back (default 90)")
    whatif.add_argument("--json", action="store_true", help="the full report as JSON")
    whatif.set_defaults(handler=_whatif)

    history = sub.add_parser("history", help="list policy versions, newest first")
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


async def _validate(args: argparse.Namespace, settings: Settings) -> int:
    policy = load_policy(args.path)
    print(
        f"OK: {args.path} is valid ({len(policy.tools)} tools, {len(policy.use_cases)} use cases, "
        f"{len(policy.data_classes)} data classes, {len(policy.red_lines)} red lines)."
    )
    return 0


async def _import(args: argparse.Namespace, settings: Settings) -> int:
    policy = load_policy(args.path)  # validate before touching the database
    runtime = await Runtime.start(settings, import_default=False)
    try:
        admin = PolicyAdmin(runtime.store)
        version = await admin.import_policy(
            policy, actor=_actor(), summary=args.message or f"Imported {args.path}"
        )
        # Embed and calibrate the new version now and store both, so no later process waits.
        await runtime.concierge.index(force=True)
    finally:
        await runtime.close()
    print(f"Imported as version {version}." if version else "No changes: the policy is identical.")
    return 0


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    runtime = await Runtime.start(settings)
    try:
        store = runtime.store.policies
        snapshot = await (store.get(args.version) if args.version else store.current())
    finally:
        await runtime.close()
    assert snapshot is not None
    if args.out:
        dump_policy(snapshot.policy, args.out)
        print(f"Exported version {snapshot.version} to {args.out}/", file=sys.stderr)
    else:
        sys.stdout.write(f"# policy version {snapshot.version}\n{dump_policy(snapshot.policy)}")
    return 0


async def _diff(args: argparse.Namespace, settings: Settings) -> int:
    policy = load_policy(args.path)
    runtime = await Runtime.start(settings)
    try:
        snapshot = await runtime.store.policies.current()
    finally:
        await runtime.close()
    changes = diff_policies(snapshot.policy if snapshot else None, policy)
    version = snapshot.version if snapshot else 0
    print(f"Live version {version} -> {args.path}:\n{format_changes(changes)}")
    return 0


async def _whatif(args: argparse.Namespace, settings: Settings) -> int:
    from bot.core.whatif import WhatIf, progress_text, report_lines
    from bot.runtime import matcher_factory

    draft = load_policy(args.path)  # a broken draft is reported before any work
    runtime = await Runtime.start(settings)
    try:
        whatif = WhatIf(runtime.store, make_matcher=matcher_factory(settings),
                        threshold=settings.match_threshold)
        job = whatif.start(draft, draft_name=f"{args.path}", days=args.days)
        while sys.stderr.isatty() and not job.task.done():  # type: ignore[union-attr]
            await asyncio.wait({job.task}, timeout=1.0)  # type: ignore[arg-type]
            print(f"\r{progress_text(job.stage, job.done, job.total)}   ", end="",
                  file=sys.stderr, flush=True)
        report = await job.wait()
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(report_lines(report)))
    return 0


async def _history(args: argparse.Namespace, settings: Settings) -> int:
    runtime = await Runtime.start(settings)
    try:
        versions = await runtime.store.policies.history(limit=args.limit)
    finally:
        await runtime.close()
    if args.json:
        print(
            json.dumps([{**v.__dict__, "created_at": v.created_at.isoformat()} for v in versions])
        )
        return 0
    for v in versions:
        print(f"v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {v.actor} ({v.source})  {v.summary}")
    return 0


async def _rollback(args: argparse.Namespace, settings: Settings) -> int:
    runtime = await Runtime.start(settings)
    try:
        version = await PolicyAdmin(runtime.store).rollback(args.version, actor=_actor())
    finally:
        await runtime.close()
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
