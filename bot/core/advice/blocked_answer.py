"""The answer to a request a red line forbids: the red line, its rule and its why.

Every line the learned decision finds forbids the request is given, not only the one
that refused it; the request's `Weighing` (handed on from `blocking`) says which.
"""

from __future__ import annotations

from bot.core import compose
from bot.core.advice import block_decision
from bot.core.advice.blocked_by_meaning import Weighing
from bot.core.advice.lookups import contact, top, use_case_ref
from bot.core.pasted import describe_placeholders
from bot.core.reading import Ask
from bot.core.replies import Answer, AskedTool, DataVerdict, RedLineNote


def answer_blocked(weighing: Weighing, lines: list[str]) -> Answer:
    """A request a red line forbids: the red line and its why, never an unmet entry."""
    index, text, reading = weighing.index, weighing.text, weighing.reading
    policy = index.policy
    # Every line the learned decision finds forbids the request is given, not only the
    # one that refused it (a trigger of the records line, and the PII line for the names
    # pasted in), and the likeliest line below its cut-off (`Weighing.also`). Added here,
    # not to the refusing lines: whether a message only asks if its data may go in is read
    # from those. Weighed once per request: `blocking` may have weighed it already.
    if not block_decision.recording():
        found = weighing.lines() + weighing.also()
        lines = [*lines, *(i for i in found if i not in lines)]
    # The red line IT wrote a trigger for leads ("humiliate": harassing others) before
    # one that only a theme of its wording reaches ("harmful material"); then as found
    # (triggers before meaning, the likelier line first).
    own = set(index.lexicon.red_line_matcher.own.triggered(describe_placeholders(text)))
    rules = sorted((r for r in policy.red_lines if r.id in lines),
                   key=lambda r: (r.id not in own, lines.index(r.id)))
    tool = policy.tool(reading.tool_ids[0]) if reading.tool_ids else None
    notes = [RedLineNote(r.id, r.title, r.rule, r.why) for r in rules]
    extra_notes = compose.red_line_notes(policy, reading.red_lines, [tool] if tool else [])
    notes.extend(n for n in extra_notes if n.id not in lines)
    asked = None
    verdict = None
    if tool is not None:
        asked = AskedTool(name=tool.name, id=tool.id, status=tool.status.value)
    elif reading.unknown_tool:
        asked = AskedTool(name=reading.unknown_tool)
    if reading.ask is Ask.DATA_CHECK:
        data_cls = policy.data_class(reading.data_class)
        verdict = DataVerdict(
            tool.id if tool else "",
            reading.data_class,
            data_cls.label if data_cls else None,
            False,
            f"red line {rules[0].id}",
        )
    best = top(index, text)
    ref = use_case_ref(index, best) if best is not None and best.score >= index.threshold else None
    return compose.build(
        "blocked",
        f"No: {compose.first_sentence(rules[0].title).rstrip('.')}.",
        body=[rules[0].rule],
        red_lines=notes,
        notes=[f"Questions about this rule: {contact(policy)}."],
        use_case=ref,
        asked_tool=asked,
        data_check=verdict,
    )
