"""`/aitools admin …`: IT edits the policy from Slack; every change is a new, audited version.

Who may edit is decided by `PolicyAdmin` from the Slack user id (never the
spoofable `user_name`), the ADMINS setting, the policy's own admins and, when
ADMIN_USERGROUPS is set, membership of those Slack user groups. Refusals are
audited by `PolicyAdmin` and answered politely.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.admin import change_lines
from bot.errors import ConciergeError, PolicyFileError
from bot.policy.files import PolicyProblem, dump_policy
from bot.policy.models import Status
from bot.policy.roundtrip import export_files
from bot.render.blockkit import escape, truncate
from bot.slack import modals
from bot.slack.candidates import handle_candidates
from bot.slack.context import SlackDeps, polite_error

__all__ = ["ADMIN_USAGE", "handle_admin", "problems_text"]

_log = logging.getLogger(__name__)
ADMIN_USAGE = (
    "*Policy admin commands*\n"
    "• `/aitools admin tool [id]`: add a tool, or edit one (opens a form)\n"
    "• `/aitools admin redline [id]` / `/aitools admin usecase [id]`: add or edit\n"
    "• `/aitools admin status <tool-id> <standard|approved|pilot|under_review|prohibited>`\n"
    "• `/aitools admin retire <tool-id>`: remove a tool and every reference to it\n"
    "• `/aitools admin history` · `/aitools admin rollback <version>`\n"
    "• `/aitools admin unmet`: open requests no approved tool covers\n"
    "• `/aitools admin candidates`: unmet requests grouped into candidate use cases, "
    "to accept, decline, merge or mark covered\n"
    "• `/aitools admin export`: the policy as a YAML file in your DM with me\n"
    "• `/aitools admin import`: send me a YAML file in a DM with the message `import`\n"
    "• `/aitools admin whatif`: send me a draft YAML file in a DM with the message `whatif` "
    "(or `whatif 30` for the last 30 days) to see what it would do to past asks"
)
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def problems_text(exc: PolicyFileError, limit: int = 15) -> str:
    lines = [f"• {_where(p)}: {p.message}" for p in exc.problems[:limit]]
    more = len(exc.problems) - limit
    if more > 0:
        lines.append(f"…and {more} more")
    return "The change was not saved:\n" + "\n".join(lines)


def _where(problem: PolicyProblem) -> str:
    """'line 12, tools[3].status (tool x)' for a file; the field path for a form edit."""
    where = problem.path or problem.file
    if problem.item:
        where = f"{where} ({problem.item})"
    return f"line {problem.line}, {where}" if problem.line else where


def _who(actor: str, source: str) -> str:
    return f"<@{actor}>" if source == "slack" and _USER_ID.match(actor) else escape(actor)


async def _say(respond: AsyncRespond, mrkdwn: str) -> None:
    """An ephemeral reply; `mrkdwn` must already be escaped."""
    await respond(text=truncate(mrkdwn, 3000), blocks=text_blocks_raw(mrkdwn),
                  response_type="ephemeral", replace_original=False)


def text_blocks_raw(mrkdwn: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, 3000)}}]


async def _history(deps: SlackDeps) -> str:
    versions = await deps.admin.history(limit=15)
    lines = [f"• v{v.version}  {v.created_at:%Y-%m-%d %H:%M}  {_who(v.actor, v.source)}  "
             f"{escape(v.summary)}" + (f" (restored v{v.restored_from})" if v.restored_from
                                        else "")
             + "".join(f"\n      ↳ {escape(c)}" for c in change_lines(v))
             for v in versions]
    return "*Policy history* (newest first)\n" + "\n".join(lines)


async def _export(deps: SlackDeps, client: AsyncWebClient, user: str, actor: Any) -> str:
    snapshot = await deps.runtime.store.policies.current()
    if snapshot is None:
        return "There is no policy to export yet."
    opened = await client.conversations_open(users=user)
    channel = (opened.get("channel") or {}).get("id")
    name = f"ai-tool-policy-v{snapshot.version}.yaml"
    # A policy imported as one file comes back with its comments; a folder as plain YAML.
    files = export_files(snapshot.policy,
                         await deps.runtime.store.policies.files(snapshot.version))
    content = next(iter(files.values())) if len(files) == 1 else dump_policy(snapshot.policy)
    await client.files_upload_v2(
        channel=channel, content=content, filename=name,
        title=f"AI tool policy, version {snapshot.version}",
        initial_comment=f"The AI tool policy, version {snapshot.version}. Edit it and send "
                        "it back to me with the message `import` to import it.",
        request_file_info=False,
    )
    await deps.runtime.store.audit.record(actor=actor.id, source=actor.source, action="export",
                                          target="policy", version=snapshot.version)
    return f"I've sent you `{name}` in our direct messages."


async def _run(deps: SlackDeps, command: dict[str, Any], sub: str, args: list[str],
               client: AsyncWebClient, context: AsyncBoltContext) -> str | None:
    """Do one admin subcommand; the text to show, or None when a modal was opened."""
    bot_team = context.authorize_result.team_id if context.authorize_result else None
    actor, aliases = await deps.actor(command, bot_team)
    user = command.get("user_id", "")
    target = args[0] if args else ""
    await deps.admin.require_admin(actor, f"slack_{sub}", target, aliases=aliases)
    if sub in modals.KINDS:
        index = await deps.concierge.index(force=True)
        view = modals.build_view(sub, index.policy, index.version, target or None)
        if view is None:
            return f"There is no {sub} with id `{escape(target)}`."
        await client.views_open(trigger_id=command.get("trigger_id"), view=view)
        return None
    if sub == "status":
        if len(args) != 2:
            return "Usage: `/aitools admin status <tool-id> <status>`"
        try:
            status = Status(args[1].lower())
        except ValueError:
            return "Unknown status. Use one of: " + ", ".join(s.value for s in Status)
        version = await deps.admin.set_status(args[0], status, actor=actor, aliases=aliases)
        return _saved(version, f"`{escape(args[0])}` is now {status.value}")
    if sub == "retire":
        if not target:
            return "Usage: `/aitools admin retire <tool-id>`"
        version = await deps.admin.remove("tool", target, actor=actor, aliases=aliases)
        return _saved(version, f"Retired `{escape(target)}`")
    if sub == "rollback":
        if not target.isdigit():
            return "Usage: `/aitools admin rollback <version>`"
        version = await deps.admin.rollback(int(target), actor=actor, aliases=aliases)
        return _saved(version, f"Rolled back to the content of version {int(target)}")
    if sub == "history":
        return await _history(deps)
    if sub == "unmet":
        records = await deps.admin.unmet(actor=actor, aliases=aliases, limit=20)
        if not records:
            return "No open unmet requests."
        return "*Open unmet requests* (most wanted first)\n" + "\n".join(
            f"• #{r.id}  {r.votes} vote(s)  {escape(truncate(r.question, 200))}" for r in records)
    if sub == "export":
        return await _export(deps, client, user, actor)
    if sub == "whatif":
        return ("To see what a draft policy would do to the questions people asked, send me "
                "the YAML file in a direct message with the message `whatif` (or `whatif 30` "
                "for the last 30 days). I'll replay the asks against it and the live policy.")
    return ("To import a policy, send me the YAML file in a direct message with the message "
            "`import`. I'll check it and save it as a new version.")


def _saved(version: int | None, what: str) -> str:
    if version is None:
        return f"{what}: nothing changed, so no new version was made."
    return f"{what}. Saved as policy version {version}."


async def handle_admin(deps: SlackDeps, command: dict[str, Any], text: str,
                       respond: AsyncRespond, client: AsyncWebClient,
                       context: AsyncBoltContext) -> None:
    words = text.split()
    if words and words[0].lower() in {"add", "edit"}:
        words = words[1:] or ["tool"]
    sub = words[0].lower() if words else "help"
    sub = {"red_line": "redline", "red-line": "redline", "use_case": "usecase",
           "use-case": "usecase", "candidate": "candidates"}.get(sub, sub)
    if sub == "candidates":
        await handle_candidates(deps, command, words[1:], respond, context)
        return
    if sub == "help" or sub not in {*modals.KINDS, "status", "retire", "rollback", "history",
                                    "unmet", "export", "import", "whatif"}:
        await _say(respond, ADMIN_USAGE)
        return
    try:
        message = await _run(deps, command, sub, words[1:], client, context)
    except PolicyFileError as exc:
        message = escape(problems_text(exc))
    except ConciergeError as exc:
        message = escape(polite_error(exc))
    except SlackApiError as exc:
        _log.warning("Slack API refused an admin action",
                     extra={"error": exc.response.get("error")})
        message = "Slack refused that request; please try again."
    except Exception as exc:
        _log.exception("admin command failed")
        message = escape(polite_error(exc))
    if message:
        await _say(respond, message)
