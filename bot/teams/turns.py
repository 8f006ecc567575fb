"""Turns after the ack, and the one place a failed turn is logged and answered.

Every activity but an invoke is acknowledged with 201 before its turn runs (Teams
waits at most 15 s); `TurnRunner` keeps those turns alive, bounded and drainable at
shutdown. `error_handler` is the adapter's `on_turn_error`: the conversation core
already turns its own failures into replies, so this catches what fails around it
(a file download, the Bot Connector), phrased by the core's `error_reply`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.schema.teams import TaskModuleMessageResponse, TaskModuleResponse

from bot.core.conversation import error_reply
from bot.core.errors import should_log
from bot.observability import metrics
from bot.render.adaptive import to_card
from bot.teams.delivery import Delivery, card_activity

__all__ = ["TURN_CONCURRENCY", "TurnRunner", "error_handler"]

_log = logging.getLogger(__name__)
TURN_CONCURRENCY = 32


class TurnRunner:
    """Turns already acknowledged with 201: strong references, at most `limit` running at once.

    The set keeps each task alive (the loop holds only weak references) and lets
    shutdown wait for them; the semaphore keeps answer work from starving the acks.
    """

    def __init__(self, limit: int = TURN_CONCURRENCY) -> None:
        self.limit = limit
        self.tasks: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(limit)

    def start(self, turn: Callable[[], Awaitable[Any]]) -> asyncio.Task[None]:
        """Run `turn()` in the background once a slot is free; the task copies this context."""
        task = asyncio.create_task(self._run(turn), name="teams-turn")
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _run(self, turn: Callable[[], Awaitable[Any]]) -> None:
        async with self._slots:
            try:
                await turn()
            except Exception as exc:  # on_turn_error already ran for errors inside the bot
                _log.error("Teams turn failed after the ack: %s", type(exc).__name__,
                           exc_info=(type(exc), exc, exc.__traceback__))
                metrics.record_platform_error("teams", "turn_error")

    async def drain(self, grace: float = 10.0) -> bool:
        """Wait up to `grace` seconds for acknowledged turns; True when none is left."""
        pending = [t for t in self.tasks if not t.done() and t is not asyncio.current_task()]
        if not pending:
            return True
        _, still = await asyncio.wait(pending, timeout=grace)
        if still:
            _log.warning("shutdown: Teams turns still running after the grace period",
                         extra={"count": len(still)})
        return not still


def error_handler(delivery: Delivery) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """`on_turn_error`: log (with the traceback when unexpected) and tell the person.

    A dialog (`task/*` invoke) gets the sentence in the dialog; anything else a card, and
    another invoke (a file consent) its 200 as well.
    """

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        if should_log(error):
            _log.error("Teams turn failed: %s", type(error).__name__,
                       exc_info=(type(error), error, error.__traceback__))
            metrics.record_platform_error("teams", "turn_error")
        else:
            _log.info("Teams turn refused: %s", type(error).__name__)
        reply = error_reply(error)
        activity = context.activity
        try:
            if activity.type == ActivityTypes.invoke:  # answered, or Teams shows its own error
                dialog = str(activity.name).startswith("task/")
                body = TaskModuleResponse(task=TaskModuleMessageResponse(value=reply.text)) \
                    if dialog else None
                await context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                                     value=InvokeResponse(status=200, body=body)))
                if dialog:
                    return
            await delivery.sender.send(context, card_activity(to_card(reply)))
        except Exception:
            _log.warning("could not tell the user about the failed turn")

    return on_turn_error
