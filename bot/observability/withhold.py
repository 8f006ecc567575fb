"""Keep request bodies, tokens and message text out of third-party libraries' logs.

Chat SDKs log what they send and receive (a badly signed request's body at INFO,
request parameters at DEBUG). A `Withhold` filter on those loggers drops their
chatter below INFO and anything mentioning a body, drops messages that are noise, and
replaces messages that carry a body with their first words.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

__all__ = ["Withhold", "withhold"]


class Withhold(logging.Filter):
    """`chatty`: logger name prefixes kept at INFO and above, without "body"; `dropped`
    and `redacted`: message prefixes left out entirely / shown as "(details withheld)"."""

    def __init__(self, *, chatty: tuple[str, ...], dropped: tuple[str, ...] = (),
                 redacted: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.chatty, self.dropped, self.redacted = chatty, dropped, redacted

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.chatty):
            return record.levelno >= logging.INFO and "body" not in str(record.msg)
        message = str(record.msg)
        if message.startswith(self.dropped):
            return False
        for prefix in self.redacted:
            if message.startswith(prefix):
                record.msg = f"{prefix} (details withheld)"
                record.args = ()
        return True


def withhold(loggers: Iterable[str], with_filter: logging.Filter) -> logging.Filter:
    """Attach the filter to each named logger (idempotent)."""
    for name in loggers:
        logger = logging.getLogger(name)
        if with_filter not in logger.filters:
            logger.addFilter(with_filter)
    return with_filter
