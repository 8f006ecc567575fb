"""Command line: `python app.py COMMAND ...`. Every error is one clear line and a non-zero exit.

Each command's module is imported only when that command runs: `--help` must not pay for
SQLAlchemy, ONNX Runtime or scikit-learn, and `ask` must not pay for the digest's charts.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any

from bot.cli.startup import quiet_collector
from bot.errors import ConciergeError

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["COMMANDS", "Command", "build_parser", "main"]

Command = Callable[[argparse.Namespace, "Settings"], Coroutine[Any, Any, int]]

#: Every command, the module that defines it, and its one-line help for `--help`
#: (tests check these lines against the modules' own).
COMMANDS: dict[str, tuple[str, str]] = {
    "ask": ("bot.cli.ask_cmds", "answer one question (or one per line from stdin with '-')"),
    "chat": ("bot.cli.ask_cmds", "interactive terminal session"),
    "unmet": ("bot.cli.ask_cmds", "review unmet requests"),
    "policies": ("bot.cli.policy_cmds", "validate, import, export and version policies"),
    "db": ("bot.cli.policy_cmds", "database maintenance"),
    "serve": ("bot.cli.serve_cmds", "run the Slack/Teams server (port from PORT)"),
    "digest": ("bot.cli.digest_cmds", "the weekly leadership digest"),
    "candidates": ("bot.cli.digest_cmds", "review candidate use cases from unmet needs"),
    "retention": ("bot.cli.digest_cmds", "delete old query and unmet logs"),
    "privacy": ("bot.cli.privacy_cmds", "privacy maintenance of stored data"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\nTry `python app.py --help`.\n")


def _requested(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word that is not an option), if any."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the requested command's module is imported (all of them when
    `argv` is None), the others are listed by name and help."""
    parser = _Parser(
        prog="app.py",
        description="AI Tool Concierge: which AI tools are approved for the job.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    wanted = None if argv is None else _requested(argv)
    modules = {module for module, _ in COMMANDS.values()}
    if argv is not None:
        modules = {COMMANDS[wanted][0]} if wanted in COMMANDS else set()
    loaded: set[str] = set()
    for name, (module, help_text) in COMMANDS.items():
        if module in modules and module not in loaded:
            importlib.import_module(module).add_commands(commands)
            loaded.add(module)
        elif module not in modules:
            commands.add_parser(name, help=help_text)
    return parser


def _reader_went_away() -> int:
    """`ask ... | head`: the reader has all it wanted; stop quietly, no "Broken pipe".

    Python would flush stdout again at exit and print a second error, so the rest of
    the output goes to /dev/null (the documented way, see the `signal` module docs).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests): nothing to do
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    with quiet_collector():  # the command's module, settings: all kept until exit
        parser = build_parser(argv)
        args = parser.parse_args(argv)
        prepare: Callable[[argparse.Namespace], None] | None = getattr(args, "prepare", None)
        if prepare is not None:  # work that needs no settings starts before they are read
            prepare(args)
        import asyncio

        from bot.observability.logging import configure_logging
        from bot.settings import SettingsError, load_settings

        # Safe logging first (JSON, no message text), so even a settings error is logged
        # safely.
        configure_logging(logging.DEBUG if args.verbose else logging.WARNING, "text")
        try:
            settings = load_settings()
        except SettingsError as exc:
            print(exc, file=sys.stderr)
            return 2
    # Long-running processes log at LOG_LEVEL; one-shot commands stay quiet unless -v.
    long_running = args.command == "serve" or getattr(args, "digest_command", None) == "run"
    level = logging.DEBUG if args.verbose else (
        settings.log_level if long_running else logging.WARNING)
    configure_logging(level, settings.log_format)
    handler: Command | None = getattr(args, "handler", None)
    if handler is None:  # only a listed name: cannot happen, but never a traceback
        parser.error(f"unknown command {args.command!r}")
        return 2
    try:
        status = asyncio.run(handler(args, settings))
        sys.stdout.flush()  # a closed pipe must fail here, not at interpreter exit
        return status
    except BrokenPipeError:
        return _reader_went_away()
    except SettingsError as exc:  # e.g. no PSEUDONYM_KEY with a database server
        print(exc, file=sys.stderr)
        return 2
    except ConciergeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        # Covers an unreachable database server: say which, without a traceback.
        print(f"error: {exc}", file=sys.stderr)
        return 1
