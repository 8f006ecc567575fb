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
  posted", "the board's closed session", "our internal audit findings", "marked
  OFFICIAL-SENSITIVE", "before we pitch it to leadership").
- `manipulates`: people pressured or exploited ("plays on their fear", "makes them feel
  guilty", "hide the cancel button", "they won't notice", "target the elderly customers
  with the pricier plan").
- `deceives`: people told what is not so ("saying it's fixed even though crews are still
  out", "just say it's a network issue"), or a real person impersonated ("clone the CEO's
  voice", "as if the client's CEO wrote it").
- `gets_around_security`: a security control worked around ("click past the warning",
  "turn off the label pop-up", "skip the security review").
- `records_covertly`: people recorded, transcribed or watched without being told
  ("record the interview without telling him", "secretly transcribe the call", "dig up
  what you can on my coworker's personal life").

Written from how people put these things in general English, not from any one policy's
questions; `tests/core/test_situation_cues.py` holds the phrasings and near misses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "ai_decides", "deceives", "fabricates", "gets_around_security", "hides_ai", "manipulates",
    "not_public", "personal_device", "records_covertly", "skips_checking", "treats_unequally",
    "writes_code",
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
    r"|\b(?:our|the|their|his|her|my|this|these|those)\s+internal\b"
    # marked so: "it's marked OFFICIAL-SENSITIVE", "labelled confidential"
    r"|\b(?:marked|labell?ed|classified|stamped|flagged)\s+(?:as\s+)?(?:official[- ]sensitive|"
    r"confidential|restricted|internal(?: only)?|secret|sensitive|not for (?:release|"
    r"distribution))\b"
    # before it is made known: "before we pitch it to leadership" (not "before I send it")
    r"|\bbefore\s+(?:we|they|the board|leadership|management|it|he|she)\s+(?:pitch|present|"
    r"announce|release|publish|launch|unveil)(?:es|s)?\b",
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
    "identifying flag flagging recognise recognize about on against stop prevent explain "
    "explaining define teach teaching".split()
)


def _asked(pattern: re.Pattern[str], text: str) -> bool:
    """A match not made a topic or refused by the words just before it ("a training on dark
    patterns", "never play on their fear")."""
    for found in pattern.finditer(text):
        before = re.findall(r"[\w']+", text[: found.start()].lower())[-3:]
        if not _NOT_ASKED.intersection(before):
            return True
    return False


def fabricates(text: str) -> bool:
    """Whether the message asks AI to make something up."""
    return _asked(_FABRICATES, text)

# A protected trait (or a group by one) and, in the same sentence, a difference in how
# people are treated: "guests from certain countries pay more", "so older people don't
# bother applying", "postcodes with lots of immigrants don't see the offer".
_TRAIT = (
    r"(?:nationalit(?:y|ies)|countr(?:y|ies)|immigrants?|migrants?|foreigners?|race|racial|"
    r"ethnic\w*|religio\w*|gender|women|men|female|male|pregnan\w*|disabilit\w*|disabled|"
    r"older|elderly|age|aged|over[- ]\d\ds?|under[- ]\d\ds?|younger|lgbtq?\w*|gay|sexual "
    r"orientation|"
    r"accents?)"
)
_UNEQUAL = (
    r"(?:leaves? out|leaving out|left out|exclud\w*|filter\w*(?: out)?|screen\w* out|"
    r"weed\w* out|only (?:to|for|give)|(?:don't|do not|never|won't|can't|cannot) "
    r"(?:see|get|apply|bother)|pay more|charged? more|higher prices?|worse|deprioriti\w*|"
    r"reject\w*|turn\w* away|keep\w* out|not hire|avoid hiring|fewer|less likely|"
    r"(?:bump|rais|hik|increas)\w*\s+(?:\w+\s+)?(?:prices?|rates?|premiums?|fees?)|charge\w* "
    r"(?:\w+ )?more|different (?:prices?|rates?|offers?|ads|terms|premiums?))"
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


# People on the receiving end: "them", "customers", "the members", "people's".
_PEOPLE = (
    r"(?:them|people|customers?|clients?|users?|members?|patients?|guests?|buyers?|"
    r"shoppers?|subscribers?|donors?|tenants?|residents?|voters?|students?|parents?|him|her|"
    r"folks|everyone|readers?|viewers?|callers?|families|applicants?|candidates?)"
)
_VULNERABLE = (
    r"(?:elderly|older|old|vulnerable|confused|lonely|grieving|bereaved|desperate|"
    r"struggling|indebted|in debt|in financial difficulty|in arrears|broke|poor|low[- ]income|"
    r"with dementia|with memory problems|with (?:a )?disabilit\w+|addicts?|gamblers?|"
    r"problem gamblers?|less tech[- ]savvy|not tech[- ]savvy|naive|gullible|illiterate)"
)
_MANIPULATES = re.compile(
    # playing on feelings: "plays on their fear", "guilt-trip them"
    r"\bplay\w*\s+on\s+(?:their|people'?s|customers'?|the|his|her|our\s+\w+'?s?)\s+"
    r"(?:fears?|guilt|emotions?|insecurit\w+|anxiet\w+|loneliness|grief|worries|worry|shame)"
    r"|\bguilt[- ]?trip\w*|\bemotional(?:ly)? blackmail\w*"
    rf"|\b(?:scare|frighten|shame|bully|bullies|bullying|coerce|coercing|trick|tricks|"
    rf"tricking|dupe|duping|hoodwink\w*|pressur(?:e|es|ing)|guilt|manipulat\w*)\s+(?:\w+\s+)?"
    rf"{_PEOPLE}\s+(?:into|to|so)\b"
    rf"|\b(?:make|makes|making|made)\s+{_PEOPLE}\s+feel\s+(?:guilty|ashamed|stupid|scared|"
    r"afraid|bad|anxious|worried|like failures?)"
    # dark patterns: "hide the cancel button", "bury the fees"
    r"|\b(?:hide|hides|hiding|hidden|bury|buries|burying|obscure\w*)\s+(?:the\s+|our\s+|any\s+|"
    r"an?\s+)?(?:\w+\s+)?(?:cancel\w*|unsubscribe|opt[- ]?out|fees?|charges?|price rises?|"
    r"exit|refund)\b"
    r"|\bdark patterns?\b|\b(?:fake|false|artificial|manufactured)\s+(?:urgency|scarcity)\b"
    # nobody will see it coming: "they won't notice", "without them realising"
    rf"|\b(?:without|before)\s+{_PEOPLE}\s+(?:even\s+)?(?:realis|realiz|notic|understand|"
    r"catch\w* on)\w*"
    rf"|\b(?:they|{_PEOPLE})\s+(?:won't|wont|will not|don't|dont|do not|never|wouldn't|"
    r"won't even|will never)\s+(?:even\s+)?(?:notice|realise|realize|catch on|figure it out|"
    r"read the (?:small|fine) print)"
    # the vulnerable singled out, to be sold to or pushed: "target the elderly customers"
    rf"|\b(?:target\w*|go after|single\w* out|aim\w* at|pick\w* out|find\w*|focus\w* on)\s+"
    rf"(?:the\s+|our\s+|any\s+)?(?:\w+\s+){{0,2}}?{_VULNERABLE}"
    rf"|\b{_VULNERABLE}\s+(?:\w+\s+){{0,2}}?{_PEOPLE}\b[^.?!]{{0,60}}?\b(?:sell\w*|upsell\w*|"
    r"upgrad\w*|push\w*|buy\w*|sign\w* up|pricier|dearer|more expensive|most expensive|extra "
    r"cover|premium|loans?|credit|borrow\w*|spend\w*|pay more)\b"
    rf"|\bpush\w*\s+(?:\w+\s+){{0,4}}?into\s+(?:buying|upgrading|signing|taking|paying|"
    r"spending|borrowing|renewing|staying)\b"
    rf"|\b(?:exploit\w*)\s+(?:their|people'?s|customers'?|the|his|her|{_PEOPLE})\b"
    rf"|\bnudg\w*\s+(?:\w+\s+){{0,3}}?(?:to|into)\b[^.?!]{{0,60}}?\bwithout\b"
    # fear or guilt made: "makes them worried they'll lose cover", "guilt them about"
    rf"|\b(?:make|makes|making|made)\s+{_PEOPLE}\s+(?:\w+\s+)?(?:worried|worry|scared|panic\w*|"
    r"afraid|fear|think (?:they'll|they will) lose)"
    rf"|\bguilt(?:s|ing|ed)?\s+{_PEOPLE}\b"
    # tricks of the trade: pre-ticked boxes, timers that reset, a scarcity that is not so
    r"|\bpre-?(?:ticked|checked|selected)\b|\bcountdown\s+(?:timer|clock)s?\b[^.?!]{0,40}?"
    r"\b(?:reset\w*|restart\w*|fake|never ends?)\b"
    r"|\bwithout\s+(?:really\s+|even\s+|actually\s+)?(?:noticing|realising|realizing|"
    r"reading it|thinking)\b"
    # the vulnerable picked out: "the ones who sound most confused", "over-75s who seem
    # a bit confused"
    r"|\b(?:who|that)\s+(?:seem|seems|sound|sounds|look|looks|are|is)\s+(?:the\s+)?(?:most\s+|"
    r"a bit\s+|really\s+|quite\s+|more\s+)?(?:confused|stressed|desperate|vulnerable|lonely|"
    r"anxious|frail|gullible|distressed|grieving|easily (?:led|swayed|confused))\b"
    rf"|\bpush\w*\s+{_PEOPLE}\s+(?:to|into)\s+(?:accept\w*|buy\w*|sign\w*|upgrad\w*|tak\w*|"
    r"agree\w*|pay\w*|drop\w*|settl\w*)",
    re.I,
)


def manipulates(text: str) -> bool:
    """Whether the message asks to pressure, trick or exploit people."""
    return _asked(_MANIPULATES, text)


# A real person by role or name: "the police chief", "the CEO", "Sandra" (not "the brand").
_PERSON = (
    r"(?:ceo|boss|manager|director|chief|president|mayor|minister|doctor|principal|chair\w*|"
    r"founder|owner|judge|officer|partner|head|governor|senator|councillor|councilor|"
    r"(?-i:[A-Z][a-z]+))"
)
_STATE = r"(?:say\w*|said|tell\w*|told|claim\w*|announc\w*|stat(?:e|es|ing)|insist\w*|" \
    r"post\w*|writ\w+|wrote|put out|report\w*)"
_DECEIVES = re.compile(
    # the truth said to be otherwise: "saying it's fixed even though crews are still out"
    rf"\b{_STATE}\b[^.?!]{{0,80}}?\b(?:even though|even if|although|when (?:in fact|actually|"
    r"really|it's not|it isn't|they're not|they aren't))\b[^.?!]{0,60}?\b(?:still|not|isn't|"
    r"aren't|wasn't|weren't|hasn't|haven't|hadn't|didn't|doesn't|don't|never|no one|nobody|"
    r"nothing)\b"
    # a cover story: "if they complain just say it's a network issue"
    r"|\bjust\s+(?:say|tell (?:them|people|customers|everyone|him|her))\s+(?:that\s+)?"
    r"(?:it's|it is|it was|its|we're|there's|there was)\b"
    r"|\b(?:pretend\w*|lie|lying|lied)\s+(?:to|about|that|it's|we|i|they)\b"
    r"|\bcover\w* (?:it|this|that|them) up\b|\bmake it look like\b|\bpass\w* (?:it|them|this) off "
    r"as\b"
    # a real person impersonated: "clone the CEO's voice", "in the police chief's voice"
    r"|\b(?:clon\w*|mimic\w*|imitat\w*|fak\w*|deepfak\w*|synthesi[sz]\w*|recreat\w*|"
    r"replicat\w*)\s+(?!my\b|your\b)(?:the\s+|our\s+|his\s+|her\s+|their\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:[\w-]+(?:'s|’s|s')\s+)?voices?\b(?!\s+(?:memo|note|mail|message))"
    rf"|\bin\s+(?:the\s+|my\s+|our\s+|his\s+|her\s+|their\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"{_PERSON}(?:'s|’s)\s+(?:own\s+)?voice\b"
    r"|\bas (?:if|though) (?:it (?:came|comes) from |it's from |it was from )?(?:the |our |my |"
    r"their )?(?:[\w-]+(?:'s|’s) )?(?:[\w-]+ ){0,2}?(?:ceo|boss|manager|director|chief|"
    r"president|mayor|minister|doctor|principal|chair\w*|founder|owner|client|customer|"
    r"judge|officer|partner|head|(?-i:[A-Z][a-z]+)) (?:wrote|said|signed|sent|recorded|"
    r"personally|had written)\b"
    r"|\b(?:posing|pose|poses|pretending to be|pretend to be)\s+as\b",
    re.I,
)


# The message itself says what is asked for is not so: "it isn't fixed yet", "the real
# reason is", "she never said that", "I don't have a source", "spots are unlimited tbh".
_NOT_SO = re.compile(
    r"\b(?:it|this|that|they|he|she|we|which)\s+(?:still\s+)?(?:isn't|is not|wasn't|was not|"
    r"aren't|are not|weren't|hasn't|has not|haven't|have not|didn't|did not|doesn't|does not)"
    r"\s+(?:actually\s+|really\s+|even\s+)?(?:true|real|yet|fixed|done|happened|agreed|"
    r"restored|resolved|said|say|the case|accurate|right|correct|confirmed|heard|had|"
    r"approved|signed|finished|over|back)\b"
    r"|\b(?:the\s+)?real\s+(?:reason|cause|date|story|number|figure|deadline|problem)\s+"
    r"(?:is|was|being)\b"
    r"|\b(?:it|this|that)\s+was\s+actually\b|\bactually\s+(?:it\s+)?was\b"
    r"|\b(?:honestly|truthfully|tbh|in reality|in fact|truth is),?\s+(?:it|they|we|the|our|"
    r"spots|there|that|this)\b[^.?!]{0,40}?\b(?:was|were|is|are|wasn't|isn't|unlimited|"
    r"plenty|never|no)\b"
    r"|\b(?:never|not)\s+(?:actually\s+|really\s+)?(?:said|had|happened|did|agreed|"
    r"worked with|done)\b(?:\s+(?:that|this|it|so|anything))?"
    r"|\b(?:don't|do not|dont)\s+have\s+(?:a|any)\s+(?:source|evidence|proof|data)\b"
    r"|\b(?:still|isn't|is not)\s+(?:isn't\s+|not\s+)?(?:fixed|resolved|restored|sorted|"
    r"done)\b|\b(?:haven't|have not)\s+(?:actually\s+)?(?:heard|had|got|received|"
    r"agreed|decided)\b"
    r"|\bmake\s+it\s+(?:plausible|believable|look real|sound real|sound like)\b"
    r"|\b(?:so|to make)\s+(?:they|it)\s+look\w*\s+like\s+real\b",
    re.I,
)
# What people are to be told or shown: "a post saying", "a statement blaming", "a note
# home", "make it sound like".
_TELLS = re.compile(
    r"\b(?:say\w*|said|tell\w*|told|claim\w*|announc\w*|stat(?:e|es|ing|ement)|blam\w*|"
    r"post\w*|bulletin|notice|flyer|press release|message|email|letter|note|reply|"
    r"respon\w*|sound\w* like|look\w* like|reviews?|case stud(?:y|ies)|testimonials?|"
    r"quotes?|figures|statistics|numbers)\b",
    re.I,
)
# A real person's likeness or words: "a video of the mayor announcing", "an AI avatar of
# Supervisor Chen", "signed as her", "as if it's her personally", "the CEO's voice".
_LIKENESS = re.compile(
    rf"\b(?:video|audio|clip|recording|avatar|image|photo|picture|voice ?over|voicemail)s?\s+"
    rf"(?:of|from)\s+(?:the\s+|our\s+|my\s+)?(?:[\w-]+\s+){{0,2}}?{_PERSON}\b[^.?!]{{0,30}}?"
    r"\b(?:saying|announcing|answering|telling|admitting|apologi[sz]ing|confirming|"
    r"endorsing|talking|speaking|reading)\b"
    rf"|\bavatar\s+of\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){{0,2}}?{_PERSON}\b"
    r"|\bsign(?:ed|ing)?\s+(?:it\s+|them\s+)?as\s+(?:her|him|them|the\s+[\w-]+|"
    r"(?-i:[A-Z][a-z]+))\b"
    r"|\bas (?:if|though) (?:it's|it is|it was|it came) (?:from )?(?:her|him|them|the [\w-]+)"
    r"(?: personally)?\b"
    rf"|\b{_PERSON}(?:'s|’s)\s+(?:own\s+)?(?:voice|face|signature|likeness)\b"
    rf"|\b(?:written|posted|sent|signed)\s+as\s+if\s+(?:it's|it is|it was)\s+from\b",
    re.I,
)


def deceives(text: str) -> bool:
    """Whether the message asks to tell people what is not so, or to pass as a real
    person."""
    if _asked(_DECEIVES, text) or _asked(_LIKENESS, text):
        return True
    return bool(_NOT_SO.search(text)) and bool(_TELLS.search(text))


_CONTROL = (
    r"(?:warnings?|pop-?ups?|prompts?|blockers?|filters?|labels?|restrictions?|"
    r"firewalls?|prox(?:y|ies)|locks?|alerts?|messages?|banners?|dlp|antivirus|anti-virus|"
    r"protections?|security|safeguards?|controls?|guardrails?|mfa|2fa|sso|policy|policies|"
    r"checks?|scans?|quarantine)"
)
_GETS_AROUND = re.compile(
    rf"\b(?:click\w*|get\w*|go|going|work\w*|sneak\w*|slip\w*)\s+(?:past|around|round|through)"
    rf"\s+(?:the\s+|that\s+|this\s+|a\s+|an\s+|any\s+|those\s+|these\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"{_CONTROL}\b"
    rf"|\b(?:turn\w*|switch\w*|shut\w*)\s+off\s+(?:the\s+|that\s+|this\s+|a\s+|my\s+|those\s+)?"
    rf"(?:[\w-]+\s+){{0,2}}?{_CONTROL}\b"
    rf"|\b(?:turn\w*|switch\w*|shut\w*)\s+(?:the\s+|that\s+|this\s+|those\s+)?(?:[\w-]+\s+){{0,2}}?"
    rf"{_CONTROL}\s+off\b"
    rf"|\b(?:disabl\w*|bypass\w*|circumvent\w*|overrid\w*|dodg\w*|evad\w*|evasion|defeat\w*|"
    rf"work around|workaround|get around|get round|jailbreak\w*|suppress\w*|ignor\w*|"
    rf"remov\w*|strip\w*)\s+(?:the\s+|that\s+|this\s+|a\s+|an\s+|any\s+|those\s+|these\s+|our\s+|"
    rf"its\s+|it'?s\s+)?(?:[\w-]+\s+){{0,2}}?(?:security|sensitivity|dlp|classification|"
    r"content)\s+(?:warnings?|labels?|pop-?ups?|filters?|controls?|checks?|settings?|"
    r"restrictions?|blocks?|policy|policies)\b"
    r"|\b(?:bypass\w*|circumvent\w*|jailbreak\w*|get around|get round|work around|dodg\w*|"
    r"evad\w*)\s+(?:the\s+|that\s+|this\s+|a\s+|an\s+|any\s+|our\s+|its\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:firewall|proxy|filter|block|dlp|guardrails?|restrictions?|security|warning|label|"
    r"policy|mfa|2fa|sso|vpn)s?\b"
    r"|\b(?:skip\w*|without|no need for|don't need|dont need|do not need|forget(?: about)?|"
    r"ignor\w*|bypass\w*|go around|around)\s+(?:the\s+|a\s+|an\s+|any\s+|our\s+)?(?:it\s+)?"
    r"(?:security|infosec|cyber\w*|privacy|pen(?:etration)?[- ]?test\w*|risk)\s+(?:review|"
    r"check|assessment|sign[- ]?off|approval|scan|team|testing|process)s?\b"
    # the control named first: "a sensitivity warning pops up, how do I click past it"
    rf"|\b(?:{_CONTROL}|blocked|labell?ed)\b[^.?!]{{0,80}}?[.?!]?[^.?!]{{0,80}}?\b(?:click\w*|"
    r"get\w*|go|work\w*|sneak\w*)\s+(?:past|around|round|through) (?:it|them|that|this)\b"
    rf"|\b(?:{_CONTROL}|blocked|blocks?)\b[^.?!]{{0,80}}?[.?!]?[^.?!]{{0,80}}?\b(?:workarounds?|"
    r"sideload\w*|proceed anyway|jailbreak\w*|make it stop|a trick|any tricks?|loophole)\b"
    # someone else's login: "with a manager colleague's password"
    r"|\b(?:with|using|use|borrow\w*)\s+(?:a\s+|my\s+|the\s+|his\s+|her\s+|their\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:colleague|coworker|co-worker|manager|boss|someone else|somebody "
    r"else|another (?:person|user)|admin|supervisor)(?:'s|’s|s')?\s+(?:password|login|"
    r"credentials|account|badge|log-in|username)\b",
    re.I,
)


def gets_around_security(text: str) -> bool:
    """Whether the message asks to work around a security control, warning or review."""
    return _asked(_GETS_AROUND, text)


_CAPTURE = (
    r"(?:record\w*|transcrib\w*|tap(?:e|ed|es|ing)|film\w*|note[- ]?tak\w*|take notes|"
    r"listen\w* in|eavesdrop\w*|track\w*|monitor\w*|screenshot\w*|keylog\w*|spy\w*|"
    r"snoop\w*|surveil\w*)"
)
_UNTOLD = (
    r"(?:without (?:telling|asking|letting|informing|warning|notifying|mentioning|announcing|"
    r"their|them|him|her|"
    r"anyone|anybody|people|consent|permission|the \w+ knowing)|secretly|covertly|on the quiet|"
    r"on the sly|behind (?:their|his|her|our|my) backs?|without them knowing|unbeknownst|"
    r"so (?:they|he|she|nobody|no one) (?:don't|doesn't|won't|can't|never) (?:know|notice|"
    r"realise|realize|find out)|(?:don't|do not|dont|never|not) (?:tell|telling|let|letting|"
    r"inform|informing|warn|mention|mentioning) (?:them|him|her|anyone|people|the \w+)"
    r"|(?:don't|doesn't|do not|does not|won't|wouldn't) need to know"
    r"|(?:didn't|did not|doesn't|does not|don't|do not) know\b"
    r"|rather not (?:announce|tell|say|mention|let)|not (?:planning|going) to (?:announce|tell|"
    r"say|mention)|(?:don't|do not|dont) want (?:them|him|her|people|anyone|staff|the \w+) "
    r"(?:finding|to find) out)"
)
_COVERT = re.compile(
    rf"\b{_CAPTURE}\b[^.?!]{{0,80}}?(?:[.?!]\s*[^.?!]{{0,40}}?)?\b{_UNTOLD}"
    rf"|\b(?:secretly|covertly|quietly|discreetly)\s+(?:\w+\s+)?{_CAPTURE}\b"
    rf"|\b{_UNTOLD}\b[^.?!]{{0,30}}?\b{_CAPTURE}\b"
    # digging into a person's private life
    r"|\bdig\w*\s+up\s+(?:\w+\s+){0,4}?(?:on|about)\s+(?:my\s+|a\s+|the\s+|our\s+|this\s+|that\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:coworker|co-worker|colleague|employee|staff member|neighbou?r|"
    r"ex|customer|client|applicant|candidate|tenant|boss|manager|person|guy|woman|man)s?\b"
    r"|\b(?:his|her|their|(?:my |a |the |our )?(?:[\w-]+ )?[\w-]+(?:'s|’s))\s+(?:personal|"
    r"private|love|family|home|dating|social)\s+(?:life|lives|social media|accounts?|"
    r"profiles?|posts|affairs|history)\b"
    r"|\b(?:personal|private)\s+(?:instagram|facebook|tiktok|twitter|x|linkedin|social media|"
    r"socials|accounts?|profiles?|posts|messages|whatsapp)\b|\bdating (?:profiles?|apps?)\b"
    r"|\bwho (?:she|he|they)(?:'s|’s| is| are|'re) (?:seeing|dating|sleeping with)\b"
    r"|\bwhat (?:she|he|they) posts?\b[^.?!]{0,30}?\b(?:private|personal|own)\b"
    r"|\b(?:stalk\w*|cyberstalk\w*)\b",
    re.I,
)


def records_covertly(text: str) -> bool:
    """Whether the message records, transcribes or watches people without telling them,
    or digs into someone's private life."""
    return _asked(_COVERT, text)
