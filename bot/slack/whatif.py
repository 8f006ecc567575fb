"""What-if replay from Slack: a draft sent with `whatif`, a form's "Check impact", a save.

Thin: the replay, the admin check and the wording are the core's (`Runtime.whatif`,
`impact_summary`); this module fetches the file, posts a progress message (or the form's
impact line) and updates it until the replay is done. Replays run in the background
after the ack, one at a time, in worker processes: answers never wait for them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.whatif import ReplayJob, impact_summary, progress_text, with_item
from bot.errors import ConciergeError, PolicyFileError
from bot.policy.files import parse_policy
from bot.render.blockkit import escape
from bot.render.whatif import COVER_ACTION, impact_blocks, progress_blocks
from bot.slack.context import SlackDeps, polite_error
from bot.store import Snapshot

__all__ = ["IMPACT_ACTION", "IMPACT_BLOCK", "impact_form_blocks", "register", "start_upload",
           "wants_whatif", "watch_saved"]

_log = logging.getLogger(__name__)
IMPACT_ACTION = "concierge.admin.impact"
IMPACT_BLOCK = "concierge.impact"
PROGRESS_EVERY = 1.5
_WORD = re.compile(r"^\s*(?:what-?if)\b(?:\s+(\d{1,4}))?", re.IGNORECASE)
FollowUp = Callable[[], Awaitable[None]]


def wants_whatif(event: dict[str, Any]) -> bool:
    return bool(_WORD.match(event.get("text") or ""))


def _days(text: str) -> int:
    match = _WORD.match(text)
    return int(match.group(1)) if match and match.group(1) else 90


def _bot_team(context: AsyncBoltContext) -> str | None:
    return context.authorize_result.team_id if context.authorize_result else None


async def _until_done(job: ReplayJob, show: Callable[[str], Awaitable[None]]) -> None:
    """Show progress every PROGRESS_EVERY seconds until the job's task ends."""
    assert job.task is not None
    shown = ""
    while not job.task.done():
        await asyncio.wait({job.task}, timeout=PROGRESS_EVERY)
        text = progress_text(job.stage, job.done, job.total)
        if not job.task.done() and text != shown:
            shown = text
            try:
                await show(text)
            except SlackApiError as exc:  # progress is a courtesy; the result still comes
                _log.info("progress update refused: %s", exc.response.get("error"))


def _failure(job: ReplayJob) -> str | None:
    assert job.task is not None
    exc = job.task.exception()
    if exc is None:
        return None
    if not isinstance(exc, ConciergeError):
        _log.error("what-if replay failed: %s", type(exc).__name__)
    return polite_error(exc)


async def _post_and_watch(client: AsyncWebClient, channel: str, title: str,
                          job: ReplayJob) -> None:
    """One message that shows the replay's progress, then its impact summary."""
    posted = await client.chat_postMessage(
        channel=channel, text=f"{title}: {progress_text(job.stage, 0, 0)}",
        blocks=progress_blocks(title, progress_text(job.stage, 0, 0)))
    ts = str(posted.get("ts"))

    async def show(text: str) -> None:
        await client.chat_update(channel=channel, ts=ts, text=f"{title}: {text}",
                                 blocks=progress_blocks(title, text))

    await _until_done(job, show)
    problem = _failure(job)
    if problem is not None:
        await client.chat_update(channel=channel, ts=ts, text=problem,
                                 blocks=progress_blocks(title, problem))
        return
    summary = impact_summary(job.task.result(), title=title)  # type: ignore[union-attr]
    await client.chat_update(channel=channel, ts=ts, text=summary.text,
                             blocks=impact_blocks(summary))


async def start_upload(deps: SlackDeps, client: AsyncWebClient, event: dict[str, Any],
                       context: AsyncBoltContext) -> FollowUp | None:
    """Check the admin, fetch and parse the draft, start the replay; the follow-up watches it.

    Problems (not an admin, no file, an invalid draft) are answered here, at once.
    """
    from bot.slack.imports import fetch_policy_file

    channel = event["channel"]
    try:
        actor, aliases = await deps.actor(event, _bot_team(context))
        await deps.runtime.whatif.require_admin(actor, aliases)
        name, text = await fetch_policy_file(client, event, "whatif")
        draft = parse_policy(text, name)
        job = deps.runtime.whatif.start(draft, draft_name=name, days=_days(event["text"]))
    except PolicyFileError as exc:
        lines = [f"• {p.path or p.file}: {p.message}" for p in exc.problems[:15]]
        await client.chat_postMessage(channel=channel, text=escape(
            "The draft is invalid, so I can't replay it:\n" + "\n".join(lines)))
        return None
    except Exception as exc:
        await client.chat_postMessage(channel=channel, text=escape(polite_error(exc)))
        return None
    return lambda: _post_and_watch(client, channel, f"What-if: {name}", job)


async def watch_saved(deps: SlackDeps, client: AsyncWebClient, user: str, base: Snapshot,
                      version: int, what: str) -> None:
    """After a form saved `version`: what it does to past asks, and cover offers, in the DM."""
    try:
        saved = await deps.runtime.store.policies.get(version)
        job = deps.runtime.whatif.start(saved.policy, draft_name=f"version {version}",
                                        draft_version=version, base=base)
        await _post_and_watch(client, user, f"Impact of {what} on past asks", job)
    except Exception as exc:
        _log.warning("impact after save not shown: %s", type(exc).__name__)


def impact_form_blocks() -> list[dict[str, Any]]:
    """The form's impact line and its "Check impact" button (the line updates in place)."""
    return [
        {"type": "context", "block_id": IMPACT_BLOCK, "elements": [{
            "type": "mrkdwn",
            "text": "Impact on past asks: press *Check impact* after your edits to see what "
                    "this change would do to the questions people asked."}]},
        {"type": "actions", "block_id": "concierge.impact.actions", "elements": [
            {"type": "button", "action_id": IMPACT_ACTION,
             "text": {"type": "plain_text", "text": "Check impact"}}]},
    ]


def _with_line(view: dict[str, Any], text: str) -> dict[str, Any]:
    """The open view with its impact line replaced; input blocks keep what was typed."""
    blocks = [
        {"type": "context", "block_id": IMPACT_BLOCK,
         "elements": [{"type": "mrkdwn", "text": escape(text)[:3000]}]}
        if b.get("block_id") == IMPACT_BLOCK else b
        for b in view.get("blocks", [])]
    keep = ("type", "title", "submit", "close", "callback_id", "private_metadata")
    return {**{k: view[k] for k in keep if k in view}, "blocks": blocks}


async def _check_impact(deps: SlackDeps, body: dict[str, Any], client: AsyncWebClient,
                        context: AsyncBoltContext) -> None:
    from bot.slack.modals import KINDS, existing_item, item_from_state

    view = body.get("view") or {}
    meta = json.loads(view.get("private_metadata") or "{}")
    kind, item_id = meta.get("kind", "tool"), meta.get("id")

    async def line(text: str) -> None:
        await client.views_update(view_id=view["id"], view=_with_line(view, text))

    try:
        actor, aliases = await deps.actor(body, _bot_team(context))
        await deps.runtime.whatif.require_admin(actor, aliases)
        index = await deps.concierge.index(force=True)
        base = existing_item(index.policy, kind, item_id) or {}
        values = (view.get("state") or {}).get("values") or {}
        item = item_from_state(kind, values, base)
        draft = with_item(index.policy, KINDS[kind][0], item)
        live = Snapshot(index.version, index.policy, datetime.now(UTC))
        job = deps.runtime.whatif.start(draft, draft_name="this form", base=live)
    except PolicyFileError as exc:
        await line("Fix the form first: " + "; ".join(p.message for p in exc.problems[:3]))
        return
    except Exception as exc:
        await line(polite_error(exc))
        return
    await _until_done(job, line)
    problem = _failure(job)
    if problem is not None:
        await line(problem)
        return
    summary = impact_summary(job.task.result())  # type: ignore[union-attr]
    await line(" ".join(summary.sentences))


def register(app: AsyncApp, deps: SlackDeps) -> None:
    @app.action(IMPACT_ACTION)
    async def check_impact(ack: Any, body: dict[str, Any], client: AsyncWebClient,
                           context: AsyncBoltContext) -> None:
        await ack()
        deps.hold()
        try:
            await _check_impact(deps, body, client, context)
        except SlackApiError as exc:
            _log.warning("impact line not updated: %s", exc.response.get("error"))

    @app.action(re.compile(rf"^{re.escape(COVER_ACTION)}\.\d+$"))
    async def mark_covered(ack: Any, body: dict[str, Any], action: dict[str, Any],
                           client: AsyncWebClient, context: AsyncBoltContext) -> None:
        await ack()
        deps.hold()
        cid, _, tool = str(action.get("value") or "").partition(":")
        channel = (body.get("channel") or {}).get("id") or (body.get("user") or {}).get("id")
        try:
            actor, aliases = await deps.actor(body, _bot_team(context))
            if not cid.isdigit() or not tool:
                raise ConciergeError("That button is out of date.")
            covered = await deps.review.cover(int(cid), actor=actor, tool=tool, aliases=aliases)
            text = (f"Candidate #{cid} is now covered by {covered}. The people who asked will "
                    "be told the next time they write to me.")
        except Exception as exc:
            text = polite_error(exc)
        await client.chat_postMessage(channel=channel, text=escape(text))
