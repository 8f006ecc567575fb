"""Read a message against a policy: which tools, data and red lines it mentions, and what it asks.

Pure and synchronous. The use-case matcher (matching/) answers "what is this
for?"; this module answers everything that must be exact: names, data classes,
red-line triggers and the shape of the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.core.lexicon import STOP, PolicyLexicon, describe_placeholders
from bot.core.matching.text import normalize

__all__ = ["Ask", "Reading", "read_message"]

_GENERIC_TOOL_WORDS = frozenset(
    {
        "ai",
        "an ai",
        "ai tool",
        "an ai tool",
        "a tool",
        "tool",
        "tools",
        "it",
        "this",
        "that",
        "something",
        "anything",
        "chatbot",
        "a chatbot",
        "genai",
        "gen ai",
        "llm",
        "an llm",
        "assistant",
        "an assistant",
        "what",
        "which",
    }
)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|yo|howdy|good (?:morning|afternoon|evening)|help|\?|"
    r"what can you do|what do you do|how does this work|who are you|menu|start|"
    r"what can i ask(?: you)?|thanks?|thank you|cheers|"
    r"how does (?:this|the|it)(?: (?:bot|thing|concierge|service))? work)\b"
    r"[\s!.?]*(?:there|bot|concierge)?[\s!.?]*$",
    re.IGNORECASE,
)
_STATUS_WORDS = (
    r"approved|allowed|permitted|ok|okay|fine|safe|sanctioned|banned|prohibited|blocked|"
    r"authori[sz]ed|whitelisted|allow-?listed|supported|legit|compliant|forbidden"
)
_NAME = r"(?P<name>[\w .+&'-]{1,60}?)"
_STATUS_PATTERNS = [
    re.compile(
        rf"\b(?:is|are)\s+(?:the\s+)?{_NAME}\s+(?:still\s+|now\s+)?(?:{_STATUS_WORDS})\b", re.I
    ),
    re.compile(
        rf"\b(?:can|could|may|should)\s+(?:i|we|my team|employees|staff)\s+(?:still\s+)?"
        rf"(?:use|try|install|sign up for|sign up to|access|get|download)\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with|when|if|here)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
    re.compile(
        rf"\b(?:am i|are we)\s+(?:allowed|permitted|authori[sz]ed)\s+to\s+use\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
    re.compile(
        rf"\b(?:what about|status of|policy on|rules (?:for|on)|thoughts on|do we have)\s+{_NAME}"
        r"\s*(?:[?.!,]|$)",
        re.I,
    ),
    re.compile(rf"^\s*{_NAME}\s*[-:–—]?\s*(?:{_STATUS_WORDS})\s*\?*\s*$", re.I),
    re.compile(
        rf"\bis it (?:ok|okay|fine|safe|allowed) to use\s+{_NAME}"
        r"(?=\s+(?:for|to|at|in|on|with)\b|\s*[?.!,]|\s*$)",
        re.I,
    ),
]
_DATA_VERBS = (
    r"put|paste|upload|share|enter|feed|give|send|copy|type|input|drop|load|submit|attach|"
    r"use|process|run|analy[sz]e|summari[sz]e|translate|store"
)
# Verbs that make any "VERB <data> into <tool>" a data question, even for unknown data.
_STRONG_DATA_VERBS = frozenset(
    [
        "put",
        "paste",
        "upload",
        "share",
        "enter",
        "feed",
        "give",
        "send",
        "copy",
        "type",
        "input",
        "drop",
        "load",
        "submit",
        "attach",
    ]
)
_DATA_PATTERN = re.compile(
    rf"\b(?P<verb>{_DATA_VERBS})\s+(?P<data>.{{2,120}}?)\s+(?:in|into|in to|to|with|on|through|via|"
    r"inside|using)\s+(?P<tool>[\w .+&'-]{1,60}?)\s*(?:[?.!,]|$)",
    re.I,
)


# "use Grammarly on customer emails": the tool comes first.
_TOOL_ON_DATA = re.compile(
    r"\b(?:use|run|try)\s+(?P<tool>[\w .+&'-]{1,60}?)\s+(?:on|for|with)\s+(?P<data>.{2,120}?)"
    r"\s*(?:[?.!,]|$)",
    re.I,
)


class Ask(StrEnum):
    HELP = "help"
    TOOL_STATUS = "tool_status"
    DATA_CHECK = "data_check"
    USE_CASE = "use_case"


@dataclass(frozen=True)
class Reading:
    ask: Ask
    tool_ids: tuple[str, ...]
    unknown_tool: str | None
    data_class: str | None
    data_phrase: str | None
    red_lines: tuple[str, ...]


def _clean_name(name: str) -> str | None:
    name = re.sub(r"^(?:the|a|an|using|use of)\s+", "", name.strip(" '\"?.!,"), flags=re.I)
    name = re.sub(
        r"\s+(?:here|at work|now|anymore|any more|still|too|also|again)$", "", name, flags=re.I
    )
    words = normalize(name).split()
    if not words or " ".join(words) in _GENERIC_TOOL_WORDS or len(words) > 4:
        return None
    if words[0] in STOP or words[0] in _GENERIC_TOOL_WORDS:  # "to answer them", "ai for x"
        return None
    return name


def _asked_name(text: str) -> str | None:
    for pattern in _STATUS_PATTERNS:
        match = pattern.search(text)
        if match:
            name = _clean_name(match["name"])
            if name:
                return name
    return None


def read_message(text: str, lexicon: PolicyLexicon) -> Reading:
    """Classify what the (redacted) message asks; the matcher is consulted only for USE_CASE."""
    described = describe_placeholders(text)
    red_lines = tuple(lexicon.red_lines_in(described))
    if _GREETING.match(text):
        return Reading(Ask.HELP, (), None, None, None, red_lines)
    tools = lexicon.find_tools(text)
    data_match = _DATA_PATTERN.search(text)
    reverse = _TOOL_ON_DATA.search(text)
    reverse_class, reverse_tools = None, []
    if reverse:
        reverse_class = lexicon.data_class_of(describe_placeholders(reverse["data"]))
        reverse_tools = lexicon.find_tools(reverse["tool"]) if reverse_class else []
    if reverse and reverse_class and reverse_tools:
        return Reading(
            Ask.DATA_CHECK,
            tuple(reverse_tools),
            None,
            reverse_class,
            reverse["data"].strip(),
            red_lines,
        )
    if data_match:
        data_phrase = data_match["data"]
        target_tools = lexicon.find_tools(data_match["tool"])
        target_name = _clean_name(data_match["tool"])
        data_class = lexicon.data_class_of(describe_placeholders(data_phrase))
        strong = data_match["verb"].lower() in _STRONG_DATA_VERBS
        if (strong or data_class) and (target_tools or (target_name and data_class)):
            return Reading(
                Ask.DATA_CHECK,
                tuple(target_tools or tools),
                None if target_tools else target_name,
                data_class,
                data_phrase.strip(),
                red_lines,
            )
    asked = _asked_name(text)
    if tools and (asked or len(normalize(text).split()) <= 4):
        return Reading(Ask.TOOL_STATUS, tuple(tools), None, None, None, red_lines)
    if asked and not tools:
        return Reading(Ask.TOOL_STATUS, (), asked, None, None, red_lines)
    data_class = lexicon.data_class_of(lexicon.without_tool_names(described))
    return Reading(Ask.USE_CASE, tuple(tools), None, data_class, None, red_lines)
