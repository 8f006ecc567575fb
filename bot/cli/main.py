"""Command line: `python app.py COMMAND ...`. Every error is one clear line and a non-zero exit."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence

from bot.cli import ask_cmds, digest_cmds, policy_cmds, serve_cmds
from bot.errors import ConciergeError
from bot.observability.logging import configure_logging
from bot.settings import Settings, SettingsError, load_settings

__all__ = ["Command", "build_parser", "main"]

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]
_log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"error: {message}\nTry `python app.py --help`.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="app.py",
        description="AI Tool Concierge: which AI tools are approved for the job.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    ask_cmds.add_commands(commands)
    policy_cmds.add_commands(commands)
    serve_cmds.add_commands(commands)
    digest_cmds.add_commands(commands)
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
    parser = build_parser()
    args = parser.parse_args(argv)
    # Safe logging first (JSON, no message text), so even a settings error is logged safely.
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
    handler: Command = args.handler
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
