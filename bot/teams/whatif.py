"""What-if replay from Teams: `admin whatif` with a draft file, a form's "Check impact", a save.

Thin: the replay, the admin check and the wording are the core's. This module fetches
the attached draft (Teams sends a pre-authenticated download link: no token goes with
it), shows a progress card, waits for the background replay and returns the impact
card, whose "Mark covered" buttons are the candidate review's own cover action.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.core.whatif import (
    CoverOffer,
    ReplayJob,
    WhatIf,
    impact_summary,
    progress_text,
)
from bot.errors import ConciergeError, InputError
from bot.policy.files import parse_policy
from bot.policy.models import Policy
from bot.render.adaptive_card import Card, message_card
from bot.render.whatif import impact_card
from bot.store import Actor, Snapshot
from bot.teams.candidate_cards import ACTION as CANDIDATE_ACTION

__all__ = ["FILE_INFO", "MAX_DRAFT_BYTES", "TeamsWhatIf", "cover_data"]

_log = logging.getLogger(__name__)
FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
MAX_DRAFT_BYTES = 1024 * 1024
_SUFFIXES = (".yaml", ".yml", ".json")
_DAYS = re.compile(r"^\d{1,4}$")
Send = Callable[[Card], Awaitable[None]]
USAGE = ("Attach the draft policy (a .yaml or .json file) to a message that says "
         "`admin whatif` (or `admin whatif 30` for the last 30 days).")


def cover_data(offer: CoverOffer) -> dict[str, Any]:
    """The candidate review's cover submit, so the button needs no handler of its own."""
    return {"action": CANDIDATE_ACTION, "op": "cover", "candidate_id": offer.candidate_id,
            "tool": offer.tool_id}


def _attached(attachments: Sequence[Any]) -> tuple[str, str] | None:
    """(file name, download URL) of the first policy file among a message's attachments."""
    for item in attachments:
        content = getattr(item, "content", None)
        name = str(getattr(item, "name", "") or "")
        if getattr(item, "content_type", None) != FILE_INFO or not isinstance(content, dict):
            continue
        if name.lower().endswith(_SUFFIXES) and content.get("downloadUrl"):
            return name, str(content["downloadUrl"])
    return None


class TeamsWhatIf:
    """Replays for one Teams admin at a time; returns cards, sends progress through `send`."""

    def __init__(self, whatif: WhatIf, *, allow_http: bool = False) -> None:
        self.whatif = whatif
        self._allow_http = allow_http  # dev mode on loopback: the local fake serves http

    async def command(self, actor: Actor, aliases: Sequence[str], args: list[str],
                      attachments: Sequence[Any], send: Send) -> list[Card]:
        try:
            await self.whatif.require_admin(actor, aliases)
            found = _attached(attachments)
            if found is None:
                return [message_card("Which draft?", [USAGE])]
            days = int(args[0]) if args and _DAYS.match(args[0]) else 90
            name, url = found
            draft = parse_policy(await self._download(url), name)
            job = self.whatif.start(draft, draft_name=name, days=days)
        except ConciergeError as exc:
            return [_problem(exc)]
        return await self.follow(job, f"What-if: {name}", send)

    async def check(self, draft: Policy, base: Snapshot, send: Send) -> list[str]:
        """A form's impact sentences (replayed against `base`, the live policy)."""
        job = self.whatif.start(draft, draft_name="this form", base=base)
        await send(message_card("Checking the impact on past asks…",
                                [progress_text(job.stage, 0, 0)]))
        report = await job.wait()
        return list(impact_summary(report).sentences)

    async def after_save(self, base: Snapshot, version: int, what: str,
                         send: Send) -> list[Card]:
        """The impact of a saved change, with cover offers for the candidates it covers."""
        saved = await self.whatif.store.policies.get(version)
        job = self.whatif.start(saved.policy, draft_name=f"version {version}",
                                draft_version=version, base=base)
        return await self.follow(job, f"Impact of {what} on past asks", send)

    async def follow(self, job: ReplayJob, title: str, send: Send) -> list[Card]:
        await send(message_card(title, [progress_text(job.stage, 0, 0),
                                         "I'll post the result here when it's done."]))
        try:
            report = await job.wait()
        except ConciergeError as exc:
            return [_problem(exc)]
        except Exception as exc:
            _log.error("what-if replay failed: %s", type(exc).__name__)
            return [message_card("The replay failed", ["Please try again in a moment."],
                                 style="attention")]
        return [impact_card(impact_summary(report, title=title), cover_data)]

    async def _download(self, url: str) -> str:
        parts = urlsplit(url)
        loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if parts.scheme != "https" and not (self._allow_http and loopback):
            raise InputError("I can only fetch attachments over https.")
        timeout = aiohttp.ClientTimeout(total=15)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
                url, allow_redirects=False
            ) as response:
                response.raise_for_status()
                data = await response.content.read(MAX_DRAFT_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError):
            raise InputError("I couldn't fetch that file from Teams; please try again.") \
                from None
        if len(data) > MAX_DRAFT_BYTES:
            raise InputError("That file is larger than 1 MB; a policy file is much smaller.")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("That file is not a UTF-8 text file.") from None


def _problem(exc: ConciergeError) -> Card:
    problems = getattr(exc, "problems", None)
    if problems:
        lines = [f"{p.path or p.file}: {p.message}" for p in problems[:15]]
        return message_card("The draft is invalid, so I can't replay it", lines,
                            style="attention")
    title = "Not allowed" if "admins" in str(exc) else "Nothing to replay"
    return message_card(title, [str(exc)], style="attention")
