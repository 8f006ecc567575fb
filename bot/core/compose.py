"""Turn what was understood into a neutral Answer, with the plain text a person reads.

Pure: the concierge decides, this module phrases. Answers stay short and
specific: the fitting tools, why, the data limit, how to get access, and every
red line that applies with its why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from bot.core.matching.text import normalize, stem_tokens
from bot.core.replies import (
    Answer,
    AskedTool,
    DataVerdict,
    Outcome,
    RedLineNote,
    ToolAdvice,
    UseCaseRef,
)
from bot.core.wording import data_words
from bot.policy.models import RECOMMENDABLE, STATUS_RANK, Policy, Tool

__all__ = [
    "STATUS_LABELS",
    "advise",
    "counts_as",
    "help_answer",
    "job_phrase",
    "job_question",
    "join_phrases",
    "recommend",
    "red_line_notes",
    "red_line_text",
    "short_list",
]

STATUS_LABELS = {
    "standard": "Standard",
    "approved": "Approved",
    "pilot": "Pilot",
    "under_review": "Under review",
    "prohibited": "Prohibited",
}
MAX_TOOLS = 3
#: How a status reads after "Yes: <tool> …" ("is pilot here" is not English).
STATUS_VERDICTS = {
    "standard": "is a standard tool here",
    "approved": "is approved here",
    "pilot": "is in a pilot here",
}
# Verbs a use-case name may start with ("Summarise long documents"): such a name reads
# "to summarise long documents"; any other name is a noun phrase ("for meeting notes").
_JOB_VERBS = frozenset(
    "analyse analyze answer automate brainstorm build calculate check classify clean code "
    "compare compose convert create debug design draft edit explain extract fill find fix "
    "format generate help improve learn make manage organise organize plan polish prepare "
    "produce proofread rephrase reply report research respond review rewrite schedule search "
    "sort structure summarise summarize take test track transcribe translate tidy turn "
    "understand update write".split()
)
_SINGULAR_ENDINGS = ("ss", "us", "is", "ics")
_MASS_NOUNS = frozenset({"news", "data", "series", "species"})


def data_limit(policy: Policy, tool: Tool) -> str:
    cls = policy.data_class(tool.max_data_class)
    if cls is None and not policy.data_classes:
        return "Not stated: the policy has no data classes; ask before sharing anything sensitive."
    if cls is None:
        return (
            "No company data: the policy sets no data limit for this tool, "
            "so treat it as public data only."
        )
    return f"Up to {data_words(cls.label)}"


def advise(policy: Policy, tool: Tool, why: str, *, caveats: Iterable[str] = ()) -> ToolAdvice:
    return ToolAdvice(
        id=tool.id,
        name=tool.name,
        status=tool.status.value,
        why=why,
        summary=tool.summary,
        data_limit=data_limit(policy, tool),
        max_data_class=tool.max_data_class,
        access_text=tool.access.text if tool.access else None,
        access_url=str(tool.access.url) if tool.access and tool.access.url else None,
        caveats=tuple(caveats),
        contact=tool.contact or tool.owner,
    )


def in_sentence(name: str) -> str:
    """A use-case name inside a sentence: "Summarise PDFs" -> "summarise PDFs" (not "pdfs")."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def job_phrase(name: str) -> str:
    """A use case inside a sentence: "to summarise long documents and PDFs" for a name that
    starts with a verb, "for meeting notes, recaps and action items" for any other."""
    text = in_sentence(name)
    first = text.split(maxsplit=1)[0].strip(",;:").lower() if text.strip() else ""
    return f"to {text}" if first in _JOB_VERBS else f"for {text}"


def job_question(name: str) -> str:
    """The question a person would ask for this use case ("What can I use to …?")."""
    return f"What can I use {job_phrase(name)}?"


def counts_as(phrase: str) -> str:
    """ "customer emails count as", "source code counts as": the verb agrees with the data."""
    last = phrase.split()[-1].strip("“”\"'.,!?").lower() if phrase.split() else ""
    plural = (
        last.endswith("s") and not last.endswith(_SINGULAR_ENDINGS) and last not in _MASS_NOUNS
    )
    return f"{phrase} {'count' if plural else 'counts'} as"


def join_phrases(items: Iterable[str]) -> str:
    """ "a; b" for phrases, "A. B." for sentences (never "a.; b")."""
    parts = [i.strip() for i in items if i.strip()]
    if all(p.endswith((".", "!", "?")) for p in parts):
        return " ".join(parts)
    return "; ".join(p.rstrip(".;") for p in parts)


def short_list(names: Sequence[str], shown: int = 3) -> str:
    """ "A, B, C and 4 more": a long list stays one line in an answer."""
    if len(names) <= shown + 1:
        return ", ".join(names)
    return f"{', '.join(names[:shown])} and {len(names) - shown} more"


def first_sentence(text: str) -> str:
    """The lead sentence of a summary: answers stay short, details are a click away."""
    match = re.match(r"(.+?[.!?])(?:\s|$)", text.strip())
    return match.group(1) if match else text.strip()


def relevant_caveats(caveats: Iterable[str], message: str) -> list[str]:
    """The not-good-for notes that share a meaningful word with the question."""
    words = {w for w in stem_tokens(normalize(message).split()) if len(w) >= 4}
    if not words:
        return []
    return [c for c in caveats if words & set(stem_tokens(normalize(c).split()))]


def recommend(
    policy: Policy, use_case_id: str, *, data_class: str | None = None, message: str = ""
) -> list[ToolAdvice]:
    """Recommendable tools for a use case: standard, then approved, then pilot, and within a
    status in the order IT listed them (the policy's stated preference; a bigger data
    allowance is not a preference).

    Tools that may not receive the data the message mentions sink below those that
    may, and say so, rather than disappearing: the employee learns why.
    """
    use_case = policy.use_case(use_case_id)
    if use_case is None:
        return []
    wanted = policy.data_rank(data_class)
    # Rank first and phrase only the tools shown: with a thousand tools, most fitting
    # tools are never shown, and phrasing one (caveats, limits) costs more than ranking it.
    ranked: list[tuple[tuple[int, int, int], Tool]] = []
    for position, tool in policy.recommendable.get(use_case_id, ()):
        allowed = policy.data_rank(tool.max_data_class)
        too_sensitive = wanted is not None and (allowed is None or allowed < wanted)
        ranked.append(((int(too_sensitive), STATUS_RANK[tool.status], position), tool))
    ranked.sort(key=lambda pair: pair[0])
    out = []
    wanted_class = policy.data_class(data_class)
    for (too_sensitive_rank, *_), tool in ranked[:MAX_TOOLS]:
        too_sensitive = bool(too_sensitive_rank)
        caveats = relevant_caveats(tool.not_good_for, message)[:2]
        if too_sensitive and wanted_class is not None:  # too sensitive implies it is known
            caveats.insert(0, f"Not for {data_words(wanted_class.label)}: "
                              f"{data_limit(policy, tool)}.")
        out.append(advise(policy, tool, first_sentence(tool.summary), caveats=caveats))
    return out


def tools_for_data(policy: Policy, instead_of: Tool, data_class: str) -> list[ToolAdvice]:
    """Approved tools that may take this data, those doing the same jobs first."""
    wanted = policy.data_rank(data_class) or 0
    candidates = []
    for other in policy.tools:
        rank = policy.data_rank(other.max_data_class)
        if other.id == instead_of.id or other.status not in RECOMMENDABLE:
            continue
        if rank is None or rank < wanted:
            continue
        shared = len(set(other.good_for) & set(instead_of.good_for))
        candidates.append(((-shared, STATUS_RANK[other.status], other.name), other))
    candidates.sort(key=lambda pair: pair[0])
    return [
        advise(policy, t, first_sentence(t.summary)) for _, t in candidates[:MAX_TOOLS]
    ]


def alternatives_for(policy: Policy, tool: Tool) -> list[ToolAdvice]:
    out = []
    for alt_id in tool.alternatives:
        alt = policy.tool(alt_id)
        if alt is not None and alt.status in RECOMMENDABLE:
            out.append(advise(policy, alt, first_sentence(alt.summary)))
    return out


def red_line_notes(
    policy: Policy,
    triggered: Iterable[str],
    tools: Sequence[Tool] = (),
    *,
    concerning: Iterable[str] = (),
    harmless: AbstractSet[str] = frozenset(),
    subject: Sequence[Tool] | None = None,
) -> tuple[RedLineNote, ...]:
    """Triggered red lines, plus those that concern the tools the answer is about.

    `concerning`: red lines written for or naming those tools (`RedLineScope.for_tools`),
    shown asked or not: for a prohibited tool such a line is the "why". `harmless`: red
    lines left out unless triggered (`RedLineScope.unasked`): about data going in when
    the message puts none in or says it is not sensitive ("nothing confidential in it").
    `subject`: the tools whose own red lines (`applies_to`) show unasked, by default all
    `tools`; an answer listing three tools is about the one it recommends first.
    """
    ids = set(triggered)
    extra = set(concerning)
    own = tools if subject is None else subject
    notes = []
    for line in policy.red_lines:
        targets = set(line.applies_to)
        about_tools = bool(targets) and any(
            t.id in targets or t.status.value in targets for t in tools
        )
        triggered_here = line.id in ids and (not targets or not tools or about_tools)
        written_for = any(t.id in targets for t in own) or line.id in extra
        if written_for and not triggered_here and line.id in harmless:
            continue
        if triggered_here or written_for:
            notes.append(RedLineNote(line.id, line.title, line.rule, line.why))
    return tuple(notes)


def help_answer(policy: Policy) -> Answer:
    org = policy.meta.organization
    examples = [f"“{job_question(uc.name)}”" for uc in policy.use_cases[:2]]
    lines = [
        f"I'm the AI tool concierge for {org}. Ask me in plain words:",
        "• What can I use for a job? e.g. " + (" or ".join(examples) or "“summarize a PDF”"),
        "• Is a tool approved? e.g. “Is Perplexity approved?”",
        "• Can some data go into a tool? e.g. “Can I paste customer emails into Copilot?”",
        "If nothing approved fits, I'll say so and pass your request to IT.",
    ]
    if policy.meta.contact:
        lines.append(f"Questions about the policy: {policy.meta.contact}")
    return Answer(outcome="help", headline="How I can help", text="\n".join(lines))


def _tool_lines(tool: ToolAdvice) -> list[str]:
    lines = [f"• {tool.name} [{STATUS_LABELS.get(tool.status, tool.status)}]: {tool.why}"]
    lines.append(f"  Data: {tool.data_limit}")
    access = " ".join(x for x in (tool.access_text, tool.access_url) if x)
    if access:
        lines.append(f"  Access: {access}")
    if tool.caveats:
        lines.append("  Limits: " + join_phrases(tool.caveats))
    return lines


def _plain_text(
    headline: str,
    body: Sequence[str],
    tools: Sequence[ToolAdvice],
    alternatives: Sequence[ToolAdvice],
    red_lines: Sequence[RedLineNote],
    notes: Sequence[str],
) -> str:
    """The plain-text answer: every renderer's fallback and the CLI's output."""
    lines = [headline, *body]
    for tool in tools:
        lines.extend(_tool_lines(tool))
    if alternatives:
        lines.append("Approved alternatives:")
        for tool in alternatives:
            lines.extend(_tool_lines(tool))
    lines.extend(red_line_text(line) for line in red_lines)
    lines.extend(notes)
    return "\n".join(lines)


#: How a red line starts in an answer's plain text.
RED_LINE_MARK = "⚠ Red line: "


def red_line_text(line: RedLineNote) -> str:
    return f"{RED_LINE_MARK}{line.title}. {line.rule} Why: {line.why}"


def build(
    outcome: Outcome,
    headline: str,
    *,
    body: Sequence[str] = (),
    tools: Sequence[ToolAdvice] = (),
    alternatives: Sequence[ToolAdvice] = (),
    red_lines: Sequence[RedLineNote] = (),
    notes: Sequence[str] = (),
    use_case: UseCaseRef | None = None,
    asked_tool: AskedTool | None = None,
    data_check: DataVerdict | None = None,
    logged_unmet: bool = False,
) -> Answer:
    """Every answer is built here, so its plain text and its parts never disagree."""
    text = _plain_text(headline, body, tools, alternatives, red_lines, notes)
    return Answer(
        outcome=outcome,
        headline=headline,
        text=text,
        tools=tuple(tools),
        alternatives=tuple(alternatives),
        red_lines=tuple(red_lines),
        use_case=use_case,
        asked_tool=asked_tool,
        data_check=data_check,
        notes=tuple([*body, *notes]),
        logged_unmet=logged_unmet,
    )
