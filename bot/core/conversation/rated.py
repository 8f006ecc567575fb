"""A rated answer shown again in place: the same answer, without its rating buttons.

Teams sends no card back with a click, so both platforms rebuild the answer from what
the query log holds: the redacted question (the answer was computed from exactly that
text, `advise_text`) under the policy version it was given with. Nothing new is
stored, so retention and `privacy redact-stored` need no extra step. The stored
headline checks the rebuild: when the policy has changed since (or anything differs),
the message keeps only the headline it showed and says so, never another answer.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from bot.core.advisor import advise_message
from bot.core.replies import Answer
from bot.core.reply import Action, Reply, Section
from bot.core.services import Logged, Services
from bot.core.views import SurfaceLike
from bot.core.views.answer import answer_reply
from bot.store import Actor

__all__ = ["CHANGED", "rated_reply"]

CHANGED = "The policy has changed since this answer; ask again for the current advice."


async def _same_answer(services: Services, logged: Logged, query_id: int) -> Answer | None:
    """The answer as it was given, or None when it cannot be told again exactly."""
    index = await services.concierge.index()
    if logged.policy_version != index.version:
        return None
    again = await asyncio.to_thread(advise_message, index, logged.question)
    if logged.headline is not None and again.headline[:300] != logged.headline:
        return None
    return replace(again, query_id=query_id, policy_version=index.version,
                   unmet_id=logged.unmet_id if again.logged_unmet else None)


async def rated_reply(services: Services, actor: Actor, query_id: int, surface: SurfaceLike,
                      thanks: str) -> Reply | None:
    """The rated answer with `thanks` under it, replacing the message; None when the
    query is not the actor's any more (e.g. deleted by retention)."""
    logged = await services.logged(query_id, actor)
    if logged is None:
        return None
    answer = await _same_answer(services, logged, query_id)
    if answer is None:
        title = logged.headline or "Your earlier answer"
        reply = Reply(title=title, text=f"{title}\n{CHANGED}", sections=(Section(text=CHANGED),),
                      actions=(Action("Ask IT", id="ask_it", value={"query_id": str(query_id)}),))
    else:
        reply = answer_reply(answer, surface)
    return replace(reply, actions=tuple(a for a in reply.actions if a.id != "feedback"),
                   footer=" · ".join(x for x in (thanks, reply.footer) if x),
                   text=f"{reply.text}\n\n{thanks}", kind="feedback", replace=True)
