"""What the policy says about tools it does not list, and what to use instead.

"Is DeepSeek allowed?" deserves more than "not in our policy": the policy's own
rule for unlisted or personal tools (a red line, a category entry such as
"Third-party AI meeting bots", or the optional `meta.unlisted_tools` sentence),
and the approved tools that do the same kind of job.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.catalogue import Product, catalogue
from bot.core.matching.text import normalize, stem_tokens
from bot.policy.models import RECOMMENDABLE, STATUS_RANK, Policy, Tool

__all__ = [
    "category_tools",
    "personal_edition",
    "same_kind_tools",
    "tool_kind",
    "tool_kinds",
    "unlisted_rule",
]

def unlisted_rule(policy: Policy) -> str | None:
    """The optional `meta.unlisted_tools` sentence: what applies to any unlisted tool."""
    value = policy.meta.unlisted_tools
    return value.strip() if value and value.strip() else None


def tool_kind(tool: Tool) -> str | None:
    """The catalogue kind of a policy tool ("ChatGPT Edu" is an assistant), if known."""
    for spelling in (tool.name, *tool.aliases):
        product = catalogue().find(spelling, asked=spelling)
        if product is not None:
            return product.kind
    return None


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    """Cached: `category_tools` reads every unapproved tool's names for each unlisted
    product asked about (1 to 3 ms at a thousand tools, uncached)."""
    return frozenset(stem_tokens(normalize(text).replace("-", " ").split()))


def category_tools(policy: Policy, product: Product) -> list[Tool]:
    """Unapproved category entries that cover the product ("Third-party AI meeting bots")."""
    phrases = [_stems(p) for p in catalogue().category_words.get(product.kind, [])]
    out = []
    for tool in policy.tools:
        if tool.status in RECOMMENDABLE:
            continue
        words = _stems(f"{tool.name} {' '.join(tool.aliases)}")
        if any(p and p <= words for p in phrases):
            out.append(tool)
    return out


def tool_kinds(policy: Policy) -> dict[str, str | None]:
    """Every tool's catalogue kind: worked out once per policy version (see PolicyLexicon)."""
    return {t.id: tool_kind(t) for t in policy.tools}


def same_kind_tools(
    policy: Policy, product: Product, kinds: dict[str, str | None] | None = None
) -> list[Tool]:
    """Approved tools of the same kind as the product, by the policy's preference."""
    kinds = kinds if kinds is not None else tool_kinds(policy)
    same = [t for t in policy.tools if t.status in RECOMMENDABLE and kinds[t.id] == product.kind]
    return sorted(same, key=lambda t: STATUS_RANK[t.status])


# An individual's edition: "my free ChatGPT", "personal Gemini", "ChatGPT Plus".
_PERSONAL_BEFORE = frozenset("personal free own home private consumer individual".split())
_PERSONAL_AFTER = frozenset("plus personal consumer home".split())
_PERSONAL_ACCOUNT = re.compile(
    r"\b(?:personal|own|home|private|free|individual|gmail|hotmail|yahoo|icloud)\s+"
    r"(?:accounts?|subscriptions?|licen[cs]es?|logins?|plans?|emails?|versions?)\b"
    r"|\b(?:i|we) (?:pay|paid|am paying) for\b|\bpaid for (?:it|them) myself\b",
    re.I,
)


def personal_edition(text: str, tool: Tool, spans: list[tuple[int, int]]) -> bool:
    """Whether the message asks about a personal or free edition of a tool the policy
    lists only as the organization's ("my free ChatGPT" when the policy approves
    ChatGPT Enterprise). `spans`: where the tool's names were found."""
    own = {w for n in (tool.name, *tool.aliases) for w in normalize(n).split()}
    if own & (_PERSONAL_BEFORE | _PERSONAL_AFTER):
        return False  # the tool is itself a personal or free edition
    if _PERSONAL_ACCOUNT.search(text):
        return True
    words = normalize(text).split()
    return any(
        _PERSONAL_BEFORE & set(words[max(0, start - 2) : start])
        or _PERSONAL_AFTER & set(words[end : end + 1])
        for start, end in spans
    )
