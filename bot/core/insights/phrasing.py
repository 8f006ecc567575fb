"""The job inside a request, and that job written as a short use case.

People wrap what they need in the same few frames ("is there an AI tool to …", "can I use
AI for …", "what's approved for …?"). The frame says nothing about the need, yet it is
most of a short sentence: embedded as is, two unrelated requests with the same frame look
alike. `job_phrase` strips it before a request is embedded and before a label is drawn
from it; `use_case_label` turns a job phrase into the label a reviewer would write
("scan handwritten delivery notes" -> "Scanning handwritten delivery notes").

Plain rules over a closed list of frames and task verbs, no language model: it runs on
every unmet request, must be predictable, and its output is checked by reviewers anyway.
"""

from __future__ import annotations

import re

__all__ = ["gerund", "job_phrase", "use_case_label"]

_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})

# Frames that open a request, tried repeatedly at the start (longest first where it matters).
_AI = r"(?:an? )?(?:approved |good |decent |safe |free |generative |gen ?ai |ai |llm )*"
_THING = (r"(?:ai|tools?|apps?|software|services?|platforms?|ways?|solutions?|options?|"
          r"models?|products?|something|anything|bots?|assistants?|chatgpt|copilot|gpt)")
_LEAD = [
    r"(?:hi|hello|hey|hiya|yo|dear)(?: (?:team|all|there|everyone|folks|concierge|bot))?\b[,!.]?",
    r"(?:do|doing|get|getting|have|having)(?= \w+)",
    r"good (?:morning|afternoon|evening)\b[,!.]?",
    r"(?:quick |a )?question\b[:,]?",
    r"(?:so|ok|okay|um|also|please|pls|plz)\b[,]?",
    r"(?:does )?any ?(?:one|body) (?:know|knows|have|has)(?: of)?(?: if| whether| how)?",
    r"(?:i was |we were |i am |i'm |we are |we're )?wondering (?:if|whether|how)",
    r"(?:do|does|did) (?:we|you|i) (?:have|know|allow|support)",
    rf"(?:is|are) there (?:any|an?|some)? ?{_AI}{_THING}",
    rf"(?:can|could|may|should|would) (?:i|we|you|my team|our team) (?:use|get|try) {_AI}"
    rf"(?:{_THING} )?(?:to help (?:me |us )?)?",
    rf"(?:can|could) {_AI}{_THING} (?:help (?:me |us )?)?",
    r"(?:can|could|may) (?:i|we|you)(?: please)?",
    rf"what(?:'s| is| are)? (?:the )?(?:best |right |recommended )?{_AI}(?:{_THING} )?"
    r"(?:can|could|should|do|would) (?:i|we) use",
    rf"what(?:'s| is| are) (?:the )?{_AI}(?:{_THING} )?(?:approved|allowed|ok|okay|available)",
    rf"which {_AI}{_THING}(?: (?:can|could|should|do) (?:i|we) use| (?:is|are) "
    r"(?:approved|allowed|best))?",
    r"what can (?:i|we) use",
    r"how (?:can|do|could|should|would) (?:i|we)(?: best)?(?: use {_AI}{_THING})?",
    r"(?:i|we)(?: would|'d)? (?:really )?(?:need|want|like|wish|hope|am looking|are looking|"
    r"would like|'d like|have to|must)(?: to)?(?: find| get| have)?",
    r"(?:i|we) (?:am|are) (?:trying|hoping|looking|planning)(?: to| for)?",
    rf"looking for {_AI}(?:{_THING})?",
    rf"need(?:ing)? {_AI}(?:{_THING})?",
    rf"(?:any|some) {_AI}{_THING}",
    rf"{_AI}{_THING}",
    r"help(?:ing)?(?: me| us)?(?: out)?(?: with| to| on)?",
    r"(?:a |an |some )?(?:help|support|assistance|advice)(?: with| for| on)?",
    r"(?:that|which|who|to|for|with|on|in|so|and|,)(?= )",
    r"(?:can|could|will|would|might)(?= )",
    r"(?:be able|able) to",
    r"use (?:it )?to",
]
_LEAD_RE = re.compile(r"^\s*(?:" + "|".join(_LEAD) + r")(?:(?<=\s)|\b)", re.IGNORECASE)
# "Tom Becker wants to …", "Priya asked me whether …": someone else's request, relayed.
_RELAYED = re.compile(r"^[A-Z][a-z]+(?: [A-Z][a-z]+)? (?:wants|needs|asked|would like|is asking|"
                      r"was asking|asks)(?: me)?(?: to| for| if| whether| about)?\b")
# Frames and filler that close a request.
_TAIL = [
    r"[?!.,;:\s]+",
    r"(?:please|pls|plz|thanks|thank you|thx|cheers|asap|quickly|anyone)",
    rf"(?:with|using|via|through|by) {_AI}{_THING}",
    r"(?:at work|for work|for my team|for our team|for the team|for me|for us)",
    rf"(?:what|which)(?:'s| is| are)? (?:the )?{_AI}(?:{_THING} )?"
    r"(?:approved|allowed|ok|okay|available|recommended|best)",
    r"(?:is|are) (?:that|this|it) (?:approved|allowed|ok|okay|possible)",
    r"(?:any|some) (?:ideas|suggestions|recommendations|tips)",
    r"(?:is there|do we have) (?:a |an |any )?(?:way|tool|option)",
    r"(?:[a-z]+ )?[A-Z][a-z]+ (?:[A-Z][a-z]+ )?(?:asked|wants|needs|was asking)(?: me)?",
]
_TAIL_RE = re.compile(r"(?:\s|^)(?:" + "|".join(_TAIL) + r")\s*$")
_TAIL_CASELESS = re.compile(r"(?:\s|^)(?:" + "|".join(_TAIL[:-1]) + r")\s*$", re.IGNORECASE)

# Task verbs a request starts with once its frame is gone: they become "-ing" in a label.
VERBS_TEXT = """
add adjust analyse analyze animate annotate answer anonymise anonymize arrange assess audit
automate balance blur book brainstorm build calculate caption categorise categorize chat check
choose classify clean code collect combine compare compile compose compute convert copy correct
count create crop cut debug decide design detect develop digitise digitize discover document
draft draw dub edit email enhance estimate evaluate explain export extract fill filter find fix
flag forecast format gather generate get grade handle identify illustrate import improve index
inspect interpret label learn list localise localize log make manage map match measure merge
model monitor moderate narrate negotiate optimise optimize organise organize outline paint
parse personalise personalize pick plan populate predict prepare present price prioritise
prioritize process produce proofread publish read rebuild recognise recognize recommend record
redact reduce refactor remove render reorganise reorganize repair replace reply report
rephrase research resize respond restore retouch review rewrite route run scan schedule score
screen search segment select send sequence set share shorten simulate sketch solve sort spot
standardise standardize streamline structure study subtitle suggest summarise summarize
support tag teach test track train transcribe transform translate triage turn tune type
update upscale validate verify visualise visualize watch work write
"""
VERBS = frozenset(VERBS_TEXT.split())
# Where the job ends and the asker's circumstances begin ("…, typing them in takes hours").
_CLAUSE = re.compile(
    r"\s*(?:[,;:(]|\s-\s|\b(?:because|since|so that|instead of|without|but|which|that way)\b"
    r"|\bso (?=i|we)\b|\bas (?=we|i|it|they)\b|\b(?:we|i|they|you|it|he|she)\b(?! [a-z]+ing)"
    r"|\band (?=(?:" + "|".join(sorted(VERBS)) + r")\b))",
    re.IGNORECASE,
)
# Words that are nouns as often as verbs: "route planning" stays, "read handwriting" turns.
_NOUNISH = frozenset("""route plan report map schedule model test record score list label tag price
index document design sketch log chat email work process support update review research code
answer book count cut data demand estimate forecast handle run set spot track turn type voice
""".split())
_DOUBLE = frozenset("scan plan chat tag map run cut get set put stop swap log shop trim skim "
                    "clip crop drop ship dub pin spot sum chop jot".split())
_NO_FINAL_E = frozenset({"be", "see", "agree", "free", "flee", "dye", "eye", "hoe", "toe"})
_DROP_WORDS = frozenset("a an the our my your their his her its some".split())
_SMALL = frozenset("""a an and as at by for from in into of on or the to with via per vs during
about across around over under within without between after before based like than how what
when where which who whose why each every this that these those""".split())
_MAX_WORDS = 8
_PREPOSITIONS = frozenset("""for from in into of on to with via across around during over under
within between after before per at by""".split())


def gerund(verb: str) -> str:
    """"scan" -> "scanning", "create" -> "creating", "forecast" -> "forecasting"."""
    word = verb.lower()
    if word in _DOUBLE:
        return word + word[-1] + "ing"
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and word not in _NO_FINAL_E:
        return word[:-1] + "ing"
    return word + "ing"


def job_phrase(question: str) -> str:
    """The need inside a request, without the way it was asked; "" when nothing is left."""
    text = _PLACEHOLDER.sub(" ", question.translate(_QUOTES))
    text = re.sub(r"\s+", " ", text).strip()
    for _ in range(12):
        stripped = _RELAYED.sub("", text, count=1).strip(" ?!.,;:-")
        stripped = _LEAD_RE.sub("", stripped, count=1).strip()
        stripped = _TAIL_RE.sub("", stripped).strip()
        stripped = _TAIL_CASELESS.sub("", stripped).strip()
        if stripped == text:
            break
        text = stripped
    return text.strip(" ?!.,;:-\"'")


def _looks_like_name(word: str, position: int, keep: frozenset[str]) -> bool:
    """A capitalized word inside the phrase that is neither an acronym nor a known term."""
    core = word.strip("'\".,;:!?()").removesuffix("'s")
    if position == 0 or not core[:1].isupper() or core.isupper() or not core.isalpha():
        return False
    return core.lower() not in keep


def use_case_label(phrase: str, *, keep: frozenset[str] = frozenset()) -> str:
    """A short use-case label from a job phrase; capitalized words not in `keep` (tool
    names, terms the group shares) are dropped, since they may be a person's name."""
    head = _CLAUSE.split(phrase, maxsplit=1)[0] if phrase else ""
    words = [w for w in head.split() if w.lower() not in _DROP_WORDS]
    words = [w for i, w in enumerate(words) if not _looks_like_name(w, i, keep)]
    if not words:
        return ""
    first = words[0].lower()
    verb = first[:-1] if first.endswith("s") and first[:-1] in VERBS else first
    noun_use = verb in _NOUNISH and len(words) > 1 and words[1].lower().endswith("ing")
    if verb in VERBS and not noun_use:
        words[0] = gerund(verb)
    # A job plus one qualifier reads as a use case; a second qualifier is circumstance.
    cut = next((i for i, w in enumerate(words) if i >= 4 and w.lower() in _PREPOSITIONS), None)
    words = words[: min(cut or _MAX_WORDS, _MAX_WORDS)]
    while len(words) > 1 and words[-1].lower() in _SMALL:
        words.pop()
    text = " ".join(words).strip(" ,.;:-")
    return (text[:1].upper() + text[1:])[:80]
