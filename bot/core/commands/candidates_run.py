"""Candidate use cases: the list and the four decisions, typed or clicked.

`CandidateReview` checks admin rights and audits every decision (and refusal);
this module only resolves names, picks the form when a decision needs more
input, and phrases the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.core.commands.grammar import Command
from bot.core.commands.lookup import find
from bot.core.forms import candidate_form
from bot.core.reply import Reply, Section
from bot.core.services import Services
from bot.core.views.admin import done_reply, form_reply
from bot.core.views.admin_candidates import candidates_reply
from bot.errors import InputError
from bot.store import Actor

if TYPE_CHECKING:
    from bot.core.conversation.surface import Surface

__all__ = ["decide", "run_candidates"]

_LIST_SIZE = 10


async def run_candidates(command: Command, actor: Actor, services: Services,
                         surface: Surface) -> Reply:
    review = services.candidates
    cid = int(command.number or 0)
    if command.verb == "candidates":
        wanted = None if command.value == "all" else command.value
        found = await review.list(status=wanted, limit=_LIST_SIZE, actor=actor)
        if (await review.refresh()).placed:  # requests that arrived since the last run
            found = await review.list(status=wanted, limit=_LIST_SIZE)
        return candidates_reply(found, command.value)
    if command.verb == "candidate_form":
        return await open_form(command.value, cid, actor, services)
    if command.verb == "candidate_accept":
        return await decide("accept", cid, {"note": command.text}, actor, services)
    if command.verb == "candidate_decline":
        return await decide("decline", cid, {"reason": command.text}, actor, services)
    if command.verb == "candidate_merge":
        return await decide("merge", cid, {"into": str(command.other)}, actor, services)
    current = await services.store.policies.current()  # rights are checked by `decide`
    found_item = find(current.policy, command.kind, command.target) if current else None
    ident = found_item.id if found_item else command.target.strip().lower()
    return await decide("cover", cid, {command.kind: ident}, actor, services)


async def open_form(op: str, cid: int, actor: Actor, services: Services) -> Reply:
    """The decline / merge / cover form; refused (and audited) for non-admins."""
    review = services.candidates
    await services.admin.require_admin(actor, f"candidate.{op}", f"candidate:{cid}")
    cand = await review.get(cid)
    if cand is None or cand.status == "merged":
        text = "It may have been merged; list the candidates again."
        return Reply(title=f"Candidate #{cid} no longer exists", text=text,
                     sections=(Section(text=text),), kind="not_found")
    if op == "merge":
        targets = await review.merge_targets(cid)
        if not targets:
            text = "There is no other open candidate to merge it into."
            return Reply(title="Nothing to merge into", text=text,
                         sections=(Section(text=text),), kind="not_found")
        form = candidate_form(op, cand, targets=targets)
    elif op == "cover":
        form = candidate_form(op, cand, policy=(await services.snapshot()).policy)
    else:
        form = candidate_form(op, cand)
    return form_reply(form)


async def decide(op: str, cid: int, args: Mapping[str, str], actor: Actor,
                 services: Services) -> Reply:
    """One decision; CandidateReview refuses non-admins and audits."""
    review = services.candidates
    if op == "accept":
        await review.accept(cid, actor=actor, note=args.get("note") or None)
        return done_reply(f"Candidate #{cid} accepted", "IT will look for a tool for it.",
                          kind="candidate")
    if op == "decline":
        reason = (args.get("reason") or "").strip()
        await review.decline(cid, actor=actor, reason=reason)
        return done_reply(f"Candidate #{cid} declined", f"Reason: {reason}", kind="candidate")
    if op == "merge":
        into = (args.get("into") or "").lstrip("#")
        if not into.isdigit():
            raise InputError("Choose the candidate to merge into.")
        target = await review.merge(cid, into=int(into), actor=actor)
        return done_reply(f"Candidate #{cid} merged into #{target}", kind="candidate")
    covered = await review.cover(cid, actor=actor, tool=args.get("tool") or None,
                                 use_case=args.get("use_case") or None)
    kind, _, ident = covered.partition(":")
    policy = (await services.concierge.index()).policy
    item = policy.tool(ident) if kind == "tool" else policy.use_case(ident)
    name = getattr(item, "name", ident)
    return done_reply(f"Candidate #{cid} is covered by {name}",
                      "People who asked will be told the next time they write to me.",
                      kind="candidate")
