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
  needs authorisation"); else those keeping confidential or business information out by
  their title ("No sensitive, confidential or proprietary information").
- Something made up. The message: AI asked to fake or fabricate ("fake reviews", "make
  up a few quotes", "post it as if she's real"), not a fake named as a topic or refused.
  The lines: those forbidding fake, false, misleading, deceiving or manipulative content
  or impersonation.
- People treated unequally. The message: a protected trait (nationality, country, age,
  gender, religion...) and, in the same sentence, a difference in treatment ("pay more",
  "leaves out", "filter by", "don't see"). The lines: those whose title is against
  discrimination or bias (not one asking to check output for bias).
- A personal device. The message: the asker's own phone or laptop ("on my own laptop at
  home", "my kids' laptop"; not "my work laptop"). The lines: those whose title is about
  devices.
- Code written or fixed. The message: a programming language, script, macro, regular
  expression or code ("a SQL query", "my python script", "a VBA macro"). The lines: those
  whose title or first sentence is about code ("do not use these tools to create new
  code", "review and approval before code").

When a policy has no line for the first two, its line asking for human oversight or
supervision is the one for them; with none of its own for something made up, people
deceived, manipulated, treated unequally or recorded without being told, its line against
harmful or unethical use ("No use that could be harmful or unethical").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from dataclasses import replace as replaced

from bot.core import compose
from bot.core.redline_forbids import holds_for
from bot.core.replies import Answer, RedLineNote
from bot.core.situation_cues import (
    ai_decides,
    deceives,
    fabricates,
    gets_around_security,
    hides_ai,
    manipulates,
    not_public,
    personal_device,
    records_covertly,
    skips_checking,
    treats_unequally,
    writes_code,
)
from bot.core.situation_rules import situation_line_ids
from bot.policy.models import Policy

__all__ = ["SituationLines", "ai_decides", "hides_ai", "skips_checking", "with_red_lines"]

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
    #: lines against unequal treatment
    bias: tuple[str, ...] = ()
    #: lines about the devices AI may be used on
    devices: tuple[str, ...] = ()
    #: lines against manipulating or exploiting people (else against deceiving them)
    manipulation: tuple[str, ...] = ()
    #: lines about security controls
    security: tuple[str, ...] = ()
    #: lines about recording or watching people
    recording: tuple[str, ...] = ()

    @classmethod
    def read(cls, policy: Policy) -> SituationLines:
        return cls(**situation_line_ids(policy))

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
        out.extend(i for i in self.broken_by(text) if i not in out)
        if self.bias and treats_unequally(text):
            out.extend(i for i in self.bias if i not in out)
        if self.devices and personal_device(text):
            out.extend(i for i in self.devices if i not in out)
        return out

    def broken_by(self, text: str) -> list[str]:
        """The ids of the lines whose situation of ill intent the message describes (made
        up or deceiving, manipulating, getting around security, recording covertly): lines
        it goes against, as the block decision reads them (`broken_asks`)."""
        out: list[str] = []
        for lines, describes in (
            (self.fakes, lambda: fabricates(text) or deceives(text)),
            (self.manipulation, lambda: manipulates(text)),
            (self.security, lambda: gets_around_security(text)),
            (self.recording, lambda: records_covertly(text)),
        ):
            if lines and describes():
                out.extend(i for i in lines if i not in out)
        return out

    def added_to(
        self, policy: Policy, text: str, answer: Answer, is_tool: Callable[[str], bool]
    ) -> Answer:
        """The answer with the lines for the message's situations; lines written for some
        tools only with an answer about one of them. Help and language replies are left
        as they are."""
        if answer.outcome in ("help", "language") or not any(
            getattr(self, situation.name) for situation in fields(self)
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
