"""When data a message puts in is refused, and when a data red line gives way.

A question whether data may go in gets a data check, whose verdict is the red line's no;
a request for work on such data is refused (`blocked`); a red line that keeps data out
only of tools not approved for it does not hold for an approved tool within its limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.advice.described_data import handed_over
from bot.core.advice.index import PolicyIndex
from bot.core.data_request import asks_for_it, asks_whether_allowed
from bot.core.pasted import describe_placeholders, has_pasted_data
from bot.core.reading import Ask, Reading
from bot.core.redline_forbids import forbids, holds_for
from bot.core.replies import Answer
from bot.policy.models import RECOMMENDABLE, DataClass, Policy, RedLine, Tool

__all__ = [
    "about_data",
    "approved_takers",
    "data_question",
    "for_unapproved",
    "own_limit_takes",
    "refused_handover",
    "refused_paste",
    "refused_request",
    "still_refusing",
    "waived",
]

# A red line that keeps data out only of tools not approved for it: "No confidential data
# unless the AI is explicitly approved for it", "Never upload client data into unapproved
# public tools". For an approved tool, the tool's own data limit decides.
_UNLESS_APPROVED = re.compile(
    r"\bunless\b[^.;]{0,60}\bapproved\b|\b(?:unapproved|non-approved|not approved|"
    r"not been approved|not explicitly approved|(?:aren't|are not|isn't|is not)\s+"
    r"(?:company-?\s?|explicitly\s+|formally\s+)?approved|"
    r"(?:consumer|personal|free)\s+(?:ai\s+|genai\s+)?(?:accounts?|versions?|tools?|apps?))\b",
    re.I,
)
# The asker means a personal or free account, where such a line does hold; not the
# personal data it names ("her home address", "personal details", "a private number").
_OWN_ACCOUNT = re.compile(
    r"\b(?:personal|consumer|free|home|private|my own)\b(?!\s+(?:address(?:es)?|phone|"
    r"numbers?|e-?mails?|details|data|info|information|contact|circumstances|life|lives|"
    r"situation|health|medical|finances|matters?)\b)",
    re.I,
)


def data_question(index: PolicyIndex, text: str, reading: Reading, lines: Sequence[str]) -> bool:
    """Whether a message a red line would refuse asks whether data may go in ("can I
    paste the personnel file into Copilot?"), every such line being about the data, not
    an act: it gets a data check, whose verdict is that line's no (`answer_data_check`).
    A request for the act ("paste it in and have it rank them", "can I paste it in and
    have it rank them") stays refused."""
    if reading.ask is not Ask.DATA_CHECK or not lines or not asks_whether_allowed(text):
        return False
    if asks_for_it(text):
        return False
    # a line the data's own words trigger is about the data ("notes from a confidential
    # investigation" of "No confidential investigations or personnel matters")
    in_data = set(index.lexicon.red_lines_in(describe_placeholders(reading.data_phrase or "")))
    return all(about_data(index, line) or line in in_data for line in lines)


def about_data(index: PolicyIndex, line_id: str) -> bool:
    return line_id in index.scope.data_lines or line_id in index.lexicon.data.class_of_line


def for_unapproved(index: PolicyIndex, tool: Tool | None, class_id: str | None) -> list[str]:
    """Data red lines written for tools not approved ("No company data in AI tools that
    aren't company-approved"): they concern data going into a tool that is not approved,
    or not in the policy at all (`tool` None), unless they name a class above the data's."""
    policy = index.policy
    rank = policy.data_rank(class_id) if class_id else None
    named = index.lexicon.data.class_of_line
    return [
        r.id for r in policy.red_lines
        if about_data(index, r.id) and _UNLESS_APPROVED.search(f"{r.title}. {r.rule}")
        and (tool is None or holds_for(r, [tool]))
        and (rank is None or r.id not in named or (policy.data_rank(named[r.id]) or 0) <= rank)
    ]


def waived(policy: Policy, line: RedLine, tool: Tool, data_cls: DataClass | None) -> bool:
    """Whether a red line that keeps data out only of tools not approved for it does not
    hold here: the tool is approved and the data within its limit, which any data is
    when the tool may take the policy's most sensitive class ("the board's growth plan"
    into the Copilot that takes all company data, whatever class the plan is)."""
    if tool.status not in RECOMMENDABLE or tool.max_data_class is None:
        return False
    if not _UNLESS_APPROVED.search(f"{line.title}. {line.rule}"):
        return False
    limit = policy.data_rank(tool.max_data_class)
    if data_cls is None:
        return limit is not None and limit == len(policy.data_classes) - 1
    asked = policy.data_rank(data_cls.id)
    return asked is not None and limit is not None and asked <= limit


def own_limit_takes(
    index: PolicyIndex, line: RedLine, tool: Tool, data_cls: DataClass | None
) -> bool:
    """Whether a data red line written for every tool gives way to an approved tool whose
    own data limit takes the very class the line keeps out: the policy made that tool
    the exception ("No identifiable personal information in GenAI tools" and a medical
    scribe approved up to personal information). A line that names tools is their rule."""
    if tool.status not in RECOMMENDABLE or tool.max_data_class is None or line.applies_to:
        return False
    # a line on an act ("no grading") holds, and so does a condition on the data ("people
    # are told before their data is processed"): only a line keeping the data out gives way
    if line.id not in index.scope.data_lines or not forbids(line):
        return False
    kept_out = index.lexicon.data.class_of_line.get(line.id)
    if kept_out is None:
        return False
    policy = index.policy
    limit, kept = policy.data_rank(tool.max_data_class), policy.data_rank(kept_out)
    asked = policy.data_rank(data_cls.id) if data_cls is not None else kept
    return None not in (limit, kept, asked) and kept <= limit and asked <= limit  # type: ignore[operator]


def still_refusing(
    index: PolicyIndex, text: str, reading: Reading, lines: Sequence[str]
) -> list[str]:
    """The red lines that refuse a request, less those that keep its data out only of tools
    not approved for it when it goes to one that is (the tool named, else any approved
    tool, which is what the answer would recommend): "qualify these leads: <names and
    emails>" where client data is banned only from unapproved public tools. A named tool
    whose own limit takes the data a line for every tool keeps out is spared it too
    (`own_limit_takes`), and data said to identify no one a line on more sensitive data."""
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    # data said to identify no one is not what a line on more sensitive data keeps out
    # ("if I strip the names out, can I ask ChatGPT about ..." of "anonymise first")
    lines = [i for i in lines
             if not index.lexicon.data.spares_deidentified(text, reading.data_class, i)]
    lines = _not_above(index, text, reading.data_class, lines)
    if _OWN_ACCOUNT.search(text):
        return list(lines)
    named = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    if data_cls is None and not named:
        return list(lines)
    tools = named or ([] if reading.unknown_tool else list(policy.tools))
    by_id = {r.id: r for r in policy.red_lines}
    return [
        i for i in lines
        if i not in by_id or (
            not any(waived(policy, by_id[i], t, data_cls) for t in tools)
            and not any(own_limit_takes(index, by_id[i], t, data_cls) for t in named)
        )
    ]


def _not_above(
    index: PolicyIndex, text: str, class_id: str | None, lines: list[str]
) -> list[str]:
    """The lines less those that keep out only data more sensitive than the data the
    message names ("Nothing with a level 4 label" does not refuse "level 3 data"), unless
    the message's own words trigger the line (then it names such data too); a tool's name
    is no such words ("free ChatGPT" as a trigger of "No City data in public tools")."""
    policy, kept_out = index.policy, index.lexicon.data.class_of_line
    rank = policy.data_rank(class_id) if class_id else None
    if rank is None or not any(i in kept_out for i in lines):
        return lines
    words = index.lexicon.without_tool_names(describe_placeholders(text))
    literal = set(index.lexicon.red_lines_in(words, literal=True))
    return [
        i for i in lines
        if i not in kept_out or i in literal or (policy.data_rank(kept_out[i]) or 0) <= rank
    ]


def approved_takers(policy: Policy, class_id: str | None) -> list[Tool]:
    """The approved tools whose data limit takes data of this class (none for no class)."""
    rank = policy.data_rank(class_id)
    if rank is None:
        return []
    return [
        t for t in policy.tools
        if t.status in RECOMMENDABLE and t.max_data_class is not None
        and (policy.data_rank(t.max_data_class) or 0) >= rank
    ]


def refused_paste(index: PolicyIndex, text: str, reading: Reading) -> str | None:
    """The red line that refuses a job done on pasted data about people or a pasted
    secret ("summarize this referral: Liam Chen, age 6, ADHD ..."): a forbidding red line
    about data, for every tool, that the data's class or words trigger."""
    if reading.ask is not Ask.USE_CASE or reading.data_class is None or not has_pasted_data(
        text
    ):
        return None
    return _refusing_line(index, text, reading)


def refused_handover(index: PolicyIndex, text: str, reading: Reading) -> str | None:
    """The red line that refuses a job done on data the message hands over ("here's our
    vendor contract with the pricing, can AI find the renewal traps" where only public
    data may go into any tool): the data's class, named or placed by `described_data`, is
    above every approved tool's limit, and a red line about data keeps it out of every
    tool that could take it."""
    if (reading.ask is not Ask.USE_CASE or reading.data_class is None
            or handed_over(text) is None or approved_takers(index.policy, reading.data_class)):
        return None
    # handed to AI, not turned into something: "put our web page text into French" is a
    # translation of it
    if not (_HANDS_OVER.search(text) or _INTO_AI.search(text)
            or index.lexicon.named(text).ids):
        return None
    # "Only public data may be entered": a line about which data may go in forbids every
    # class above it, as much as a line naming the data it keeps out
    only = frozenset(index.lexicon.data.kept_out_by(reading.data_class))
    return _refusing_line(index, text, reading, only)


#: Verbs that hand data over whatever follows them ("here's our contract", "go through
#: the tickets"); "put" and "run" hand it over only into a tool (`_INTO_AI`).
_HANDS_OVER = re.compile(
    r"\b(?:paste[ds]?|pasting|upload(?:s|ed|ing)?|feed(?:ing)?|attach(?:ed|ing)?|"
    r"drop(?:s|ped|ping)?|load(?:s|ed|ing)?|enter(?:s|ed|ing)?|input|here'?s|here is|"
    r"here are|go through|read through)\b",
    re.I,
)
_INTO_AI = re.compile(
    r"\b(?:into|in to|in|through|to)\s+(?:the\s+|an?\s+|our\s+|my\s+|your\s+)?"
    r"(?:(?:gen\s?)?ai|bot|chatbot|tool|assistant|model|llm|it)\b",
    re.I,
)


def _refusing_line(index: PolicyIndex, text: str, reading: Reading,
                   only: frozenset[str] = frozenset()) -> str | None:
    """A forbidding red line about data the reading found (or one of `only`, lines that
    let only less sensitive data in), holding for every approved tool that may take the
    data's class, that `still_refusing` keeps."""
    policy = index.policy
    by_id = {r.id: r for r in policy.red_lines}
    # a line written for some tools refuses the data when none of the tools that may take
    # it is spared ("summarise this complaint: Mr ..., 14 Station Road, ...")
    takers = approved_takers(policy, reading.data_class)
    found = [
        i for i in dict.fromkeys([*reading.red_lines, *sorted(only)])
        if i in by_id and ((forbids(by_id[i]) and about_data(index, i)) or i in only)
        and all(holds_for(by_id[i], [t]) for t in takers)
    ]
    kept = still_refusing(index, text, reading, found)
    return kept[0] if kept else None


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
        if line is None or not forbids(line) or not about_data(index, line.id):
            continue
        if not line.applies_to or (tool is not None and holds_for(line, [tool])):
            return line.id
    return None
