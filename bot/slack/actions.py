"""Buttons under answers: "Helpful", "Not what I needed" and "I need this too".

Action ids are fixed; the query or unmet-request id travels in the button's
`value`. Only the person who asked can rate an answer (the store checks the
pseudonymous asker); anyone can say they need an unmet request too.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.respond.async_respond import AsyncRespond

from bot.render.blockkit import FEEDBACK_HELPFUL, VOTE, escape
from bot.slack.context import SlackDeps, polite_error

__all__ = ["register"]

_log = logging.getLogger(__name__)
_FEEDBACK = re.compile(r"^concierge\.feedback\.(helpful|not_helpful)$")


def _id(action: dict[str, Any]) -> int | None:
    value = str(action.get("value") or "")
    return int(value) if value.isdigit() and len(value) < 19 else None


async def _tell(respond: AsyncRespond, text: str) -> None:
    await respond(text=escape(text), response_type="ephemeral", replace_original=False)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    @app.action(_FEEDBACK)
    async def feedback(ack: Any, body: dict[str, Any], action: dict[str, Any],
                       respond: AsyncRespond) -> None:
        await ack()
        deps.hold()
        query_id = _id(action)
        if query_id is None:
            return
        helpful = action.get("action_id") == FEEDBACK_HELPFUL
        try:
            stored = await deps.concierge.feedback(
                query_id, asker=body["user"]["id"], helpful=helpful)
        except Exception as exc:
            await _tell(respond, polite_error(exc))
            return
        if not stored:
            text = "Only the person who asked can rate this answer."
        elif helpful:
            text = "Thanks for the feedback!"
        else:
            text = ("Thanks for telling me. I've passed your question to IT as a need "
                    "the approved tools don't cover yet.")
        await _tell(respond, text)

    @app.action(VOTE)
    async def vote(ack: Any, body: dict[str, Any], action: dict[str, Any],
                   respond: AsyncRespond) -> None:
        await ack()
        deps.hold()
        unmet_id = _id(action)
        if unmet_id is None:
            return
        try:
            counted = await deps.concierge.vote(unmet_id, asker=body["user"]["id"])
        except Exception as exc:
            await _tell(respond, polite_error(exc))
            return
        await _tell(respond, "Thanks, I've counted your vote for this request."
                    if counted else "You've already said you need this; thanks!")

    @app.action(re.compile(r"^concierge\.access\."))
    async def access_link(ack: Any) -> None:
        """Link buttons open in the browser; Slack still expects an ack."""
        await ack()
