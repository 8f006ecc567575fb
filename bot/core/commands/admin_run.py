"""Admin commands: policy edits, history, unmet review, candidates, export.

Each action checks admin rights exactly once: either here (`require_admin`) before
an unchecked edit, or inside the one service call that does its own check and
audit (rollback, unmet, export, candidate decisions). An edit reads the policy
once and hands that snapshot to `PolicyAdmin.apply`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.admin import remove_edit, status_edit
from bot.core.commands.candidates_run import run_candidates
from bot.core.commands.grammar import STATUSES, Command
from bot.core.commands.lookup import find, nearest
from bot.core.compose import STATUS_LABELS
from bot.core.forms import NOUNS, item_form
from bot.core.reply import Attachment, Reply, Section
from bot.core.services import Services
from bot.core.views.admin import (
    admin_help_reply,
    done_reply,
    form_reply,
    not_found_reply,
    saved_reply,
    usage_reply,
)
from bot.core.views.admin_history import history_reply, unmet_reply
from bot.errors import InputError
from bot.store import Actor

if TYPE_CHECKING:
    from bot.core.conversation.surface import Surface

__all__ = ["run_admin"]

_FILE_HINT = {
    "admin_import": ("Import a policy",
                     "Send me the policy as a .yaml or .json file in a direct message, with the "
                     "message “import”. I'll check it and its tests and save it as a new "
                     "version. Add “force” to import even when its tests fail (audited)."),
    "admin_whatif": ("What would a draft change?",
                     "Send me the draft policy as a .yaml or .json file in a direct message, "
                     "with the message “whatif” (or “whatif 30” for the last 30 days). I'll "
                     "replay past questions against it and the live policy."),
}


async def run_admin(command: Command, actor: Actor, services: Services,
                    surface: Surface) -> Reply:
    verb, prefix = command.verb, surface.prefix
    if verb == "admin_help":
        return admin_help_reply(prefix)
    if verb.startswith("candidate"):
        return await run_candidates(command, actor, services, surface)
    if verb == "admin_rollback":
        version = await services.admin.rollback(int(command.number or 0), actor=actor)
        return saved_reply(version, f"Brought back the content of version {command.number}")
    if verb == "admin_unmet":
        return unmet_reply(await services.admin.unmet(actor=actor, limit=15))
    if verb == "admin_unmet_set":
        number = int(command.number or 0)
        if await services.set_unmet_status(actor, number, command.value):
            return done_reply(f"Unmet request #{number} marked {command.value}",
                              kind="unmet_status")
        return done_reply(f"Unmet request #{number} no longer exists", kind="unmet_status")
    if verb == "admin_export":
        exported = await services.export(actor)
        text = (f"The AI tool policy, version {exported.version}. Edit it and send it back "
                "to me with the message “import” to import it.")
        return Reply(title=f"Policy version {exported.version}", text=text,
                     sections=(Section(text=text),),
                     attachment=Attachment(exported.filename, exported.content,
                                           title=f"AI tool policy, version {exported.version}"),
                     kind="export")
    if verb in _FILE_HINT:
        await services.admin.require_admin(actor, verb, "policy")
        title, text = _FILE_HINT[verb]
        return Reply(title=title, text=text, sections=(Section(text=text),), kind="usage")
    if verb == "admin_history":
        await services.admin.require_admin(actor, verb, "policy")
        return history_reply(await services.admin.history(limit=10))
    return await _edit(command, actor, services, prefix)


async def _edit(command: Command, actor: Actor, services: Services, prefix: str) -> Reply:
    """Forms, status, retire and remove: one policy read, for the admin check and the edit."""
    verb = command.verb
    snapshot = await services.admin_snapshot(actor, verb, command.target[:200])
    policy = snapshot.policy
    kind = "tool" if verb in {"admin_status", "admin_retire"} else command.kind
    if verb == "admin_form" and (not command.target or command.value == "add"):
        form = item_form(kind, policy, snapshot.version,
                         values={"name": command.target} if command.target else None)
        return form_reply(form, impact=services.can_replay)
    found = find(policy, kind, command.target)
    if found is None:
        return not_found_reply(NOUNS[kind], command.target,
                               nearest(policy, kind, command.target))
    if verb == "admin_form":
        form = item_form(kind, policy, snapshot.version, found.id)
        return form_reply(form, impact=services.can_replay)
    if verb == "admin_status":
        if command.value not in STATUSES:
            raise InputError(f"“{command.value}” is not a status. Use one of: "
                             + ", ".join(STATUSES) + ".")
        version = await services.admin.apply(status_edit(found.id, command.value), actor=actor,
                                             snapshot=snapshot)
        label = STATUS_LABELS.get(command.value, command.value).lower()
        return saved_reply(version, f"{found.name} is now {label}")
    if verb == "admin_retire":
        version = await services.admin.apply(remove_edit("tool", found.id), actor=actor,
                                             snapshot=snapshot)
        return saved_reply(version, f"Retired {found.name}; every reference to it was removed")
    if verb == "admin_remove":
        version = await services.admin.apply(remove_edit(kind, found.id), actor=actor,
                                             snapshot=snapshot)
        return saved_reply(version, f"Removed the {NOUNS[kind]} “{found.name}” ({found.id})")
    return usage_reply("admin", prefix)
