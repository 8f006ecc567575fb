"""Red lines for the situation a message describes, whatever the answer is.

"send the AI reply to the buyer without reading it", "let the bot choose which children
get sponsored first": the job, or the tool asked about, may well be allowed, but the
policy has a red line for exactly that situation ("Always check AI-generated content
before using it", "AI enhances, not replaces, human decision-making"). The block decision
weighs such lines with the others and blocks only when sure; these lines are shown with
any answer whose message describes the situation (27 dev sets: missing on 17 and 10 such
answers). The situations, each read in general English on both sides (the message's
side in `situation_cues`):

- AI output used unchecked. The message: a word of checking (check, read, look at,
  review, verify, proofread, edit, sign off) after a cue that it will not happen
  ("without", "no need to", "nobody needs to", "no time to", "don't bother", "skip",
  "before Stanley gets a chance to"), the output going out as it comes ("as is",
  "straight to", "exactly as it comes out", "as final", "whatever the AI says", "adopt
  it word for word"), or sent with no person in between ("email it out automatically",
  "send the letters out on its own", "let the AI write and send them"). The lines:
  those whose title or first sentence asks that output be checked (a word of checking
  near a word for output: "review outputs", "assess every response", "no output used
  as-is", "never copy-paste AI output"), else those asking it in a later sentence of
  their rule.
- AI making a decision. The message: AI (or a tool it names) asked to decide, choose,
  pick, approve, reject, rank... ("let the AI decide", "have ChatGPT pick"), or to do so
  on its own or automatically, or to act with "no human in the loop". The lines: those
  whose title is about decisions or judgment ("Recruitment decisions stay with people").
- AI use hidden. The message: readers must not tell AI was involved ("so nobody can tell
  AI was involved", "don't mention it's AI", "strip out the bit that says so"), or the
  work passed off as a person's ("as if Sandra wrote them", "under my name", "as my own
  work"). The lines: those asking that AI use be disclosed, acknowledged or identified,
  or that AI content not be represented as original work.
- Material not public. The message: it is not published yet, goes out later, comes
  from a closed or restricted meeting, or is "our internal" material. The lines: those
  keeping AI to public data ("Only public data may be entered", "non-public information
  needs authorisation").
- Something made up. The message: AI asked to fake or fabricate ("fake reviews", "make
  up a few quotes", "post it as if she's real"), not a fake named as a topic or refused.
  The lines: those forbidding fake, false, misleading, deceiving or manipulative content
  or impersonation.
- Code written or fixed. The message: a programming language, script, macro, regular
  expression or code ("a SQL query", "my python script", "a VBA macro"). The lines: those
  whose title or first sentence is about code ("do not use these tools to create new
  code", "review and approval before code").

When a policy has no line for the first two, its line asking for human oversight or
supervision is the one for them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import replace as replaced

from bot.core import compose
from bot.core.redline_forbids import forbids, holds_for
from bot.core.replies import Answer, RedLineNote
from bot.core.situation_cues import (
    ai_decides,
    fabricates,
    hides_ai,
    not_public,
    skips_checking,
    writes_code,
)
from bot.core.unlisted_rules import rule_sentences
from bot.policy.models import Policy, RedLine

__all__ = ["SituationLines", "ai_decides", "hides_ai", "skips_checking", "with_red_lines"]

_ASKS_DISCLOSURE = re.compile(
    r"\b(?:disclose[sd]?|disclosing|undisclosed|acknowledg\w*|identify|transparen\w*|cite|"
    r"say when)\b|\brepresent\w*\b[^.;:]{0,40}\bas (?:original|own|human)\b"
    r"|\b(?:told|tell|informed)\s+(?:where|when|that|how)\b[^.;:]{0,30}\bai\b",
    re.I,
)

# A line about code, not a code of conduct or a postcode.
_ABOUT_CODE = re.compile(
    r"\bcode\b(?! of (?:conduct|practice|ethics))", re.I
)
_NOT_CODE = re.compile(r"\b(?:dress|post|zip|area|country|tax|promo|discount) code\b", re.I)

_CHECKING = (
    r"(?:review\w*|check\w*|verif\w*|validat\w*|fact[- ]check\w*|proofread\w*|"
    r"double[- ]check\w*|scrutini[sz]\w*|evaluat\w*|assess\w*)"
)
_OUTPUT = (
    r"(?:outputs?|content|results|products?|answers?|responses?|drafts?|everything|"
    r"(?:ai[- ])?generated \w+)"
)
# "review AI outputs", "AI outputs are reviewed", "check AI-generated content", "reviews
# and approves everything we publish": a check near an output; "no output used as-is",
# "never copy-paste AI output", "directly replicate the output": output used unchanged.
_ASKS_A_CHECK = re.compile(
    rf"\b{_CHECKING}\b(?:\W+\w+){{0,5}}?\W+{_OUTPUT}\b"
    rf"|\b{_OUTPUT}\b(?:\W+\w+){{0,5}}?\W+{_CHECKING}\b"
    rf"|\b{_OUTPUT}\b(?:\W+\w+){{0,3}}?\W+(?:as[- ]is|verbatim|word for word)\b"
    rf"|\b(?:copy[- ]?(?:and[- ])?past\w*|replicat\w*)\b(?:\W+\w+){{0,3}}?\W+{_OUTPUT}\b",
    re.I,
)
_ABOUT_DECISIONS = re.compile(r"\bdecisions?\b|\bdecision[- ]making\b|\bjudg(?:e)?ments?\b", re.I)
_OVERSIGHT = re.compile(
    r"\b(?:human|people|person|staff)\s+(?:review|oversight|supervision|intervention)\b|"
    r"\bhuman[- ]in[- ]the[- ]loop\b|\b(?:oversight|supervision)\b",
    re.I,
)


# A line keeping AI to public material: "Only public data may be entered", "information
# that is not already in the public domain", "non-public information".
_PUBLIC_ONLY = re.compile(
    r"\bnon[- ]public (?:\w+ )?(?:data|information|info|material)\b"
    r"|\bonly public(?:[- ]domain)? (?:data|information|info|material)\b"
    r"|\bnot (?:already )?in the public domain\b"
    r"|\bpublic[- ]domain (?:data|information|info|material)\b",
    re.I,
)
_DATA_WORD = re.compile(r"\b(?:data|information|info|material)\b", re.I)


# A line forbidding made-up or deceiving content: "No impersonation, deception, fake
# testimonials", "No unsafe, misleading outputs", "No manipulative behaviours".
_AGAINST_FAKES = re.compile(
    r"\b(?:fake\w*|fabricat\w*|falsif\w*|false|mislead\w*|decept\w*|deceiv\w*|"
    r"impersonat\w*|manipulat\w*|disinformation|misrepresent\w*)\b",
    re.I,
)


def _worded(policy: Policy, *readings: Callable[[RedLine], bool]) -> tuple[str, ...]:
    """The red lines the first reading that finds any finds."""
    for reads in readings:
        found = tuple(line.id for line in policy.red_lines if reads(line))
        if found:
            return found
    return ()


def _about_code(line: RedLine) -> bool:
    return any(
        _ABOUT_CODE.search(s) and not _NOT_CODE.search(s) for s in rule_sentences(line)
    )


def _public_only(line: RedLine) -> bool:
    """A line keeping AI to public material by its title, or by its first sentence when its
    title is about data ("No sensitive or classified information": "... or non-public
    government information"); "a chatbot using only public data needs approval" is about
    approval."""
    title, first = rule_sentences(line)
    return bool(_PUBLIC_ONLY.search(title)) or bool(
        _DATA_WORD.search(title) and _PUBLIC_ONLY.search(first))


def _oversight(line: RedLine) -> bool:
    return any(_OVERSIGHT.search(s) for s in rule_sentences(line))


@dataclass(frozen=True)
class SituationLines:
    """The red lines of each situation, read once per policy version."""

    #: lines asking that AI output be checked before use
    review: tuple[str, ...] = ()
    #: lines keeping decisions with people
    decisions: tuple[str, ...] = ()
    #: lines about writing or putting in code
    code: tuple[str, ...] = ()
    #: lines asking that AI use be disclosed
    disclosure: tuple[str, ...] = ()
    #: lines keeping AI to public material
    public: tuple[str, ...] = ()
    #: lines forbidding made-up or deceiving content
    fakes: tuple[str, ...] = ()

    @classmethod
    def read(cls, policy: Policy) -> SituationLines:
        return cls(
            # A check asked for in a later sentence ("..., but they do not replace
            # clinical judgment. Always critically evaluate AI-generated content") when
            # no line asks for one in its title or first sentence.
            review=_worded(
                policy, lambda line: any(_ASKS_A_CHECK.search(s) for s in rule_sentences(line)),
                lambda line: bool(_ASKS_A_CHECK.search(line.rule)), _oversight,
            ),
            decisions=_worded(
                policy, lambda line: bool(_ABOUT_DECISIONS.search(line.title)), _oversight
            ),
            code=_worded(policy, _about_code),
            disclosure=_worded(
                policy, lambda line: any(_ASKS_DISCLOSURE.search(s) for s in rule_sentences(line))
            ),
            public=_worded(policy, _public_only),
            # forbidding, not guiding: "review outputs to avoid misinformation" is a check
            fakes=_worded(policy, lambda line: forbids(line) and any(
                _AGAINST_FAKES.search(s) for s in rule_sentences(line))),
        )

    def concerning(self, text: str, is_tool: Callable[[str], bool]) -> list[str]:
        """The ids of the lines for the situations the message describes."""
        out = list(self.review) if self.review and skips_checking(text, is_tool) else []
        if self.decisions and ai_decides(text, is_tool):
            out.extend(i for i in self.decisions if i not in out)
        if self.code and writes_code(text):
            out.extend(i for i in self.code if i not in out)
        if self.disclosure and hides_ai(text):
            out.extend(i for i in self.disclosure if i not in out)
        if self.public and not_public(text):
            out.extend(i for i in self.public if i not in out)
        if self.fakes and fabricates(text):
            out.extend(i for i in self.fakes if i not in out)
        return out

    def added_to(
        self, policy: Policy, text: str, answer: Answer, is_tool: Callable[[str], bool]
    ) -> Answer:
        """The answer with the lines for the message's situations; lines written for some
        tools only with an answer about one of them. Help and language replies are left
        as they are."""
        if answer.outcome in ("help", "language") or not (
            self.review or self.decisions or self.code or self.disclosure or self.public
            or self.fakes
        ):
            return answer
        ids = self.concerning(text, is_tool)
        if not ids:
            return answer
        about = [t for t in map(policy.tool, _tool_ids(answer)) if t]
        lines = [line.id for line in policy.red_lines
                 if line.id in ids and (not about or holds_for(line, about))]
        return with_red_lines(answer, compose.red_line_notes(policy, lines))


def _tool_ids(answer: Answer) -> list[str]:
    asked = [answer.asked_tool.id] if answer.asked_tool and answer.asked_tool.id else []
    return [*asked, *(t.id for t in answer.tools)]


def with_red_lines(answer: Answer, more: Sequence[RedLineNote]) -> Answer:
    """The answer with more red lines, after those it shows (in its plain text too, where
    `compose.build` puts red lines: after the tools, before the closing notes)."""
    shown = {line.id for line in answer.red_lines}
    added = [line for line in more if line.id not in shown]
    if not added:
        return answer
    lines = answer.text.split("\n")
    marks = [i for i, line in enumerate(lines) if line.startswith(compose.RED_LINE_MARK)]
    at = marks[-1] + 1 if marks else len(lines)
    if not marks and (answer.tools or answer.alternatives):
        notes = set(answer.notes)
        while at > 1 and lines[at - 1] in notes:
            at -= 1
    lines[at:at] = [compose.red_line_text(line) for line in added]
    return replaced(answer, red_lines=(*answer.red_lines, *added), text="\n".join(lines))
