"""An answer as a Reply designed for a chat window, narrow screens first.

Order is what a person needs to act safely: the verdict, then any red line with
its why, then at most three tools in a compact form (name, one status badge, one
line on why it fits, one primary action), the rest behind "More options". An
unmet answer only says what was logged and offers the closest job when there is
one. Every answer ends with feedback, "Ask IT" and (for unmet needs) "I need this
too"; these carry the query or unmet id so a click needs no other state.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.compose import first_sentence, job_question, join_phrases
from bot.core.replies import Answer, RedLineNote, ToolAdvice
from bot.core.reply import Action, Reply, Section, Tone
from bot.core.views import SurfaceLike, details_action, one_line, status_badge

__all__ = ["MAX_SHOWN", "answer_actions", "answer_reply", "red_line_section", "tool_section"]

#: Tools shown in full; the rest go behind "More options".
MAX_SHOWN = 3
_RECOMMENDABLE = {"standard", "approved", "pilot"}


def red_line_section(line: RedLineNote, *, full: bool = False) -> Section:
    """A red line: its rule in full (never cut: a cut rule can change its meaning) and the
    first sentence of its why; `full` adds the whole why."""
    why = line.why if full else first_sentence(line.why)
    return Section(title=f"Red line: {line.title}", text=f"{line.rule}\nWhy: {why}",
                   tone="attention")


def _red_lines(lines: Sequence[RedLineNote]) -> tuple[list[Section], list[Section]]:
    """Shown (short why) and, for those whose why was shortened, the full wording."""
    shown = [red_line_section(r) for r in lines]
    more = [red_line_section(r, full=True) for r in lines if first_sentence(r.why) != r.why]
    return shown, more


def _data_line(tool: ToolAdvice) -> str:
    if tool.data_limit.startswith("Up to "):
        return f"Data: up to {tool.data_limit[len('Up to '):]}"
    return "Data: no company data (the policy sets no limit)"


def tool_section(tool: ToolAdvice, *, badge: bool = True, data: bool = True,
                 why: bool = True) -> Section:
    """One tool, compact: name + badge, why it fits, data limit, one primary action."""
    lines = [one_line(tool.why)] if why else []
    if data:
        lines.append(_data_line(tool))
    if tool.caveats:
        lines.append("Limits: " + join_phrases(one_line(c, 160) for c in tool.caveats[:2]))
    if tool.access_text and not tool.access_url:
        lines.append(f"Access: {one_line(tool.access_text)}")
    action = (Action(label="Get access", url=tool.access_url) if tool.access_url
              else details_action(tool.id))
    return Section(title=tool.name, badge=status_badge(tool.status) if badge else None,
                   text="\n".join(lines), actions=(action,))


def answer_actions(answer: Answer) -> tuple[Action, ...]:
    """Feedback, "Ask IT" and, for an unmet need, "I need this too" first.

    Unmet: [I need this too, Ask IT] [Helpful, Not what I needed]; otherwise one row
    [Helpful, Not what I needed, Ask IT]. The ids let a click work without other state.
    """
    if answer.outcome == "help":  # small talk and help: somewhere to go, nothing to rate
        return (Action("Approved tools", command="list"), Action("Red lines", command="redlines"))
    feedback: list[Action] = []
    ask: list[Action] = []
    if answer.query_id is not None:
        qid = str(answer.query_id)
        feedback = [Action("Helpful", id="feedback", value={"query_id": qid, "helpful": "true"}),
                    Action("Not what I needed", id="feedback",
                           value={"query_id": qid, "helpful": "false"})]
        ask = [Action("Ask IT", id="ask_it", value={"query_id": qid})]
    if answer.outcome == "language":  # a person who could not be understood: IT can help
        return tuple(ask)
    if answer.unmet_id is None:
        return (*feedback, *ask)
    vote = Action("I need this too", id="vote", value={"unmet_id": str(answer.unmet_id)},
                  style="primary")
    return (vote, *ask, *feedback)


def _tone(answer: Answer) -> Tone:
    if answer.outcome in ("blocked", "unmet"):
        return "attention" if answer.outcome == "blocked" else "warning"
    if answer.data_check is not None:
        verdicts: dict[bool | None, Tone] = {True: "good", False: "attention", None: "warning"}
        return verdicts[answer.data_check.allowed]
    if answer.outcome == "tool_status" and answer.asked_tool is not None:
        status = answer.asked_tool.status
        if status in _RECOMMENDABLE:
            return "good"
        return "warning" if status == "under_review" else "attention"
    return "default"


def _body(answer: Answer, skip: Iterable[str]) -> list[str]:
    """The answer's own sentences, minus those another part already shows."""
    skipped = set(skip)
    return [n for n in answer.notes if n and n not in skipped]


def _tools(answer: Answer) -> tuple[list[Section], list[Section]]:
    """Shown and "more" tool sections: recommended tools, then alternatives under a heading."""
    asked = answer.asked_tool.id if answer.asked_tool and answer.outcome == "tool_status" else None
    sections: list[Section] = []
    # The asked tool's status is the verdict already: its section needs no second badge.
    sections += [tool_section(t, badge=t.id != asked) for t in answer.tools]
    if answer.alternatives:
        heading = _alternatives_heading(answer)
        # Under "Approved for this data:" the heading says why each fits: a data line or a
        # line about the job would repeat it, and the red line above needs the screen.
        checked = answer.data_check is not None
        alternatives = [tool_section(t, data=not checked, why=not checked)
                        for t in answer.alternatives]
        sections += [Section(title=heading), *alternatives]
    shown, more = _split(sections)
    return shown, more


def _split(sections: Sequence[Section]) -> tuple[list[Section], list[Section]]:
    """At most MAX_SHOWN tool sections shown (headings do not count), the rest in `more`."""
    shown: list[Section] = []
    more: list[Section] = []
    tools = 0
    for section in sections:
        is_heading = not section.text and not section.actions
        if not is_heading:
            tools += 1
        (shown if tools <= MAX_SHOWN else more).append(section)
    if shown and not shown[-1].text and not shown[-1].actions:  # a heading left alone
        more.insert(0, shown.pop())
    return shown, more


def _alternatives_heading(answer: Answer) -> str:
    if answer.data_check is not None:
        return "Approved for this data:"
    if answer.asked_tool is not None:
        return "Use one of these instead:"
    return "Approved alternatives:"


def _unmet(answer: Answer, surface: SurfaceLike) -> tuple[list[Section], list[Section]]:
    """What was logged, and the closest job as one button when there is a close one."""
    close = answer.use_case is not None and bool(answer.alternatives)
    actions = (Action(label="Show tools for it", command=job_question(answer.use_case.name)),
               ) if close and answer.use_case else ()
    body = _body(answer, ())
    logged = [n for n in body if "logged" in n]
    lines = [*logged, *(n for n in body if n not in logged)]
    if answer.unmet_id is not None:
        lines.insert(len(logged), "Anyone else who needs this can click “I need this too”.")
    shown = [Section(text="\n".join(lines), actions=actions)]
    more = [red_line_section(r, full=True) for r in answer.red_lines]
    return shown, more


def answer_reply(answer: Answer, surface: SurfaceLike) -> Reply:
    """The Reply for one answer; `answer.text` stays the complete plain fallback."""
    footer = f"Policy version {answer.policy_version}" if answer.policy_version else ""
    if answer.outcome == "unmet":
        sections, more = _unmet(answer, surface)
    else:
        red_lines, full = _red_lines(answer.red_lines)
        rules = {r.rule for r in answer.red_lines}
        body = _body(answer, rules)
        notes: list[Section] = []
        if answer.outcome == "blocked":  # "Questions about this rule: …" is small print
            footer = " · ".join(x for x in (*body, footer) if x)
        elif body:
            notes = [Section(text="\n".join(body))]
        shown, more = _tools(answer)
        sections = [*red_lines, *notes, *shown]
        if not sections:  # an answer told only in its text (the help answer)
            lines = answer.text.splitlines()
            rest = lines[1:] if lines and lines[0] == answer.headline else lines
            sections = [Section(text="\n".join(rest))] if rest else []
        more = [*more, *full]
    return Reply(
        title=answer.headline,
        text=answer.text,
        sections=tuple(sections),
        more=tuple(more),
        actions=answer_actions(answer),
        footer=footer,
        tone=_tone(answer),
        kind="answer",
    )
