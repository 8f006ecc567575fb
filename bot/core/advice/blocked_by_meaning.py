"""A request a red line forbids in its own words: the learned decision behind the triggers.

Literal triggers (`blocking`) are precise; behind them each red line that holds for the
tools named is weighed against the message by the learned decision (`block_decision`,
shipped weights), and the constant floor of `ForbiddenUses.blocks` still blocks what it
finds. One request is weighed once (`Weighing`): the refusal reads its likeliest line, the
blocked answer every line it found.
"""

from __future__ import annotations

import re

import numpy as np

from bot.core.advice import block_decision
from bot.core.advice.broken_asks import skipped_asks
from bot.core.advice.index import PolicyIndex
from bot.core.advice.lookups import fits, top
from bot.core.advice.named_requests import block_cutoff
from bot.core.forbidden_uses import about_a_topic, mentions_a_topic
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders, has_pasted_data, without_placeholders
from bot.core.published import reads_published
from bot.core.question_frames import without_question_frame
from bot.core.reading import Ask, Reading
from bot.core.redline_forbids import forbids, holds_for
from bot.core.redline_mentions import CLAUSE, FILLER
from bot.core.redline_themes import puts_data_in
from bot.core.rule_statements import restated_lines, states_a_rule
from bot.policy.models import Tool

#: The asks a red line can forbid: a job, a data check, a tool asked to do something.
WEIGHED_ASKS = (Ask.DATA_CHECK, Ask.USE_CASE, Ask.TOOL_STATUS)


class Weighing:
    """The learned decision for one request, weighed at most once.

    `blocking` weighs a request to refuse it (the likeliest line), and a blocked answer
    gives every line the decision found (`answer_blocked`): the advisor hands both this one
    object, so every red line is weighed once per request (twice cost the slowest answers
    about 3 ms). Lazy: a request a trigger refuses is weighed only if it is answered
    `blocked`. While the bench records features to fit, every call weighs afresh.
    """

    __slots__ = ("_lines", "index", "reading", "text")

    def __init__(self, index: PolicyIndex, text: str, reading: Reading) -> None:
        self.index, self.text, self.reading = index, text, reading
        self._lines: list[tuple[str, float, float]] | None = None

    @property
    def weighed(self) -> bool:
        """Whether the decision has weighed this request yet."""
        return self._lines is not None

    def lines(self) -> list[str]:
        """Every red line the learned decision finds forbids the request, likeliest first
        ([] without weights, or for a request the decision does not weigh)."""
        return [i for i, chance, cutoff in self._weighed() if chance >= cutoff]

    def also(self) -> list[str]:
        """The likeliest line below the cut-off, when at least `block_decision.ALSO_SHOWN`
        likely: shown beside a refusal, it refuses nothing ("drop the claimant spreadsheet
        into AI and have it find who is committing fraud" is refused by the personal-data
        line and also shown the line that keeps judgment with people). One at most: five
        lines under a refusal are read as none."""
        weighed = self._weighed()
        # another line keeping out the same class as a refusing one is that class's other
        # data, not this message's ("the admin password" of Red data is no student PII)
        kept_out = self.index.lexicon.data.class_of_line
        classes = {kept_out.get(i) for i, chance, cutoff in weighed if chance >= cutoff}
        return [i for i, chance, cutoff in weighed
                if block_decision.ALSO_SHOWN <= chance < cutoff
                and (i not in kept_out or kept_out[i] not in classes)][:1]

    def _weighed(self) -> list[tuple[str, float, float]]:
        """(line, chance, cut-off) for every line the decision weighed, likeliest first."""
        if self._lines is None or block_decision.recording():
            self._lines = _weigh(self.index, self.text, self.reading)
        return self._lines


def blocked_by_meaning(weighing: Weighing) -> list[str]:
    """The red line whose forbidden act the message asks for in its own words
    (`bot.core.forbidden_uses`), when no trigger fired: "have the AI figure out what
    sentence he should get" of "AI is never engaged in a judge's decision-making".

    Behind the literal triggers (precise) and held to the same rules: a request, not a
    question about a tool alone; a red line written for some tools only when one is named;
    not a topic or a negated mention. Reuses the vector the matcher computed for ranking.
    The learned decision (`block_decision`, shipped weights) weighs every red line first;
    the constant floor of `ForbiddenUses.blocks` still blocks what it finds.
    """
    index, text, reading = weighing.index, weighing.text, weighing.reading
    vector = _weighed_vector(index, text, reading)
    if vector is None:
        return []
    if block_decision.model() is not None or block_decision.recording():
        learned = weighing.lines()
        if learned:
            return learned[:1]
    # The constant floor (precise, fitted to the first dev sets) still blocks what it finds.
    uses = index.forbidden
    named = [t for t in (index.policy.tool(i) for i in reading.tool_ids) if t]
    found = uses.nearest(vector, [(t.id, t.status.value) for t in named])
    if found is None:
        return []
    line_id, score = found
    best = top(index, text)
    if not uses.blocks(score, best.score if best is not None else 0.0):
        return []
    if uses.mentioned_only_as_topic(line_id, text) or line_id in restated_lines(
            text, index.policy.red_lines):
        return []
    return [line_id]


def _weigh(index: PolicyIndex, text: str, reading: Reading) -> list[tuple[str, float, float]]:
    """(line, chance, cut-off) for every line the learned decision weighed, likeliest
    first: `Weighing` reads which forbid the request and which are only shown."""
    vector = _weighed_vector(index, text, reading)
    weights = block_decision.model()
    if vector is None or (weights is None and not block_decision.recording()):
        return []
    named = [t for t in (index.policy.tool(i) for i in reading.tool_ids) if t]
    return _learned(index, text, reading, vector, named, weights)


def _weighed_vector(index: PolicyIndex, text: str, reading: Reading) -> np.ndarray | None:
    """The message's vector when the request is one a red line may forbid by meaning:
    an allowed ask, and for a tool's status an act asked of it."""
    if not index.forbidden.ids or reading.ask not in WEIGHED_ASKS:
        return None
    if reading.ask is Ask.TOOL_STATUS and not asks_an_act(index, text):
        return None  # "copilot?", "is chatgpt allowed at work": about the tool alone
    if reads_published(text):
        return None  # "summarise the public report on collisions": about what it says
    return _message_vector(index, text)


def _learned(index: PolicyIndex, text: str, reading: Reading, vector: np.ndarray,
             named: list[Tool], weights: block_decision.BlockModel | None
             ) -> list[tuple[str, float, float]]:
    """How likely the learned decision (`block_decision`) finds each red line forbids the
    request, with the cut-off for this request, among the lines that hold for the tools
    named and that the message neither negates nor only names as a topic."""
    uses = index.forbidden
    policy = index.policy
    by_id = {r.id: r for r in policy.red_lines}
    lines = [by_id[i] for i in uses.ids]
    best = top(index, text)
    job_fits = fits(index, best)
    # No tool named: the tools the answer would recommend for the job are the ones asked
    # to do it ("summarise the board paper we have not published" where a line holds for
    # the approved chat service, the job's tool); no job fits either: any tool the policy
    # recommends may be the one asked ("draft the policy paper on new fare rules").
    tools = named or ([t for _, t in policy.recommendable.get(best.id, ())]
                      if best is not None and job_fits else
                      [t for jobs in policy.recommendable.values() for _, t in jobs])
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
    # A negation inside a rule the message states is the rule, not a refusal to comply:
    # "a reminder that client data must never go into other AI tools".
    refuses = negated & ~forbidding & (not states_a_rule(text))
    skips = bool(_SKIPS.search(_KEPT_PRIVATE.sub(" ", normalize(text)))) | refuses | broken
    holds &= forbidding | skips
    # A topic ("a workshop on spotting misinformation") is no request, nor a message that
    # states the line's rule ("a slide on why staff must never paste client data").
    if not holds.any() or about_a_topic(text):
        return []
    said = restated_lines(text, lines)
    holds &= ~np.asarray([i in said for i in uses.ids])
    if not holds.any():
        return []
    reader = index.lexicon.red_line_matcher
    data_lines = np.asarray([i in reader.data_lines for i in uses.ids])
    # "I've stripped out everything identifying", "no patient stuff in them": data the
    # message says identifies no one is no request to put what a data line keeps out
    if index.lexicon.data.says_none_left(text):
        holds &= ~data_lines
        if not holds.any():
            return []
    # Nearer to what a forbidden act is done to than to the act ("a memo on case note
    # standards" of "fabricate case notes") is weighed by the decision (`object_gap`), not
    # vetoed: a request for the act names its object too, often in more words ("use AI to
    # write up the probable cause declaration, I'll sign under penalty of perjury after"
    # is nearer to the reports than to having AI write what an officer attests).
    measures = uses.measures(vector)
    rest = index.lexicon.without_tool_names(describe_placeholders(text))
    own, themes = set(reader.own.triggered(rest)), set(reader.acts.triggered(rest))
    # A line the tool's own name triggers ("public AI tools" of "no public AI tools") is
    # no line the request triggers: "whats the deal with public AI tools, can we use
    # any of them?" asks for the tool's status (as `blocking` reads literal triggers)
    by_names = (set(index.lexicon.red_lines_in(describe_placeholders(text)))
                - set(index.lexicon.red_lines_in(rest))) if named else set()
    ids = uses.ids
    features = block_decision.line_features(
        measures,
        use_case=best.score if best is not None else 0.0,
        job_fits=job_fits,
        words=block_decision.message_words(rest),
        line_words=[a | b for a, b in zip(uses.words, uses.rule_words, strict=True)],
        own_hits=[i in own for i in ids],
        theme_hits=[i in themes for i in ids],
        in_reading=[i in reading.red_lines and i not in by_names for i in ids],
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
    # a named tool told to do the work needs only the likelier reading (`named_requests`)
    cutoff = block_cutoff(weights.cutoff, text, reading, named)
    return [(ids[i], float(chances[i]), cutoff) for i in order if holds[i]]


#: A request that says it will not do what a red line asks: skip it, go around it, do it
#: on one's own account, device or address, or leave nobody the wiser.
_SKIPS = re.compile(
    r"\b(?:without|skip\w*|bypass\w*|instead of|rather than|nobody|no one|no body|"
    r"not have to|do not have to|does not have to|never mind|straight|directly|"
    r"my own|her own|his own|our own|personal|private|home|gmail|hotmail|yahoo|"
    r"whatever it says|as is|sign off|just use|just send|just post|just sign|just ship|"
    r"can not tell|cannot tell|not know|not say|say so|strip|hide|"
    r"no need|(?:no|not have) time(?= (?:to|for \w+ to) )(?! to (?:read|look|go through))|"
    r"not bother|will not care|"
    r"as if|even though|as it is|as it comes|word for word|unchanged|unchecked|unread)\b"
)


#: "does it keep what I type private?", "so it stays private": privacy asked for, not a
#: private account or device used to go around a rule.
_KEPT_PRIVATE = re.compile(
    r"\b(?:keep|keeps|kept|keeping|stay|stays|remain|remains|is|are)\b(?:\W+\w+){0,4}?\W+"
    r"(?:private|confidential)\b(?!\s+(?:account|accounts|email|gmail|laptop|phone|device|pc))"
)


#: Words of a question about a tool itself ("is copilot ok for work?", "how do I get
#: access"): what is left besides them is the act asked of the tool, if any.
_ABOUT_THE_TOOL = frozenset(
    "allowed allow ok okay approved approve permitted fine use using used work access get "
    "install installed sign signed license licence cost costs price available safe good "
    "bad yay nay legit able can could should may might will would do does did how what "
    "which where when who why there here it stuff things thing anything something "
    "version account plus pro free paid yes no whats deal story status situation any "
    "them they all still now anymore banned blocked prohibited forbidden option options "
    "policy rules verdict "
    # how one gets at the tool: on which device or account, bought by whom
    "personal own my phone mobile laptop computer device home subscription app login "
    "buy purchase pay licenses licences".split()
)


def asks_an_act(index: PolicyIndex, text: str) -> bool:
    """Whether a message that names a tool asks it to do something: at least two words
    besides the tool's names, function words, words about the tool itself and words that
    ask the concierge to answer ("can you tell me if ...": `without_question_frame`)."""
    asked = without_question_frame(describe_placeholders(text))
    words = normalize(index.lexicon.without_tool_names(asked)).split()
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
