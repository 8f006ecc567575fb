"""Data a message describes rather than names by class, placed by meaning.

"Gemini for the outline of next month's onboarding session, ok?", "can I give NotebookLM
the statement of work the customer sent us?", "is it alright to run the vendor's
penetration test findings through ChatGPT?": the message puts data into a named tool, but
no class's example phrases name it, so the reading found no data and answered the tool's
status ("Yes: approved"), or a data check that "can't tell" the class. Here the data's
words are placed among the policy's own classes by meaning (`bot.core.data_meaning`) and
the question becomes the data check it is: the class against the tool's limit, with the
red lines that keep that class out. A job handed data the same way ("here's the quote the
broker sent us, can AI compare it with last year's") gets the data's class too, and with
it the red lines that keep that class out of the recommended tool.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core.advice.index import PolicyIndex, matcher_embedding
from bot.core.data_patterns import DATA_PATTERN, TOOL_GIVEN_DATA, TOOL_ON_DATA
from bot.core.data_shapes import without_permission_tag
from bot.core.matching.text import normalize
from bot.core.pasted import describe_placeholders, has_pasted_data, pasted_part
from bot.core.published import reads_published
from bot.core.reading import Ask, Reading
from bot.core.redline_mentions import drop_negated
from bot.core.redline_themes import puts_data_in

__all__ = ["handed_over", "with_described_data"]

_TOOL = r"(?P<tool>[\w .+&'@-]{1,50}?)"
_DATA = r"(?P<data>.{3,120}?)"
# "Gemini for the outline of the onboarding session" (after its ", ok?" tag went).
_TOOL_FOR_DATA = re.compile(
    rf"^\s*(?:(?:can|could|may)\s+(?:i|we)\s+use\s+|use\s+)?{_TOOL}\s+"
    rf"(?:for|on|with|to\s+[a-z]+)\s+{_DATA}\s*[?.!]*\s*$",
    re.I,
)
# "can I ask ChatGPT to shorten our mandate ...", "have Claude tidy the minutes": a tool
# asked to work on data ("can Copilot summarise the minutes?" asks what it can do, and
# "have ChatGPT write the recitals" asks for writing, not for data to go in).
_TOOL_DOES_DATA = re.compile(
    rf"\b(?:ask|have|let|get)\s+{_TOOL}\s+(?:to\s+)?(?:help\s+(?:me\s+)?)?"
    r"(?!(?:write|draft|create|make|generate|produce|compose|design|build|plan|brainstorm|"
    r"run|do|come|think|find|suggest|give|tell|explain)\b)"
    rf"(?:[a-z]+)\s+(?:up\s+)?{_DATA}\s*(?:\b(?:before|so|to|for\s+(?:me|us))\b|[?.!]|$)",
    re.I,
)
# "a customer's complaint letter about ..., can Copilot help me draft the reply?"
_DATA_THEN_TOOL = re.compile(
    rf"^\s*{_DATA}\s*[,;-]\s*(?:is it ok|ok|okay|can|could|will|would|should)\b"
    rf"\s+(?:i\s+use\s+|we\s+use\s+)?{_TOOL}\s+(?:help|to|for|on|with|[a-z]+)\b",
    re.I,
)
_ARTICLES = frozenset("the our my a an this these those their his her your its all some".split())
_DETERMINER = re.compile(
    rf"^(?:{'|'.join(sorted(_ARTICLES))})\s+\S|" r"^(?:\w+\s+)?\w+'s?\s",
    re.I,
)
# Where the words naming the data end: "the statement of work", "my phone to summarize".
_HEAD_END = frozenset(
    "to for of from about with that which who before so and at in on when while i we you "
    "he she they it as by".split()
)
# Heads that say where or by whom the work is done, not what data goes in: "on my own
# iphone", "for the dev team", "on my own credit card", "on our own server".
_NOT_DATA_HEADS = frozenset(
    "phone iphone android mobile laptop computer pc mac device tablet ipad browser app "
    "account card server machine team group department staff people everyone".split()
)
# ... nor a job: "a communications draft", "a reply to a customer" ("the draft" and "our
# reply" are data).
_JOB_HEADS = frozenset(
    "draft reply response answer summary outline question job task idea way".split()
)
# A clause, not a name of data: "the manager has already reviewed this, can Copilot ...".
_CLAUSE = re.compile(
    r"^(?:(?!\b(?:that|which|who)\b)[^,])*?"
    r"\b(?:has|have|had|is|are|was|were|did|does|do|will|would|can|could)\b"
    r"|,\s*(?:and|but|or|is|are)\b|\?",
    re.I,
)
# "upload next year's plan, before it goes to the Board, into ChatGPT Enterprise?": the
# last "into <tool>" of the message.
_PUT_LAST = re.compile(
    r"\b(?P<verb>put|paste|upload|enter|feed|copy|type|input|drop|load|submit|attach|run)\s+"
    rf"(?P<data>.{{3,120}})\s+(?:in|into|in to|through|to)\s+{_TOOL}\s*[?.!]*\s*$",
    re.I,
)
# What the data check calls data it cannot see: no words to place by meaning.
_OPAQUE = frozenset({"that data", "the text you pasted"})


def _data_phrase(index: PolicyIndex, text: str, reading: Reading) -> str | None:
    """The words for data going into the named tool, in one of the shapes of the module
    doc, when they read as a name of data."""
    bare = without_permission_tag(text)
    tagged = bare != text.strip()
    shapes = [
        (TOOL_ON_DATA, text), (TOOL_GIVEN_DATA, text), (DATA_PATTERN, text), (_PUT_LAST, text),
        (_TOOL_DOES_DATA, text), (_DATA_THEN_TOOL, text),
        *([(_TOOL_FOR_DATA, bare)] if tagged else []),
    ]
    for pattern, where in shapes:
        for match in _matches(pattern, where):
            tools = index.lexicon.find_tools(match["tool"])
            data = match["data"].strip(" ,;-")
            named_only = not index.lexicon.without_tool_names(match["tool"]).strip()
            if tools and tools[0] in reading.tool_ids and named_only and _is_data(data):
                return data
    return None


def _matches(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every match, one per start: "can I ask ChatGPT to ..." is tried at "ask" too."""
    out: list[re.Match[str]] = []
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        out.append(match)
        pos = match.start() + 1
    return out


def _is_data(phrase: str, *, named: bool = True) -> bool:
    """Whether the words name data: not a clause, a place or a job; `named`: and start
    with a determiner or an owner ("the ...", "our ...", "a client's ..."), a bare "a
    report" being a job unless more is said of it."""
    words = normalize(phrase).split()
    if len(words) < 2 or _CLAUSE.search(phrase):
        return False
    if named and not _DETERMINER.search(phrase):
        return False
    head_words: list[str] = []
    for word in words[1:] if words[0] in _ARTICLES else words:
        if word in _HEAD_END and head_words:
            break
        head_words.append(word)
    head = head_words[-1] if head_words else words[-1]
    if head in _NOT_DATA_HEADS:
        return False
    if words[0] in ("a", "an") and "'s" not in phrase.replace("’", "'"):
        return head not in _JOB_HEADS and len(words) >= 4
    return True


def with_described_data(index: PolicyIndex, text: str, reading: Reading) -> Reading:
    """The reading with the class of data the message describes in its own words: a data
    check that found no class, or a question about a named tool that puts such data in."""
    pasted: str | None = None
    if reading.ask is Ask.DATA_CHECK and reading.data_class is None and reading.tool_ids:
        phrase = reading.data_phrase
        if phrase is None or phrase in _OPAQUE:
            phrase = pasted = _pasted(text)
        elif not _is_data(phrase, named=False) or index.lexicon.data.says_deidentified(phrase):
            return reading  # "anonymized caseload numbers": no one's data to place
        if phrase is None:
            return reading
    elif (reading.ask is Ask.USE_CASE and reading.data_class is None
          and (pasted := _pasted(text))):
        # "sort these by amount owing: <business names, tax ids, figures>": placed by
        # meaning, the pasted data's class decides whether a red line refuses the job
        class_id = _by_meaning(index, pasted)
        if class_id is None:
            return reading
        lines = _with_class_lines(index, text, reading, class_id)
        return replace(reading, data_class=class_id, red_lines=lines)
    elif reading.ask is Ask.TOOL_STATUS and reading.tool_ids:
        phrase = _data_phrase(index, text, reading)
        if phrase is None:
            return reading
    elif (reading.ask is Ask.USE_CASE and reading.data_class is None
          and not set(reading.red_lines) & index.lexicon.red_line_matcher.data_lines):
        # "here's the quote the broker sent us, can AI compare it with last year's": a job
        # handed data the message names in its own words; the data's class (by the
        # policy's own class texts) decides which red lines concern the answer. A data
        # line the message's own words trigger already speaks for its data: the class's
        # other lines would only crowd it (five lines for "here's the admin password").
        phrase = handed_over(text)
        if phrase is None or index.lexicon.data.says_deidentified(phrase):
            return reading
        class_id = index.lexicon.data_class_of(describe_placeholders(phrase))
        if class_id is None:
            class_id = _by_meaning(index, phrase)
        if class_id is None:
            return reading
        lines = _with_class_lines(index, text, reading, class_id)
        return replace(reading, data_class=class_id, red_lines=lines)
    else:
        return reading
    lexicon = index.lexicon
    class_id = lexicon.data_class_of(describe_placeholders(phrase))
    if class_id is None:
        class_id = _by_meaning(index, phrase)
    if class_id is None:
        return reading
    return replace(
        reading,
        ask=Ask.DATA_CHECK,
        data_class=class_id,
        data_phrase=reading.data_phrase if phrase is pasted else phrase,
        red_lines=_with_class_lines(index, text, reading, class_id),
    )


# A job done on data: the verb that hands the data over or works on it, then the data.
_WORKED_ON = re.compile(
    r"\b(?:paste|upload|enter|input|type|copy|feed|drop|load|attach|put|share|run|"
    r"go through|read through|here'?s|here is|here are)\s+"
    r"(?P<data>(?:the|our|my|this|these|those|their|his|her|all|every|an?)\s.{2,120}?)\s*"
    r"(?:\b(?:into|in to|through|so|and|before|then|for (?:me|us))\b|[?.!,;:]|$)",
    re.I,
)


def handed_over(text: str) -> str | None:
    """The words naming the data a job is handed ("the minutes of the site visit" of "run
    the minutes of the site visit through the AI"), when the message puts data in
    (`puts_data_in`) and does not say it is published. Only verbs that hand data over:
    "summarise", "translate", "tidy" also name jobs on the asker's own text ("translate
    the flyer"), which dev labels never held to a data line (25 lines shown unasked)."""
    if not puts_data_in(text) or reads_published(text):
        return None
    for match in _matches(_WORKED_ON, text):
        data = match["data"].strip(" ,;-")
        if _is_data(data):
            return data
    return None


def _pasted(text: str) -> str | None:
    return pasted_part(text) if has_pasted_data(text) else None


def _with_class_lines(
    index: PolicyIndex, text: str, reading: Reading, class_id: str
) -> tuple[str, ...]:
    """The reading's red lines and those keeping the class out: a line whose title names
    it ("No real client data in any AI tool"), and those its wording about the kind of
    personal data named triggers."""
    data = index.lexicon.data
    kept_out = [i for i, c in data.class_of_line.items() if c == class_id]
    about = index.lexicon.data_red_lines(describe_placeholders(text), class_id)
    return tuple(dict.fromkeys((*reading.red_lines, *kept_out, *about)))


def _by_meaning(index: PolicyIndex, phrase: str) -> str | None:
    embedding = matcher_embedding(index.matcher)
    if embedding is None or not index.meaning.classes:
        return None
    # "the partners' minutes (no client stuff in them)": what the data is not, left out
    words = describe_placeholders(drop_negated(phrase))
    return index.meaning.class_of(embedding[0]([words])[0])
