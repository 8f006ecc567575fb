"""The one place a failure becomes a sentence a person may read.

The error classes stay defined in `bot/errors.py`, the lowest module (the policy
and store layers raise them and must not import the core); they are re-exported
here so the conversation core and adapters import everything from one place.
`user_message` never matches message text: the error's class decides.
"""

from __future__ import annotations

import logging

from bot.core.answer_pool import BUSY_MESSAGE, Busy
from bot.errors import (
    ConciergeError,
    InputError,
    NotAuthorized,
    PolicyConflict,
    PolicyFileError,
    StoreUnavailable,
    UnknownVersion,
)

__all__ = [
    "GENERIC",
    "UNAVAILABLE",
    "Busy",
    "ConciergeError",
    "InputError",
    "NotAuthorized",
    "PolicyConflict",
    "PolicyFileError",
    "StoreUnavailable",
    "UnknownVersion",
    "log_failure",
    "should_log",
    "user_message",
]

UNAVAILABLE = ("Sorry, I can't reach the AI tool policy right now. "
               "Please try again in a minute or two.")
GENERIC = "Sorry, something went wrong on my side. Please try again in a moment."


def user_message(exc: BaseException) -> str:
    """What the person sees: the core's own safe text, fixed wording, or a generic apology.

    The caller logs the exception when `should_log(exc)` (anything not raised on purpose).
    """
    if isinstance(exc, StoreUnavailable):
        return UNAVAILABLE
    if isinstance(exc, Busy):
        return BUSY_MESSAGE
    if isinstance(exc, PolicyFileError):
        return problems_sentence(exc)
    if isinstance(exc, ConciergeError):
        return str(exc) or GENERIC
    return GENERIC


def should_log(exc: BaseException) -> bool:
    """Unexpected failures are logged with a traceback; deliberate refusals are not."""
    return not isinstance(exc, ConciergeError) or isinstance(exc, StoreUnavailable)


def log_failure(log: logging.Logger, exc: BaseException, what: str) -> bool:
    """Log a failure once, where it ends: an unexpected one with its traceback ("<what>
    failed", True), a deliberate refusal as one line naming its type (False)."""
    if should_log(exc):
        log.error("%s failed: %s", what, type(exc).__name__,
                  exc_info=(type(exc), exc, exc.__traceback__))
        return True
    log.info("%s refused: %s", what, type(exc).__name__)
    return False


def problems_sentence(exc: PolicyFileError, limit: int = 15) -> str:
    """'Nothing was changed:' and one line per problem, with its place when known."""
    lines = []
    for problem in exc.problems[:limit]:
        where = problem.path or problem.file
        if problem.item:
            where = f"{where} ({problem.item})"
        if problem.line:
            where = f"line {problem.line}, {where}"
        lines.append(f"• {where}: {problem.message}" if where else f"• {problem.message}")
    more = len(exc.problems) - limit
    if more > 0:
        lines.append(f"…and {more} more")
    return "Nothing was changed:\n" + "\n".join(lines)
