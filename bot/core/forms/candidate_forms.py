"""The three candidate decisions that need more than a click: decline, merge, cover."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.core.compose import STATUS_LABELS
from bot.core.forms.errors import FormErrors
from bot.core.reply import Choice, Field, Form
from bot.policy.models import Policy
from bot.store.insights import CandidateRecord

__all__ = ["CANDIDATE_FORMS", "candidate_form", "parse_decision"]

CANDIDATE_FORMS = {"decline": "candidate_decline", "merge": "candidate_merge",
                   "cover": "candidate_cover"}


def candidate_form(op: str, cand: CandidateRecord, *, policy: Policy | None = None,
                   targets: Sequence[CandidateRecord] = (),
                   values: Mapping[str, object] | None = None,
                   errors: Mapping[str, str] | None = None) -> Form:
    """The decline / merge / cover form for one candidate."""
    values = values or {}
    state = {"candidate": str(cand.id)}
    intro = f"#{cand.id} {cand.label}"
    if op == "decline":
        fields: tuple[Field, ...] = (Field(
            "reason", "Why is it declined?", "multiline", required=True, max_length=1000,
            placeholder="e.g. legal said no", hint="Kept with the decision.",
            value=str(values.get("reason") or "")),)
        return Form(CANDIDATE_FORMS[op], "Decline candidate", fields, "Decline", state,
                    dict(errors or {}), intro)
    if op == "merge":
        fields = (Field("into", "Merge into", "choice", required=True,
                        choices=tuple(Choice(str(t.id), f"#{t.id} {t.label}") for t in targets),
                        value=str(values.get("into") or "")),)
        return Form(CANDIDATE_FORMS[op], "Merge candidate", fields, "Merge", state,
                    dict(errors or {}), intro)
    tools = sorted(policy.tools, key=lambda t: t.name.casefold()) if policy else []
    uses = sorted(policy.use_cases, key=lambda u: u.name.casefold()) if policy else []
    fields = (
        Field("tool", "Tool", "choice", choices=tuple(
            Choice(t.id, f"{t.name} ({STATUS_LABELS.get(t.status.value, t.status.value)})")
            for t in tools), value=str(values.get("tool") or "")),
        Field("use_case", "Use case", "choice",
              choices=tuple(Choice(u.id, u.name) for u in uses),
              value=str(values.get("use_case") or "")),
    )
    return Form(CANDIDATE_FORMS[op], "Covered by", fields, "Save", state, dict(errors or {}),
                f"{intro}\nChoose one: a tool or a use case. People who asked are told "
                "the next time they write to me.")


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def parse_decision(op: str, values: Mapping[str, object]) -> dict[str, str]:
    """The decision's arguments; FormErrors says what is missing."""
    if op == "decline":
        reason = _text(values.get("reason"))
        if not reason:
            raise FormErrors({"reason": "Please give a reason, e.g. \"legal said no\"."})
        return {"reason": reason}
    if op == "merge":
        into = _text(values.get("into")).lstrip("#")
        if not into.isdigit():
            raise FormErrors({"into": "Choose the candidate to merge into."})
        return {"into": into}
    tool, use_case = _text(values.get("tool")), _text(values.get("use_case"))
    if bool(tool) == bool(use_case):
        raise FormErrors({"tool": "Choose one tool or one use case, not both."
                          if tool else "Choose a tool or a use case."})
    return {"tool": tool} if tool else {"use_case": use_case}
