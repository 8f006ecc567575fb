"""The answer to "what can I use for X": the approved tools for the job, or an unmet one.

The matcher's best use case decides: when it fits (`lookups.fits`: the matcher's learned
decision, or the score against the threshold) it is the job (answered, or unmet when no
tool for it is approved yet); otherwise the request is unmet (or blocked when a red line
forbids it whatever the tool), with the nearest job offered when close.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core import compose
from bot.core.advice.blocked_answer import answer_blocked
from bot.core.advice.blocked_by_meaning import Weighing
from bot.core.advice.blocking import forbids_any_job
from bot.core.advice.data_check import answer_data_check
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import capital, contact, fits, top, use_case_ref
from bot.core.pasted import has_pasted_data, pasted_phrase
from bot.core.reading import Reading
from bot.core.replies import Answer, UseCaseRef
from bot.core.smalltalk import SmallTalkHit
from bot.policy.models import RECOMMENDABLE, Status, Tool

#: An unmet ask whose best score reaches this share of the threshold is "close":
#: the nearest use case is offered as an alternative, clearly labelled as such.
CLOSE_FACTOR = 0.75
#: A small-talk match this close to a bank example is small talk whatever the matcher says.
_CLEAR_SMALL_TALK = 0.75


def answer_use_case(index: PolicyIndex, text: str, reading: Reading, *,
                    weighing: Weighing) -> Answer:
    """The approved tools for the job, or unmet; blocked when a red line forbids the
    request whatever the tool (`weighing`: the request's block decision, weighed once)."""
    policy = index.policy
    best = top(index, text)
    if best is not None and fits(index, best):
        ref = use_case_ref(index, best)
        tools = compose.recommend(policy, best.id, data_class=reading.data_class, message=text)
        tool_models = [t for t in (policy.tool(a.id) for a in tools) if t]
        about_job = index.lexicon.use_case_red_lines(best.id)
        red_lines = compose.red_line_notes(
            policy, [*reading.red_lines, *about_job], tool_models,
            concerning=index.scope.for_tools(tool_models[:1]),
            harmless=index.scope.unasked(
                text, reading.data_class, tool_models[0] if tool_models else None),
            subject=tool_models[:1],
        )
        if tools and _data_none_may_take(index, text, reading, tool_models):
            # "card [CARD] ... can AI write up the dispute": the data is in the request and
            # no tool for the job may receive it, so the answer is the data check of the
            # job's first tool, with the tools that may take the data
            phrase = reading.data_phrase or pasted_phrase(text)
            return answer_data_check(index, text, replace(
                reading, tool_ids=(tool_models[0].id,), data_phrase=phrase))
        if tools:
            return compose.build(
                "answered",
                f"{capital(compose.job_phrase(ref.name))}, use:",
                tools=tools,
                red_lines=red_lines,
                use_case=ref,
            )
        pending = [
            t.name for t in policy.tools
            if best.id in t.good_for and t.status is Status.UNDER_REVIEW
        ]
        body = [f"No tool is approved {compose.job_phrase(ref.name)} yet."]
        if pending:
            body.append(f"Under review, not yet allowed: {', '.join(pending)}.")
        answer = compose.build(
            "unmet",
            "No approved tool for this yet.",
            body=body,
            red_lines=red_lines,
            notes=[f"I've logged your request so IT can review it. Questions: {contact(policy)}."],
            use_case=ref,
            logged_unmet=True,
        )
        return replace(answer, extra={"unmet_reason": "no_approved_tool"})
    forbidding = forbids_any_job(index, text, reading)
    if forbidding:
        return answer_blocked(weighing, forbidding)
    alternatives = []
    closest = None
    if best is not None and best.score >= index.threshold * CLOSE_FACTOR:
        closest = use_case_ref(index, best)
        alternatives = compose.recommend(
            policy, best.id, data_class=reading.data_class, message=text
        )
    body = []
    if alternatives and closest:
        body.append(f"The closest job I know is “{closest.name}”, in case that is what you need.")
    return compose.build(
        "unmet",
        "No approved tool fits this.",
        body=body,
        alternatives=alternatives,
        red_lines=compose.red_line_notes(policy, reading.red_lines),
        notes=[f"I've logged your request so IT can review it. Questions: {contact(policy)}."],
        use_case=closest,
        logged_unmet=True,
    )


def _data_none_may_take(
    index: PolicyIndex, text: str, reading: Reading, tools: list[Tool]
) -> bool:
    """Whether the message holds pasted data (`pasted.has_pasted_data`) that no tool
    recommended for the job may receive. Data only named ("this email from the client",
    "the published annual report") is weighed by the tools' caveats, not refused: what the
    words name is often not what the class is about."""
    policy = index.policy
    wanted = policy.data_rank(reading.data_class)
    if wanted is None or not tools or not has_pasted_data(text):
        return False
    return all((policy.data_rank(t.max_data_class) or 0) < wanted for t in tools)


def similar_tools(
    index: PolicyIndex, text: str
) -> tuple[list[compose.ToolAdvice], UseCaseRef | None]:
    """Approved tools for the work the message describes, or the standard toolset."""
    best = top(index, text)
    if best is not None and fits(index, best):
        return compose.recommend(index.policy, best.id), use_case_ref(index, best)
    standard = [t for t in index.policy.tools if t.status is Status.STANDARD][: compose.MAX_TOOLS]
    return [compose.advise(index.policy, t, t.summary) for t in standard], None


def job_after_all(index: PolicyIndex, text: str, hit: SmallTalkHit) -> bool:
    """ "what can I use to make a logo": small-talk words around a word of one of the
    policy's jobs, and the matcher confidently sees that job."""
    if hit.job_words == 0 or hit.score >= _CLEAR_SMALL_TALK:
        return False
    best = top(index, text)
    if best is None or not fits(index, best):
        return False
    # Only for a job the policy can answer: "no approved tool" is no better than help.
    return any(
        best.id in t.good_for and t.status in RECOMMENDABLE for t in index.policy.tools
    )
