"""The answer to "may I use X": the tool's status, a family's editions, or an unlisted tool.

A listed tool gets its verdict and what it is good for (or the approved alternatives); a
name several editions share ("ChatGPT") gets each edition; a product the policy does not
list gets the policy's rule for unlisted tools and approved tools of the same kind.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core import compose, unlisted
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import contact
from bot.core.advice.use_case import similar_tools
from bot.core.reading import Reading
from bot.core.redline_forbids import forbids
from bot.core.replies import Answer, AskedTool, ToolAdvice
from bot.policy.models import RECOMMENDABLE, STATUS_RANK, Policy, Status, Tool


def answer_tool_status(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    policy = index.policy
    if not reading.tool_ids:
        return _answer_unlisted(index, text, reading)
    if reading.family and len(reading.tool_ids) > 1:
        return _answer_family(index, reading)
    if len(reading.tool_ids) > 1:
        return _answer_several(index, text, reading)
    tool = policy.tool(reading.tool_ids[0])
    assert tool is not None  # the reading names only tools of this policy
    rule_lines, personal, sibling_tools = _rule_lines(index, text, tool)
    red_lines = compose.red_line_notes(
        policy, [*reading.red_lines, *rule_lines], [tool],
        concerning=[*index.scope.for_tools([tool]), *rule_lines],
        harmless=index.scope.unasked(text, reading.data_class, tool, personal=personal)
        - set(rule_lines),
    )
    asked = AskedTool(name=tool.name, id=tool.id, status=tool.status.value)
    siblings = [
        f"{t.name} ({compose.STATUS_LABELS[t.status.value].lower()})" for t in sibling_tools
    ]
    also = [f"Also in the policy: {', '.join(siblings)}."] if siblings else []
    if tool.status in RECOMMENDABLE:
        uses = _good_for(policy, tool)
        body = [f"Good for: {compose.short_list(uses)}."] if uses else []
        if tool.status is Status.PILOT:
            body.append("It is in a pilot: access may be limited to pilot groups.")
        body.extend(also)
        body.extend(
            f"But mind the red line below: {r.title}."
            for r in policy.red_lines
            if r.id in reading.red_lines and forbids(r)
        )
        headline = f"Yes: {tool.name} {compose.STATUS_VERDICTS[tool.status.value]}."
        if personal:
            headline = (
                f"Only the organization's {tool.name} {compose.STATUS_VERDICTS[tool.status.value]}"
                ": a personal or free account is not covered."
            )
            rule = unlisted.unlisted_rule(policy)
            body[:0] = [rule] if rule else []
        return compose.build(
            "tool_status",
            headline,
            body=body,
            tools=[_card(policy, tool)],
            red_lines=red_lines,
            asked_tool=asked,
        )
    alternatives = compose.alternatives_for(policy, tool)
    return compose.build(
        "tool_status",
        f"No: {tool.name} is {_not_allowed(tool)}.",
        body=[tool.summary, *also],
        alternatives=alternatives,
        red_lines=red_lines,
        asked_tool=asked,
    )


def _rule_lines(index: PolicyIndex, text: str, tool: Tool) -> tuple[list[str], bool, list[Tool]]:
    """The policy's rule lines for a personal edition of the tool or for its editions that
    are not approved; whether the message asks about a personal edition; those editions.

    "my free ChatGPT" when only the organization's ChatGPT is listed: the policy's rule
    for personal and unlisted tools applies to it; so it does to "ChatGPT" when one of its
    editions is not approved."""
    policy = index.policy
    spans = [(h.start, h.end) for h in index.lexicon.named(text).hits]
    siblings = [t for t in map(policy.tool, index.lexicon.siblings(tool.id, text)) if t]
    personal = tool.status in RECOMMENDABLE and unlisted.personal_edition(text, tool, spans)
    lines = (index.scope.for_personal_edition(tool) if personal
             else index.scope.for_personal(siblings))
    return list(lines), personal, siblings


def _answer_several(index: PolicyIndex, text: str, reading: Reading) -> Answer:
    """ "copilot vs chatgpt enterprise?", "are claude and chatgpt both allowed?": every tool
    named gets its verdict, in the order asked; none is dropped for the first (§2)."""
    policy = index.policy
    named = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    verdicts: list[str] = []
    body: list[str] = []
    cards: list[ToolAdvice] = []
    alternatives: list[ToolAdvice] = []
    rules: list[str] = []
    harmless: set[str] | None = None
    for tool in named:
        lines, personal, _ = _rule_lines(index, text, tool)
        rules.extend(i for i in lines if i not in rules)
        unasked = index.scope.unasked(text, reading.data_class, tool, personal=personal)
        # a line harmless for every tool named stays out unless the message triggers it
        harmless = set(unasked) if harmless is None else harmless & unasked
        if tool.status in RECOMMENDABLE:
            verdicts.append(f"{tool.name} {compose.STATUS_VERDICTS[tool.status.value]}")
            uses = _good_for(policy, tool)
            if uses:
                body.append(f"{tool.name} is good for: {compose.short_list(uses)}.")
            cards.append(_card(policy, tool))
        else:
            verdicts.append(f"{tool.name} is {_not_allowed(tool)}")
            body.append(f"{tool.name}: {tool.summary}")
            alternatives.extend(a for a in compose.alternatives_for(policy, tool)
                                if a.id not in reading.tool_ids
                                and a.id not in {x.id for x in alternatives})
    allowed = [t.status in RECOMMENDABLE for t in named]
    lead = "Yes: " if all(allowed) else "No: " if not any(allowed) else ""
    first = named[0]
    return compose.build(
        "tool_status",
        f"{lead}{'; '.join(verdicts)}.",
        body=body,
        tools=cards,
        alternatives=alternatives,
        red_lines=compose.red_line_notes(
            policy, [*reading.red_lines, *rules], named,
            concerning=[*index.scope.for_tools(named), *rules],
            harmless=frozenset((harmless or set()) - set(rules))),
        asked_tool=AskedTool(name=first.name, id=first.id, status=first.status.value),
    )


def _good_for(policy: Policy, tool: Tool) -> list[str]:
    """The names of the use cases the policy lists the tool as good for."""
    return [u.name for u in (policy.use_case(g) for g in tool.good_for) if u]


def _card(policy: Policy, tool: Tool) -> ToolAdvice:
    """An allowed tool asked about, with its first three limits."""
    return compose.advise(policy, tool, tool.summary, caveats=tool.not_good_for[:3])


def _not_allowed(tool: Tool) -> str:
    return "prohibited" if tool.status is Status.PROHIBITED else "under review and not yet allowed"


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
    # Without a written rule, an entry standing for such tools ("Personal AI accounts:
    # prohibited") is the policy's word on them.
    standing = next(
        (t for t in map(policy.tool, index.scope.entries) if t and t.status not in RECOMMENDABLE),
        None,
    )
    if rule:
        body.append(rule)
    elif standing is not None and not categories:
        status = compose.STATUS_LABELS[standing.status.value].lower()
        body.append(
            f"The policy's rule for {standing.name.lower()}: {status}. {standing.summary}"
        )
    elif not categories:
        body.append(
            "Please don't use it with company data. You can ask IT to review it: "
            f"{contact(policy)}."
        )
    same = _same_kind(index, reading)
    ref = None
    if same:
        similar = [compose.advise(policy, t, compose.first_sentence(t.summary)) for t in same]
        similar = similar[: compose.MAX_TOOLS]
    else:
        similar, ref = similar_tools(index, text.replace(name, " "))
    lines = [*reading.red_lines, *index.scope.for_unlisted(text, reading.data_class)]
    lines.extend(index.scope.for_tools(categories))
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


def alternatives_query(index: PolicyIndex, text: str, reading: Reading) -> str | None:
    """The text whose job an unlisted tool's answer ranks for approved alternatives (the
    message without the product's name), or None when that answer ranks nothing (it
    offers tools of the same kind) or the message is no question about an unlisted tool.
    The answer path embeds it along with its first model call (`advisor`)."""
    if reading.tool_ids or _same_kind(index, reading):
        return None
    return text.replace(reading.unknown_tool or "That tool", " ")


def _same_kind(index: PolicyIndex, reading: Reading) -> list[Tool]:
    product = reading.product
    if product is None:
        return []
    return unlisted.same_kind_tools(index.policy, product, index.lexicon.tool_kinds)


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
        # Editions not approved ("ChatGPT (personal accounts)"): the rule for them shows.
        red_lines=compose.red_line_notes(
            policy, reading.red_lines, members,
            concerning=[*index.scope.for_tools(members), *index.scope.for_personal(members)],
        ),
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
