"""Block Kit for reviewing candidate use cases: the ranked list and the three decision forms.

Pure builders over the core's `CandidateSummary`/`CandidateRecord`; every label and
example question is escaped (examples are stored redacted, but still typed by people).
The candidate id travels in each button's `value` and in the modal's private metadata.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.core.insights.candidates import CandidateSummary
from bot.core.wording import count
from bot.policy.models import Policy
from bot.render.blockkit import MAX_MESSAGE_BLOCKS, escape, section, truncate
from bot.store.insights import CandidateRecord

__all__ = [
    "ACCEPT",
    "DECISION_CALLBACK",
    "FORM_ACTIONS",
    "candidate_blocks",
    "cover_view",
    "decline_view",
    "merge_view",
]

ACCEPT = "concierge.candidate.accept"
FORM_ACTIONS = {"decline": "concierge.candidate.decline", "merge": "concierge.candidate.merge",
                "cover": "concierge.candidate.cover"}
DECISION_CALLBACK = "concierge.candidate.{op}"
Block = dict[str, Any]
_TREND = {"new": ":new: new this week", "up": ":arrow_upper_right: rising",
          "down": ":arrow_lower_right: falling", "flat": ":left_right_arrow: steady"}


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def _button(text: str, action_id: str, candidate_id: int, style: str | None = None) -> Block:
    button: Block = {"type": "button", "text": _plain(text), "action_id": action_id,
                     "value": str(candidate_id)}
    if style:
        button["style"] = style
    return button


def _demand(c: CandidateSummary) -> str:
    votes = f" · {c.votes} also need it" if c.votes else ""
    return (f"{c.askers} {'person' if c.askers == 1 else 'people'} · {c.asks} "
            f"ask{'' if c.asks == 1 else 's'}{votes} · this week {c.asks_this_week}, "
            f"last week {c.asks_previous_week} · {_TREND.get(c.trend, c.trend)}"
            + (f" · {', '.join(c.departments)}" if c.departments else ""))


def candidate_blocks(found: Sequence[CandidateSummary]) -> tuple[list[Block], str]:
    """The ranked list with a row of decision buttons under each candidate."""
    if not found:
        text = "No open candidate use cases: every unmet request has been reviewed."
        return [section(text)], text
    blocks: list[Block] = [
        {"type": "header", "text": _plain("Candidate use cases, by demand")},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            "Unmet requests grouped by meaning. Examples are redacted, and shown only "
            "when enough people asked. "
            "Decisions are audited.")}]},
    ]
    fallback = ["Candidate use cases, by demand"]
    for c in found[: (MAX_MESSAGE_BLOCKS - len(blocks)) // 2]:
        examples = "\n".join(f"> “{escape(truncate(e, 150))}”" for e in c.examples[:3])
        blocks.append(section(f"*#{c.id} {escape(c.label)}*\n{_demand(c)}"
                              + (f"\n{examples}" if examples else "")))
        blocks.append({"type": "actions", "block_id": f"concierge.candidate.{c.id}", "elements": [
            _button("Accept", ACCEPT, c.id, "primary"),
            _button("Decline…", FORM_ACTIONS["decline"], c.id, "danger"),
            _button("Merge into…", FORM_ACTIONS["merge"], c.id),
            _button("Covered by…", FORM_ACTIONS["cover"], c.id),
        ]})
        fallback.append(f"#{c.id} {c.label}: {count(c.askers, 'person', 'people')}, "
                        f"{count(c.asks, 'ask')}, {count(c.votes, 'vote')}")
    return blocks, "\n".join(fallback)


def _modal(op: str, title: str, submit: str, cand: CandidateRecord,
           blocks: list[Block]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": DECISION_CALLBACK.format(op=op),
        "title": _plain(title, 24),
        "submit": _plain(submit, 24),
        "close": _plain("Cancel", 24),
        "private_metadata": json.dumps({"id": cand.id}),
        "blocks": [section(f"*#{cand.id} {escape(cand.label)}*"), *blocks],
    }


def _select(block_id: str, label: str, options: list[tuple[str, str]], *,
            optional: bool = False) -> Block:
    opts = [{"text": _plain(text), "value": value[:150]} for value, text in options[:100]]
    return {"type": "input", "block_id": block_id, "label": _plain(label, 2000),
            "optional": optional,
            "element": {"type": "static_select", "action_id": "value", "options": opts}}


def decline_view(cand: CandidateRecord) -> dict[str, Any]:
    reason = {"type": "input", "block_id": "reason", "label": _plain("Why is it declined?"),
              "hint": _plain("Kept with the decision, e.g. “legal said no”.", 150),
              "element": {"type": "plain_text_input", "action_id": "value", "multiline": True,
                          "max_length": 1000}}
    return _modal("decline", "Decline candidate", "Decline", cand, [reason])


def merge_view(cand: CandidateRecord, targets: Sequence[CandidateRecord]) -> dict[str, Any]:
    options = [(str(t.id), f"#{t.id} {t.label}") for t in targets]
    return _modal("merge", "Merge candidate", "Merge", cand,
                  [_select("into", "Merge into", options)])


def cover_view(cand: CandidateRecord, policy: Policy) -> dict[str, Any]:
    tools = sorted(policy.tools, key=lambda t: t.name.casefold())
    uses = sorted(policy.use_cases, key=lambda u: u.name.casefold())
    return _modal("cover", "Covered by", "Save", cand, [
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            "Choose *one*: a tool or a use case. People who asked are told "
            "the next time they write to me.")}]},
        _select("tool", "Tool", [(t.id, f"{t.name} ({t.status.value.replace('_', ' ')})")
                                 for t in tools], optional=True),
        _select("use_case", "Use case", [(u.id, u.name) for u in uses], optional=True),
    ])
