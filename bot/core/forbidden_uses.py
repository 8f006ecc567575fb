"""Red lines read as forbidden uses: a request in the employee's own words is blocked by meaning.

A red line's triggers are the words IT thought of ("decide the case"); an employee asks
"have the AI figure out what sentence he should get". Each red line that forbids an act
(not data going in: that is decided by the data the message names) becomes a use the
policy forbids, described by its title, the act clauses of its rule ("must not use AI
to" left out, split at ";", ",", "or", "including") and its triggers, embedded once per
policy version with the use cases' texts (stored with them, so a cold `ask` does not
embed them again).

Sentence embeddings weigh what a text is about more than what is done to it: "draft a
memo on case note standards" is as near to "fabricate case notes" as a request to make
one up. So each act clause is also embedded without its verb ("case notes"), and a
message nearer to that object than to the act (by CONTRAST) is about the object.

A message is blocked by meaning when its nearest forbidden use scores at least FLOOR
(the blend of nearest example and centroid the matcher uses for use cases) and beats
the best approved use case's score by MARGIN: the red line then competes with the jobs
the policy approves, and "write a blog post" stays a writing job in a policy that
forbids "false or misleading content". The message's vector is the one the matcher
already computed for ranking (`embedder.message_scope`): no extra model call.

Why constants, not a per-policy calibrated floor: chosen leave-one-dev-set-out on the
dev sets (docs/benchmarks.md), a constant held up as well on the held-out set as a floor
taken per policy from the out-of-scope bank's scores. FLOOR 0.40 rather than the 0.35
that set favoured: CLINC150's ordinary requests asked of policies with red lines ("who
made you", "talk faster", "freeze my account") were blocked 4 times as often at 0.35.
The same bank's errands compete (BANK_MARGIN): a message about as near to one of them
as to the forbidden act is an errand.

Every red line is embedded this way (`acts` marks those that forbid an act): the constant
floor below reads the act lines only; the learned decision behind it
(`bot.core.advice.block_decision`) weighs every red line with `measures`.

Honest reach (docs/benchmarks.md): sentence embeddings of a small model separate a
forbidden act from approved work on the same topic only weakly, so this path adds a few
catches behind the literal triggers, not most of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.core.matching.calibration import out_of_scope_bank, uncovered_ai_jobs
from bot.core.matching.framing import without_ai_words
from bot.core.matching.message_scope import once_per_message
from bot.core.matching.text import normalize, stem_tokens
from bot.core.redline_forbids import forbids
from bot.core.redline_mentions import FILLER, negated, topic
from bot.core.redlines import RedLineReader
from bot.policy.models import Policy, RedLine

__all__ = [
    "BANK_MARGIN", "CONTRAST", "FLOOR", "MARGIN", "ForbiddenUses", "about_a_topic", "act_lines",
    "forbidden_examples", "mentions_a_topic",
]

#: Embeds policy texts (cached and stored with the version's vectors).
PolicyVectors = Callable[[Sequence[str]], np.ndarray]

#: The nearest forbidden use must score at least this (same blend as a use case's score).
FLOOR = 0.40
#: ... and beat the best approved use case's score by this much.
MARGIN = 0.05
#: The nearest act example must be at least this much nearer than the nearest object.
CONTRAST = 0.0
#: An ordinary errand of the out-of-scope bank at least this near to the message, less this
#: margin, than the nearest act example makes it an errand ("freeze my account", "book a
#: meeting room", "set a 5 minute timer" are no forbidden use of personal accounts or of
#: recording meetings).
BANK_MARGIN = 0.05
#: Bank errands this near to a forbidden act describe it: they do not compete.
BANK_COVERED = 0.7
#: As the hybrid matcher blends a use case's nearest text and its centroid.
_NEAREST_SHARE = 0.2

# "Activists must not use GenAI tools for", "AI should not be used to", "Do not use AI
# to", "Never": what comes before the act in a rule's first sentence.
_LEAD = re.compile(
    r"^.*?\b(?:must not|must never|may not|should not|should never|shall not|shall never|"
    r"cannot|can't|do not|don't|never|not to|not)\b\s+(?:be\s+)?(?:use[ds]?\s+)?"
    r"(?:(?:any\s+)?(?:gen(?:erative)?\s*)?ai\b\s*(?:tools?|systems?|models?|programs?)?\s*)?"
    r"(?:to|for)?\s*",
    re.I,
)
# "No GenAI for recording meetings", "Never paste passwords": the title as the act.
_TITLE = re.compile(
    r"^\s*(?:no|never|do not|don't|not)\s+(?:gen(?:erative)?\s*)?(?:ai\s+)?(?:for\s+)?", re.I
)
# Reading about the act, not doing it: "research how other cities handle AI approvals".
_ABOUT = re.compile(
    r"\b(?:research|researching|read up on|learn about|learning about|history of|overview of|"
    r"news about|articles? about|how other|how others)\b"
    # a question about the rules themselves: "what does the guidance say about LLMs?"
    r"|\b(?:policy|policies|guidance|guidelines|rules|rule|handbook|standard) (?:say|says)\b"
    r"|\bwhat (?:is|are) (?:our|the) (?:policy|policies|rules|guidance|position|stance) "
    r"(?:on|about|for|regarding)\b"
)
_SPLIT = re.compile(r";|,|\bor\b|\bincluding\b|\bsuch as\b|\band/or\b", re.I)


def act_lines(policy: Policy, reader: RedLineReader) -> list[RedLine]:
    """The red lines that forbid an act: not advice, and not data going in (a data red
    line blocks on the data a message puts in, read by the data's own words)."""
    return [r for r in policy.red_lines if forbids(r) and r.id not in reader.data_lines]


def _acts(line: RedLine) -> list[str]:
    """The title as an act, the act of the rule's first sentence and its parts."""
    out = [_TITLE.sub("", line.title)]
    first = re.split(r"(?<=[.!?])\s", line.rule.strip(), maxsplit=1)[0]
    act = _LEAD.sub("", first, count=1).strip(" .")
    if act:
        out.append(act)
        out.extend(p.strip(" .") for p in _SPLIT.split(act) if len(p.split()) >= 2)
    return out


def forbidden_examples(line: RedLine) -> list[str]:
    """How the forbidden use is described: the title as an act, the act of the rule's first
    sentence and its parts of two words or more, and the triggers."""
    out = [*_acts(line), *line.triggers]
    return list(dict.fromkeys(o.strip() for o in out if o and o.strip()))


def act_objects(line: RedLine) -> list[str]:
    """What the forbidden acts are done to, without their verb: "case notes, signatures or
    documentation" of "fabricate case notes, signatures or documentation"."""
    out = [" ".join(a.split()[1:]) for a in _acts(line) if len(a.split()) >= 2]
    return list(dict.fromkeys(o.strip(" .,") for o in out if o.strip(" .,")))


@dataclass(frozen=True)
class ForbiddenUses:
    """One policy version's forbidden uses, embedded (empty without an embedding model)."""

    ids: tuple[str, ...] = ()
    #: applies_to of each red line (empty: every tool)
    targets: tuple[frozenset[str], ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    centroids: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    #: stemmed content words of each red line's examples (for its negated mentions)
    words: tuple[frozenset[str], ...] = ()
    #: the acts' objects (`act_objects`), and the red line each row belongs to
    objects: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    object_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    #: the out-of-scope bank's ordinary errands, less those near a forbidden act
    errands: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    #: rows of `vectors` that are the red line's triggers (the others: its title and rule)
    trigger_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: stemmed content words of each red line's title and whole rule
    rule_words: tuple[frozenset[str], ...] = ()
    #: which red lines forbid an act (the constant floor reads only these; the learned
    #: decision weighs every red line, with whether it forbids and whether it is about data)
    acts: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @classmethod
    def build(
        cls, lines: Sequence[RedLine], embedding: tuple[PolicyVectors, str] | None,
        acts: frozenset[str] | None = None,
    ) -> ForbiddenUses:
        """`lines`: the policy's red lines; `acts`: the ids of those that forbid an act (not
        data going in; None: all); `embedding`: the matcher's cached, stored embedder for
        policy texts."""
        if embedding is None or not lines:
            return cls()
        vectors_of, _model_id = embedding
        examples = [forbidden_examples(line) for line in lines]
        texts = [without_ai_words(t) for ex in examples for t in ex]
        vectors = np.asarray(vectors_of(texts), dtype=np.float32)
        starts = np.cumsum([0, *(len(ex) for ex in examples[:-1])]).astype(np.int64)
        sums = np.add.reduceat(vectors, starts, axis=0)
        centroids = sums / np.linalg.norm(sums, axis=1, keepdims=True).clip(1e-9)
        words = tuple(
            frozenset(w for t in ex for w in stem_tokens(_words(t)) if w not in FILLER)
            for ex in examples
        )
        objects = [act_objects(line) for line in lines]
        object_texts = [without_ai_words(t) for obj in objects for t in obj]
        object_vectors = (
            np.asarray(vectors_of(object_texts), dtype=np.float32) if object_texts
            else np.zeros((0, vectors.shape[1]), np.float32)
        )
        ai_jobs = set(uncovered_ai_jobs())
        errands = np.asarray(
            vectors_of([t for t in out_of_scope_bank() if t not in ai_jobs]), dtype=np.float32
        )
        is_act = [acts is None or line.id in acts for line in lines]
        act_rows = np.asarray([a for a, ex in zip(is_act, examples, strict=True) for _ in ex])
        if act_rows.any():
            errands = errands[(errands @ vectors[act_rows].T).max(axis=1) < BANK_COVERED]
        own_acts = [{a.strip() for a in _acts(line)} for line in lines]
        trigger_rows = [t not in own for ex, own in zip(examples, own_acts, strict=True)
                        for t in ex]
        return cls(
            ids=tuple(line.id for line in lines),
            targets=tuple(frozenset(line.applies_to) for line in lines),
            vectors=vectors,
            starts=starts,
            centroids=centroids,
            words=words,
            objects=object_vectors,
            object_owner=np.asarray(
                [i for i, obj in enumerate(objects) for _ in obj], dtype=np.int64
            ),
            errands=errands,
            trigger_rows=np.asarray(trigger_rows, dtype=bool),
            acts=np.asarray(is_act, dtype=bool),
            rule_words=tuple(
                frozenset(w for w in stem_tokens(_words(f"{line.title} {line.rule}"))
                          if w not in FILLER)
                for line in lines
            ),
        )

    def nearest(self, vector: np.ndarray, tools: Sequence[tuple[str, str]] = ()) -> tuple[
        str, float
    ] | None:
        """The forbidden use nearest to a message's vector and its score, among the red
        lines that hold for the tools named (`(id, status)` pairs; a red line written for
        some tools only holds when one of them is named); None when the message is about
        the act's object rather than the act (CONTRAST)."""
        if not self.ids:
            return None
        nearest = np.maximum.reduceat(self.vectors @ vector, self.starts)
        scores = _NEAREST_SHARE * nearest + (1.0 - _NEAREST_SHARE) * (self.centroids @ vector)
        holds = self.acts & np.asarray(
            [not t or any(i in t or s in t for i, s in tools) for t in self.targets], dtype=bool
        )
        if not holds.any():
            return None
        best = int(np.argmax(np.where(holds, scores, -1.0)))
        mine = self.object_owner == best
        if mine.any() and nearest[best] - float((self.objects[mine] @ vector).max()) < CONTRAST:
            return None  # nearer to what the act is done to than to the act
        if len(self.errands) and float((self.errands @ vector).max()) + BANK_MARGIN >= nearest[
            best
        ]:
            return None  # an ordinary errand
        return self.ids[best], float(scores[best])

    def measures(self, vector: np.ndarray) -> dict[str, np.ndarray]:
        """Per red line, how near the message's vector is to its forbidden use: the
        nearest example, the centroid, their blend (as `nearest` scores), the nearest
        title or rule act and the nearest trigger, the act's lead over its object and
        over the bank's nearest ordinary errand (features of the learned decision,
        `bot.core.advice.block_decision`)."""
        sims = self.vectors @ vector
        nearest = np.maximum.reduceat(sims, self.starts)
        central = self.centroids @ vector
        owner = np.repeat(np.arange(len(self.ids)), np.diff([*self.starts, len(sims)]))
        act = np.full(len(self.ids), -1.0)
        trig = np.full(len(self.ids), -1.0)
        np.maximum.at(act, owner[~self.trigger_rows], sims[~self.trigger_rows])
        np.maximum.at(trig, owner[self.trigger_rows], sims[self.trigger_rows])
        trig = np.where(trig < -0.5, act, trig)
        obj = np.full(len(self.ids), -1.0)
        if len(self.object_owner):
            np.maximum.at(obj, self.object_owner, self.objects @ vector)
        errand = float((self.errands @ vector).max()) if len(self.errands) else 0.0
        return {
            "nearest": nearest, "central": central,
            "blend": _NEAREST_SHARE * nearest + (1.0 - _NEAREST_SHARE) * central,
            "act": act, "trigger": trig,
            "object_gap": np.where(obj < -0.5, 0.2, nearest - obj),
            "errand_gap": nearest - errand,
        }

    def blocks(self, score: float, best_use_case: float) -> bool:
        """Whether a forbidden use's score blocks the message: above FLOOR and above the
        best approved use case's score by MARGIN."""
        return score >= FLOOR and score - best_use_case >= MARGIN

    def mentioned_only_as_topic(self, line_id: str, text: str) -> bool:
        """Whether the message is about the forbidden act rather than asking for it: a topic
        ("a workshop on spotting misinformation", "explain what a grievance is") or a
        negated mention ("ideas for the meeting, not recording it")."""
        return mentions_a_topic(text) or self.negated_mention(line_id, text)

    def topic_mention(self, line_id: str, text: str) -> bool:
        """Whether the message names a word of the red line's forbidden use as what
        something teaches or warns about ("a lesson on password safety")."""
        own = self.words[self.ids.index(line_id)]
        words, stems = _words_and_stems(text)
        return any(s in own and topic(words, i, i) for i, s in enumerate(stems))

    def negated_mention(self, line_id: str, text: str) -> bool:
        """Whether the message negates a word of the red line's forbidden use ("ideas for
        the meeting, not recording it")."""
        own = self.words[self.ids.index(line_id)]
        words, stems = _words_and_stems(text)
        return any(s in own and negated(words, i, i) for i, s in enumerate(stems))


@once_per_message
def about_a_topic(text: str) -> bool:
    """Whether the message names something as a topic anywhere: the same for every red
    line, so read once per answer (a decision that weighs each red line asks it of all).

    Only by what comes before a word ("a lesson on", "explain what a", "research"): a word
    followed by "team", "office" or "rules" names a topic when it is a red line's trigger
    ("password safety"), but asked of every word it made "post it to the store team as
    is" a topic (`mentions_a_topic` keeps that looser reading, a feature of the learned
    decision).
    """
    words = normalize(text).split()
    return bool(_ABOUT.search(" ".join(words))) or any(
        topic([*words[: i + 1], "_", *words[i + 2 :]], i, i) for i in range(len(words)))


@once_per_message
def mentions_a_topic(text: str) -> bool:
    """`about_a_topic`, or a word followed by what names a topic ("the store team")."""
    words = normalize(text).split()
    return about_a_topic(text) or any(topic(words, i, i) for i in range(len(words)))


@once_per_message
def _words_and_stems(text: str) -> tuple[list[str], list[str]]:
    words = _words(text)
    return words, stem_tokens(words)


def _words(text: str) -> list[str]:
    """Normalized words, hyphenated ones apart ("member-specific" names members)."""
    return normalize(text).replace("-", " ").split()
