"""`privacy redact-stored`: bring questions logged by earlier versions up to today's redactor."""

from __future__ import annotations

import argparse

from bot.runtime import Runtime
from bot.settings import Settings
from bot.store.rewrite import rewrite_questions

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction) -> None:
    privacy = commands.add_parser("privacy", help="privacy maintenance of stored data")
    verbs = privacy.add_subparsers(dest="privacy_command", metavar="ACTION", required=True)
    stored = verbs.add_parser(
        "redact-stored",
        help="re-redact the questions already stored (query and unmet logs, Ask IT)",
        description="Run today's redactor (PHONE_REGION, the live policy's tool names as "
        "allowed words) over every stored question. Safe to repeat.")
    stored.set_defaults(handler=_redact_stored)


async def _redact_stored(args: argparse.Namespace, settings: Settings) -> int:
    runtime = await Runtime.start(settings)
    try:
        index = await runtime.concierge.index()
        changed = await rewrite_questions(
            runtime.store.sessions, lambda text: runtime.concierge.redact(text, index))
    finally:
        await runtime.close()
    print(f"Re-redacted {changed['query_log']} logged question(s), "
          f"{changed['unmet_requests']} unmet request(s) and "
          f"{changed['handoffs']} question(s) passed on to IT.")
    return 0
