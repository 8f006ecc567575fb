"""Button callbacks that are not commands: feedback, vote, Ask IT, cancel, impact, cover.

Values arrive as strings (both platforms carry them that way). A value that does
not parse means the button is out of date: the person is told, nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bot.core.commands.ask_it import ask_it
from bot.core.commands.candidates_run import decide
from bot.core.conversation.rated import rated_reply
from bot.core.conversation.surface import Surface
from bot.core.forms import ITEM_FORMS, item_data, item_form, parse_item
from bot.core.forms.errors import FormErrors
from bot.core.reply import Reply, Section, Tone
from bot.core.services import Feedback, Services
from bot.core.views.admin import form_reply
from bot.core.whatif import impact_summary, with_item
from bot.errors import InputError
from bot.store import Actor, Snapshot

__all__ = ["on_callback"]

_STALE = "That button is out of date. Please ask again."


def _note(title: str, text: str = "", *, kind: str, tone: Tone = "default") -> Reply:
    return Reply(title=title, text=f"{title} {text}".strip(),
                 sections=(Section(text=text),) if text else (), kind=kind, tone=tone)


def _int(value: Mapping[str, str], key: str) -> int:
    raw = str(value.get(key, "")).strip().lstrip("#")
    if not raw.isdigit() or len(raw) > 18:
        raise InputError(_STALE)
    return int(raw)


async def on_callback(action_id: str, value: Mapping[str, str], actor: Actor,
                      services: Services, surface: Surface) -> Reply:
    if action_id == "feedback":
        helpful = str(value.get("helpful", "")).lower() in {"yes", "true", "1"}
        result = await services.feedback(actor, _int(value, "query_id"), helpful)
        if result is Feedback.NOT_ASKER:
            return _note("Only the person who asked can rate this answer.", kind="feedback")
        if result is Feedback.REPEATED:  # the rated answer was replaced already
            return _note("Thanks, I already have your feedback on that answer.",
                         kind="feedback")
        thanks = "Thanks for the feedback — noted." if helpful else (
            "Thanks — noted. I've passed your question to IT as a need the approved tools "
            "don't cover yet.")
        # The answer again in place of the rated one, its rating buttons gone.
        rated = await rated_reply(services, actor, _int(value, "query_id"), surface, thanks)
        return rated or _note(thanks, kind="feedback", tone="good")
    if action_id == "vote":
        counted = await services.concierge.vote(_int(value, "unmet_id"), asker=actor.id)
        return _note("Thanks, I've counted your vote for this request." if counted
                     else "You've already said you need this; thanks!", kind="vote")
    if action_id == "ask_it":
        return await ask_it(actor, _int(value, "query_id"), services, surface)
    if action_id == "cancel":
        return replace(_note("Cancelled", "Nothing was changed.", kind="cancelled"),
                       replace=True)
    if action_id == "check_impact":
        return await _check_impact(value, actor, services)
    if action_id == "mark_covered":
        tool = str(value.get("tool", "")).strip()
        if not tool:
            raise InputError(_STALE)
        return await decide("cover", _int(value, "candidate_id"), {"tool": tool}, actor,
                            services)
    raise InputError("I didn't recognise that button. Type help to see what I can do.")


async def _check_impact(value: Mapping[str, str], actor: Actor, services: Services) -> Reply:
    """A form's "Check impact": the same form back, with what the change would do."""
    kind = str(value.get("form", ""))
    if kind not in ITEM_FORMS:
        raise InputError("That form is out of date; please open it again.")
    whatif = services.whatif
    await services.admin.require_admin(actor, "whatif", f"{kind}:{value.get('item', '')}")
    snapshot = await services.snapshot()
    state = {"item": str(value.get("item", "")), "version": str(value.get("version", ""))}
    editing = state["item"] or None
    values = {k: v for k, v in value.items() if k not in {"form", "item", "version"}}
    base = item_data(snapshot.policy, kind, editing) if editing else None
    try:
        item = parse_item(kind, state, values, base)
    except FormErrors as exc:
        return _form(kind, snapshot, editing, values, exc.errors)
    if whatif is None:
        intro = "Checking the impact on past asks is not available on this server."
    else:
        job = whatif.start(with_item(snapshot.policy, kind, item), draft_name="this form",
                           base=snapshot)
        intro = "\n".join(impact_summary(await job.wait()).sentences) or \
            "No past answer would change."
    return _form(kind, snapshot, editing, values, {}, intro=f"Impact on past asks:\n{intro}")


def _form(kind: str, snapshot: Snapshot, editing: str | None, values: Mapping[str, object],
          errors: Mapping[str, str], intro: str = "") -> Reply:
    form = item_form(kind, snapshot.policy, snapshot.version, editing, values=values,
                     errors=errors, intro=intro)
    return replace(form_reply(form, impact=True), replace=True)
