"""Candidate use cases as a reply: demand first, redacted examples, one row of decisions.

Every decision button is a `command` action ("admin candidates accept 12"), so a
click runs exactly what an admin could type, with the same admin check and audit.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.insights.candidates import CandidateSummary
from bot.core.reply import Action, Fact, Reply, Section
from bot.core.wording import count

__all__ = ["candidates_reply"]

_TREND = {"new": "new this week", "up": "rising", "down": "falling", "flat": "steady"}
_EMPTY = {"open": "No open candidate use cases: every unmet request has been reviewed.",
          "all": "No candidate use cases yet."}


def _facts(c: CandidateSummary) -> tuple[Fact, ...]:
    facts = [Fact("Asked by", count(c.askers, "person", "people")),
             Fact("Asks", f"{c.asks} ({c.asks_this_week} this week, "
                          f"{c.asks_previous_week} last week, {_TREND.get(c.trend, c.trend)})")]
    if c.votes:
        facts.append(Fact("Also need it", count(c.votes, "vote")))
    if c.departments:
        facts.append(Fact("Departments", ", ".join(c.departments)))
    if c.status != "open":
        facts.append(Fact("Status", c.status + (f": {c.reason}" if c.reason else "")
                          + (f" ({c.covered_by})" if c.covered_by else "")))
    return tuple(facts)


def _actions(c: CandidateSummary) -> tuple[Action, ...]:
    if c.status not in {"open", "accepted"}:
        return ()
    base = f"admin candidates {{}} {c.id}"
    accept = () if c.status == "accepted" else (
        Action("Accept", command=base.format("accept"), style="primary"),)
    return (*accept,
            Action("Decline…", command=base.format("decline"), style="danger"),
            Action("Merge into…", command=base.format("merge")),
            Action("Covered by…", command=base.format("cover")))


def candidates_reply(found: Sequence[CandidateSummary], status: str = "open") -> Reply:
    """Up to the caller's limit of candidates, most distinct askers first."""
    if not found:
        text = _EMPTY.get(status, f"No {status} candidate use cases.")
        return Reply(title="Candidate use cases", text=text, sections=(Section(text=text),),
                     kind="candidates")
    title = "Candidate use cases, by demand" if status in {"open", "all"} else \
        f"{status.capitalize()} candidate use cases"
    sections = []
    lines = [title]
    for c in found:
        examples = "\n".join(f"“{e[:150]}”" for e in c.examples[:3])
        sections.append(Section(title=f"#{c.id} {c.label}", text=examples, facts=_facts(c),
                                actions=_actions(c)))
        lines.append(f"#{c.id} {c.label}: {count(c.askers, 'person', 'people')}, "
                     f"{count(c.asks, 'ask')}, {count(c.votes, 'vote')}")
    return Reply(title=title, text="\n".join(lines), sections=tuple(sections),
                 footer="Unmet requests grouped by meaning. Examples are redacted and shown only "
                        "when enough people asked. Decisions are audited.",
                 kind="candidates")
