"""What a message says about AI output, decisions, disclosure and code, read in general
English: the message side of `situation_lines` (which reads the policy's side) and of the
block decision's `broken_asks`.

- `skips_checking`: AI output used without a person checking it: a skipped check ("without
  anyone reading it"), output going out as it comes ("straight to the client", "word for
  word"), or sent by AI on its own ("email it out automatically", "let the AI write and
  send them").
- `ai_decides`: AI asked to decide, choose, approve, reject, rank..., or to do so alone,
  to tell others whether they qualify or pass, or its recommendation taken as final.
- `hides_ai`: readers not to know AI was involved, or AI work passed off as a person's.
- `writes_code`: code written, fixed or pasted.
- `fabricates`: AI asked to make something up ("fake reviews", "make up a few quotes",
  "a fabricated case study"), not a mention of fakes ("why we never use fake
  testimonials", "spotting fake news").
- `treats_unequally`: people treated differently by a protected trait ("guests from
  certain countries pay more", "leaves out anyone over 55", "filter applicants by
  nationality").
- `personal_device`: the asker's own device ("on my own laptop", "my kids' laptop"), not
  the organization's ("my work laptop", "my state laptop").
- `not_public`: material said not to be public ("isn't published yet", "before it gets
  posted", "the board's closed session", "our internal audit findings").
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "ai_decides", "fabricates", "hides_ai", "not_public", "personal_device", "skips_checking",
    "treats_unequally", "writes_code",
]

_CHECK = (
    r"(?:check|read|look|review|proofread|verify|edit|fact[- ]?check|double[- ]?check|vet|"
    r"sign(?:ing)? (?:it |them )?off)\w*"
)
# What says the check will not happen, a few words before it: "without anyone reading it",
# "no need for the manager to look at it", "nobody needs to read it first".
# "we don't need engineers signing off", "before Stanley gets a chance to look".
_SKIP_CUE = (
    r"(?:without|no need|(?:do not|dont|don't|does not|doesn't|will not|won't|wont|not) "
    r"(?:need(?: to)?|have to|bother(?: to)?)|(?:nobody|no one|noone) (?:needs to|has "
    r"to|will|to)|don't bother|skip(?:ping)?|before (?:anyone|anybody|someone|somebody) "
    r"(?:gets a chance|can|has a chance)|before (?:the |my |our |your )?[\w'’]+ "
    r"(?:gets|has|got|had) a chance)"
)
# No time for it: a check skipped ("no time to proofread it"), but no time to read or look
# at something is a need for its gist ("40 pages of documentation and no time to read it"),
# unless what AI made goes out ("let the AI send the offers, no time to look at them").
_NO_TIME = r"(?:no|(?:do not|dont|don't|does not|doesn't) have|(?:haven't|have not) had) time to"
_NO_TIME_TO_READ = re.compile(rf"\b{_NO_TIME}\b(?:\s+[\w'’]+){{0,4}}?\s+(?:read|look)", re.I)
_GOES_OUT = re.compile(
    r"\b(?:send\w*|sent|post|posts|posting|publish\w*|goes out|go out|repl(?:y|ies)|"
    r"respond\w*|forward\w*|submit\w*|email (?:it|them))\b", re.I
)
_SKIPS = re.compile(
    rf"\b{_SKIP_CUE}\b(?:\s+[\w'’]+){{0,4}}?\s+{_CHECK}\b"
    rf"|\b{_NO_TIME}\b(?:\s+[\w'’]+){{0,4}}?\s+(?!read|look){_CHECK}\b"
    rf"|\b(?:nobody|no one|noone)\s+{_CHECK}\b"  # "with nobody checking what it says"
    # the output going out as it comes
    r"|\b(?:straight|directly)\s+(?:to|into|onto|out|on)\b"
    r"|\b(?:as is|as-is|as it is|as it comes|as they are|unchecked|unedited|unreviewed|"
    r"unread)\b|\bexactly as (?:it|they) (?:comes?|came|is|are)\b|\bas final\b"
    r"|\bwhatever (?:the )?[\w@]+ (?:says|writes|produces|comes up with|suggests|gives|"
    r"spits out|recommends)\b"
    # used word for word: "adopt it word for word", "paste them into the consultation
    # unchanged" (a transcript "word for word" is what is asked, not output left unread)
    r"|\b(?:adopt|use|using|used|paste|publish|post|copy|put|submit|file|send|take|print)\w*"
    r"\b[^.?!]{0,60}?\b(?:word for word|verbatim|unchanged)\b"
    # the person who would check never sees it: "he won't see it before it goes"
    rf"|\b(?:won't|wont|will not|never)\s+(?:get to\s+)?(?:see|{_CHECK})\s+(?:it|them|this|"
    r"that)\s+before\b",
    re.I,
)
# Output sent with no person in between: sent "automatically", "on its own", or by AI
# itself ("let the AI write and send them", "have AI write the answer and send it").
_SEND = r"(?:send|email|e-mail|post|publish|repl(?:y|ie)|respond|forward|submit|mail)"
_ALONE = r"(?:automatically|on its own|by itself|by themselves|on their own)"
_SENT_ALONE = re.compile(
    rf"\b{_SEND}\w*\b[^.?!]{{0,40}}?\b{_ALONE}\b|\b(?:automatically|auto-)\s*{_SEND}", re.I
)
_AI_SENDS = re.compile(
    r"\b(?:let|have|get|make)\s+(?:the\s+|an?\s+)?(?P<who>[\w@.-]+)\s+\w+(?:\s+[\w'’]+){0,4}?"
    rf"\s+and\s+(?:then\s+)?{_SEND}\w*\b", re.I
)

_DECIDE = (
    r"(?:decide|choose|pick|determine|approv(?:e|al)|reject|den(?:y|ie|ial)|select|rank|judge|"
    r"triage|"
    r"turn down|blacklist|make the (?:final )?(?:call|decision)|make (?:a|the) decision)"
)
# Who is asked to decide: AI by any of its common nouns, or a tool's name (`is_tool`).
_AI_NOUNS = frozenset(
    "ai bot chatbot model algorithm tool machine system agent assistant automation".split()
)
_ASKED_TO_DECIDE = re.compile(
    rf"\b(?:let|have|get|make)\s+(?:the\s+|an?\s+)?(?P<who>[\w@.-]+)\s+{_DECIDE}\w*", re.I
)
_DECIDES_ALONE = re.compile(
    rf"\b{_DECIDE}\w*\b[^.?!]{{0,60}}?\b(?:on its own|by itself|automatically|without "
    r"(?:a |any )?(?:human|person|anyone)\b)|\b(?:automatically|auto-)\s*" + rf"{_DECIDE}\w*"
    + rf"|\b(?:ai|bot|model|algorithm)\s+(?:to\s+)?{_DECIDE}s?\b"
    # "no human in the loop", "nobody in the loop": whatever it does, it does alone
    r"|\b(?:no(?:body| one)?|without(?: a| any)?)(?: (?:human|person|people|staff|one))? "
    r"in the loop\b"
    # AI's recommendation taken as the decision: "go with whatever salary the AI
    # recommends as the final offer"
    r"|\bwhatever\b[^.?!]{0,30}?\b(?:recommends|suggests|decides|picks|chooses|says)\b"
    r"[^.?!]{0,30}?\bas (?:the|our|my) final\b",
    re.I,
)
# AI telling others whether they pass: "let the chatbot tell visitors whether they
# qualify", "get the bot to tell candidates whether they passed the screening", "can
# copilot tell me whether the kid meets criteria" (not one's own case: "tell me if I
# qualify").
_TELLS_WHETHER = re.compile(
    r"\b(?P<who>[\w@.-]+)\s+(?:to\s+)?tell\w*\s+(?:[\w'’]+\s+){0,5}?(?:whether|if)\s+"
    r"(?!i\b|we\b|my\b|our\b)(?:the\s+)?[\w'’]+\s+(?:qualif\w*|pass\w*|meets?\b|"
    r"(?:is|are)\s+eligible|should\s+get|deserves?\b|gets?\s+(?:the|a|in)\b)",
    re.I,
)

_AI_WORDS = (
    r"(?:ai|a\.i\.|bot|chatbot|chatgpt|copilot|claude|gemini|gpt|machine|the tool|generated|"
    r"(?:it|this) was (?:written|made|drafted|generated))"
)
# Readers are not to know AI was involved, or the work is passed off as a person's.
_HIDES_AI = re.compile(
    r"\b(?:nobody|no one|noone|people|readers?|anyone|they|the public|customers|guests)\b"
    r"(?:\s+[\w'’]+){0,3}?\s+(?:tell|know|notice|realise|realize|find out|guess|spot)\b"
    rf"[^.?!]{{0,40}}?\b{_AI_WORDS}"
    r"|\b(?:don't|dont|do not|never|without|not)\s+(?:let on|mention\w*|say\w*|disclos\w*|"
    r"tell\w*(?: \w+)?|admit\w*|flag\w*|label\w*|credit\w*|acknowledg\w*)\b"
    rf"[^.?!]{{0,40}}?\b{_AI_WORDS}"
    r"|\b(?:strip|take|cut|remove|delete|leave)\w*\s+(?:out\s+)?(?:the bit|the part|the line|"
    r"the note|the label|the disclaimer|any mention|the mention)\b"
    rf"|\b{_AI_WORDS}\b[^.?!]{{0,80}}?\bleave (?:that|it|this) out\b"
    r"|\bas (?:if|though) (?:i|we|he|she|they|a real \w+|(?-i:[A-Z]\w+))(?:\s+\w+)? "
    r"(?:wrote|made|did|said|drafted) (?:it|them|this)\b"
    r"|\b(?:under|as) (?:my|our|his|her|their|(?:the )?(?:[\w-]+ ){0,2}[\w-]+'s) "
    r"(?:own|name)\b"
    r"|\bsound\w* like (?:i|we|a real \w+|(?-i:[A-Z]\w+)) wrote it\b",
    re.I,
)
# Code asked for or pasted: "write me a SQL query", "fix my javscript", "def price(items):".
_CODE_WORK = re.compile(
    r"\b(?:code|coding|source code|scripts?|macros?|regex\w*|regular expressions?|sql|"
    r"javascript|javscript|typescript|java|python|vba|powershell|bash|html|css|json|yaml|"
    r"programming|debug\w*|stack trace|compile\w*)\b|\bdef \w+\(|\bfunction \w+\(",
    re.I,
)


def skips_checking(text: str, is_tool: Callable[[str], bool] = lambda _: False) -> bool:
    """Whether the message says AI output will be used without a person checking it (or
    sent by AI, `is_tool(word)` naming a tool that may do so)."""
    if _SKIPS.search(text) or _SENT_ALONE.search(text):
        return True
    if _NO_TIME_TO_READ.search(text) and _GOES_OUT.search(text):
        return True
    return any(
        found.group("who").lower() in _AI_NOUNS or is_tool(found.group("who"))
        for found in _AI_SENDS.finditer(text)
    )


def hides_ai(text: str) -> bool:
    """Whether the message asks that readers not know AI was involved, or passes AI work
    off as a person's."""
    return bool(_HIDES_AI.search(text))


def ai_decides(text: str, is_tool: Callable[[str], bool] = lambda _: False) -> bool:
    """Whether the message asks AI (or a tool, `is_tool(word)`) to make a decision."""
    if _DECIDES_ALONE.search(text):
        return True
    return any(
        found.group("who").lower() in _AI_NOUNS or is_tool(found.group("who"))
        for pattern in (_ASKED_TO_DECIDE, _TELLS_WHETHER) for found in pattern.finditer(text)
    )


# Material said not to be public. "internal" only of material that exists ("our internal
# draft", "the internal audit findings"), not of a thing to be made ("an internal
# workshop", "write an internal how-to note").
_NOT_PUBLIC = re.compile(
    r"\b(?:unpublished|unreleased|embargoed|closed[- ]session|restricted (?:meeting|session)s?)\b"
    r"|\b(?:not|isn't|isnt|is not|aren't|are not|hasn't been|has not been|haven't been|"
    r"not been)\s+(?:yet\s+)?(?:public|published|released|announced|out yet)\b"
    r"|\bbefore (?:it|they|this|that) (?:gets |get |is |are |goes |go )?(?:posted|published|"
    r"public|announced|released)\b"
    r"|\b(?:our|the|their|his|her|my|this|these|those)\s+internal\b",
    re.I,
)


def not_public(text: str) -> bool:
    """Whether the message says its material is not public."""
    return bool(_NOT_PUBLIC.search(text))

# What, made up, is a fabrication rather than an example: "make up some quotes", "made-up
# first names on them" (not "made-up numbers for a training session").
_MADE_UP_WHAT = (
    r"(?:quotes?|quotations?|reviews?|testimonials?|stor(?:y|ies)|case stud(?:y|ies)|"
    r"statistics|stats|names|evidence|results|references|citations|sources|facts|claims?|"
    r"endorsements?|complaints?|letters?|deadlines?)"
)
_FABRICATES = re.compile(
    r"\b(?:fake[ds]?|faking|fabricat\w*|falsif\w*|fictitious|bogus|phony|phoney)\b"
    rf"|\b(?:make|makes|making|made)[- ]up (?:(?:a|an|some|the|few|a few|fake)\s+)?"
    rf"(?:[\w'’-]+\s+){{0,2}}?{_MADE_UP_WHAT}\b"
    rf"|\bmade[- ]up (?:[\w'’-]+\s+){{0,2}}?{_MADE_UP_WHAT}\b"
    r"|\bas if (?:she|he|they|it)(?:'s| is| are| was| were) real\b",
    re.I,
)
# Words a few words before it that make the fake a topic or something refused: "we never
# use fake testimonials", "spotting fake news", "a workshop about fabricated quotes".
_NOT_ASKED = frozenset(
    "never not no don't dont without avoid avoiding spot spotting detect detecting identify "
    "identifying flag flagging recognise recognize about on against stop prevent".split()
)


def fabricates(text: str) -> bool:
    """Whether the message asks AI to make something up."""
    for found in _FABRICATES.finditer(text):
        before = re.findall(r"[\w']+", text[: found.start()].lower())[-3:]
        if not _NOT_ASKED.intersection(before):
            return True
    return False

# A protected trait (or a group by one) and, in the same sentence, a difference in how
# people are treated: "guests from certain countries pay more", "so older people don't
# bother applying", "postcodes with lots of immigrants don't see the offer".
_TRAIT = (
    r"(?:nationalit(?:y|ies)|countr(?:y|ies)|immigrants?|migrants?|foreigners?|race|racial|"
    r"ethnic\w*|religio\w*|gender|women|men|female|male|pregnan\w*|disabilit\w*|disabled|"
    r"older|elderly|age|aged|over \d\d|under \d\d|younger|lgbtq?\w*|gay|sexual orientation|"
    r"accents?)"
)
_UNEQUAL = (
    r"(?:leaves? out|leaving out|left out|exclud\w*|filter\w*(?: out)?|screen\w* out|"
    r"weed\w* out|only (?:to|for|give)|(?:don't|do not|never|won't|can't|cannot) "
    r"(?:see|get|apply|bother)|pay more|charged? more|higher prices?|worse|deprioriti\w*|"
    r"reject\w*|turn\w* away|keep\w* out|not hire|avoid hiring|fewer|less likely)"
)
_TREATS_UNEQUALLY = re.compile(
    rf"\b{_TRAIT}\b[^.?!;]*?\b{_UNEQUAL}\b|\b{_UNEQUAL}\b[^.?!;]*?\b{_TRAIT}\b", re.I
)
# The asker's own device; one the organization issues ("my work laptop") is not.
_PERSONAL_DEVICE = re.compile(
    r"\bmy\s+(?:own\s+|personal\s+|home\s+|private\s+|kids'?\s+|family\s+)?(?:phone|"
    r"iphone|android|mobile|laptop|pc|computer|tablet|ipad|device|mac|macbook)s?\b",
    re.I,
)


def treats_unequally(text: str) -> bool:
    """Whether the message treats people differently by a protected trait."""
    return bool(_TREATS_UNEQUALLY.search(text))


def personal_device(text: str) -> bool:
    """Whether the message uses the asker's own device."""
    return bool(_PERSONAL_DEVICE.search(text))


def writes_code(text: str) -> bool:
    """Whether the message asks for code or pastes some."""
    return bool(_CODE_WORK.search(text))
