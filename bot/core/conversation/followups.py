"""Long jobs as a stream of replies: progress now and then, the result at the end.

Adapters iterate `Reply.follow()` (or hand `show_follow` how to show one) and update
one message in place with each reply (Slack `chat.update`, Teams `updateActivity`); the
last one is the result.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from bot.core.errors import should_log, user_message
from bot.core.reply import Reply, Section
from bot.core.views.admin_whatif import impact_reply, progress_reply
from bot.core.whatif import ReplayJob, impact_summary, progress_text

__all__ = ["PROGRESS_EVERY", "replay_updates", "show_follow"]

_log = logging.getLogger(__name__)
PROGRESS_EVERY = 1.5


async def replay_updates(job: ReplayJob, title: str, *,
                         every: float = PROGRESS_EVERY) -> AsyncIterator[Reply]:
    """Progress replies (only when the wording changes), then the impact or the failure."""
    assert job.task is not None
    shown = ""
    while not job.task.done():
        await asyncio.wait({job.task}, timeout=every)
        text = progress_text(job.stage, job.done, job.total)
        if not job.task.done() and text != shown:
            shown = text
            yield progress_reply(title, text)
    exc = job.task.exception()
    if exc is None:
        yield impact_reply(impact_summary(job.task.result(), title=title))
        return
    if should_log(exc):
        _log.error("what-if replay failed: %s", type(exc).__name__)
    text = user_message(exc)
    yield Reply(title="The replay failed", text=f"The replay failed. {text}",
                sections=(Section(text=text),), tone="attention", kind="error", replace=True)


async def show_follow(reply: Reply, show: Callable[[Reply], Awaitable[object]], *,
                      courtesy: tuple[type[Exception], ...] = ()) -> None:
    """Show each later reply of `reply.follow` in place. Progress is a courtesy: one that
    fails with `courtesy` (the platform refused an update) is logged, the result still comes."""
    assert reply.follow is not None
    async for later in reply.follow():
        try:
            await show(later)
        except courtesy as exc:
            _log.info("progress update refused: %s", type(exc).__name__)
