"""When a red line forbids what the message asks, by its triggers.

A blocked request gets the red line and its why, never an unmet entry or a tool: these
checks decide which red lines the message triggers in a way that forbids it (outside the
tool's own name, for a tool the line holds for, with the data actually put in); the
learned decision behind them is `blocked_by_meaning`, the answer `blocked_answer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.core.advice import block_decision
from bot.core.advice.blocked_by_meaning import (
    WEIGHED_ASKS,
    Weighing,
    asks_an_act,
    blocked_by_meaning,
)
from bot.core.advice.index import PolicyIndex
from bot.core.pasted import describe_placeholders, has_pasted_data, pasted_code
from bot.core.published import outside_published
from bot.core.reading import Ask, Reading
from bot.core.redline_forbids import forbids, holds_for
from bot.core.redline_themes import puts_data_in
from bot.core.rule_statements import restated_lines
from bot.policy.models import RedLine, Tool


def forbids_any_job(index: PolicyIndex, text: str, reading: Reading) -> list[str]:
    """Red lines the message triggers that forbid it whatever the tool, when no job fits.

    Such a request ("make a meme humiliating a coworker") is no demand for a tool IT should
    approve: it gets the red line (`blocked`), not an unmet entry. A red line written for
    some tools only does not count (no tool was named or matched), nor one about data
    unless the message puts that data in: "how can I request a new credit card" is an
    errand about a card, not card data going into an AI tool. Only triggers written as
    in the red line count, as for `blocking`: "am I eligible for a new credit card" asks
    about eligibility, it does not ask AI to decide eligibility.
    """
    candidates = [line for line in index.policy.red_lines
                  if line.id in reading.red_lines and not line.applies_to and forbids(line)]
    if not candidates:
        return []
    puts_in = puts_data_in(text) or has_pasted_data(text)
    reader = index.lexicon.red_line_matcher
    data_lines = set() if puts_in else reader.data_lines
    literal = set(reader.triggered(outside_published(describe_placeholders(text, names=True)),
                                   literal=True))
    said = restated_lines(text, index.policy.red_lines)  # "a reminder that X must never"
    return [line.id for line in candidates
            if line.id in literal and line.id not in data_lines and line.id not in said]


def blocking(weighing: Weighing) -> list[str]:
    """Red lines the message triggers that forbid the request for the tool it names.

    Naming the tool does not make a forbidden act a status question: "can Copilot rank
    these applicants?" asks for the act (blocked, about Copilot), while "is Copilot
    approved?" triggers nothing and gets the tool's status.
    Only triggers outside the tool's name, written as in the trigger, block: "is
    free ChatGPT ok for agendas?" is a data check even where "free chatgpt" triggers
    a red line, and "what they decided" does not block on a "decide" trigger. A
    red line about data (its rule names data, not an act) blocks a job only when the
    message puts the data in ("upload the patient list to ..."); then a trigger
    derived from its data classes or themes blocks too, if the red line holds for
    every tool. Behind the triggers the learned decision weighs the request
    (`blocked_by_meaning`), once: the blocked answer reads the same `weighing`.
    """
    index, text, reading = weighing.index, weighing.text, weighing.reading
    if reading.ask not in WEIGHED_ASKS:
        return []
    if reading.ask is Ask.TOOL_STATUS and not asks_an_act(index, text):
        # "can I use the Copilot app on my personal phone?": the tool's status, with the
        # line on personal devices shown; no act is asked of the tool to refuse
        return []
    # "summarise the published list of prohibited practices": triggers outside what a
    # published document is said to be about (`published`)
    rest = outside_published(index.lexicon.without_tool_names(describe_placeholders(text)))
    reader = index.lexicon.red_line_matcher
    found = {*reader.own.triggered(rest, literal=True), *reader.acts.triggered(rest, literal=True)}
    policy = index.policy
    puts_in = puts_data_in(text) or pasted_code(text)  # pasted code is put in
    if reading.ask is not Ask.DATA_CHECK and not puts_in:
        found -= reader.data_lines
    if reading.ask is not Ask.DATA_CHECK and puts_in:
        data_hits = set(reader.data.triggered(rest, literal=True))
        found.update(r.id for r in policy.red_lines if not r.applies_to and r.id in data_hits)
    # "a staff reminder that personal phones are not to be used": the rule, no request
    triggered = set(reading.red_lines) & found - set(restated_lines(text, policy.red_lines))
    tools = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    literal = [line.id for line in policy.red_lines
               if line.id in triggered and forbids(line) and holds_for(line, tools)]
    if literal and block_decision.recording():
        blocked_by_meaning(weighing)  # fitting offline: every request's features
    return literal or blocked_by_meaning(weighing)


def forbidding_line(
    index: PolicyIndex, text: str, reading: Reading, tool: Tool
) -> RedLine | None:
    """A red line that forbids, holds for this tool, and that the message triggers outside
    the tool's own name ("free ChatGPT" naming the tool is not the data)."""
    return _kept_out(index, text, reading, [tool], index.lexicon.red_lines_in)


def names_kept_out_data(index: PolicyIndex, text: str, reading: Reading) -> bool:
    """Whether the message names data that a red line forbids for the tool it names (by
    the data its rule names, not by an act): the question is then whether it may go in."""
    tools = [t for t in (index.policy.tool(i) for i in reading.tool_ids) if t]
    data = index.lexicon.red_line_matcher.data
    return _kept_out(index, text, reading, tools, data.triggered) is not None


def _kept_out(index: PolicyIndex, text: str, reading: Reading, tools: Sequence[Tool],
              triggered: Callable[[str], Iterable[str]]) -> RedLine | None:
    """The first red line the reading found that forbids, holds for one of `tools`, and
    that `triggered` finds in the message without its tool names."""
    lines = [r for r in index.policy.red_lines
             if r.id in reading.red_lines and forbids(r) and holds_for(r, tools)]
    if not lines:
        return None
    found = set(triggered(index.lexicon.without_tool_names(
        describe_placeholders(text, names=True))))
    return next((r for r in lines if r.id in found), None)
