"""Policy files sent in chat: import one (tests gate it), or replay a draft (what-if).

The adapter downloads the file (with its platform's credentials) and hands the
bytes here; everything after that is the same on both platforms.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bot.core.conversation.followups import replay_updates
from bot.core.policy_tests import check_draft
from bot.core.reply import Reply, Section
from bot.core.services import Services
from bot.core.views.admin_whatif import progress_reply
from bot.core.whatif import progress_text
from bot.errors import InputError
from bot.policy.files import read_policy_text
from bot.store import Actor

__all__ = ["MAX_FILE_BYTES", "SUFFIXES", "file_intent", "receive_file"]

MAX_FILE_BYTES = 1024 * 1024
SUFFIXES = (".yaml", ".yml", ".json")
_DAYS = re.compile(r"^\d{1,4}$")
_INTENTS = {"import": "import", "whatif": "whatif", "what-if": "whatif"}


def file_intent(text: str) -> tuple[str, str]:
    """(intent, the rest) of the message a file came with, `[admin] import|whatif [args]`
    on both platforms; intent "" when it names neither (then the file is not fetched)."""
    words = text.split()
    if words[:1] and words[0].lower() == "admin":
        words = words[1:]
    intent = _INTENTS.get(words[0].lower(), "") if words else ""
    return intent, " ".join(words[1:])


def _text(filename: str, content: bytes) -> str:
    if not filename.lower().endswith(SUFFIXES):
        raise InputError("Please send the policy as a .yaml or .json file.")
    if len(content) > MAX_FILE_BYTES:
        raise InputError("That file is larger than 1 MB; a policy file should be much smaller.")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("That file is not a UTF-8 text file.") from None


async def receive_file(intent: str, filename: str, content: bytes, args: str, actor: Actor,
                       services: Services) -> Reply:
    words = args.lower().split()
    if intent == "whatif":
        return await _whatif(filename, content, words, actor, services)
    if intent != "import":
        raise InputError("Send the file with the message “import” to import it, or "
                         "“whatif” to see what it would change.")
    await services.admin.require_admin(actor, "import", "policy")
    loaded = read_policy_text(_text(filename, content), filename)
    notes = [f"⚠ {w}" for w in loaded.warnings[:10]]
    report = await check_draft(services.concierge, loaded)
    detail: dict[str, Any] = {}
    if report is not None:
        detail["tests"] = report.to_detail()
        if not report.ok and "force" not in words:
            await services.store.audit.record(
                actor=actor.id, source=actor.source, action="import", target="policy",
                allowed=False, detail={"reason": "policy tests failed", **detail})
            text = (f"{report.text(limit=10)}\nFix the policy or its tests, or send the file "
                    "again with the message “import force” (recorded in the audit log).")
            return Reply(title="Nothing was imported: the policy tests failed", text=text,
                         sections=(Section(text=text),), tone="attention", kind="import")
        detail["forced"] = not report.ok
        notes.append(report.summary())
    version = await services.admin.save_import(
        loaded.policy, actor=actor, summary=f"Imported {filename[:100]} from {actor.source}",
        files=loaded.files, detail=detail)
    if version is None:
        title = f"{filename} is identical to the live policy; nothing changed"
    else:
        title = f"Imported {filename} as policy version {version}"
    body = "\n".join(notes)
    return Reply(title=title, text=f"{title}\n{body}".strip(),
                 sections=(Section(text=body),) if body else (),
                 tone="good" if version else "default", kind="import")


async def _whatif(filename: str, content: bytes, words: list[str], actor: Actor,
                  services: Services) -> Reply:
    whatif = services.whatif
    if whatif is None:
        raise InputError("What-if replay is not available on this server.")
    await whatif.require_admin(actor)
    days = int(words[0]) if words and _DAYS.match(words[0]) else 90
    draft = read_policy_text(_text(filename, content), filename).policy
    job = whatif.start(draft, draft_name=filename, days=days)
    title = f"What-if: {filename}"
    return replace(progress_reply(title, progress_text(job.stage, 0, 0)), replace=False,
                   follow=lambda: replay_updates(job, title))
