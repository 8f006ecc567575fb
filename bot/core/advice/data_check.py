"""The answer to "may this data go into X": the data class against the tool's limit.

The asked data's class is compared with the most sensitive class the tool may receive;
a red line that keeps that data out of the tool says no whatever the class.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.core import compose, unlisted
from bot.core.advice.blocking import forbidding_line
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import contact
from bot.core.data_request import asks_for_it, asks_whether_allowed
from bot.core.pasted import has_pasted_data
from bot.core.redline_themes import puts_data_in
from bot.core.redlines import forbids
from bot.core.replies import Answer, AskedTool, DataVerdict, ToolAdvice
from bot.core.understand import Ask, Reading
from bot.core.wording import data_words
from bot.policy.models import RECOMMENDABLE, DataClass, Policy, RedLine, Tool

# A red line that keeps data out only of tools not approved for it: "No confidential data
# unless the AI is explicitly approved for it", "Never upload client data into unapproved
# public tools". For an approved tool, the tool's own data limit decides.
_UNLESS_APPROVED = re.compile(
    r"\bunless\b[^.;]{0,60}\bapproved\b|\b(?:unapproved|non-approved|not approved|"
    r"not been approved|not explicitly approved)\b",
    re.I,
)


def data_question(index: PolicyIndex, text: str, reading: Reading, lines: Sequence[str]) -> bool:
    """Whether a message a red line would refuse asks whether data may go in ("can I
    paste the personnel file into Copilot?"), every such line being about the data, not
    an act: it gets a data check, whose verdict is that line's no (`answer_data_check`).
    A request for the act ("paste it in and have it rank them") stays refused."""
    if reading.ask is not Ask.DATA_CHECK or not lines or not asks_whether_allowed(text):
        return False
    return all(_about_data(index, line) for line in lines)


def _about_data(index: PolicyIndex, line_id: str) -> bool:
    return line_id in index.scope.data_lines or line_id in index.lexicon.data.class_of_line


def _waived(policy: Policy, line: RedLine, tool: Tool, data_cls: DataClass | None) -> bool:
    """Whether a red line that keeps data out only of tools not approved for it does not
    hold here: the tool is approved and the data within its limit."""
    if tool.status not in RECOMMENDABLE or data_cls is None or tool.max_data_class is None:
        return False
    if not _UNLESS_APPROVED.search(f"{line.title}. {line.rule}"):
        return False
    asked, limit = policy.data_rank(data_cls.id), policy.data_rank(tool.max_data_class)
    return asked is not None and limit is not None and asked <= limit


def still_refusing(index: PolicyIndex, reading: Reading, lines: Sequence[str]) -> list[str]:
    """The red lines that refuse a request, less those that keep its data out only of tools
    not approved for it when it goes to one that is (the tool named, else any approved
    tool, which is what the answer would recommend): "qualify these leads: <names and
    emails>" where client data is banned only from unapproved public tools."""
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    if data_cls is None:
        return list(lines)
    named = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    tools = named or ([] if reading.unknown_tool else list(policy.tools))
    by_id = {r.id: r for r in policy.red_lines}
    return [
        i for i in lines
        if i not in by_id or not any(_waived(policy, by_id[i], t, data_cls) for t in tools)
    ]


def refused_paste(index: PolicyIndex, text: str, reading: Reading) -> str | None:
    """The red line that refuses a job done on pasted data about people or a pasted
    secret ("summarize this referral: Liam Chen, age 6, ADHD ..."): a forbidding red line
    about data, for every tool, that the data's class or words trigger."""
    if reading.ask is not Ask.USE_CASE or reading.data_class is None or not has_pasted_data(
        text
    ):
        return None
    by_id = {r.id: r for r in index.policy.red_lines}
    found = [
        i for i in reading.red_lines
        if i in by_id and forbids(by_id[i]) and not by_id[i].applies_to and _about_data(index, i)
    ]
    kept = still_refusing(index, reading, found)
    return kept[0] if kept else None


def answer_data_check(
    index: PolicyIndex, text: str, reading: Reading, refusing: Sequence[str] = ()
) -> Answer:
    """The data check; `refusing`: red lines found to forbid the request, which say no
    to the data unless they hold only for tools not approved for it."""
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    phrase = reading.data_phrase or "that data"
    if not reading.tool_ids:
        name = reading.unknown_tool or "That tool"
        lines = [
            *reading.red_lines, *index.scope.for_unlisted(),
            *index.scope.for_data(policy, reading.data_class),
        ]
        rule = unlisted.unlisted_rule(policy)
        verdict: bool | None = False
        headline = f"No: {name} is not in our AI tool policy, so no company data may go into it."
        if rule and data_cls is not None and policy.data_rank(data_cls.id) == 0:
            # Public data and a written rule for unlisted tools: the rule decides.
            verdict = None
            headline = (
                f"{name} is not in our AI tool policy; {compose.counts_as(phrase)} "
                f"{data_words(data_cls.label)}, the least sensitive class. What the policy says "
                "about unlisted tools:"
            )
        return compose.build(
            "data_check",
            headline,
            body=[rule] if rule else [],
            red_lines=compose.red_line_notes(policy, dict.fromkeys(lines)),
            asked_tool=AskedTool(name=name),
            data_check=DataVerdict(
                "",
                reading.data_class,
                data_cls.label if data_cls else None,
                verdict,
                "tool not in policy",
            ),
        )
    tool = policy.tool(reading.tool_ids[0])
    assert tool is not None  # the reading names only tools of this policy
    asked = AskedTool(name=tool.name, id=tool.id, status=tool.status.value)
    # Data into a tool not approved, or into a personal account of an approved one: the
    # policy's rule for such tools concerns the answer.
    spans = [(h.start, h.end) for h in index.lexicon.named(text).hits]
    personal = tool.status in RECOMMENDABLE and unlisted.personal_edition(text, tool, spans)
    rule_lines = (
        index.scope.for_personal_edition(tool) if personal
        else index.scope.for_personal([tool])
    )
    red_lines = compose.red_line_notes(
        policy, reading.red_lines, [tool],
        concerning=[
            *index.scope.for_tools([tool]), *rule_lines,
            *index.scope.for_data(policy, reading.data_class, tool),
        ],
        harmless=index.scope.unasked(
            text, reading.data_class, tool, data_check=True, personal=personal,
        ) - set(rule_lines),
    )
    limit = policy.data_class(tool.max_data_class)
    allowed: bool | None
    if tool.status not in RECOMMENDABLE:
        allowed, reason = (
            False,
            f"{tool.name} is {compose.STATUS_LABELS[tool.status.value].lower()}",
        )
        headline = f"No: {tool.name} is not approved, so no company data may go into it."
    elif data_cls is None and limit is not None and limit.id == policy.data_classes[-1].id:
        allowed, reason = True, f"{tool.name} may receive up to {limit.label}, the highest class"
        headline = (
            f"Yes: {tool.name} may receive up to {data_words(limit.label)}, the most sensitive "
            "class in our policy, so whatever class “" + phrase + "” falls under, it is allowed."
        )
    elif data_cls is None:
        allowed, reason = None, "data class unknown"
        headline = (
            f"I can't tell which data class “{phrase}” falls under, and the policy doesn't say. "
            f"Please check with {contact(policy)} before you share it."
        )
    elif limit is None:
        allowed, reason = None, "tool data limit not stated"
        headline = (
            f"The policy doesn't state which data {tool.name} may receive, so I can't say yes "
            f"for {data_words(data_cls.label)}. Ask {contact(policy)} before you share it."
        )
    else:
        asked_rank, limit_rank = policy.data_rank(data_cls.id), policy.data_rank(limit.id)
        # Both are classes of this policy, so both have a rank.
        allowed = asked_rank is not None and limit_rank is not None and asked_rank <= limit_rank
        reason = f"{data_cls.label} vs limit {limit.label}"
        kind, most = compose.counts_as(phrase), data_words(limit.label)
        headline = (
            f"Yes: {kind} {data_words(data_cls.label)}, and {tool.name} may receive up to {most}."
            if allowed
            else f"No: {kind} {data_words(data_cls.label)}, but {tool.name} may only receive "
            f"up to {most}."
        )
    line = forbidding_line(index, text, reading, tool) if allowed is not False else None
    if line is None and allowed is not False:
        line = next((r for r in policy.red_lines if r.id in refusing), None)
    if line is not None and _waived(policy, line, tool, data_cls):
        line = None
    waived = {r.id for r in policy.red_lines if _waived(policy, r, tool, data_cls)}
    red_lines = tuple(n for n in red_lines if n.id not in waived)
    if line is not None:
        # The data is what a red line keeps out of this tool, whatever its class.
        allowed, reason = False, f"red line {line.id}"
        headline = f"No: {compose.first_sentence(line.title).rstrip('.')}."
    alternatives: list[ToolAdvice] = []
    if allowed is False and data_cls is not None:
        alternatives = compose.tools_for_data(policy, tool, data_cls.id)
    elif allowed is False:
        alternatives = compose.alternatives_for(policy, tool)
    return compose.build(
        "data_check",
        headline,
        alternatives=alternatives,
        red_lines=red_lines,
        asked_tool=asked,
        data_check=DataVerdict(
            tool.id, reading.data_class, data_cls.label if data_cls else None, allowed, reason
        ),
    )


def with_blocked_verdict(index: PolicyIndex, text: str, reading: Reading, answer: Answer) -> Answer:
    """A request refused for the data it puts in ("upload the gradebook export into the
    AI...": "Student records are Red data") also answers whether that data may go in:
    no. Only when the refusing red line is about data (it keeps data out, or names a
    data class) and the message puts data in or names a class; the class is the one
    the message names, else the one the red line names."""
    if answer.data_check is not None or not answer.red_lines:
        return answer
    line = answer.red_lines[0].id
    data = index.lexicon.data
    named = data.class_of_line.get(line)
    about_data = line in index.scope.data_lines or named is not None
    put_in = puts_data_in(text) or has_pasted_data(text)
    if not about_data or not (put_in or reading.data_class):
        return answer
    data_class = reading.data_class or named
    data_cls = index.policy.data_class(data_class)
    tool = reading.tool_ids[0] if reading.tool_ids else ""
    verdict = DataVerdict(
        tool, data_class, data_cls.label if data_cls else None, False, f"red line {line}"
    )
    return replace(answer, data_check=verdict)


def refused_request(index: PolicyIndex, text: str, reading: Reading, answer: Answer) -> str | None:
    """The red line that refuses a request to put data in ("put last year's booking
    records into the AI so it can find repeat offenders") when the data check says that
    data may not go in: a forbidding red line about data that concerns it and holds for
    the tool. A question whether it may ("can I put ...?") keeps its data check."""
    verdict = answer.data_check
    if verdict is None or verdict.allowed is not False or not asks_for_it(text):
        return None
    if verdict.reason.startswith("red line "):
        return verdict.reason.removeprefix("red line ")
    policy = index.policy
    tool = policy.tool(reading.tool_ids[0]) if reading.tool_ids else None
    by_id = {r.id: r for r in policy.red_lines}
    for note in answer.red_lines:
        line = by_id.get(note.id)
        if line is None or not forbids(line) or not _about_data(index, line.id):
            continue
        targets = line.applies_to
        if not targets or (tool is not None and {tool.id, tool.status.value} & set(targets)):
            return line.id
    return None
