"""`/aitools admin candidates …`, its buttons and its forms: review candidate use cases.

Thin by design: who may decide, what a decision does and what is audited all live in
the core's `CandidateReview` (which refuses non-admins through `PolicyAdmin` and
audits the refusal). This module parses Slack text, opens forms and phrases results.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.insights.candidates import STATUSES
from bot.errors import ConciergeError, InputError, NotAuthorized
from bot.render.blockkit import escape, section
from bot.slack.candidate_views import (
    ACCEPT,
    FORM_ACTIONS,
    candidate_blocks,
    cover_view,
    decline_view,
    merge_view,
)
from bot.slack.context import SlackDeps, polite_error
from bot.store import Actor

__all__ = ["CANDIDATES_USAGE", "handle_candidates", "register"]

_log = logging.getLogger(__name__)
CANDIDATES_USAGE = (
    "*Candidate use cases* (unmet requests grouped by similarity)\n"
    "• `/aitools admin candidates [open|accepted|declined|covered|all]`: the list, by demand\n"
    "• `/aitools admin candidates accept <id> [note]`\n"
    "• `/aitools admin candidates decline <id> <reason>`\n"
    "• `/aitools admin candidates merge <id> into <other-id>`\n"
    "• `/aitools admin candidates cover <id> tool <tool-id>` "
    "(or `usecase <use-case-id>`)"
)
_LIST_SIZE = 10
_COVER_KINDS = {"tool": "tool", "--tool": "tool", "usecase": "use_case", "use_case": "use_case",
                "use-case": "use_case", "--use-case": "use_case"}


def _number(word: str) -> int | None:
    word = word.lstrip("#")
    return int(word) if word.isdigit() and len(word) < 19 else None


async def _actor(deps: SlackDeps, body: dict[str, Any],
                 context: AsyncBoltContext) -> tuple[Actor, list[str]]:
    bot_team = context.authorize_result.team_id if context.authorize_result else None
    return await deps.actor(body, bot_team)


async def _list(deps: SlackDeps, actor: Actor, aliases: list[str],
                status: str) -> tuple[list[dict[str, Any]], str]:
    review = deps.review
    wanted = None if status == "all" else status
    found = await review.list(status=wanted, limit=_LIST_SIZE, actor=actor, aliases=aliases)
    # Place requests that arrived since the last run, then list again (cheap when none).
    if (await review.refresh()).placed:
        found = await review.list(status=wanted, limit=_LIST_SIZE)
    return candidate_blocks(found)


async def _decide(deps: SlackDeps, actor: Actor, aliases: list[str], words: list[str]) -> str:
    """One text-form decision; the confirmation to show (already escaped)."""
    op, args = words[0], words[1:]
    cid = _number(args[0]) if args else None
    if cid is None:
        return CANDIDATES_USAGE
    review, rest = deps.review, args[1:]
    if op == "accept":
        await review.accept(cid, actor=actor, note=" ".join(rest) or None, aliases=aliases)
        return f"Candidate #{cid} accepted: IT will look for a tool for it."
    if op == "decline":
        reason = " ".join(rest)
        await review.decline(cid, actor=actor, reason=reason, aliases=aliases)
        return f"Candidate #{cid} declined ({escape(reason.strip())})."
    if op == "merge":
        into = _number(rest[-1]) if rest else None
        if into is None:
            return "Usage: `/aitools admin candidates merge <id> into <other-id>`"
        target = await review.merge(cid, into=into, actor=actor, aliases=aliases)
        return f"Candidate #{cid} merged into #{target}."
    kind = _COVER_KINDS.get(rest[0].lower()) if len(rest) == 2 else None
    if kind is None:
        return ("Usage: `/aitools admin candidates cover <id> tool <tool-id>` "
                "or `… cover <id> usecase <use-case-id>`")
    covered = await review.cover(cid, actor=actor, aliases=aliases,
                                 **{kind: rest[1].strip().lower()})
    return (f"Candidate #{cid} is covered by `{escape(covered)}`. People who asked will be "
            "told the next time they write to me.")


async def handle_candidates(deps: SlackDeps, command: dict[str, Any], args: list[str],
                            respond: AsyncRespond, context: AsyncBoltContext) -> None:
    """`/aitools admin candidates …` (already acked): the list or one decision."""
    words = [args[0].lower(), *args[1:]] if args else ["list"]
    if words[0] == "list":
        words = words[1:] or ["open"]
    blocks: list[dict[str, Any]] | None = None
    try:
        actor, aliases = await _actor(deps, command, context)
        if words[0] in {*STATUSES, "all"} and len(words) == 1:
            blocks, text = await _list(deps, actor, aliases, words[0])
        elif words[0] in {"accept", "decline", "merge", "cover"}:
            text = await _decide(deps, actor, aliases, words)
        else:
            text = CANDIDATES_USAGE
    except ConciergeError as exc:
        text = escape(polite_error(exc))
    except Exception as exc:
        _log.exception("candidate review failed")
        text = escape(polite_error(exc))
    await respond(text=text, blocks=blocks or [section(text)], response_type="ephemeral",
                  replace_original=False)


def _state(values: dict[str, Any], block_id: str) -> str | None:
    element = (values.get(block_id) or {}).get("value") or {}
    if "selected_option" in element:
        return (element["selected_option"] or {}).get("value")
    value = element.get("value")
    return value if isinstance(value, str) else None


def _notice(title: str, text: str) -> dict[str, Any]:
    return {"type": "modal", "title": {"type": "plain_text", "text": title[:24]},
            "close": {"type": "plain_text", "text": "Close"}, "blocks": [section(escape(text))]}


async def _submit(deps: SlackDeps, op: str, cid: int, actor: Actor, aliases: list[str],
                  values: dict[str, Any]) -> str:
    review = deps.review
    if op == "decline":
        reason = _state(values, "reason") or ""
        await review.decline(cid, actor=actor, reason=reason, aliases=aliases)
        return f"Candidate #{cid} declined ({escape(reason.strip())})."
    if op == "merge":
        into = _number(_state(values, "into") or "")
        if into is None:
            raise InputError("Choose the candidate to merge into.")
        target = await review.merge(cid, into=into, actor=actor, aliases=aliases)
        return f"Candidate #{cid} merged into #{target}."
    covered = await review.cover(cid, actor=actor, aliases=aliases,
                                 tool=_state(values, "tool"), use_case=_state(values, "use_case"))
    return (f"Candidate #{cid} is covered by `{escape(covered)}`. People who asked will be "
            "told the next time they write to me.")


def register(app: AsyncApp, deps: SlackDeps) -> None:
    @app.action(ACCEPT)
    async def accept(ack: Any, body: dict[str, Any], action: dict[str, Any],
                     respond: AsyncRespond, context: AsyncBoltContext) -> None:
        await ack()
        deps.hold()
        cid = _number(str(action.get("value") or ""))
        if cid is None:
            return
        try:
            actor, aliases = await _actor(deps, body, context)
            await deps.review.accept(cid, actor=actor, aliases=aliases)
            text = f"Candidate #{cid} accepted: IT will look for a tool for it."
        except Exception as exc:
            text = escape(polite_error(exc))
        await respond(text=text, response_type="ephemeral", replace_original=False)

    @app.action(re.compile(r"^concierge\.candidate\.(decline|merge|cover)$"))
    async def open_form(ack: Any, body: dict[str, Any], action: dict[str, Any],
                        respond: AsyncRespond, client: AsyncWebClient,
                        context: AsyncBoltContext) -> None:
        await ack()
        deps.hold()
        op = str(action.get("action_id", "")).rsplit(".", 1)[-1]
        cid = _number(str(action.get("value") or ""))
        if cid is None or op not in FORM_ACTIONS:
            return
        try:
            actor, aliases = await _actor(deps, body, context)
            # No form for non-admins; PolicyAdmin audits the refusal.
            await deps.admin.require_admin(actor, f"candidate.{op}", f"candidate:{cid}",
                                           aliases=aliases)
            cand = await deps.review.get(cid)
            if cand is None or cand.status == "merged":
                text = f"Candidate #{cid} no longer exists or was merged; list them again."
            elif op == "decline":
                view, text = decline_view(cand), ""
            elif op == "merge":
                targets = await deps.review.merge_targets(cid)
                view = merge_view(cand, targets)
                text = "" if targets else "There is no other open candidate to merge into."
            else:
                view, text = cover_view(cand, (await deps.concierge.index()).policy), ""
            if not text:
                await client.views_open(trigger_id=body.get("trigger_id"), view=view)
                return
        except Exception as exc:
            text = escape(polite_error(exc))
        await respond(text=text, response_type="ephemeral", replace_original=False)

    @app.view(re.compile(r"^concierge\.candidate\.(decline|merge|cover)$"))
    async def submitted(ack: Any, body: dict[str, Any], view: dict[str, Any],
                        client: AsyncWebClient, context: AsyncBoltContext) -> None:
        deps.hold()
        op = str(view.get("callback_id", "")).rsplit(".", 1)[-1]
        values = (view.get("state") or {}).get("values") or {}
        field = {"decline": "reason", "merge": "into"}.get(op) or (
            "use_case" if _state(values, "use_case") and not _state(values, "tool") else "tool")
        try:
            cid = int(json.loads(view.get("private_metadata") or "{}")["id"])
            actor, aliases = await _actor(deps, body, context)
            text = await _submit(deps, op, cid, actor, aliases, values)
        except NotAuthorized as exc:
            await ack(response_action="update", view=_notice("Not allowed", str(exc)))
            return
        except InputError as exc:
            await ack(response_action="errors", errors={field: str(exc)[:300]})
            return
        except Exception as exc:  # database down or a bug: say so in the form, never a 500
            _log.warning("candidate decision failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={field: polite_error(exc)})
            return
        await ack()
        await client.chat_postMessage(channel=body["user"]["id"], text=text)
