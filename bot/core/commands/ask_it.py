""""Ask IT": pass an answered question on to a person, through the platform's IT desk.

The question and the answer IT sees are the redacted ones the query log holds
(`Handoffs.open`); only the asker may pass their question on, once. Without an IT
destination on this platform, the person is told how to reach IT instead. IT's reply
in the post's thread comes back through `relay`: each adapter only says where the thread
is and how to reach the asker.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.concierge import Message
from bot.core.handoff_views import passed_on, relayed
from bot.core.handoffs import Handoff, Handoffs, NotYourQuestion, ThreadRef
from bot.core.reply import Reply, Section
from bot.core.services import Services
from bot.store import Actor

if TYPE_CHECKING:
    from bot.core.conversation.surface import Surface

__all__ = ["ask_it", "ask_it_typed", "relay"]

_log = logging.getLogger(__name__)


async def ask_it(actor: Actor, query_id: int, services: Services, surface: Surface) -> Reply:
    """Pass the actor's answered question `query_id` on to IT (a repeat says it already is)."""
    desk = services.desks.get(surface.platform)
    if desk is None:
        if await services.asked(query_id, actor) is None:
            raise NotYourQuestion()
        return await _how_to_reach_it(services)
    handoff = await services.handoffs.open(actor, query_id)
    if handoff.new or handoff.status == "open":  # an earlier post that failed is retried
        await services.handoffs.posted(handoff.id, await desk.post(handoff))
        handoff = replace(handoff, new=True)
    return passed_on(handoff)


async def ask_it_typed(actor: Actor, question: str, services: Services,
                       surface: Surface) -> Reply:
    """`ask it <question>`: answer it (logged redacted, like any question), then pass it on."""
    if not question.strip():
        text = ("Which question should I pass on? Use the Ask IT button under an answer, or "
                "write “ask it” followed by your question.")
        return Reply(title="Ask IT", text=text, sections=(Section(text=text),), kind="usage")
    answer = await services.concierge.answer(
        Message(text=question, asker=actor.id, platform=surface.platform))
    if answer.query_id is None:  # not logged (e.g. the log is down): nothing to pass on
        return await _how_to_reach_it(services)
    return await ask_it(actor, answer.query_id, services, surface)


async def _how_to_reach_it(services: Services) -> Reply:
    meta = (await services.concierge.index()).policy.meta
    reach = f"You can reach them at {meta.reach}." if meta.contact else \
        "Please contact your IT service desk."
    text = f"I can't pass questions to IT from here. {reach}"
    return Reply(title="Ask IT", text=text, sections=(Section(text=text),), kind="ask_it")


async def relay(handoffs: Handoffs, platform: str, thread: ThreadRef, text: str,
                send: Callable[[Handoff, Reply], Awaitable[bool]], *,
                responder: str | Callable[[], Awaitable[str | None]] | None = None) -> bool:
    """Bring IT's reply in `thread` to the asker of the handoff whose post started it;
    `send` says whether it arrived (then the handoff is answered; IT's text is never
    stored). False when the thread is no handoff's; a reply without text is not relayed."""
    handoff = await handoffs.by_thread(platform, thread)
    if handoff is None:
        return False
    if text.strip():
        name = await responder() if callable(responder) else responder
        if await send(handoff, relayed(handoff, text, responder=name)):
            await handoffs.relayed(handoff.id)
            _log.info("IT's reply relayed to the asker", extra={"handoff": handoff.id})
        else:
            _log.warning("Ask IT: no way to relay IT's reply to the asker",
                         extra={"handoff": handoff.id})
    return True
