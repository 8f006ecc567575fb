"""The App Home tab: how to ask, the approved tools by job, and the red lines."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.render.blockkit import home_view
from bot.slack.context import SlackDeps

__all__ = ["register"]

_log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: SlackDeps) -> None:
    @app.event("app_home_opened")
    async def home_opened(event: dict[str, Any], body: dict[str, Any],
                          client: AsyncWebClient) -> None:
        deps.hold()
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        async with deps.once(body) as first:
            if not first:
                return
            try:
                index = await deps.concierge.index()
            except Exception as exc:  # keep the last published tab rather than an error
                _log.warning("App Home not refreshed: %s", type(exc).__name__)
                return
            await client.views_publish(user_id=event["user"],
                                       view=home_view(index.policy, index.version))
