"""Decide the answer to one message against one policy version. Pure and synchronous.

The concierge (async, logging) calls `advise_message`; tests and the benchmark
can call it directly with a `PolicyIndex` and no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace

from bot.core import compose, meta_answers, unlisted
from bot.core.lexicon import (
    PolicyLexicon,
    describe_placeholders,
    has_pasted_data,
    without_placeholders,
)
from bot.core.matching.base import Intent, MatcherBackend, SavedVectors, Scored
from bot.core.matching.embedder import in_message_scope, message_scope
from bot.core.redline_themes import puts_data_in
from bot.core.redlines import forbids
from bot.core.replies import Answer, AskedTool, DataVerdict, RedLineNote, ToolAdvice, UseCaseRef
from bot.core.smalltalk import Embed, SmallTalkHit
from bot.core.understand import Ask, Reading, read_message
from bot.core.wording import data_words
from bot.policy.models import RECOMMENDABLE, STATUS_RANK, Policy, RedLine, Status, Tool

__all__ = ["CLOSE_FACTOR", "PolicyIndex", "advise_message", "build_index", "policy_intents"]

#: An unmet ask whose best score reaches this share of the threshold is "close":
#: the nearest use case is offered as an alternative, clearly labelled as such.
CLOSE_FACTOR = 0.75
#: A small-talk match this close to a bank example is small talk whatever the matcher says.
_CLEAR_SMALL_TALK = 0.75
#: The best use case of each text ranked while answering one message (`advise_message`):
#: several branches ask for the same text's, and ranking embeds it.
_TOPS: ContextVar[dict[str, Scored | None] | None] = ContextVar("tops", default=None)


@dataclass(frozen=True)
class PolicyIndex:
    """Everything needed to answer against one policy version, built once per version."""

    version: int
    policy: Policy
    lexicon: PolicyLexicon
    matcher: MatcherBackend
    threshold: float


def policy_intents(policy: Policy) -> list[Intent]:
    """The use cases as matcher intents; negatives are the use case's counter-examples and
    what the tools doing it are not good for ("compose music" is not "transcribe audio")."""
    intents = []
    for use_case in policy.use_cases:
        negatives = list(use_case.counter_examples)
        for tool in policy.tools:
            if use_case.id in tool.good_for:
                negatives.extend(n for n in tool.not_good_for if n not in negatives)
        intents.append(
            Intent(
                use_case.id, use_case.name, use_case.description, tuple(use_case.examples),
                tuple(negatives),
            )
        )
    return intents


def build_index(
    version: int,
    policy: Policy,
    make_matcher: Callable[[], MatcherBackend],
    threshold: float | None = None,
    saved: SavedVectors | None = None,
) -> PolicyIndex:
    """Fit a fresh matcher on the policy. The threshold is, in order: the operator's
    MATCH_THRESHOLD (`threshold`), the policy's `meta.match_threshold`, the matcher's own
    (calibrated per policy by the hybrid). `saved`: vectors stored for this policy."""
    matcher = make_matcher()
    intents = policy_intents(policy)
    if saved is not None and hasattr(matcher, "saved"):
        matcher.fit(intents, saved)  # type: ignore[call-arg]
    else:
        matcher.fit(intents)
    if threshold is None:
        threshold = policy.meta.match_threshold
    return PolicyIndex(
        version=version,
        policy=policy,
        lexicon=PolicyLexicon(policy),
        matcher=matcher,
        threshold=matcher.default_threshold if threshold is None else threshold,
    )


def _languages(matcher: MatcherBackend) -> tuple[str, ...]:
    """ISO codes of the languages the matcher's model reads (its manifest's `languages`)."""
    declared = getattr(matcher, "languages", None)
    if declared is None:
        model = getattr(matcher, "_model", None)  # the embedding backends' embedder
        try:
            declared = getattr(model(), "languages", None) if model is not None else None
        except Exception:  # the model failed to load: the matcher reports that itself
            declared = None
    return tuple(declared or ("en",))


def _embedding(matcher: MatcherBackend) -> tuple[Embed, str] | None:
    """The matcher's sentence embedder (embed function, model id), if it has one."""
    embed = getattr(matcher, "embed", None)
    model_id = getattr(matcher, "model_id", None)
    if embed is None:
        return None
    if model_id is None:
        model = getattr(matcher, "_model", None)  # SemanticMatcher's embedder
        try:
            model_id = model().model_id if model is not None else None
        except Exception:  # the model failed to load: the matcher reports that itself
            return None
    if not isinstance(model_id, str):
        return None
    return (lambda texts: embed(texts, cache=False)), model_id


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _contact(policy: Policy) -> str:
    return policy.meta.contact or "your IT team"


def _top(index: PolicyIndex, text: str) -> Scored | None:
    key = without_placeholders(text)
    tops = _TOPS.get()
    if tops is not None and key in tops:
        return tops[key]
    ranked = index.matcher.rank(key, k=1)
    top = ranked[0] if ranked else None
    if tops is not None:
        tops[key] = top
    return top


def _use_case_ref(index: PolicyIndex, scored: Scored) -> UseCaseRef:
    use_case = index.policy.use_case(scored.id)
    return UseCaseRef(scored.id, use_case.name if use_case else scored.id, round(scored.score, 4))


def _answer_use_case(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    policy = index.policy
    top = _top(index, text)
    if top is not None and top.score >= index.threshold:
        ref = _use_case_ref(index, top)
        tools = compose.recommend(policy, top.id, data_class=reading.data_class, message=text)
        tool_models = [t for t in (policy.tool(a.id) for a in tools) if t]
        about_job = index.lexicon.use_case_red_lines(top.id)
        red_lines = compose.red_line_notes(
            policy, [*reading.red_lines, *about_job], tool_models
        )
        if tools:
            return compose.build(
                "answered",
                f"{_capital(compose.job_phrase(ref.name))}, use:",
                tools=tools,
                red_lines=red_lines,
                use_case=ref,
            )
        pending = [
            t.name for t in policy.tools if top.id in t.good_for and t.status is Status.UNDER_REVIEW
        ]
        body = [f"No tool is approved {compose.job_phrase(ref.name)} yet."]
        if pending:
            body.append(f"Under review, not yet allowed: {', '.join(pending)}.")
        answer = compose.build(
            "unmet",
            "No approved tool for this yet.",
            body=body,
            red_lines=red_lines,
            notes=[f"I've logged your request so IT can review it. Questions: {_contact(policy)}."],
            use_case=ref,
            logged_unmet=True,
        )
        return replace(answer, extra={"unmet_reason": "no_approved_tool"})
    forbidding = _forbids_any_job(index, text, reading)
    if forbidding:
        return _answer_blocked(index, text, reading, forbidding)
    alternatives = []
    closest = None
    if top is not None and top.score >= index.threshold * CLOSE_FACTOR:
        closest = _use_case_ref(index, top)
        alternatives = compose.recommend(
            policy, top.id, data_class=reading.data_class, message=text
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
        notes=[f"I've logged your request so IT can review it. Questions: {_contact(policy)}."],
        use_case=closest,
        logged_unmet=True,
    )


def _forbids_any_job(index: PolicyIndex, text: str, reading: Reading) -> list[str]:
    """Red lines the message triggers that forbid it whatever the tool, when no job fits.

    Such a request ("make a meme humiliating a coworker") is no demand for a tool IT should
    approve: it gets the red line (`blocked`), not an unmet entry. A red line written for
    some tools only does not count (no tool was named or matched), nor one about data
    unless the message puts that data in: "how can I request a new credit card" is an
    errand about a card, not card data going into an AI tool.
    """
    puts_in = puts_data_in(text) or has_pasted_data(text)
    data_lines = set() if puts_in else index.lexicon.red_line_matcher.data_lines
    return [line.id for line in index.policy.red_lines
            if line.id in reading.red_lines and line.id not in data_lines
            and not line.applies_to and forbids(line)]


def _similar_tools(
    index: PolicyIndex, text: str
) -> tuple[list[compose.ToolAdvice], UseCaseRef | None]:
    """Approved tools for the work the message describes, or the standard toolset."""
    top = _top(index, text)
    if top is not None and top.score >= index.threshold:
        return compose.recommend(index.policy, top.id), _use_case_ref(index, top)
    standard = [t for t in index.policy.tools if t.status is Status.STANDARD][: compose.MAX_TOOLS]
    return [compose.advise(index.policy, t, t.summary) for t in standard], None


def _answer_tool_status(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    policy = index.policy
    if not reading.tool_ids:
        return _answer_unlisted(index, text, reading)
    if reading.family and len(reading.tool_ids) > 1:
        return _answer_family(index, reading)
    tool = policy.tool(reading.tool_ids[0])
    assert tool is not None  # the reading names only tools of this policy
    red_lines = compose.red_line_notes(policy, reading.red_lines, [tool])
    asked = AskedTool(name=tool.name, id=tool.id, status=tool.status.value)
    siblings = [
        f"{t.name} ({compose.STATUS_LABELS[t.status.value].lower()})"
        for t in (policy.tool(i) for i in index.lexicon.siblings(tool.id, text))
        if t
    ]
    also = [f"Also in the policy: {', '.join(siblings)}."] if siblings else []
    if tool.status in RECOMMENDABLE:
        uses = [u.name for u in (policy.use_case(g) for g in tool.good_for) if u]
        body = [f"Good for: {compose.short_list(uses)}."] if uses else []
        if tool.status is Status.PILOT:
            body.append("It is in a pilot: access may be limited to pilot groups.")
        body.extend(also)
        body.extend(
            f"But mind the red line below: {r.title}."
            for r in policy.red_lines
            if r.id in reading.red_lines and forbids(r)
        )
        return compose.build(
            "tool_status",
            f"Yes: {tool.name} {compose.STATUS_VERDICTS[tool.status.value]}.",
            body=body,
            tools=[compose.advise(policy, tool, tool.summary, caveats=tool.not_good_for[:3])],
            red_lines=red_lines,
            asked_tool=asked,
        )
    verdict = (
        "prohibited" if tool.status is Status.PROHIBITED else "under review and not yet allowed"
    )
    alternatives = compose.alternatives_for(policy, tool)
    return compose.build(
        "tool_status",
        f"No: {tool.name} is {verdict}.",
        body=[tool.summary, *also],
        alternatives=alternatives,
        red_lines=red_lines,
        asked_tool=asked,
    )


def _answer_unlisted(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    """A tool the policy does not list: its rule for unlisted tools, and what to use instead."""
    policy = index.policy
    name = reading.unknown_tool or "That tool"
    product = reading.product
    body: list[str] = []
    categories = unlisted.category_tools(policy, product) if product else []
    if categories:
        entry = categories[0]
        status = compose.STATUS_LABELS[entry.status.value].lower()
        body.append(f"The policy covers it under “{entry.name}”: {status}. {entry.summary}")
    rule = unlisted.unlisted_rule(policy)
    if rule:
        body.append(rule)
    elif not categories:
        body.append(
            "Please don't use it with company data. You can ask IT to review it: "
            f"{_contact(policy)}."
        )
    same = unlisted.same_kind_tools(policy, product, index.lexicon.tool_kinds) if product else []
    ref = None
    if same:
        similar = [compose.advise(policy, t, compose.first_sentence(t.summary)) for t in same]
        similar = similar[: compose.MAX_TOOLS]
    else:
        similar, ref = _similar_tools(index, text.replace(name, " "))
    lines = [*reading.red_lines, *(r.id for r in unlisted.unlisted_red_lines(policy))]
    lines.extend(r.id for t in categories for r in policy.red_lines if t.id in r.applies_to)
    # A category entry that covers the product ("Third-party AI meeting bots") is the
    # policy's answer about it.
    asked = (
        AskedTool(name=name, id=categories[0].id, status=categories[0].status.value)
        if categories
        else AskedTool(name=name)
    )
    answer = compose.build(
        "tool_status",
        f"{name} is not in our AI tool policy, so it is not approved.",
        body=body,
        alternatives=similar,
        red_lines=compose.red_line_notes(policy, dict.fromkeys(lines)),
        asked_tool=asked,
        use_case=ref,
    )
    if product is not None:
        extra = {"product": {"name": product.name, "vendor": product.vendor, "kind": product.kind}}
        answer = replace(answer, extra=extra)
    return answer


def policy_kind_label(product: unlisted.Product) -> str:
    return unlisted.catalogue().kind_label(product)


def _answer_family(index: PolicyIndex, reading: Reading) -> Answer:
    """ "ChatGPT" when the policy lists several ChatGPT editions: each one and its status."""
    policy = index.policy
    members = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    members.sort(key=lambda t: STATUS_RANK[t.status])
    usable = [t for t in members if t.status in RECOMMENDABLE]
    body = [
        f"{t.name}: {compose.STATUS_LABELS[t.status.value].lower()}. {t.summary}"
        for t in members
        if t.status not in RECOMMENDABLE
    ]
    tools = [compose.advise(policy, t, t.summary, caveats=t.not_good_for[:2]) for t in usable]
    best = members[0]
    family = reading.family or best.name
    headline = (
        f"The policy lists {len(members)} kinds of {family_display(family, members)}: "
        "check which one you have."
    )
    return compose.build(
        "tool_status",
        headline,
        body=body,
        tools=tools,
        red_lines=compose.red_line_notes(policy, reading.red_lines, members),
        asked_tool=AskedTool(name=best.name, id=best.id, status=best.status.value),
    )


def family_display(family: str, members: list[Tool]) -> str:
    """The family as the policy spells it ("ChatGPT", not "chatgpt")."""
    for tool in members:
        for name in (tool.name, *tool.aliases):
            start = name.lower().replace("-", " ").find(family)
            if start >= 0:
                return name[start : start + len(family)]
    return family


def _job_after_all(index: PolicyIndex, text: str, hit: SmallTalkHit) -> bool:
    """ "what can I use to make a logo": small-talk words around a word of one of the
    policy's jobs, and the matcher confidently sees that job."""
    if hit.job_words == 0 or hit.score >= _CLEAR_SMALL_TALK:
        return False
    top = _top(index, text)
    if top is None or top.score < index.threshold:
        return False
    # Only for a job the policy can answer: "no approved tool" is no better than help.
    return any(
        top.id in t.good_for and t.status in RECOMMENDABLE for t in index.policy.tools
    )


def _answer_blocked(index: PolicyIndex, text: str, reading: Reading, lines: list[str]) -> Answer:
    """A request a red line forbids: the red line and its why, never an unmet entry."""
    policy = index.policy
    # The red line IT wrote a trigger for leads ("humiliate": harassing others) before
    # one that only a theme of its wording reaches ("harmful material").
    own = set(index.lexicon.red_line_matcher.own.triggered(describe_placeholders(text)))
    rules = sorted(
        (r for r in policy.red_lines if r.id in lines), key=lambda r: r.id not in own
    )
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
    top = _top(index, text)
    ref = _use_case_ref(index, top) if top is not None and top.score >= index.threshold else None
    return compose.build(
        "blocked",
        f"No: {compose.first_sentence(rules[0].title).rstrip('.')}.",
        body=[rules[0].rule],
        red_lines=notes,
        notes=[f"Questions about this rule: {_contact(policy)}."],
        use_case=ref,
        asked_tool=asked,
        data_check=verdict,
    )


def _blocking(index: PolicyIndex, text: str, reading: Reading) -> list[str]:
    """Red lines the message triggers that forbid the request for the tool it names.

    Only triggers outside the tool's name, written as in the trigger, block: "is
    free ChatGPT ok for agendas?" is a data check even where "free chatgpt" triggers
    a red line, and "what they decided" does not block on a "decide" trigger. A
    red line about data (its rule names data, not an act) blocks a job only when the
    message puts the data in ("upload the patient list to ..."); then a trigger
    derived from its data classes or themes blocks too, if the red line holds for
    every tool.
    """
    if reading.ask not in (Ask.DATA_CHECK, Ask.USE_CASE):
        return []  # "is X ok for grading?" is answered about X, pointing at the red line
    rest = index.lexicon.without_tool_names(describe_placeholders(text))
    reader = index.lexicon.red_line_matcher
    found = {*reader.own.triggered(rest, literal=True), *reader.acts.triggered(rest, literal=True)}
    policy = index.policy
    puts_in = puts_data_in(text)
    if reading.ask is not Ask.DATA_CHECK and not puts_in:
        found -= reader.data_lines
    if reading.ask is Ask.USE_CASE and puts_in:
        data_hits = set(reader.data.triggered(rest, literal=True))
        found.update(r.id for r in policy.red_lines if not r.applies_to and r.id in data_hits)
    triggered = set(reading.red_lines) & found
    tools = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    return [line.id for line in policy.red_lines
            if line.id in triggered and forbids(line) and _holds_for(line, tools)]


def _answer_data_check(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    policy = index.policy
    data_cls = policy.data_class(reading.data_class)
    phrase = reading.data_phrase or "that data"
    if not reading.tool_ids:
        name = reading.unknown_tool or "That tool"
        lines = [*reading.red_lines, *(r.id for r in unlisted.unlisted_red_lines(policy))]
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
    red_lines = compose.red_line_notes(policy, reading.red_lines, [tool])
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
            f"Please check with {_contact(policy)} before you share it."
        )
    elif limit is None:
        allowed, reason = None, "tool data limit not stated"
        headline = (
            f"The policy doesn't state which data {tool.name} may receive, so I can't say yes "
            f"for {data_words(data_cls.label)}. Ask {_contact(policy)} before you share it."
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
    line = _forbidding_line(index, text, reading, tool) if allowed is not False else None
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


def _forbidding_line(
    index: PolicyIndex, text: str, reading: Reading, tool: Tool
) -> RedLine | None:
    """A red line that forbids, holds for this tool, and that the message triggers outside
    the tool's own name ("free ChatGPT" naming the tool is not the data)."""
    return _kept_out(index, text, reading, [tool], index.lexicon.red_lines_in)


def _names_kept_out_data(index: PolicyIndex, text: str, reading: Reading) -> bool:
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
             if r.id in reading.red_lines and forbids(r) and _holds_for(r, tools)]
    if not lines:
        return None
    found = set(triggered(index.lexicon.without_tool_names(
        describe_placeholders(text, names=True))))
    return next((r for r in lines if r.id in found), None)


def _holds_for(line: RedLine, tools: Iterable[Tool]) -> bool:
    """Whether a red line holds for one of these tools: it names none (every tool), or
    one of them by id or status."""
    targets = line.applies_to
    return not targets or any(t.id in targets or t.status.value in targets for t in tools)


def advise_message(index: PolicyIndex, text: str) -> Answer:
    """The neutral answer to a clean, length-checked message, ideally already redacted.

    Redacted placeholders are understood: "[CARD]" is card data for data checks and
    red lines, and is ignored when matching the job to a use case.
    """
    token = _TOPS.set({})
    try:
        own = not in_message_scope()  # inside a replay's scope, the replay keeps them
        with message_scope() as embedded:
            answer = _advise(index, text)
    finally:
        _TOPS.reset(token)
    if own and embedded:
        return replace(answer, vectors=tuple(
            (model_id, embedded_text, vector.astype("<f4", copy=False).tobytes())
            for (model_id, embedded_text), vector in embedded.items()))
    return answer


def _advise(index: PolicyIndex, text: str) -> Answer:
    # A matcher whose model reads other languages says so (`languages`, ISO codes);
    # messages in those are answered like English ones.
    languages = _languages(index.matcher)
    reading = read_message(
        text, index.lexicon, languages=languages, embedding=_embedding(index.matcher)
    )
    policy = index.policy
    if reading.ask is Ask.HELP:
        return compose.help_answer(policy)
    if reading.ask is Ask.COMMAND:
        return meta_answers.command_answer(policy)
    if reading.ask is Ask.FOREIGN and reading.language is not None:
        return meta_answers.foreign_answer(policy, reading.language, languages)
    if reading.ask is Ask.SMALL_TALK and reading.small_talk is not None:
        if not _job_after_all(index, text, reading.small_talk):
            return meta_answers.small_talk_answer(policy, reading.small_talk)
        data_class = index.lexicon.data_class_of(describe_placeholders(text))
        reading = replace(reading, ask=Ask.USE_CASE, small_talk=None, data_class=data_class)
    if reading.ask is Ask.TOOL_STATUS and _names_kept_out_data(index, text, reading):
        # "can i give chatgpt the defendant's home address": a data check, not a status
        reading = replace(reading, ask=Ask.DATA_CHECK)
    blocking = _blocking(index, text, reading)
    if blocking:
        return _answer_blocked(index, text, reading, blocking)
    if reading.ask is Ask.TOOL_STATUS:
        return _answer_tool_status(index, text, reading)
    if reading.ask is Ask.DATA_CHECK:
        return _answer_data_check(index, text, reading)
    return _answer_use_case(index, text, reading)
