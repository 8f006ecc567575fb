"""A what-if report in plain English: a change-request paragraph and a one-line impact.

Platform-neutral text: renderers escape and lay it out, the CLI prints it as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.whatif.report import Group, Impact, WhatIfReport

__all__ = [
    "CoverOffer",
    "ImpactSummary",
    "impact_sentences",
    "impact_summary",
    "progress_text",
    "report_lines",
    "subject",
]


def n(value: int, singular: str, plural: str | None = None) -> str:
    """ "1 ask", "1,204 asks", "1 person", "2 people"."""
    return f"{value:,} {singular if value == 1 else (plural or singular + 's')}"


def _asks(impact: Impact | Group | _Total, word: str = "ask") -> str:
    return f"{n(impact.asks, word)} from {n(impact.askers, 'person', 'people')}"


def _askers(group: Group) -> str:
    return f"from {n(group.askers, 'person', 'people')}"


def _names(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def subject(report: WhatIfReport) -> str:
    """Who does the answering: "Approving DeepL Pro", or "This change"."""
    approved = report.approved_tools
    covers = {g.id for g in report.newly_answered.groups.get("by_cover", ())}
    names = [name for ident, name in approved if ident in covers]
    if names and len(names) <= 3:
        return f"Approving {_names(names)}"
    return "This change"


def _candidate_ref(group: Group) -> str:
    return f"“{group.label}” (candidate #{group.id})"


def _mostly(impact: Impact) -> str:
    """", mostly “translate supplier contracts” (candidate #12)", or the use case they share."""
    groups = [g for g in impact.groups.get("by_candidate", ()) if g.kind == "candidate"]
    top = max(groups, key=lambda g: (g.asks, g.askers), default=None)
    if top is not None and top.asks * 2 > impact.asks:
        return f", mostly {_candidate_ref(top)}"
    use_cases = impact.groups.get("by_use_case", ())
    if use_cases and use_cases[0].asks * 2 > impact.asks:
        ids = [f"#{g.id}" for g in groups][:4]
        refs = f" ({'candidate' if len(ids) == 1 else 'candidates'} {_names(ids)})" if ids else ""
        return f", mostly about “{use_cases[0].label}”{refs}"
    return f", including {_candidate_ref(top)}" if top is not None else ""


def impact_sentences(report: WhatIfReport, *, past: bool = True) -> list[str]:
    """What the change would do, one sentence per kind of effect; at least one sentence."""
    word = "past ask" if past else "ask"
    if not report.asks_replayed:
        return [f"No asks were logged in the last {n(report.days, 'day')}, "
                "so there is nothing to replay."]
    out = []
    done = report.newly_answered
    if done.asks:
        out.append(f"{subject(report)} would answer {_asks(done, word)}{_mostly(done)}.")
    lost = report.newly_unmet
    if lost.asks:
        out.append(f"{n(lost.asks, word).capitalize()} from "
                   f"{n(lost.askers, 'person', 'people')} would lose their recommended tools.")
    moved = report.changed
    if moved.asks:
        out.append(f"{n(moved.asks, word).capitalize()} from "
                   f"{n(moved.askers, 'person', 'people')} would get different tools.")
    for group in report.newly_blocked.groups.get("by_red_line", ()):
        state = group.detail.get("state")
        label = f"“{group.label}”" + (f" ({state})" if state in {"new", "changed"} else "")
        blocks, warns = int(group.detail.get("blocks", 0)), int(group.detail.get("warns", 0))
        if blocks and warns:
            verb = f"block {n(blocks, word)} and warn on {warns:,} more"
            out.append(f"Red line {label} would now {verb} ({_askers(group)}).")
        else:
            verb = "block" if blocks else "warn on"
            out.append(f"Red line {label} would now {verb} {_asks(group, word)}.")
    if not out:
        out.append(f"This change would not change the answer to any of the "
                   f"{n(report.asks_replayed, word)} of the last {n(report.days, 'day')}.")
    return out


def _group_line(group: Group, tools: dict[str, str]) -> str:
    names = [tools.get(k, k.partition(":")[2]) for k in group.detail.get("by", [])[:3]]
    through = f", answered by {_names(names)}" if names else ""
    if group.kind == "candidate":
        return f"  • {_candidate_ref(group)}: {_asks(group)}{through}"
    return f"  • {group.label}: {_asks(group)}{through}"


def report_lines(report: WhatIfReport) -> list[str]:
    """The whole report as lines an IT lead can paste into a change request."""
    tools = {f"tool:{g.id}": g.label for g in report.newly_answered.groups.get("by_cover", ())}
    lines = [
        f"What-if: {report.draft_name} against live policy version {report.live_version}",
        f"Replayed {_asks(_Total(report))} over the last {n(report.days, 'day')} "
        f"({report.since:%d %b %Y} to {report.until:%d %b %Y}), "
        f"{n(report.questions_replayed, 'distinct question')}.",
        "",
    ]
    lines += impact_sentences(report, past=False)
    done = report.newly_answered
    if done.asks:
        lines += ["", "Newly answered:"]
        lines += [_group_line(g, tools) for g in done.groups.get("by_candidate", ())]
    for group in report.covers_candidates:
        cover = group.detail.get("cover") or {}
        lines += ["", f"It covers accepted {_candidate_ref(group)}: {group.asks:,} of its "
                      f"{n(group.detail.get('replayed', group.asks), 'replayed ask')} would be "
                      f"answered by {cover.get('name')}. Once the change is live, mark it "
                      "covered so its askers are told:",
                  f"  python app.py candidates cover {group.id} --tool {cover.get('tool')}"]
    lost = report.newly_unmet
    if lost.asks:
        lines += ["", "Would lose their recommended tools:"]
        lines += [f"  • {g.label}: {_asks(g)}" for g in lost.groups.get("by_use_case", ())]
    moved = report.changed
    if moved.asks:
        lines += ["", "Would get different tools:"]
        for name, verb in (("added", "recommended"), ("removed", "no longer recommended")):
            lines += [f"  • {g.label} {verb} for {_asks(g)}" for g in moved.groups.get(name, ())]
        first = moved.groups.get("first_choice", ())
        if first:
            total = sum(g.asks for g in first)
            lines.append(f"  • the first choice changes for {n(total, 'ask')}")
    if report.changes:
        lines += ["", "Policy changes in the draft: " + ", ".join(report.changes[:12])
                  + (f" and {len(report.changes) - 12} more" if len(report.changes) > 12 else "")]
    return lines


class _Total:
    """The replayed totals in the shape `_asks` reads."""

    def __init__(self, report: WhatIfReport) -> None:
        self.asks: int = report.asks_replayed
        self.askers: int = report.askers_replayed


@dataclass(frozen=True)
class CoverOffer:
    """An accepted candidate the change covers: chat offers to mark it covered."""

    candidate_id: int
    label: str
    tool_id: str
    tool_name: str
    asks: int


@dataclass(frozen=True)
class ImpactSummary:
    """The neutral chat reply for a replay: renderers lay it out, adapters post it."""

    title: str
    sentences: tuple[str, ...]
    footer: str
    offers: tuple[CoverOffer, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join([self.title, *self.sentences, self.footer])


def impact_summary(report: WhatIfReport, *, title: str = "Impact on past asks") -> ImpactSummary:
    """What the change would do, for a chat message or a form's impact line."""
    offers = tuple(
        CoverOffer(int(g.id), g.label, str(g.detail["cover"]["tool"]),
                   str(g.detail["cover"]["name"]), g.asks)
        for g in report.covers_candidates)
    sentences = list(impact_sentences(report))
    sentences += [f"It covers accepted {_candidate_ref(o_group)}." for o_group in
                  report.covers_candidates]
    footer = (f"Replayed {_asks(_Total(report))} of the last {n(report.days, 'day')} "
              f"against live policy version {report.live_version}.")
    return ImpactSummary(title, tuple(sentences), footer, offers)


def progress_text(stage: str, done: int, total: int) -> str:
    """ "Replaying 1,234 past questions… 40%": what a running replay says in chat."""
    if stage in {"queued", "loading"}:
        return "Reading the asks of the period…"
    if stage == "indexing" or not total:
        return "Preparing the draft policy…"
    return f"Replaying {n(total, 'distinct past question')}… {int(100 * done / total)}%"
