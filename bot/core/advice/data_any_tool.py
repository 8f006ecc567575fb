"""The answer to "may this data go into AI at all?" when no tool is named.

"can shopper email addresses go into an AI tool?", "made-up numbers for a training
example, fine in any of the tools?": the data's class against every approved tool's
limit, and the data red lines that keep it out whatever the tool. Before, such questions
were matched as jobs ("unmet", or a use case's tools) or answered as if "an AI tool" were
a product the policy does not list.
"""

from __future__ import annotations

from bot.core import compose
from bot.core.advice.data_refusals import about_data, approved_takers, waived
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import contact
from bot.core.reading import Reading
from bot.core.redline_forbids import forbids, holds_for
from bot.core.replies import Answer, DataVerdict
from bot.core.wording import data_words
from bot.policy.models import DataClass, RedLine, Tool

__all__ = ["answer_for_any_tool"]


def answer_for_any_tool(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    phrase = reading.data_phrase or "that data"
    lines = dict.fromkeys(
        [*reading.red_lines, *index.scope.for_data(policy, reading.data_class)]
    )
    notes = compose.red_line_notes(policy, lines)
    if data_cls is None:
        return compose.build(
            "data_check",
            f"I can't tell which data class “{phrase}” falls under, and the policy doesn't "
            f"say. Please check with {contact(policy)} before you put it into any AI tool.",
            red_lines=notes,
            data_check=DataVerdict("", None, None, None, "data class unknown"),
        )
    takers = approved_takers(policy, data_cls.id)
    refusing = _refusing_line(index, text, reading, data_cls, takers)
    kind, label = compose.counts_as(phrase), data_words(data_cls.label)
    if refusing is not None:
        allowed, reason = False, f"red line {refusing.id}"
        headline = f"No: {compose.first_sentence(refusing.title).rstrip('.')}."
        tools = []
    elif takers:
        allowed, reason = True, f"{data_cls.label}: {len(takers)} approved tool(s) may receive it"
        names = ", ".join(t.name for t in takers)
        headline = f"Yes: {kind} {label}, which these approved tools may receive: {names}."
        tools = [compose.advise(policy, t, compose.first_sentence(t.summary)) for t in takers]
    else:
        allowed, reason = False, f"{data_cls.label}: no approved tool may receive it"
        headline = f"No: {kind} {label}, and no approved AI tool may receive it."
        tools = []
    return compose.build(
        "data_check",
        headline,
        tools=tools,
        red_lines=notes,
        data_check=DataVerdict("", data_cls.id, data_cls.label, allowed, reason),
    )


def _refusing_line(
    index: PolicyIndex, text: str, reading: Reading, data_cls: DataClass, takers: list[Tool]
) -> RedLine | None:
    """A red line the message triggers that forbids, is about data, and holds for every
    tool that could otherwise take the data (data said to identify no one is spared a
    line about more sensitive data)."""
    data = index.lexicon.data
    for line in index.policy.red_lines:
        if line.id not in reading.red_lines or not forbids(line):
            continue
        if not about_data(index, line.id):
            continue
        if data.spares_deidentified(text, reading.data_class, line.id):
            continue
        if all(holds_for(line, [t]) and not waived(index.policy, line, t, data_cls)
               for t in takers):
            return line
    return None
