"""`policies export` and `policies new`: files IT edits, comments and all."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.policy_io import open_store
from bot.policy.roundtrip import export_files, fresh_files
from bot.policy.scaffold import starter_files
from bot.policy.schema import schema_text
from bot.settings import Settings

__all__ = ["add_commands"]


def add_commands(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export", help="write the live policy as YAML, with the comments of the imported files"
    )
    export.add_argument("--out", type=Path, help="folder to write the policy files into")
    export.add_argument("--version", type=int, help="export an earlier version")
    export.set_defaults(handler=_export)

    audit = sub.add_parser(
        "audit", help="who changed or tried to change the policy, and what changed, newest first")
    audit.add_argument("--limit", type=int, default=30)
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(handler=_audit)

    new = sub.add_parser("new", help="write a commented starter policy (with tests) into DIR")
    new.add_argument("dir", type=Path)
    new.add_argument("--organization", default="Your organization",
                     help="organization name for meta.yaml")
    new.set_defaults(handler=_new)


async def _export(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        policies = store.policies
        snapshot = await (policies.get(args.version) if args.version else policies.current())
        assert snapshot is not None  # open_store imported the default policy into an empty store
        sources = await policies.files(snapshot.version)
    files = export_files(snapshot.policy, sources)
    if args.out:
        for name, text in files.items():
            target = args.out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        (args.out / "policy.schema.json").write_text(schema_text(), encoding="utf-8")
        print(f"Exported version {snapshot.version} to {args.out}/ "
              f"({len(files)} files)", file=sys.stderr)
        return 0
    if len(files) != 1:
        files = fresh_files(snapshot.policy, single=True)
        print("note: the policy was imported from several files; use --out DIR to get them "
              "back with their comments.", file=sys.stderr)
    print(f"Exported version {snapshot.version}.", file=sys.stderr)
    sys.stdout.write(next(iter(files.values())))
    return 0


async def _audit(args: argparse.Namespace, settings: Settings) -> int:
    async with open_store(settings) as store:
        entries = await store.audit.recent(limit=args.limit)
    if args.json:
        print(json.dumps([{**e.__dict__, "at": e.at.isoformat()} for e in entries],
                         ensure_ascii=False, default=str))
        return 0
    for e in entries:
        detail = e.detail or {}
        flags = [] if e.allowed else [f"REFUSED: {detail.get('reason', 'not allowed')}"]
        if detail.get("forced"):
            flags.append("FORCED past failing policy tests")
        if detail.get("unchanged"):
            flags.append("no change")
        version = f" v{e.version}" if e.version else ""
        suffix = f"  [{'; '.join(flags)}]" if flags else ""
        print(f"{e.at:%Y-%m-%d %H:%M}  {e.actor} ({e.source})  {e.action} {e.target}"
              f"{version}{suffix}")
        for change in (detail.get("changes") or [])[:10]:
            print(f"      {change}")
        for failed in ((detail.get("tests") or {}).get("failed") or [])[:5]:
            print(f"      failing test: {failed}")
    return 0


def _write_starter(folder: Path, organization: str) -> bool:
    if folder.exists() and any(folder.iterdir()):
        return False
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in starter_files(organization).items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "policy.schema.json").write_text(schema_text(), encoding="utf-8")
    return True


async def _new(args: argparse.Namespace, settings: Settings) -> int:
    folder: Path = args.dir
    if not _write_starter(folder, args.organization):
        print(f"error: {folder} is not empty; choose a new folder.", file=sys.stderr)
        return 1
    print(f"Wrote a starter policy to {folder}/. Next:\n"
          f"  python app.py policies validate {folder}\n"
          f"  python app.py policies test {folder}\n"
          f"  python app.py policies import {folder}")
    return 0
