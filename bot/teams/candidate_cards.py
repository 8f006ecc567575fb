"""Adaptive Cards for reviewing candidate use cases: the ranked list and the small forms.

Pure builders over the core's `CandidateSummary`/`CandidateRecord`. Every button is an
`Action.Submit` whose data names the operation and the candidate; the bot routes any
`admin_*` submit to the admin handler, so these never bypass the admin check.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.insights.candidates import CandidateSummary
from bot.core.wording import count
from bot.policy.models import Policy
from bot.render.adaptive_card import Card, fit_card, message_card, text_block
from bot.store.insights import CandidateRecord

__all__ = ["ACTION", "FORMS", "candidate_list_card", "decision_form"]

ACTION = "admin_candidate"
FORMS = {"decline": "Decline", "merge": "Merge", "cover": "Save"}
_TREND = {"new": "new this week", "up": "rising", "down": "falling", "flat": "steady"}


def _submit(title: str, candidate_id: int, op: str, **extra: Any) -> Card:
    return {"type": "Action.Submit", "title": title,
            "data": {"action": ACTION, "op": op, "candidate_id": candidate_id, **extra}}


def _card(body: list[Card], fallback: str, actions: Sequence[Card] = ()) -> Card:
    card: Card = {"type": "AdaptiveCard",
                  "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                  "version": "1.4", "fallbackText": fallback[:6000],
                  "msteams": {"width": "Full"}, "body": body}
    if actions:
        card["actions"] = list(actions)
    return fit_card(card)


def _demand(c: CandidateSummary) -> str:
    votes = f" · {c.votes} also need it" if c.votes else ""
    return (f"{c.askers} {'person' if c.askers == 1 else 'people'} · {c.asks} "
            f"ask{'' if c.asks == 1 else 's'}{votes} · this week {c.asks_this_week}, "
            f"last week {c.asks_previous_week} · {_TREND.get(c.trend, c.trend)}"
            + (f" · {', '.join(c.departments)}" if c.departments else ""))


def candidate_list_card(found: Sequence[CandidateSummary]) -> Card:
    """Top candidates by demand, each with Accept / Decline… / Merge into… / Covered by…."""
    if not found:
        return message_card("Candidate use cases",
                            ["No open candidates: every unmet request has been reviewed."])
    body: list[Card] = [
        text_block("Candidate use cases, by demand", weight="Bolder", size="Medium"),
        text_block("Unmet requests grouped by meaning. Examples are redacted, and shown only "
            "when enough people asked. "
                   "Decisions are audited.", isSubtle=True, size="Small", spacing="None"),
    ]
    for c in found:
        body.append({"type": "Container", "separator": True, "items": [
            text_block(f"#{c.id} {c.label}", weight="Bolder"),
            text_block(_demand(c), isSubtle=True, size="Small", spacing="None"),
            *(text_block(f"“{e[:150]}”", size="Small", spacing="Small", isSubtle=True)
              for e in c.examples[:3]),
            {"type": "ActionSet", "actions": [
                _submit("Accept", c.id, "accept"),
                _submit("Decline…", c.id, "form", form="decline"),
                _submit("Merge into…", c.id, "form", form="merge"),
                _submit("Covered by…", c.id, "form", form="cover"),
            ]},
        ]})
    fallback = "\n".join(
        f"#{c.id} {c.label}: {count(c.askers, 'person', 'people')}, {count(c.asks, 'ask')}"
        for c in found
    )
    return _card(body, "Candidate use cases, by demand\n" + fallback)


def _choices(input_id: str, label: str, options: Sequence[tuple[str, str]], value: str,
             *, required: bool) -> Card:
    choice: Card = {"type": "Input.ChoiceSet", "id": input_id, "label": label,
                    "style": "compact", "isRequired": required, "value": value,
                    "choices": [{"title": title, "value": val} for val, title in options]}
    if required:
        choice["errorMessage"] = f"{label} is required"
    return choice


def decision_form(op: str, cand: CandidateRecord, *, policy: Policy | None = None,
                  targets: Sequence[CandidateRecord] = (), values: dict[str, str] | None = None,
                  error: str | None = None) -> Card:
    """The decline / merge / cover form for one candidate, with `error` shown on top."""
    values = values or {}
    body: list[Card] = [text_block(f"{FORMS[op]} candidate #{cand.id}", weight="Bolder",
                                   size="Medium"),
                        text_block(cand.label, spacing="None")]
    if error:
        body.append({"type": "Container", "style": "attention", "items": [
            text_block("Nothing was saved.", weight="Bolder"), text_block(error)]})
    if op == "decline":
        body.append({"type": "Input.Text", "id": "reason", "label": "Why is it declined?",
                     "isMultiline": True, "maxLength": 1000, "isRequired": True,
                     "errorMessage": "A reason is required", "value": values.get("reason", ""),
                     "placeholder": "e.g. legal said no"})
    elif op == "merge":
        body.append(_choices("into", "Merge into", [(str(t.id), f"#{t.id} {t.label}")
                                                    for t in targets], values.get("into", ""),
                             required=True))
    else:
        tools = sorted(policy.tools, key=lambda t: t.name.casefold()) if policy else []
        uses = sorted(policy.use_cases, key=lambda u: u.name.casefold()) if policy else []
        body += [
            text_block("Choose one: a tool or a use case. People who asked are told the "
                       "next time they write to me.", isSubtle=True, size="Small"),
            _choices("tool", "Tool", [(t.id, f"{t.name} ({t.status.value.replace('_', ' ')})")
                                      for t in tools], values.get("tool", ""), required=False),
            _choices("use_case", "Use case", [(u.id, u.name) for u in uses],
                     values.get("use_case", ""), required=False),
        ]
    return _card(body, f"{FORMS[op]} candidate #{cand.id}: this form needs a client that "
                       "shows Adaptive Cards.", [_submit(FORMS[op], cand.id, op)])
