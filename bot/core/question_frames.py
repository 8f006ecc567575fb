"""Words that ask the concierge for an answer, not a tool for work.

"can you tell me if ChatGPT is approved?", "are you able to let me know whether Claude is
ok", "do you know if Gemini is allowed", "I was wondering if Copilot is approved for us":
"tell", "let me know", "confirm" are asked of the concierge (you), and what follows
"if" / "whether" is the question. Read as words of the request, they looked like work asked
of the tool the message names, and a red line about that tool refused a plain status
question. `without_question_frame` drops the frame so the rest is read as the question.

A frame needs the concierge as its subject (or no subject: "tell me if ...") and "if",
"whether" or a question word after it: "have Copilot tell me whether the kid meets the
criteria" tells the *tool* to decide and keeps its words.
"""

from __future__ import annotations

import re

__all__ = ["without_question_frame"]

_YOU = r"(?:you|u|ya|anyone|anybody|someone|somebody)"
_TELL = (r"(?:tell|let|confirm|check|clarify|say|advise|find out|help me (?:understand|know))"
         r"(?: (?:me|us|the team))?(?: know)?")
_ASKED = (
    # "can you tell me", "are you able to let us know", "could u please confirm"
    rf"\b(?:(?:can|could|would|will|do|did) {_YOU}(?: please| pls| maybe)?(?: be able to)?"
    rf"|(?:are|r) {_YOU} able to) {_TELL}"
    # "do you know", "does anyone know", "I was wondering", "I'd like to know"
    rf"|\b(?:do|does|did) {_YOU} (?:know|happen to know)"
    r"|\b(?:(?:i was|i am|i'm|im|we were|we are|we're|just) )?wondering"
    r"|\b(?:i|we)(?: would|'d)? (?:like|want|need) to (?:know|check|confirm|find out)"
    # "tell me if ...", "please confirm whether ...": only where the message or a
    # sentence starts, so "have Copilot tell me whether ..." keeps its words
    rf"|(?:^|(?<=[.;:!?]) ?)(?:please |pls |plz )?{_TELL}"
)
_FRAME = re.compile(
    rf"(?:{_ASKED})\s+(?=(?:if|whether|how|what|which|where|when|who|why)\b)"
    # "quick question: is Gemini ok?"
    r"|^\s*(?:quick |a |one )?question(?: for you)?\s*[:,-]\s*",
    re.IGNORECASE,
)


def without_question_frame(text: str) -> str:
    """The message less the words that ask the concierge to answer it."""
    return _FRAME.sub(" ", text)
