"""After an answer: tell the asker, once, that an earlier unmet request now has an answer.

Runs after the reply (the event or command was acked long before), costs one indexed
query when nothing is waiting, and never fails the answer: a notice that cannot be
looked up now is looked up the next time the person writes. A notice is claimed in the
database before it is posted, so two replicas never both send it (at most once).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.render.blockkit import escape
from bot.slack.context import SlackDeps

__all__ = ["tell_covered"]

_log = logging.getLogger(__name__)


async def tell_covered(deps: SlackDeps, user: str,
                       send: Callable[[str], Awaitable[Any]]) -> bool:
    """Send one extra message (escaped mrkdwn) if `user` has covered requests; True if sent."""
    if not user:
        return False
    try:
        notices = await deps.review.notices_for(deps.concierge.pseudonym(user))
        told = [n.text for n in notices if await deps.review.mark_told(n)]
        if not told:
            return False
        await send("\n".join(escape(text) for text in told))
    except Exception as exc:  # a courtesy message must never break the answer path
        _log.warning("covered-request notice not sent: %s", type(exc).__name__)
        return False
    return True
