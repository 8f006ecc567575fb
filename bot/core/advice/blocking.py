"""When a red line forbids what the message asks, and the blocked answer it then gets.

A blocked request gets the red line and its why, never an unmet entry or a tool: these
checks decide which red lines the message triggers in a way that forbids it (outside the
tool's own name, for a tool the line holds for, with the data actually put in).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from bot.core import compose
from bot.core.advice import block_decision
from bot.core.advice.broken_asks import skipped_asks
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import contact, fits, top, use_case_ref
from bot.core.forbidden_uses import CONTRAST, about_a_topic, mentions_a_topic
from bot.core.matching.text import normalize
from bot.core.pasted import (
    describe_placeholders,
    has_pasted_data,
    pasted_code,
    without_placeholders,
)
from bot.core.reading import Ask, Reading
from bot.core.redline_mentions import CLAUSE, FILLER
from bot.core.redline_themes import puts_data_in
from bot.core.redlines import forbids, holds_for
from bot.core.replies import Answer, AskedTool, DataVerdict, RedLineNote
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
    literal = set(reader.triggered(describe_placeholders(text, names=True), literal=True))
    return [line.id for line in candidates if line.id in literal and line.id not in data_lines]


def answer_blocked(index: PolicyIndex, text: str, reading: Reading, lines: list[str]) -> Answer:
    """A request a red line forbids: the red line and its why, never an unmet entry."""
    policy = index.policy
    # Every line the learned decision finds forbids the request is given, not only the
    # one that refused it: a trigger of the records line, and the PII line for the names
    # pasted in. (Added here, not to the refusing lines: whether a message only asks if
    # its data may go in is read from those.)
    if not block_decision.recording():
        found = blocked_by_meaning(index, text, reading, every=True)
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


def blocking(index: PolicyIndex, text: str, reading: Reading) -> list[str]:
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
    every tool.
    """
    if reading.ask not in (Ask.DATA_CHECK, Ask.USE_CASE, Ask.TOOL_STATUS):
        return []
    rest = index.lexicon.without_tool_names(describe_placeholders(text))
    reader = index.lexicon.red_line_matcher
    found = {*reader.own.triggered(rest, literal=True), *reader.acts.triggered(rest, literal=True)}
    policy = index.policy
    puts_in = puts_data_in(text) or pasted_code(text)  # pasted code is put in
    if reading.ask is not Ask.DATA_CHECK and not puts_in:
        found -= reader.data_lines
    if reading.ask is not Ask.DATA_CHECK and puts_in:
        data_hits = set(reader.data.triggered(rest, literal=True))
        found.update(r.id for r in policy.red_lines if not r.applies_to and r.id in data_hits)
    triggered = set(reading.red_lines) & found
    tools = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    literal = [line.id for line in policy.red_lines
               if line.id in triggered and forbids(line) and holds_for(line, tools)]
    if literal and block_decision.recording():
        blocked_by_meaning(index, text, reading)  # fitting offline: every request's features
    return literal or blocked_by_meaning(index, text, reading)


def blocked_by_meaning(index: PolicyIndex, text: str, reading: Reading, *,
                       every: bool = False) -> list[str]:
    """The red line whose forbidden act the message asks for in its own words
    (`bot.core.forbidden_uses`), when no trigger fired: "have the AI figure out what
    sentence he should get" of "AI is never engaged in a judge's decision-making".

    Behind the literal triggers (precise) and held to the same rules: a request, not a
    question about a tool alone; a red line written for some tools only when one is named;
    not a topic or a negated mention. Reuses the vector the matcher computed for ranking.
    The learned decision (`block_decision`, shipped weights) weighs every red line first;
    the constant floor of `ForbiddenUses.blocks` still blocks what it finds. `every`:
    every line the learned decision finds forbids the request, likeliest first (the
    lines a blocked answer gives), no floor.
    """
    uses = index.forbidden
    if not uses.ids or reading.ask not in (Ask.DATA_CHECK, Ask.USE_CASE, Ask.TOOL_STATUS):
        return []
    if reading.ask is Ask.TOOL_STATUS and not _asks_an_act(index, text):
        return []  # "copilot?", "is chatgpt allowed at work": about the tool alone
    vector = _message_vector(index, text)
    if vector is None:
        return []
    policy = index.policy
    named = [t for t in (policy.tool(i) for i in reading.tool_ids) if t]
    weights = block_decision.model()
    if weights is not None or block_decision.recording():
        learned = _learned_once(index, text, reading, vector, named, weights)
        if learned or every:
            return learned if every else learned[:1]
    if every:
        return []
    # The constant floor (precise, fitted to the first dev sets) still blocks what it finds.
    found = uses.nearest(vector, [(t.id, t.status.value) for t in named])
    if found is None:
        return []
    line_id, score = found
    best = top(index, text)
    if not uses.blocks(score, best.score if best is not None else 0.0):
        return []
    return [] if uses.mentioned_only_as_topic(line_id, text) else [line_id]


#: The learned decision's lines for the last request weighed. A blocked answer gives every
#: line the decision found (`answer_blocked`), after `blocking` has weighed the same request
#: to refuse it: weighing every red line twice cost the slowest answers about 3 ms (answer
#: path p99 17.6 -> 21.0 ms). One entry, swapped whole, so threads never see half of one.
_last_weighed: tuple[PolicyIndex, str, Reading, list[str]] | None = None


def _learned_once(index: PolicyIndex, text: str, reading: Reading, vector: np.ndarray,
                  named: list[Tool], weights: block_decision.BlockModel | None) -> list[str]:
    """`_learned`, weighed once per request (never cached while recording features to fit)."""
    global _last_weighed
    last = _last_weighed
    if (last is not None and last[0] is index and last[1] == text and last[2] == reading
            and not block_decision.recording()):
        return list(last[3])
    learned = _learned(index, text, reading, vector, named, weights)
    _last_weighed = (index, text, reading, list(learned))
    return learned


def _learned(index: PolicyIndex, text: str, reading: Reading, vector: np.ndarray,
             named: list[Tool], weights: block_decision.BlockModel | None) -> list[str]:
    """The red line the learned decision (`block_decision`) finds forbids the request, among
    those that hold for the tools named and that the message neither negates nor only
    names as a topic."""
    uses = index.forbidden
    policy = index.policy
    by_id = {r.id: r for r in policy.red_lines}
    lines = [by_id[i] for i in uses.ids]
    best = top(index, text)
    job_fits = fits(index, best)
    # No tool named: the tools the answer would recommend for the job are the ones asked
    # to do it ("summarise the board paper we have not published" where a line holds for
    # the approved chat service, the job's tool).
    tools = named or ([t for _, t in policy.recommendable.get(best.id, ())]
                      if best is not None and job_fits else [])
    forbidding = np.asarray([forbids(line) for line in lines])
    negated = np.asarray([uses.negated_mention(line.id, text) for line in lines])
    # A negated mention of a line that forbids an act is no request for it ("ideas for the
    # meeting, not recording it"); of a line that asks for something it is the request
    # not to comply ("send it without checking" of "check outputs before using them").
    holds = np.asarray([holds_for(line, tools) for line in lines]) & (~negated | ~forbidding)
    # A red line that asks for something ("have a colleague check translations", "register
    # with your state e-mail") rather than forbidding it is broken only by a request that
    # says it will not comply: "translate this into German" is no request to skip the check.
    # ... or that skips the check or decision the line asks of a person (`broken_asks`).
    broken = skipped_asks(index, text, uses.ids)
    skips = bool(_SKIPS.search(normalize(text))) | (negated & ~forbidding) | broken
    holds &= forbidding | skips
    # A topic ("a workshop on spotting misinformation") is no request.
    if not holds.any() or about_a_topic(text):
        return []
    reader = index.lexicon.red_line_matcher
    data_lines = np.asarray([i in reader.data_lines for i in uses.ids])
    measures = uses.measures(vector)
    # Nearer to what a forbidden act is done to than to the act ("a memo on case note
    # standards" of "fabricate case notes"): about the object, not a request for the act.
    # Not for a line about data (the data is what goes in) nor one that asks for
    # something ("publish whatever Bard writes as our official Q&A, word for word"):
    # there the decision weighs it (`object_gap`).
    holds &= ~((measures["object_gap"] < CONTRAST) & forbidding & ~data_lines)
    if not holds.any():
        return []
    rest = index.lexicon.without_tool_names(describe_placeholders(text))
    own, themes = set(reader.own.triggered(rest)), set(reader.acts.triggered(rest))
    ids = uses.ids
    features = block_decision.line_features(
        measures,
        use_case=best.score if best is not None else 0.0,
        job_fits=job_fits,
        words=block_decision.message_words(rest),
        line_words=[a | b for a, b in zip(uses.words, uses.rule_words, strict=True)],
        own_hits=[i in own for i in ids],
        theme_hits=[i in themes for i in ids],
        in_reading=[i in reading.red_lines for i in ids],
        status_ask=reading.ask is Ask.TOOL_STATUS,
        data_ask=reading.ask is Ask.DATA_CHECK,
        tool_named=bool(named),
        for_some_tools=[bool(line.applies_to) for line in lines],
        # Only shortness counts: a few words are rarely a request a red line forbids, but
        # beyond SHORT_MESSAGE words length says how a set's writers phrase, not what is
        # asked (a question pasted 60 times must not read as a forbidden request).
        length=min(len(normalize(text).split()), block_decision.SHORT_MESSAGE),
        forbids=forbidding.tolist(),
        data_lines=data_lines.tolist(),
        puts_in=puts_data_in(text) or has_pasted_data(text),
        topic=mentions_a_topic(text),
        skips=skips.tolist(),
        line_topic=[uses.topic_mention(i, text) for i in ids],
        situation=broken.tolist(),
    )
    block_decision.record(text, tuple(i for i, h in zip(ids, holds, strict=True) if h),
                          features[holds])
    if weights is None:
        return []
    chances = np.where(holds, weights.probability(features), 0.0)
    order = np.argsort(-chances, kind="stable")
    return [ids[i] for i in order if chances[i] >= weights.cutoff]


#: A request that says it will not do what a red line asks: skip it, go around it, do it
#: on one's own account, device or address, or leave nobody the wiser.
_SKIPS = re.compile(
    r"\b(?:without|skip\w*|bypass\w*|instead of|rather than|nobody|no one|no body|"
    r"not have to|do not have to|does not have to|never mind|straight|directly|"
    r"my own|her own|his own|our own|personal|private|home|gmail|hotmail|yahoo|"
    r"whatever it says|as is|sign off|just use|just send|just post|just sign|just ship|"
    r"can not tell|cannot tell|not know|not say|say so|strip|hide|"
    r"no need|(?:no|not have) time(?! to (?:read|look|go through))|not bother|will not care|"
    r"as if|even though|as it is|as it comes|word for word|unchanged|unchecked|unread)\b"
)


#: Words of a question about a tool itself ("is copilot ok for work?", "how do I get
#: access"): what is left besides them is the act asked of the tool, if any.
_ABOUT_THE_TOOL = frozenset(
    "allowed allow ok okay approved approve permitted fine use using used work access get "
    "install installed sign signed license licence cost costs price available safe good "
    "bad yay nay legit able can could should may might will would do does did how what "
    "which where when who why there here it stuff things thing anything something "
    "version account plus pro free paid yes no".split()
)


def _asks_an_act(index: PolicyIndex, text: str) -> bool:
    """Whether a message that names a tool asks it to do something: at least two words
    besides the tool's names, function words and words about the tool itself."""
    words = normalize(index.lexicon.without_tool_names(describe_placeholders(text))).split()
    return sum(w not in FILLER and w not in CLAUSE and w not in _ABOUT_THE_TOOL
               for w in words) >= 2


def _message_vector(index: PolicyIndex, text: str) -> np.ndarray | None:
    """The message's job text as the matcher embeds it for ranking (inside the answer's
    `message_scope` the matcher's own call reuses it, or this reuses the matcher's)."""
    matcher = index.matcher
    job_texts = getattr(matcher, "job_texts", None)
    embed = getattr(matcher, "embed", None)
    if job_texts is None or embed is None:
        return None
    job = job_texts([without_placeholders(text)])[0]
    if not job.strip():
        return None
    return np.asarray(embed([job])[0], dtype=np.float32)


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
