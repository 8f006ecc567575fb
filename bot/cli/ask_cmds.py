"""`ask`, `chat` and `unmet`: the employee's side of the concierge from a terminal."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from bot.errors import InputError

if TYPE_CHECKING:  # imported by the handlers: building the parser must stay light
    from bot.cli.kept_dataclasses import KeptDataclasses
    from bot.cli.kept_patterns import KeptPatterns
    from bot.core.concierge import Concierge
    from bot.runtime import Runtime
    from bot.settings import Settings

__all__ = ["add_commands"]

_MAX_STDIN_LINES = 100_000
#: The dataclass code this process executes kept (installed by `_preload`, saved at exit).
_DATACLASSES: KeptDataclasses | None = None


def _asker(args: argparse.Namespace) -> str:
    return str(args.asker or f"cli:{getpass.getuser()}")


def add_commands(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser(
        "ask",
        help="answer one question (or one per line from stdin with '-')",
        description="Ask the concierge. With '-', read one question per line from stdin "
        "(with --json: one JSON object per line, for regression-testing a policy change).",
    )
    ask.add_argument("text", help="the question, or '-' to read questions from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON instead of text")
    ask.add_argument("--asker", help="asker id to log (default: cli:<your user>)")
    ask.add_argument("--department", help="department to log with the question")
    ask.set_defaults(handler=_ask, prepare=_preload)

    chat = commands.add_parser("chat", help="interactive terminal session")
    chat.add_argument("--asker", help="asker id to log (default: cli:<your user>)")
    chat.add_argument("--department")
    chat.set_defaults(handler=_chat, prepare=_preload)

    unmet = commands.add_parser("unmet", help="review unmet requests")
    unmet_cmds = unmet.add_subparsers(dest="unmet_command", metavar="ACTION", required=True)
    listing = unmet_cmds.add_parser("list", help="list logged unmet requests, newest first")
    listing.add_argument("--status", default="open", help="open (default), all, or a status")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_unmet_list)


def _preload(args: argparse.Namespace) -> None:
    """Called before the settings are read: dataclasses made from here on execute the code
    kept for them (`bot.cli.kept_dataclasses`; pydantic makes some as the settings are
    imported), and the bundled model starts loading meanwhile, when the settings cannot
    choose another (see `preload_bundled_model`)."""
    global _DATACLASSES
    if getattr(args, "text", "-") == "-" or args.text.strip():  # else: an error, no answer
        from bot.cli.kept_dataclasses import KeptDataclasses
        from bot.cli.startup import preload_bundled_model

        if _DATACLASSES is None:
            _DATACLASSES = KeptDataclasses()
            _DATACLASSES.install()
        preload_bundled_model()


def _kept_patterns(settings: Settings) -> KeptPatterns | None:
    """The compiled regular expressions kept next to a SQLite database, in the folder of
    its kept policy index (`<db>.index/`), installed before the answering code compiles
    them (`bot.cli.kept_patterns`); None when INDEX_CACHE is off or for another database."""
    from bot.store.urls import sqlite_file

    database = sqlite_file(settings.database_url)
    if not settings.index_cache or database is None:
        return None
    from bot.cli.kept_patterns import KeptPatterns

    patterns = KeptPatterns(database.with_name(database.name + ".index"))
    patterns.install()
    return patterns


def _save_kept(patterns: KeptPatterns | None) -> None:
    """Keep what this process compiled anew for the next one (`_preload`, `_kept_patterns`)."""
    if patterns is not None:
        patterns.save()
    if _DATACLASSES is not None:
        _DATACLASSES.save()


async def _start(settings: Settings) -> Runtime:
    """The runtime, with the sentence model loading on the other core meanwhile.

    The model's session is started before the app's own imports (database, policy
    models, matcher), which take about as long: a cold `ask` waits for the longer of
    the two instead of their sum. No answer metrics: a terminal process has no
    `/metrics` to serve them from, and prometheus_client costs a cold `ask` to import.
    """
    from bot.cli.startup import quiet_collector, single_threaded_blas
    from bot.core.matching.registry import preload_model

    single_threaded_blas()
    with quiet_collector():  # libraries and the policy index live until exit
        folder = settings.embedding_model_dir or settings.semantic_model_path
        preload_model(settings.matcher, model_path=str(folder) if folder else None,
                      threads=settings.embedding_threads)
        from bot.runtime import Runtime

        # lite: an SQLite database is read and logged to without SQLAlchemy (bot.store.lite).
        return await Runtime.start(settings.model_copy(update={"metrics_enabled": False}),
                                   lite=True)


async def _answer_one(
    concierge: Concierge, text: str, args: argparse.Namespace, as_json: bool
) -> tuple[bool, str]:
    from bot.core.concierge import Message

    message = Message(text=text, asker=_asker(args), platform="cli", department=args.department)
    try:
        answer = await concierge.answer(message)
    except InputError as exc:
        if as_json:
            return False, json.dumps({"outcome": None, "error": str(exc)}, ensure_ascii=False)
        return False, f"error: {exc}"
    if as_json:
        return True, json.dumps(answer.to_dict(), ensure_ascii=False, default=str)
    return True, answer.text


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    if args.text != "-" and not args.text.strip():
        raise InputError(
            'Please give a question, e.g. app.py ask "What can I use to summarize a PDF?"'
        )
    patterns = _kept_patterns(settings)
    runtime = await _start(settings)
    try:
        if args.text != "-":
            ok, out = await _answer_one(runtime.concierge, args.text, args, args.json)
            print(out, file=sys.stdout if ok else sys.stderr)
            return 0 if ok else 1
        return await _ask_batch(runtime.concierge, args, sys.stdin, sys.stdout)
    finally:
        await runtime.close()
        _save_kept(patterns)


async def _ask_batch(
    concierge: Concierge, args: argparse.Namespace, source: TextIO, out: TextIO
) -> int:
    failures = 0
    for number, line in enumerate(source, start=1):
        if number > _MAX_STDIN_LINES:
            raise InputError(f"Too many questions: at most {_MAX_STDIN_LINES:,} lines per run.")
        text = line.rstrip("\n")
        if not text.strip():
            continue
        ok, result = await _answer_one(concierge, text, args, args.json)
        failures += not ok
        print(result if args.json else f"> {text[:200]}\n{result}\n", file=out, flush=True)
    return 1 if failures else 0


async def _chat(args: argparse.Namespace, settings: Settings) -> int:
    import asyncio  # not at import: the parser is built before the model's load starts

    patterns = _kept_patterns(settings)
    runtime = await _start(settings)
    try:
        policy = (await runtime.concierge.index()).policy
        print(f"AI Tool Concierge for {policy.meta.organization}. Ask away; 'quit' to leave.")
        while True:
            try:
                text = await asyncio.to_thread(input, "you> ")
            except EOFError:
                print()
                return 0
            if text.strip().lower() in {"quit", "exit", "bye", ":q"}:
                return 0
            if not text.strip():
                continue
            _, result = await _answer_one(runtime.concierge, text, args, False)
            print(result, end="\n\n")
    finally:
        await runtime.close()
        _save_kept(patterns)


def _record(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "question": record.question,
        "platform": record.platform,
        "closest_use_case": record.closest_use_case,
        "score": record.score,
        "status": record.status,
        "votes": record.votes,
    }


async def _unmet_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime import Runtime

    runtime = await Runtime.start(settings)
    try:
        status = None if args.status == "all" else args.status
        records = await runtime.store.unmet.list(status=status, limit=args.limit)
    finally:
        await runtime.close()
    if args.json:
        print(json.dumps([_record(r) for r in records], ensure_ascii=False))
        return 0
    if not records:
        print("No unmet requests.")
        return 0
    for r in records:
        closest = f" (closest: {r.closest_use_case})" if r.closest_use_case else ""
        votes = f" +{r.votes}" if r.votes else ""
        print(f"#{r.id} {r.at:%Y-%m-%d %H:%M} [{r.status}]{votes} {r.question}{closest}")
    return 0
