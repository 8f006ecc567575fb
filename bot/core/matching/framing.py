"""Strip the "is there an AI that can…" framing around the job an employee describes.

Why: every message to the concierge is about AI tools, so the framing carries no signal,
but it pulls sentence embeddings towards whatever sounds most "AI": "an AI to book my
dentist appointment" scores 0.06 higher against a meeting-notes use case than "book my
dentist appointment" does. Only messages are stripped; the policy's examples are
written as jobs already.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

__all__ = ["PASTED_WORDS", "job_text", "plain_words", "without_ai_words", "without_pasted"]

_AI = r"(?:ai|a\.i\.|gen ?ai|llm|tool|app|bot|chat ?bot|assistant|software|thing|service)"
_LEADS = [
    r"(?:hey|hi|hello|yo|ok|okay|so|um|please|pls|plz|quick question)\b[\s,!.:;-]*",
    # "is there an AI (tool) that can", "do we have any tool to"
    rf"(?:is there|are there|do we have|have we got|do you have|got)\s+"
    rf"(?:an?|any|some|the)?\s*(?:approved\s+|good\s+|official\s+)?{_AI}s?"
    rf"(?:\s+{_AI})?(?:\s+(?:that|which|to|for|i can use to|we can use to|i can use for|"
    rf"we can use for))?(?:\s+(?:can|could|will|would|might))?"
    rf"(?:\s+help\s+(?:me|us)(?:\s+(?:to|with))?)?\s+",
    # "what (AI) tool can I use to", "which app should we use for"
    rf"(?:what|which)\s+(?:ai\s+)?(?:{_AI}\s+)?(?:can|should|could|do|may|would)\s+"
    rf"(?:i|we)\s+use\s+(?:to|for)\s+",
    # "which tool can", "what AI could"
    rf"(?:what|which)\s+(?:ai\s+)?{_AI}s?\s+(?:can|could|will|would|should|might)\s+"
    rf"(?:help\s+(?:me|us)\s+(?:to\s+|with\s+|w/?\s+)?)?",
    # "can a bot", "could an AI", "can you help me"
    rf"(?:can|could|will|would)\s+(?:an?\s+|the\s+|some\s+)?(?:{_AI}|you|u)\s+"
    rf"(?:help\s+(?:me|us)\s+(?:to\s+|with\s+|w/?\s+)?)?",
    # "I need an AI to", "looking for a tool that can", "an AI to", "AI for"
    rf"(?:i need|i want|we need|we want|looking for|need|want)\s+(?:an?\s+)?{_AI}\s+"
    rf"(?:to|for|that can|which can|that could)\s+",
    rf"(?:an?\s+)?{_AI}\s+(?:to|for|that can|which can|that|which)\s+",
    r"(?:help me|help us)\s+(?:to\s+|with\s+)?",
]
_LEAD = re.compile(r"^(?:" + "|".join(_LEADS) + r")", re.IGNORECASE)
# A closing question that only asks for "some AI thing": "Is there an AI tool for that?"
_TRAIL = re.compile(
    rf"[.!?]\s+(?:is there|are there|do we have|can i use|could i use|what can i use)"
    rf"[^.!?]*\b{_AI}s?\b[^.!?]*\?*\s*$",
    re.IGNORECASE,
)


# "summarize this for the team: 'TVAC chamber 2 down until Weds, ...'": a short request that
# points at what follows (this, these, it, below ...), a colon, then the pasted material.
_POINTS_AT = re.compile(
    r"\b(?:this|these|that|those|it|them|below|following|here|attached)\b", re.IGNORECASE
)
_PASTED = re.compile(
    r"^(?P<ask>[^:\n]{6,120}?)\s*:\s*(?P<pasted>[\"'\u201c\u2018].+|.{40,})$", re.DOTALL
)
#: Pasted material counts from this many words (a short tail is part of the request).
PASTED_WORDS = 6


def without_pasted(text: str) -> str:
    """The request without the material pasted after it, which is no part of the job.

    Why: a sentence model reads the whole message, so a few lines of pasted notes or a
    stack trace outweigh "summarize this" and the request matches whatever the notes are
    about, or nothing. Only a request that points at what follows ("this", "these",
    "below") and at most 12 words long is cut there; the message itself otherwise.
    """
    match = _PASTED.match(text.strip())
    if match is None:
        return text
    ask, pasted = match.group("ask").strip(), match.group("pasted")
    if len(ask.split()) > 12 or len(pasted.split()) < PASTED_WORDS:
        return text
    if not _POINTS_AT.search(ask):
        return text
    return ask


def job_text(text: str) -> str:
    """The message without AI-tool framing and pasted material; the message itself when
    nothing would be left."""
    job = _TRAIL.sub(".", without_pasted(text.strip()))
    for _ in range(4):  # "hey, is there an AI that can help me ..." has several layers
        stripped = _LEAD.sub("", job, count=1).strip()
        if stripped == job:
            break
        job = stripped
    return job if re.search(r"[^\W\d_]{2,}", job) else text


# "AI" itself, wherever it stands: every message here is about AI tools, so the word tells
# one job from another nothing, yet it pulls the model towards whatever text mentions it
# ("compose hold music" -> "Build AI applications", "an AI video of the judge" likewise).
_AI_WORDS = re.compile(
    r"\b(?:generative\s+ai|gen\s?ai|artificial\s+intelligence|a\.i\.|ai)(?:[-\s]"
    r"(?:powered|based|assisted|generated|driven|enabled))?(?![\w.])",
    re.IGNORECASE,
)


def without_ai_words(text: str) -> str:
    """`text` without the word "AI" and its spellings (policy texts and messages alike);
    the text itself when nothing else would be left."""
    rest = re.sub(r"\s{2,}", " ", _AI_WORDS.sub(" ", text)).strip()
    return rest if re.search(r"[^\W\d_]{2,}", rest) else text


# Chat shorthand the model reads poorly, in plain words ("tl;dr this pdf" scored 0.27
# against "summarize a long report"; the word half has its own synonyms for these).
_SHORTHAND = {
    "tl;dr": "summarize", "tldr": "summarize", "tl dr": "summarize", "pls": "please",
    "plz": "please", "thx": "thanks", "u": "you", "ur": "your", "w/": "with",
    "b/c": "because", "bc": "because", "msg": "message", "info": "information",
}
_SHORT = re.compile(
    r"(?<![\w/;])(" + "|".join(re.escape(k) for k in sorted(_SHORTHAND, key=len, reverse=True))
    + r")(?![\w/;]|\.\w)",
    re.IGNORECASE,
)


# Colloquial ways to ask for text turned out quickly ("bash out some subject lines", "dash off
# a note"): the model reads the idiom's own words (a bash, a dash), not the asking. Idioms
# that may make anything ("whip up", "knock up") are left: read as "create" they scored no
# nearer their jobs on the dev policies.
_WRITE_IDIOMS = re.compile(
    r"\b(?:(?:bash|bang|churn|crank|rattle|hammer)(?:s|es|ed|ing)?\s+out|"
    r"dash(?:es|ed|ing)?\s+off)\b(?!\s+(?:of|to|into|from|at)\b)",
    re.IGNORECASE,
)


def plain_words(text: str) -> str:
    """`text` with chat shorthand ("tl;dr", "pls", "u", "w/") and colloquial asks for text
    ("bash out") written out, and workplace acronyms explained (`with_acronyms`)."""
    text = _WRITE_IDIOMS.sub("write", text)
    return with_acronyms(_SHORT.sub(lambda m: _SHORTHAND[m.group(1).lower()], text))


@lru_cache(maxsize=1)
def _acronyms() -> tuple[re.Pattern[str], dict[str, str]]:
    """The pattern of `data/workplace_acronyms.txt`'s acronyms and their words, by the
    acronym in lower case."""
    text = files("bot.core.matching").joinpath("data/workplace_acronyms.txt").read_text("utf-8")
    words: dict[str, str] = {}
    alternatives = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exact = line.startswith("!")
        acronym, _, meaning = line.lstrip("!").partition("=")
        acronym = acronym.strip()
        words[acronym.lower()] = meaning.strip()
        if exact:  # as written or in capitals only: its lower-case form is a word
            forms = {acronym, acronym.upper()}
            alternatives.append("(?-i:" + "|".join(re.escape(f) for f in sorted(forms)) + ")")
        else:
            alternatives.append(re.escape(acronym))
    pattern = re.compile(r"(?<![\w&/-])(" + "|".join(alternatives) + r")(s?)(?![\w&/-]|\.\w)",
                         re.IGNORECASE)
    return pattern, words


def with_acronyms(text: str) -> str:
    """`text` with each workplace acronym followed by its words ("need a JD" -> "need a JD
    (job description)"): the embedding model reads most of them as noise, and the
    policy's own texts may use either form."""
    pattern, words = _acronyms()
    return pattern.sub(
        lambda m: f"{m.group(0)} ({words[m.group(1).lower()]}{m.group(2).lower()})", text)
