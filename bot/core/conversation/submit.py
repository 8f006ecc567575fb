"""Form submissions: validated once, problems shown inline, the save followed by its impact.

An invalid submission comes back as the same form with `errors` by field id (the
form's own checks, then the whole-policy validation mapped to fields), so nothing
the admin typed is lost. A saved edit is followed (`Reply.follow`) by what it does
to past asks, when this server can replay them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import replace

from bot.core.admin import upsert_edit
from bot.core.commands.candidates_run import decide
from bot.core.conversation.followups import replay_updates
from bot.core.conversation.surface import Surface
from bot.core.forms import (
    CANDIDATE_FORMS,
    ITEM_FORMS,
    NOUNS,
    FormErrors,
    candidate_form,
    field_errors,
    item_data,
    item_form,
    parse_decision,
    parse_item,
)
from bot.core.reply import Form, Reply
from bot.core.services import Services
from bot.core.views.admin import form_reply, saved_reply
from bot.errors import InputError, PolicyConflict, PolicyFileError
from bot.store import Actor, Snapshot

__all__ = ["submit"]

_CONFLICT = ("Someone else changed the policy while you were editing. Cancel and open the "
             "form again to see their change.")


def _again(form: Form, services: Services) -> Reply:
    return form_reply(form, impact=form.id in ITEM_FORMS and services.can_replay)


async def submit(form_id: str, state: Mapping[str, str], values: Mapping[str, object],
                 actor: Actor, services: Services, surface: Surface) -> Reply:
    if form_id in ITEM_FORMS:
        return await _item(form_id, state, values, actor, services, surface)
    op = next((op for op, fid in CANDIDATE_FORMS.items() if fid == form_id), None)
    if op is None or not str(state.get("candidate", "")).isdigit():
        raise InputError("That form is out of date; please open it again.")
    cid = int(state["candidate"])
    try:
        args = parse_decision(op, values)
        return await decide(op, cid, args, actor, services)
    except InputError as exc:  # FormErrors, or the review's own refusal (e.g. no reason)
        errors = exc.errors if isinstance(exc, FormErrors) else \
            {{"decline": "reason", "merge": "into"}.get(op, "tool"): str(exc)}
        cand = await services.candidates.get(cid)
        if cand is None:
            raise
        snapshot = await services.snapshot() if op == "cover" else None
        targets = await services.candidates.merge_targets(cid) if op == "merge" else []
        return _again(candidate_form(op, cand, policy=snapshot.policy if snapshot else None,
                                     targets=targets, values=values, errors=errors), services)


async def _item(kind: str, state: Mapping[str, str], values: Mapping[str, object],
                actor: Actor, services: Services, surface: Surface) -> Reply:
    """Save one tool / red line / use case; the admin check once, the policy read once."""
    editing = str(state.get("item") or "") or None
    snapshot = await services.admin_snapshot(actor, f"upsert_{kind}", f"{kind}:{editing or ''}")
    raw_version = str(state.get("version") or "")
    expected = int(raw_version) if raw_version.isdigit() else snapshot.version

    def again(errors: Mapping[str, str], version: int = snapshot.version) -> Reply:
        return _again(item_form(kind, snapshot.policy, version, editing,
                                values=values, errors=errors), services)

    base = item_data(snapshot.policy, kind, editing) if editing else None
    if editing and base is None:
        return again({"name" if kind != "red_line" else "title":
                      f"This {NOUNS[kind]} was removed meanwhile; open the form again."})
    try:
        item = parse_item(kind, state, values, base)
    except FormErrors as exc:
        return again(exc.errors)
    if not editing and item_data(snapshot.policy, kind, item["id"]) is not None:
        return again({"id": f"That id is taken: edit it with {surface.prefix}admin "
                            f"{kind.replace('_', '')} edit {item['id']}"})
    field_ids = [f.id for f in item_form(kind, snapshot.policy, snapshot.version, editing).fields]
    try:
        version = await services.admin.apply(upsert_edit(kind, item), actor=actor,
                                             expected_version=expected, snapshot=snapshot)
    except PolicyFileError as exc:
        return again(field_errors(exc, field_ids))
    except PolicyConflict:  # the form keeps its old version: saving again still conflicts
        return again({field_ids[0]: _CONFLICT}, expected)
    name = item.get("name") or item.get("title") or item["id"]
    saved = saved_reply(version, f"Saved the {NOUNS[kind]} {name}")
    if version is None or services.whatif is None:
        return saved
    return replace(saved, follow=lambda: _impact(services, snapshot, version,
                                                 f"{NOUNS[kind]} {name}"))


async def _impact(services: Services, before: Snapshot, version: int,
                  what: str) -> AsyncIterator[Reply]:
    """What a saved change does to past asks, replayed against the version it replaced."""
    whatif = services.whatif
    assert whatif is not None
    saved = await services.store.policies.get(version)
    job = whatif.start(saved.policy, draft_name=f"version {version}", draft_version=version,
                       base=before)
    async for reply in replay_updates(job, f"Impact of the {what} on past asks"):
        yield reply
