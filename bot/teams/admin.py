"""Policy administration from Teams: `admin …` messages and the edit forms they open.

Authorization is the core's: every command goes through `PolicyAdmin`, which
audits refusals. This module only parses Teams text, builds cards and phrases
the core's errors; it returns cards and never sends anything itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.admin import PolicyAdmin, change_lines
from bot.core.insights.candidates import CandidateReview
from bot.core.whatif import with_item
from bot.errors import ConciergeError, NotAuthorized, PolicyConflict, PolicyFileError
from bot.policy.files import policy_to_data
from bot.policy.models import Policy, Status
from bot.render.adaptive_card import Card, message_card, text_block
from bot.render.adaptive_forms import FORM_KINDS, form_card, form_values, parse_form
from bot.store import Actor
from bot.teams.candidate_cards import ACTION as CANDIDATE_ACTION
from bot.teams.candidates import TeamsCandidates
from bot.teams.whatif import Send, TeamsWhatIf

__all__ = ["ADMIN_HELP", "TeamsAdmin"]

_log = logging.getLogger(__name__)
_KINDS = {"tool": "tool", "usecase": "use_case", "use_case": "use_case",
          "redline": "red_line", "red_line": "red_line"}
_SECTIONS = {"tool": "tools", "use_case": "use_cases", "red_line": "red_lines"}
UNMET_STATUSES = ("planned", "declined", "done")
ADMIN_HELP = [
    "admin tool add · admin tool edit <tool>",
    "admin status <tool> <standard|approved|pilot|under_review|prohibited>",
    "admin retire <tool>",
    "admin redline add · admin redline edit <id> · admin redline remove <id>",
    "admin usecase add · admin usecase edit <id> · admin usecase remove <id>",
    "admin history · admin rollback <version>",
    "admin unmet",
    "admin candidates: unmet requests grouped into candidate use cases to review",
    "admin whatif [days]: attach a draft policy file to see what it would do to past asks",
]


class TeamsAdmin:
    """Runs one admin command or form submit for one Teams user and returns the cards."""

    def __init__(self, admin: PolicyAdmin, whatif: TeamsWhatIf | None = None, *,
                 min_group_size: int = 5, settings: object | None = None) -> None:
        self.admin = admin
        review = CandidateReview(admin.store, admin=admin, min_group_size=min_group_size,
                                 settings=settings)
        self.candidates = TeamsCandidates(review, admin)
        self.whatif = whatif

    async def whatif_command(self, actor: Actor, aliases: Sequence[str], args: list[str],
                             attachments: Sequence[Any], send: Send) -> list[Card]:
        """`admin whatif [days]` with a draft attached: the replay's impact card."""
        if self.whatif is None:
            return [message_card("What-if replay is not available on this server.")]
        return await self.whatif.command(actor, aliases, args, attachments, send)

    async def command(self, actor: Actor, aliases: Sequence[str], text: str) -> list[Card]:
        words = text.split()
        verb = words[0].lower() if words else "help"
        args = words[1:]
        if verb in ("candidates", "candidate"):  # CandidateReview checks and audits
            return await self.candidates.command(actor, aliases, args)
        try:
            await self.admin.require_admin(actor, f"teams_admin_{verb}"[:40], " ".join(args)[:200],
                                           aliases=aliases)
            return await self._run(actor, aliases, verb, args)
        except NotAuthorized as exc:
            return [message_card("Not allowed", [str(exc)], style="attention")]
        except PolicyFileError as exc:
            return [message_card("Nothing was changed", [str(p) for p in exc.problems[:20]],
                                 style="attention")]
        except ConciergeError as exc:
            return [message_card("Nothing was changed", [str(exc)], style="attention")]

    async def _run(self, actor: Actor, aliases: Sequence[str], verb: str,
                   args: list[str]) -> list[Card]:
        snapshot = await self.admin.store.policies.current()
        policy = snapshot.policy if snapshot else None
        version = snapshot.version if snapshot else 0
        if verb in _KINDS and args and policy is not None:
            return await self._kind_command(actor, aliases, _KINDS[verb], args, policy, version)
        if verb == "status" and len(args) >= 2 and policy is not None:
            tool_id = _tool_id(policy, " ".join(args[:-1]))
            status = args[-1].lower().replace("-", "_")
            if status not in {s.value for s in Status}:
                return [_usage(f"Unknown status {args[-1]!r}.")]
            new = await self.admin.set_status(tool_id, status, actor=actor, aliases=aliases)
            return [_saved(new, f"{tool_id} is now {status.replace('_', ' ')}.")]
        if verb == "retire" and args and policy is not None:
            tool_id = _tool_id(policy, " ".join(args))
            new = await self.admin.remove("tool", tool_id, actor=actor, aliases=aliases)
            return [_saved(new, f"Retired {tool_id}; references to it were removed.")]
        if verb == "history":
            rows = await self.admin.history(limit=15)
            lines = [f"v{r.version} · {r.created_at:%Y-%m-%d %H:%M} · {r.actor} ({r.source}) · "
                     f"{r.summary}" + "".join(f" · {c}" for c in change_lines(r)) for r in rows]
            return [message_card("Policy history", lines or ["No versions yet."])]
        if verb == "rollback" and len(args) == 1 and args[0].lstrip("v").isdigit():
            target = int(args[0].lstrip("v"))
            new = await self.admin.rollback(target, actor=actor, aliases=aliases)
            return [_saved(new, f"Restored version {target}.")]
        if verb == "unmet":
            return [await self._unmet_card(actor, aliases)]
        if verb == "help":
            return [message_card("Policy admin commands", ADMIN_HELP)]
        return [_usage("I didn't understand that admin command.")]

    async def _kind_command(self, actor: Actor, aliases: Sequence[str], kind: str,
                            args: list[str], policy: Policy, version: int) -> list[Card]:
        action = args[0].lower()
        if action == "add":
            return [form_card(kind, policy, expected_version=version)]
        name = " ".join(args[1:])
        if action == "edit" and name:
            item_id = _tool_id(policy, name) if kind == "tool" else name
            item = _item(policy, kind, item_id)
            if item is None:
                return [_usage(f"There is no {FORM_KINDS[kind][0]} with id {item_id!r}.")]
            return [form_card(kind, policy, values=form_values(kind, item),
                              expected_version=version, editing=item_id)]
        if action in ("remove", "retire") and name:
            item_id = _tool_id(policy, name) if kind == "tool" else name
            new = await self.admin.remove(kind, item_id, actor=actor, aliases=aliases)
            return [_saved(new, f"Removed {FORM_KINDS[kind][0]} {item_id}.")]
        return [_usage("Unknown admin command.")]

    async def submit(self, actor: Actor, aliases: Sequence[str],
                     data: Mapping[str, Any], send: Send | None = None) -> list[Card]:
        """A form's Save or Check impact, or an unmet-review button; errors stay in the form.

        With `send` (and a what-if service), "Check impact" replays the form's change, and a
        save is followed by its impact on past asks, with cover offers.
        """
        if data.get("action") == "admin_unmet":
            return await self._set_unmet(actor, aliases, data)
        if data.get("action") == CANDIDATE_ACTION:
            return await self.candidates.submit(actor, aliases, data)
        kind = str(data.get("kind", ""))
        if kind not in FORM_KINDS:
            return [_usage("That form is out of date; please open it again.")]
        snapshot = await self.admin.store.policies.current()
        if snapshot is None:
            return [_usage("No policy has been imported yet.")]
        editing = str(data.get("editing") or "") or None
        values = {k: str(v) for k, v in data.items() if k.startswith("f_") and v is not None}
        item, errors = parse_form(kind, data)
        expected = data.get("expected_version")
        expected = expected if isinstance(expected, int) else None

        def again(problems: Sequence[str]) -> list[Card]:
            return [form_card(kind, snapshot.policy, values=values, errors=problems,
                              expected_version=expected, editing=editing)]

        try:
            await self.admin.require_admin(actor, f"upsert_{kind}", f"{kind}:{item.get('id', '')}",
                                           aliases=aliases)
            if errors:
                return again(errors)
            existing = _item(snapshot.policy, kind, editing or str(item["id"]))
            if existing is not None:  # keep fields the form does not show
                shown = {f.key for f in FORM_KINDS[kind][1]} | {"access"}
                item = {**{k: v for k, v in existing.items() if k not in shown}, **item}
            if editing and item["id"] != editing:
                return again([f"Id: an existing item keeps its id ({editing})."])
            if data.get("action") == "admin_impact":
                if self.whatif is None or send is None:
                    return again(["What-if replay is not available on this server."])
                draft = with_item(snapshot.policy, kind, item)
                notice = await self.whatif.check(draft, snapshot, send)
                return [form_card(kind, snapshot.policy, values=values, notice=notice,
                                  expected_version=expected, editing=editing)]
            new = await self.admin.upsert(kind, item, actor=actor, expected_version=expected,
                                          aliases=aliases)
        except NotAuthorized as exc:
            return [message_card("Not allowed", [str(exc)], style="attention")]
        except PolicyFileError as exc:
            return again([_problem(p) for p in exc.problems])
        except PolicyConflict as exc:
            return again([str(exc)])
        saved = _saved(new, f"Saved {FORM_KINDS[kind][0]} {item['id']}.")
        if new is None or self.whatif is None or send is None:
            return [saved]
        await send(saved)  # the confirmation first; the impact follows when replayed
        return await self.whatif.after_save(snapshot, new, f"{FORM_KINDS[kind][0]} {item['id']}",
                                            send)

    async def _unmet_card(self, actor: Actor, aliases: Sequence[str]) -> Card:
        records = await self.admin.unmet(actor=actor, aliases=aliases, limit=15)
        if not records:
            return message_card("Unmet requests", ["No open unmet requests."])
        body: list[Card] = [text_block("Open unmet requests", weight="Bolder", size="Medium")]
        for r in records:
            votes = f" · +{r.votes}" if r.votes else ""
            closest = f" · closest: {r.closest_use_case}" if r.closest_use_case else ""
            body.append({"type": "Container", "separator": True, "items": [
                text_block(f"#{r.id} · {r.at:%Y-%m-%d}{votes}{closest}", isSubtle=True,
                           size="Small"),
                text_block(r.question, spacing="Small"),
                {"type": "ActionSet", "actions": [
                    {"type": "Action.Submit", "title": s.capitalize(),
                     "data": {"action": "admin_unmet", "unmet_id": r.id, "status": s}}
                    for s in UNMET_STATUSES]},
            ]})
        card = message_card("Open unmet requests")
        card["body"] = body
        card["fallbackText"] = "\n".join(f"#{r.id} {r.question}" for r in records)
        return card

    async def _set_unmet(self, actor: Actor, aliases: Sequence[str],
                         data: Mapping[str, Any]) -> list[Card]:
        unmet_id, status = data.get("unmet_id"), data.get("status")
        try:
            await self.admin.require_admin(actor, "set_unmet_status", f"unmet:{unmet_id}",
                                           aliases=aliases)
        except NotAuthorized as exc:
            return [message_card("Not allowed", [str(exc)], style="attention")]
        if not isinstance(unmet_id, int) or status not in UNMET_STATUSES:
            return [_usage("That button is out of date; type `admin unmet` again.")]
        changed = await self.admin.store.unmet.set_status(unmet_id, status)
        await self.admin.store.audit.record(actor=actor.id, source=actor.source,
                                            action="set_unmet_status", target=f"unmet:{unmet_id}",
                                            allowed=True, detail={"status": status})
        return [message_card(f"Unmet request #{unmet_id} marked {status}." if changed
                             else f"Unmet request #{unmet_id} no longer exists.")]


def _tool_id(policy: Policy, name: str) -> str:
    """A tool id from an id, a name or an alias (admins type what they know)."""
    key = name.strip().casefold()
    for tool in policy.tools:
        if key in {tool.id, tool.name.casefold(), *(a.casefold() for a in tool.aliases)}:
            return tool.id
    return name.strip().lower()


def _item(policy: Policy, kind: str, item_id: str) -> dict[str, Any] | None:
    items = policy_to_data(policy).get(_SECTIONS[kind], [])
    return next((dict(i) for i in items if i.get("id") == item_id), None)


def _problem(problem: object) -> str:
    path, message = getattr(problem, "path", ""), getattr(problem, "message", str(problem))
    return f"{path}: {message}" if path else str(message)


def _saved(version: int | None, what: str) -> Card:
    if version is None:
        return message_card("No change", ["That is already the policy; nothing was saved."])
    return message_card(f"Saved as policy version {version}", [what], style="good")


def _usage(problem: str) -> Card:
    return message_card(problem, ["Admin commands:", *ADMIN_HELP])
