"""One policy version's vocabulary: tool names, data-class phrases and red-line triggers.

Built once per policy version and used on every message, so everything is
normalized and stemmed up front; lookups are dictionary and set operations.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from bot.core.matching.text import normalize, stem_tokens
from bot.policy.models import Policy, RedLine

__all__ = ["STOP", "PolicyLexicon", "describe_placeholders", "stem_words", "without_placeholders"]

STOP = frozenset(
    "a an the of for to in into on with and or my our your their its is are be can i we you "
    "it this that these those any some data info information about from at by as do does "
    "me us all".split()
)

# Parts of a data-class example: "passwords, API keys and other credentials" has three.
_SPLIT = re.compile(r",|;|/|\(|\)|\bsuch as\b|\bincluding\b|\band\b|\bor\b|\blike\b", re.I)
_QUARTER = re.compile(r"\bq[1-4]\b", re.I)
# Words that name a container rather than the data itself: never required to match.
_GENERIC = frozenset(
    stem_tokens(
        "data information info details detail number numbers record records file files "
        "document documents report reports list lists other thing things stuff".split()
    )
)

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


def describe_placeholders(text: str) -> str:
    """Text for data and red-line checks: a pasted card number *is* card data."""
    return _PLACEHOLDER.sub(lambda m: _PLACEHOLDER_WORDS[m.group(0)], text)


def stem_words(text: str) -> tuple[str, ...]:
    return tuple(stem_tokens(normalize(text).split()))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _data_key(phrase: str) -> frozenset[str]:
    stems = [s for s in stem_words(_QUARTER.sub("quarterly", phrase)) if s not in STOP]
    specific = frozenset(s for s in stems if s not in _GENERIC)
    return specific or frozenset(stems)


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
            (line, [s for s in (stem_words(t) for t in line.triggers) if s])
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
                if len(word) >= 5 and word not in STOP and self._fuzzy:
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
        stems = frozenset(stem_words(_QUARTER.sub("quarterly", text)))
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
        stems = stem_words(text)
        return [
            line.id
            for line, triggers in self._red_lines
            if any(_contains(stems, t) for t in triggers)
        ]
