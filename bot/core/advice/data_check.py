"""The answer to "may this data go into X": the data class against the tool's limit.

The asked data's class is compared with the most sensitive class the tool may receive;
a red line that keeps that data out of the tool says no whatever the class.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.core import compose, unlisted
from bot.core.advice.blocking import forbidding_line
from bot.core.advice.data_any_tool import answer_for_any_tool
from bot.core.advice.data_refusals import for_unapproved, own_limit_takes, waived
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import contact
from bot.core.pasted import has_pasted_data
from bot.core.reading import Reading
from bot.core.redline_themes import puts_data_in
from bot.core.replies import Answer, AskedTool, DataVerdict, ToolAdvice
from bot.core.wording import data_words
from bot.policy.models import RECOMMENDABLE

__all__ = ["answer_data_check", "with_blocked_verdict"]


def answer_data_check(
    index: PolicyIndex, text: str, reading: Reading, refusing: Sequence[str] = ()
) -> Answer:
    """The data check; `refusing`: red lines found to forbid the request, which say no
    to the data unless they hold only for tools not approved for it."""
    if reading.any_tool:
        return answer_for_any_tool(index, text, reading)
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    phrase = reading.data_phrase or "that data"
    if not reading.tool_ids:
        name = reading.unknown_tool or "That tool"
        lines = [
            *reading.red_lines, *index.scope.for_unlisted(),
            *index.scope.for_data(policy, reading.data_class),
            *for_unapproved(index, None, reading.data_class),
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
            *(for_unapproved(index, tool, reading.data_class)
              if personal or tool.status not in RECOMMENDABLE else ()),
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
    # Red lines that give way here: one that keeps data out only of tools not approved for
    # it (unless the data is personal), and, for data said to identify no one, a line on
    # more sensitive data. They neither say no nor show.
    given_way = set() if personal else {
        r.id for r in policy.red_lines
        if waived(policy, r, tool, data_cls) or own_limit_takes(index, r, tool, data_cls)
    }
    given_way.update(r.id for r in policy.red_lines
                     if index.lexicon.data.spares_deidentified(text, reading.data_class, r.id))
    line = forbidding_line(index, text, reading, tool) if allowed is not False else None
    if line is None and allowed is not False:
        line = next((r for r in policy.red_lines if r.id in refusing), None)
    if line is not None and line.id in given_way:
        line = None
    red_lines = tuple(n for n in red_lines if n.id not in given_way)
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
