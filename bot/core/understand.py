"""Read a message against a policy: which tools, data and red lines it mentions, and what it asks.

Pure and synchronous. The use-case matcher (matching/) answers "what is this
for?"; this module answers everything that must be exact: names, data classes,
red-line triggers and the shape of the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from bot.core.matching.text import normalize, stem_tokens
from bot.policy.models import Policy, RedLine

__all__ = ["Ask", "PolicyLexicon", "Reading", "read_message", "without_placeholders"]

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "for",
        "to",
        "in",
        "into",
        "on",
        "with",
        "and",
        "or",
        "my",
        "our",
        "your",
        "their",
        "its",
        "is",
        "are",
        "be",
        "can",
        "i",
        "we",
        "you",
        "it",
        "this",
        "that",
        "these",
        "those",
        "any",
        "some",
        "data",
        "info",
        "information",
        "about",
        "from",
        "at",
        "by",
        "as",
        "do",
        "does",
        "me",
        "us",
        "all",
    ]
)
_GENERIC_TOOL_WORDS = frozenset(
    [
        "ai",
        "an",
        "ai",
        "a",
        "tool",
        "tools",
        "it",
        "this",
        "that",
        "something",
        "anything",
        "chatbot",
        "chatbots",
        "genai",
        "gen",
        "ai",
        "llm",
        "llms",
        "assistant",
        "an",
        "assistant",
        "a",
        "chatbot",
        "an",
        "llm",
        "what",
        "which",
    ]
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


# Parts of a data-class example: "passwords, API keys and other credentials" has three.
_SPLIT = re.compile(r",|;|/|\(|\)|\bsuch as\b|\bincluding\b|\band\b|\bor\b|\blike\b", re.I)
_QUARTER = re.compile(r"\bq[1-4]\b", re.I)
# Words that name a container rather than the data itself: never required to match.
_GENERIC = frozenset(
    _stem
    for _stem in stem_tokens(
        [
            "data",
            "information",
            "info",
            "details",
            "detail",
            "number",
            "numbers",
            "record",
            "records",
            "file",
            "files",
            "document",
            "documents",
            "report",
            "reports",
            "list",
            "lists",
            "other",
            "thing",
            "things",
            "stuff",
        ]
    )
)


def _data_key(phrase: str) -> frozenset[str]:
    stems = [s for s in _stems(_QUARTER.sub("quarterly", phrase)) if s not in _STOP]
    specific = frozenset(s for s in stems if s not in _GENERIC)
    return specific or frozenset(stems)


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


# What a redaction placeholder says about the data that was pasted (see bot.core.redact).
_PLACEHOLDER_WORDS = {
    "[EMAIL]": "email address",
    "[PHONE]": "phone number",
    "[CARD]": "payment card number",
    "[IBAN]": "bank account details",
    "[IP]": "ip address",
    "[SECRET]": "credentials password api key",
}
_PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|CARD|IBAN|IP|SECRET)\]")


def without_placeholders(text: str) -> str:
    """Text for the use-case matcher: a pasted address says nothing about the job."""
    return re.sub(r"\s+", " ", _PLACEHOLDER.sub(" ", text)).strip()


def _described(text: str) -> str:
    """Text for data and red-line checks: a pasted card number *is* card data."""
    return _PLACEHOLDER.sub(lambda m: _PLACEHOLDER_WORDS[m.group(0)], text)


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem_tokens(normalize(text).split()))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


class PolicyLexicon:
    """Names, data-class phrases and red-line triggers of one policy version, pre-normalized."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._names: dict[tuple[str, ...], str] = {}
        for tool in policy.tools:
            for name in (tool.name, *tool.aliases, tool.id.replace("-", " ")):
                words = tuple(normalize(name).split())
                if words:
                    self._names.setdefault(words, tool.id)
        self._max_name_len = max((len(k) for k in self._names), default=1)
        # single-word names of 5+ letters, for typo-tolerant matching
        self._fuzzy = {k[0]: v for k, v in self._names.items() if len(k) == 1 and len(k[0]) >= 5}
        self._red_lines: list[tuple[RedLine, list[tuple[str, ...]]]] = [
            (line, [s for s in (_stems(t) for t in line.triggers) if s])
            for line in policy.red_lines
        ]
        self._data: list[tuple[int, str, list[frozenset[str]]]] = []
        for rank, item in enumerate(policy.data_classes):
            parts = [item.label, *(p for e in item.examples for p in _SPLIT.split(e))]
            keys = {_data_key(p) for p in parts if p and p.strip()}
            self._data.append((rank, item.id, [k for k in keys if k]))

    def find_tools(self, text: str) -> list[str]:
        """Tool ids named in the text, longest name first, typos of long names tolerated."""
        words = normalize(text).split()
        found: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self._max_name_len, len(words) - i), 0, -1):
                tool_id = self._names.get(tuple(words[i : i + n]))
                if tool_id:
                    if tool_id not in found:
                        found.append(tool_id)
                    i += n
                    break
            else:
                word = words[i]
                if len(word) >= 5 and word not in _STOP and self._fuzzy:
                    hit = process.extractOne(word, self._fuzzy.keys(), scorer=fuzz.ratio)
                    if hit and hit[1] >= 85 and self._fuzzy[hit[0]] not in found:
                        found.append(self._fuzzy[hit[0]])
                i += 1
        return found

    def data_class_of(self, text: str) -> str | None:
        """The most sensitive data class one of whose example phrases the text mentions.

        Examples are split into their parts ("salary, bonus and payroll data" gives
        "salary", "bonus", "payroll data") and generic words ("data", "numbers") are
        not required, so "our salary spreadsheet" and "unreleased Q3 numbers" are found.
        """
        stems = frozenset(_stems(_QUARTER.sub("quarterly", text)))
        best: tuple[int, str] | None = None
        for rank, class_id, keys in self._data:
            if (best is None or rank > best[0]) and any(key <= stems for key in keys):
                best = (rank, class_id)
        return best[1] if best else None

    def without_tool_names(self, text: str) -> str:
        """The text with tool names removed, so "personal ChatGPT" is not "personal data"."""
        words = normalize(text).split()
        kept: list[str] = []
        i = 0
        while i < len(words):
            for n in range(min(self._max_name_len, len(words) - i), 0, -1):
                if tuple(words[i : i + n]) in self._names:
                    i += n
                    break
            else:
                kept.append(words[i])
                i += 1
        return " ".join(kept)

    def red_lines_in(self, text: str) -> list[str]:
        stems = _stems(text)
        return [
            line.id
            for line, triggers in self._red_lines
            if any(_contains(stems, t) for t in triggers)
        ]


def _clean_name(name: str) -> str | None:
    name = re.sub(r"^(?:the|a|an|using|use of)\s+", "", name.strip(" '\"?.!,"), flags=re.I)
    name = re.sub(
        r"\s+(?:here|at work|now|anymore|any more|still|too|also|again)$", "", name, flags=re.I
    )
    words = normalize(name).split()
    if not words or " ".join(words) in _GENERIC_TOOL_WORDS or len(words) > 4:
        return None
    if words[0] in _STOP or words[0] in _GENERIC_TOOL_WORDS:  # "to answer them", "ai for x"
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
    described = _described(text)
    red_lines = tuple(lexicon.red_lines_in(described))
    if _GREETING.match(text):
        return Reading(Ask.HELP, (), None, None, None, red_lines)
    tools = lexicon.find_tools(text)
    data_match = _DATA_PATTERN.search(text)
    reverse = _TOOL_ON_DATA.search(text)
    reverse_class = lexicon.data_class_of(_described(reverse["data"])) if reverse else None
    if reverse and reverse_class and lexicon.find_tools(reverse["tool"]):
        return Reading(
            Ask.DATA_CHECK,
            tuple(lexicon.find_tools(reverse["tool"])),
            None,
            reverse_class,
            reverse["data"].strip(),
            red_lines,
        )
    if data_match:
        data_phrase = data_match["data"]
        target_tools = lexicon.find_tools(data_match["tool"])
        target_name = _clean_name(data_match["tool"])
        data_class = lexicon.data_class_of(_described(data_phrase))
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
