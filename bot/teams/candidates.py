"""`admin candidates …` in Teams, its buttons and its small forms: review candidate use cases.

Thin by design: the decisions, the admin check (refusals audited by `PolicyAdmin`) and
the audit trail are the core's `CandidateReview`. This module parses Teams text and card
submits, returns cards, and phrases errors; it never sends anything itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.admin import PolicyAdmin
from bot.core.insights.candidates import STATUSES, CandidateReview
from bot.errors import ConciergeError, InputError, NotAuthorized
from bot.render.adaptive_card import Card, message_card
from bot.store import Actor
from bot.teams.candidate_cards import FORMS, candidate_list_card, decision_form

__all__ = ["CANDIDATES_HELP", "TeamsCandidates"]

_log = logging.getLogger(__name__)
CANDIDATES_HELP = [
    "admin candidates [open|accepted|declined|covered|all]: unmet requests by demand",
    "admin candidates accept <id> [note] · admin candidates decline <id> <reason>",
    "admin candidates merge <id> into <other-id>",
    "admin candidates cover <id> tool <tool-id> · … cover <id> usecase <use-case-id>",
]
_LIST_SIZE = 10
_COVER_KINDS = {"tool": "tool", "usecase": "use_case", "use_case": "use_case",
                "use-case": "use_case"}


def _number(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").lstrip("#")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _done(title: str, line: str | None = None) -> list[Card]:
    return [message_card(title, [line] if line else [], style="good")]


class TeamsCandidates:
    """One candidate command or card submit for one Teams user; returns the cards."""

    def __init__(self, review: CandidateReview, admin: PolicyAdmin) -> None:
        self.review = review
        self.admin = admin

    async def command(self, actor: Actor, aliases: Sequence[str], args: list[str]) -> list[Card]:
        words = [args[0].lower(), *args[1:]] if args else ["list"]
        if words[0] == "list":
            words = words[1:] or ["open"]
        try:
            if words[0] in {*STATUSES, "all"} and len(words) == 1:
                return [await self._list(actor, aliases, words[0])]
            if words[0] in {"accept", "decline", "merge", "cover"}:
                return await self._text_decision(actor, aliases, words)
            return [message_card("Candidate use cases", CANDIDATES_HELP)]
        except NotAuthorized as exc:
            return [message_card("Not allowed", [str(exc)], style="attention")]
        except ConciergeError as exc:
            return [message_card("Nothing was changed", [str(exc)], style="attention")]

    async def _list(self, actor: Actor, aliases: Sequence[str], status: str) -> Card:
        wanted = None if status == "all" else status
        found = await self.review.list(status=wanted, limit=_LIST_SIZE, actor=actor,
                                       aliases=aliases)
        if (await self.review.refresh()).placed:  # requests that arrived since the last run
            found = await self.review.list(status=wanted, limit=_LIST_SIZE)
        return candidate_list_card(found)

    async def _text_decision(self, actor: Actor, aliases: Sequence[str],
                             words: list[str]) -> list[Card]:
        op, args = words[0], words[1:]
        cid = _number(args[0]) if args else None
        rest = args[1:]
        if cid is None:
            return [message_card("Which candidate?", CANDIDATES_HELP)]
        if op == "accept":
            return await self._decide(actor, aliases, "accept", cid, {"note": " ".join(rest)})
        if op == "decline":
            return await self._decide(actor, aliases, "decline", cid,
                                      {"reason": " ".join(rest)})
        if op == "merge":
            return await self._decide(actor, aliases, "merge", cid,
                                      {"into": rest[-1] if rest else ""})
        kind = _COVER_KINDS.get(rest[0].lower()) if len(rest) == 2 else None
        if kind is None:
            return [message_card("Cover with what?", CANDIDATES_HELP)]
        return await self._decide(actor, aliases, "cover", cid, {kind: rest[1].lower()})

    async def _decide(self, actor: Actor, aliases: Sequence[str], op: str, cid: int,
                      data: Mapping[str, Any]) -> list[Card]:
        """Run one decision; core errors propagate (the caller chooses how to show them)."""
        review = self.review
        if op == "accept":
            await review.accept(cid, actor=actor, note=_text(data.get("note")) or None,
                                aliases=aliases)
            return _done(f"Candidate #{cid} accepted", "IT will look for a tool for it.")
        if op == "decline":
            reason = _text(data.get("reason"))
            await review.decline(cid, actor=actor, reason=reason, aliases=aliases)
            return _done(f"Candidate #{cid} declined", reason)
        if op == "merge":
            into = _number(data.get("into"))
            if into is None:
                raise InputError("Choose the candidate to merge into.")
            target = await review.merge(cid, into=into, actor=actor, aliases=aliases)
            return _done(f"Candidate #{cid} merged into #{target}")
        covered = await review.cover(cid, actor=actor, aliases=aliases,
                                     tool=_text(data.get("tool")) or None,
                                     use_case=_text(data.get("use_case")) or None)
        return _done(f"Candidate #{cid} is covered by {covered}",
                     "People who asked will be told the next time they write to me.")

    async def submit(self, actor: Actor, aliases: Sequence[str],
                     data: Mapping[str, Any]) -> list[Card]:
        """A list button or a form's submit; form errors come back inside the form."""
        op, cid = data.get("op"), _number(data.get("candidate_id"))
        form = data.get("form") if op == "form" else op
        if cid is None or (op != "accept" and form not in FORMS):
            return [message_card("That button is out of date; type `admin candidates` again.")]
        try:
            if op == "form":  # no form for non-admins; PolicyAdmin audits the refusal
                await self.admin.require_admin(actor, f"candidate.{form}", f"candidate:{cid}",
                                               aliases=aliases)
                return [await self._form(str(form), cid)]
            return await self._decide(actor, aliases, str(op), cid, data)
        except NotAuthorized as exc:
            return [message_card("Not allowed", [str(exc)], style="attention")]
        except InputError as exc:
            if op == "accept":
                return [message_card("Nothing was changed", [str(exc)], style="attention")]
            values = {k: _text(data.get(k)) for k in ("reason", "into", "tool", "use_case")}
            return [await self._form(str(op), cid, values=values, error=str(exc))]
        except ConciergeError as exc:
            return [message_card("Nothing was changed", [str(exc)], style="attention")]

    async def _form(self, op: str, cid: int, *, values: dict[str, str] | None = None,
                    error: str | None = None) -> Card:
        cand = await self.review.get(cid)
        if cand is None or cand.status == "merged":
            return message_card(f"Candidate #{cid} no longer exists or was merged",
                                ["Type `admin candidates` to see the current list."])
        snapshot = await self.review.store.policies.current() if op == "cover" else None
        targets = await self.review.merge_targets(cid) if op == "merge" else []
        return decision_form(op, cand, policy=snapshot.policy if snapshot else None,
                             targets=targets, values=values, error=error)
