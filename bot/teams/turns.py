"""The one place a failed Teams turn is logged and answered (the adapter's `on_turn_error`).

The conversation core already turns its own failures into replies; this catches what
fails around it (a file download, the Bot Connector), phrased by the core's `error_reply`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botbuilder.schema.teams import TaskModuleMessageResponse, TaskModuleResponse

from bot.core.conversation import error_reply
from bot.core.errors import log_failure
from bot.observability import metrics
from bot.render.adaptive import to_card
from bot.teams.delivery import Delivery, card_activity

__all__ = ["error_handler"]

_log = logging.getLogger(__name__)


def error_handler(delivery: Delivery) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    """Log (with the traceback when unexpected) and tell the person: a dialog (`task/*`)
    in the dialog, anything else with a card (another invoke gets its 200 first)."""

    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        if log_failure(_log, error, "Teams turn"):
            metrics.record_platform_error("teams", "turn_error")
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
