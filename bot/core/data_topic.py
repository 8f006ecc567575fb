"""Data a message is about, not data it puts in a tool.

"a one-pager on why staff shouldn't paste SSNs into chatbots", "a training deck about
protecting patient records", "a memo reminding staff not to put health information into
AI tools": each names data, and a tool, and even a verb of putting data in; none puts
any data in. Read as data checks they were refused, or answered with the red line on
SSNs, when they ask for ordinary writing. `without_topics` cuts such passages out before
the data and the "put X into Y" shape are looked for.
"""

from __future__ import annotations

import re

__all__ = ["without_topics"]

# Material that teaches or warns: what comes after "on", "about"... is its topic.
_TEACHING = (
    r"trainings?|lunch[- ]and[- ]learns?|workshops?|webinars?|courses?|modules?|lessons?|"
    r"guides?|guidance|tip ?sheets?|tips|faqs?|explainers?|infographics?|quiz(?:zes)?|"
    r"reminders?|awareness|campaigns?"
)
# Material that may as well carry the data ("a deck on our Q3 results", "an email about
# the patient's lab results"): its topic is data only when the words say it warns or
# teaches ("a one-pager on why...", "a memo on not pasting SSNs").
_WRITING = (
    r"memos?|emails?|e-mails?|letters?|notes?|newsletters?|articles?|blog posts?|posts?|"
    r"messages?|one[- ]pagers?|posters?|flyers?|decks?|slides?|slideshows?|presentations?|"
    r"handouts?|checklists?|briefings?|talks?|videos?|scripts?|sessions?|policy|policies|"
    r"procedures?"
)
_LINK = r"on|about|regarding|covering|around|reminding|telling|warning|explaining|asking"
# Words that make a topic a warning or lesson: "why", "how to", "not", "protecting".
_CAUTION = (
    r"why|how|when|what|whether|not|never|no|don'?t|do not|shouldn'?t|should not|must not|"
    r"mustn'?t|avoid(?:ing)?|stop|protect(?:ing)?|safeguard(?:ing)?|keep(?:ing)?|secur(?:e|ing)|"
    r"handl(?:e|ing)|spot(?:ting)?|recogni[sz](?:e|ing)|prevent(?:ing)?|the (?:risks?|dangers?)|"
    r"risks?|dangers?|best practices?|rules?|dos and don'?ts"
)
_TOPIC = re.compile(
    rf"\b(?:(?:{_TEACHING})\s+(?:\w+\s+){{0,3}}?(?:{_LINK})\b"
    rf"|(?:{_WRITING})\s+(?:\w+\s+){{0,3}}?(?:{_LINK})\s+(?={_CAUTION}\b)"
    rf"|(?:reminding|telling|warning|asking|teaching|training|reminder to|how to)\s+"
    rf"(?:\w+\s+){{0,3}}?(?=(?:not|never|to not|to never|how|why)\b))",
    re.I,
)
# A verb of putting data in, negated: "not to put", "shouldn't paste", "never upload".
_NEGATED_PUT = re.compile(
    r"\b(?:not|never|n't|dont|don't|do not|avoid|stop)\s+(?:to\s+|ever\s+)?"
    r"(?:put|paste|upload|enter|input|type|share|feed|give|send|copy|drop|load|submit|"
    r"include|putting|pasting|uploading|entering|inputting|typing|sharing|feeding|giving|"
    r"sending|copying|dropping|loading|submitting|including)\b",
    re.I,
)
# Where a topic ends: the next sentence, or a new request after it ("... and then").
_END = re.compile(r"[.?!;]|\b(?:and then|then|also)\b", re.I)


def without_topics(text: str) -> str:
    """The text without the passages that name data only as a topic or in a negated
    request: "write a one-pager for staff on why they shouldn't paste SSNs into
    chatbots" -> "write a one-pager for staff on"."""
    out: list[str] = []
    pos = 0
    while pos < len(text):
        found = [m for m in (_TOPIC.search(text, pos), _NEGATED_PUT.search(text, pos)) if m]
        if not found:
            break
        match = min(found, key=lambda m: m.start())
        out.append(text[pos : match.end()] if match.re is _TOPIC else text[pos : match.start()])
        end = _END.search(text, match.end())
        pos = end.start() if end else len(text)
        if end is None:
            break
        out.append(" ")
    out.append(text[pos:])
    return "".join(out).strip()
