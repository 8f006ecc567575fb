"""`Conversation`: everything a person does in chat, in one platform-neutral place.

Adapters translate a request into one of these calls and deliver the `Reply`;
they hold no business logic and no wording. Every failure becomes a reply here
(`user_message`): deliberate refusals as their own words, anything unexpected
logged once and answered with the generic apology.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Mapping

from bot.core.commands.grammar import parse
from bot.core.commands.run import run
from bot.core.conversation.callbacks import on_callback
from bot.core.conversation.files import receive_file
from bot.core.conversation.requests import Clicked, Request, Submitted, Typed
from bot.core.conversation.submit import submit
from bot.core.conversation.surface import Surface
from bot.core.errors import NotAuthorized, PolicyFileError, should_log, user_message
from bot.core.reply import Reply, Section
from bot.core.services import Services
from bot.core.views.admin import admin_home_sections
from bot.core.views.home import home_reply
from bot.store import Actor

__all__ = ["Conversation", "error_reply"]

_log = logging.getLogger(__name__)


def error_reply(exc: BaseException) -> Reply:
    """The reply for a failure; nothing was changed."""
    text = user_message(exc)
    if isinstance(exc, NotAuthorized):
        title = "Not allowed"
    elif isinstance(exc, PolicyFileError):
        title, text = "Nothing was changed", text.removeprefix("Nothing was changed:\n")
    else:
        title = text.split("\n")[0]
        text = text if title != text else ""
    return Reply(title=title, text=f"{title}\n{text}".strip(),
                 sections=(Section(text=text),) if text else (), tone="attention",
                 kind="error")


class Conversation:
    """One per process (see `Runtime.conversation`); safe to share between requests."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def _safely(self, work: Awaitable[Reply], what: str) -> Reply:
        try:
            return await work
        except Exception as exc:
            if should_log(exc):
                _log.exception("conversation %s failed", what)
            return error_reply(exc)

    async def on_text(self, actor: Actor, text: str, surface: Surface) -> Reply:
        """Anything typed: a command of the grammar or a question."""
        command = parse(text)
        return await self._safely(run(command, actor, self.services, surface), command.verb)

    async def on_action(self, actor: Actor, action_id: str, value: Mapping[str, str],
                        surface: Surface) -> Reply:
        """A button's core callback (feedback, vote, ask_it, cancel, more, check_impact,
        mark_covered). `command` buttons go to `on_text` instead."""
        return await self._safely(
            on_callback(action_id, value, actor, self.services, surface), action_id)

    async def on_submit(self, actor: Actor, form_id: str, state: Mapping[str, str],
                        values: Mapping[str, object], surface: Surface) -> Reply:
        """A submitted form; invalid input returns the same form with `errors` set."""
        return await self._safely(
            submit(form_id, state, values, actor, self.services, surface), form_id)

    async def on_request(self, actor: Actor, request: Request | None,
                         surface: Surface) -> Reply:
        """A typed text, a click or a form read from a platform (`bot.render.clicks`);
        None is a button from a card we no longer draw: the core says it is out of date."""
        if isinstance(request, Typed):
            return await self.on_text(actor, request.text, surface)
        if isinstance(request, Submitted):
            return await self.on_submit(actor, request.form_id, request.state, request.values,
                                        surface)
        if isinstance(request, Clicked):
            return await self.on_action(actor, request.action_id, request.value, surface)
        return await self.on_action(actor, "", {}, surface)

    async def on_file(self, actor: Actor, intent: str, filename: str, content: bytes,
                      args: str, surface: Surface) -> Reply:
        """A policy file sent to "import", or a draft to replay ("whatif [days]"); any other
        intent is answered with how to send a file (so adapters pass what was typed)."""
        return await self._safely(
            receive_file(intent, filename, content, args, actor, self.services), intent)

    async def notices(self, actor: Actor) -> list[Reply]:
        """"Your earlier request is covered" notices, each claimed before it is returned
        (so replicas never repeat one). Never raises: a notice that cannot be looked up
        now is looked up the next time the person writes."""
        review = self.services.candidates
        try:
            found = await review.notices_for(self.services.concierge.pseudonym(actor.id))
            told = [n.text for n in found if await review.mark_told(n)]
        except Exception as exc:
            _log.warning("covered-request notice not sent: %s", type(exc).__name__)
            return []
        return [Reply(title="An earlier question now has an answer", text=text,
                      sections=(Section(text=text),), tone="good", kind="notice")
                for text in told]

    async def home(self, actor: Actor, surface: Surface) -> Reply:
        """Slack's App Home / the Teams welcome: browse, and an admin panel for admins."""
        async def build() -> Reply:
            services = self.services
            index = await services.concierge.index()
            counts = await services.admin_counts(actor)
            admin = admin_home_sections(counts) if counts is not None else ()
            return home_reply(index.policy, surface, version=index.version, admin=admin)

        return await self._safely(build(), "home")
