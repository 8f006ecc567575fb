"""What the policy says about tools it does not list, and what to use instead.

"Is DeepSeek allowed?" deserves more than "not in our policy": the policy's own
rule for unlisted or personal tools (a red line, a category entry such as
"Third-party AI meeting bots", or the optional `meta.unlisted_tools` sentence),
and the approved tools that do the same kind of job.
"""

from __future__ import annotations

from bot.core.catalogue import Product, catalogue
from bot.core.matching.text import normalize, stem_tokens
from bot.policy.models import RECOMMENDABLE, STATUS_RANK, Policy, Tool

__all__ = [
    "category_tools",
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


def _stems(text: str) -> frozenset[str]:
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
