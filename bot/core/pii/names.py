"""Personal names in chat text, found without a language model.

A NER model (Presidio's spaCy pipeline) would need a model download that is not
allowed at run time and would cost seconds of start-up on every `ask`. Chat
questions are short, and names in them follow a few patterns, so this detector
combines a shipped list of first names (1990 US Census, public domain, plus
common European and international names) with context cues:

- a first name written with a capital ("send Jennifer the deck"), unless it is
  also an everyday word ("Will", "May", "Mark"), a month or a day;
- any capitalized word after a person cue ("my colleague Siobhan", "Dr. Okafor"),
  even one that is also a tool's name ("my colleague Claude");
- a name that is also a word only with such a cue or a capitalized surname after
  it ("ask Will Turner", "Bill's notes" in lower case is left alone);
- the capitalized word after a found first name, as the surname.

Otherwise tool names are never names: a built-in list of AI products that share a first
name (Claude, Jasper, Ada...) and the caller's allowlist (the policy's tool
names and aliases) are skipped. The tests keep a table of real-shaped samples,
positive and negative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

__all__ = ["AMBIGUOUS", "BUILTIN_TOOL_NAMES", "name_allowlist", "name_spans"]

Span = tuple[int, int]

# AI products and languages that share a first name: never a person in this bot's chats.
BUILTIN_TOOL_NAMES = frozenset("""
claude jasper ada alexa siri cortana otto devin harvey ernie cody dolly julius nova aria jules
poe elsa eva max leo luna sage watson grok gemini bard perplexity copilot llama mistral phi
julia ruby sora kimi pi iris einstein rufus amelia otter tabnine jarvis hal sam mira duet
""".split())

# First names that are also everyday words, months, days or places: need a person cue.
AMBIGUOUS = frozenset("""
will may june april august january september october november december monday tuesday
wednesday thursday friday saturday sunday mark bill grace hope joy faith art rose summer
winter autumn spring page chase sue pat amber crystal pearl lily violet dawn eve hunter king
queen prince princess major miles rich ray guy jack frank earl lane grant price van son sun
so in an ok else tad don dee bo lou ty love star sky story young long golden honey candy
cherry ginger holly ivy hazel daisy olive opal coral diamond ebony ivory jewel misty sunny
windy stormy rocky dusty rusty sandy penny buck bud chance charity china india paris kenya
argentina brain carry marry many man my numbers see season temple trinity destiny echo delta
alpha omega meta genesis liberty noble royal german irish roman marine manual lean loan song
moon venus mercy melody harmony glory patience precious prudence sterling tiny fairy lady
miss easter junior angel angle cliff clay cole dale dean drew heath herb hue lance ward
walker porter parker mason carter fletcher foster palmer tanner warner booker piper spencer
reed ross wade chad dot fern flo forest gay gale glen han hang hong ha ka lan li lin ling ma
mi min mo na nu pa ta un wan wen yang yen yu yer yon ping sang sung shin soon dung hung jin
jung kam mao my luz sol dia era karma mac mack kit nick sal rob rod roger russ sherry brandy
dusty sandy terry toby tom jimmy joey bobby billy johnny willy penny polly patty kitty missy
lean bee bell belle berry birdie blossom bonny brook chance concha dell desire dimple
fawn garland garnet glory heather homer lady lore lory major marvel merry mignon noble
numbers pasty raven rex sparkle tiara tiny velvet viva willow
""".split())

# Words before a person: "my colleague X", "Dr. X", "Herr X". Any capitalized word after
# these is taken as a name, even if it is not in the list.
_PERSON_CUES = frozenset("""
colleague colleagues coworker coworkers co-worker co-workers manager boss supervisor teammate
team-mate intern contractor employee assistant director recruiter candidate applicant patient
mr mrs ms mx dr prof herr frau mme mlle sr sra kollegin kollege collègue named
""".split())
# Weaker cues that make a listed name (even a word-like one) a person: "ask Will".
_NAME_CUES = frozenset("""
ask asked tell told from to cc with by for met call email ping message remind thank
thanks hi hello dear von für mit avec pour con para
""".split())
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_])){0,30}")
_TITLE = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?")
_SENTENCE_END = frozenset(".!?:;\n")


@cache
def _first_names() -> frozenset[str]:
    """The shipped first-name lists, lower-cased (loaded once, ~10k names)."""
    names: set[str] = set()
    for path in sorted((Path(__file__).parent / "data").glob("*.txt")):
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#") and len(line) > 2:
                    names.add(line.casefold())
    return frozenset(names)


def name_allowlist(phrases: Iterable[str]) -> frozenset[str]:
    """Casefolded words of tool names and aliases ("Claude for Work" -> claude, for, work)."""
    words: set[str] = set()
    for phrase in phrases:
        words.update(m.group().casefold() for m in _WORD.finditer(phrase))
    return frozenset(words)


def _possessive_base(word: str) -> str:
    for suffix in ("'s", "’s", "s'", "s’"):
        if word.endswith(suffix):
            return word[: -len(suffix)] if suffix[0] in "'’" else word[:-1]
    return word


def _skip(key: str, allow: frozenset[str]) -> bool:
    return key in allow or key in BUILTIN_TOOL_NAMES


def name_spans(text: str, allow: frozenset[str] = frozenset()) -> Iterator[Span]:
    """Spans of personal names in `text`; tool names in `allow` are never names."""
    if not any(c.isalpha() for c in text):
        return
    names = _first_names()
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        match = words[i]
        raw = match.group()
        base = _possessive_base(raw)
        key = base.casefold()
        titled = bool(_TITLE.fullmatch(base))
        listed = key in names
        hit = False
        if (titled or listed) and _dated(text, match, key):
            i += 1
            continue
        if titled or listed:
            prev, gap = _previous(text, words, i)
            cue = prev in _PERSON_CUES
            name_cue = prev in _NAME_CUES and not (set(gap) & _SENTENCE_END)
            if titled and cue:
                hit = True  # "my colleague Claude" is a person, whatever tools are called
            elif _skip(key, allow):
                hit = False
            elif listed and key not in AMBIGUOUS:
                # Capitalized anywhere, or lower-case with a cue or a possessive.
                hit = titled or cue or base != raw
            elif listed and titled:
                # "Will", "May": a person only with a cue or a surname after it.
                hit = key not in _NEVER_A_NAME and (name_cue or (
                    key not in _MODALS and _has_surname(text, words, i, allow)))
        if not hit:
            i += 1
            continue
        start, end = match.start(), match.start() + len(base)
        # Take the surname too: "Jennifer Okafor", "Dr. Anna van der Berg".
        j = i + 1
        while j < len(words) and j <= i + 3 and _continues(text, words, j, allow):
            end = words[j].start() + len(_possessive_base(words[j].group()))
            if _possessive_base(words[j].group()) != words[j].group():
                j += 1
                break
            j += 1
        yield start, end
        i = j


# Month abbreviations that are also first names ("Jan", "Dee"): a date beside a number.
_MONTH_ABBR = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())


_BESIDE_NUMBER = (re.compile(r"\d[.,]?\s{1,2}$"), re.compile(r"^\.?\s{1,2}\d"))


def _dated(text: str, match: re.Match[str], key: str) -> bool:
    """ "Jan 1,204", "3 Jan", "Jan 5th": a month beside a number is a date, not Jan."""
    if key not in _MONTH_ABBR:
        return False
    before, after = _BESIDE_NUMBER
    return bool(before.search(text[max(0, match.start() - 4): match.start()])
                or after.search(text[match.end(): match.end() + 4]))


# Modal verbs, months and days: never a person ("May Copilot read it?", "in May and June").
_MODALS = frozenset({"will", "may", "can", "should"})
_NEVER_A_NAME = frozenset({"june", "april", "august", "january", "september",
                               "october", "november", "december", "monday", "tuesday",
                               "wednesday", "thursday", "friday", "saturday", "sunday",
                               "so", "in", "an", "ok", "else", "see", "my", "man", "many"})
def _previous(text: str, words: list[re.Match[str]], i: int) -> tuple[str, str]:
    """The word before word i (casefolded, without a trailing dot) and the gap between."""
    if i == 0:
        return "", text[: words[0].start()]
    gap = text[words[i - 1].end(): words[i].start()]
    if len(gap) > 3 or gap.strip(" .,\u00a0"):
        return "", gap
    return words[i - 1].group().casefold(), gap


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "da", "di", "del", "la", "le", "bin"})


def _continues(text: str, words: list[re.Match[str]], j: int, allow: frozenset[str]) -> bool:
    """Whether word j (directly after the previous one) is part of the same name."""
    gap = text[words[j - 1].end(): words[j].start()]
    if gap not in (" ", "\u00a0"):
        return False
    prev = words[j - 1].group()
    if _possessive_base(prev) != prev:
        return False
    word = _possessive_base(words[j].group())
    key = word.casefold()
    if key in _PARTICLES and j + 1 < len(words):
        return True
    return bool(_TITLE.fullmatch(word)) and not _skip(key, allow) and key not in AMBIGUOUS


def _has_surname(text: str, words: list[re.Match[str]], i: int, allow: frozenset[str]) -> bool:
    if i + 1 >= len(words):
        return False
    if _possessive_base(words[i].group()) != words[i].group():
        return False
    gap = text[words[i].end(): words[i + 1].start()]
    word = _possessive_base(words[i + 1].group())
    key = word.casefold()
    return gap == " " and bool(_TITLE.fullmatch(word)) and not _skip(key, allow) \
        and key not in AMBIGUOUS and key not in _first_names()
