"""Which product a policy tool is: product families and the catalogue's products.

A family is a product name several tools share ("ChatGPT" for the Edu and personal
editions). A tool is also the catalogue products its full names spell, so a longer
catalogue name that holds one of its short names is another product: "github copilot"
names GitHub Copilot, not the policy's Microsoft Copilot listed as "Copilot".
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.catalogue import catalogue
from bot.core.english import is_english_word
from bot.core.matching.text import normalize
from bot.core.names import NameHit
from bot.policy.models import Policy

__all__ = ["family_heads", "names_the_organization", "not_outnamed", "products_of"]

# Words an organization's initials skip: "Bank of Australia" is "BA" ... or "BoA".
_ORG_FILLER = frozenset("of the and for & inc ltd llc plc co".split())

# Words of a tool's name that say which edition, not which product: "ChatGPT Edu"
# and "ChatGPT (personal accounts)" are both of the "ChatGPT" family.
_EDITION = frozenset(
    "ai pro plus premium enterprise business team teams edu education free personal account "
    "accounts for with a the of plan app web desktop mobile version edition chat".split()
)


def family_heads(policy: Policy) -> dict[str, list[str]]:
    """Product names shared by several tools ("chatgpt" -> the Edu and personal editions).

    A family is named by the catalogue's product names found inside tool names, or by
    a tool name's first word when that is no ordinary English word ("ChatGPT Edu").
    """
    heads: dict[str, list[str]] = {}
    known = catalogue().index
    for tool in policy.tools:
        for spelling in (tool.name, *tool.aliases):
            words = normalize(spelling).split()
            if len(words) < 2:
                continue
            candidates = {
                " ".join(words[i:j])
                for i in range(len(words))
                for j in range(i + 1, len(words))
                if " ".join(words[i:j]) in known
            }
            first = words[0]
            if first not in _EDITION and not is_english_word(first) and len(first) >= 3:
                candidates.add(first)
            for head in candidates:
                if all(w in _EDITION for w in head.split()):
                    continue
                members = heads.setdefault(head, [])
                if tool.id not in members:
                    members.append(tool.id)
    return heads


def names_the_organization(word: str, organization: str) -> bool:
    """Whether a word is the organization's own name, or its short form: a word of the
    name, its initials ("hms" of Harvard Medical School), or the starts of its words run
    together ("commbank" of Commonwealth Bank of Australia): a family named so ("HMS Azure
    AI", "Walmart My Assistant") is named by a message only as an AI product ("the Walmart
    LLM"), not as the place ("which tools can we use at HMS?", `lexicon.PolicyLexicon`)."""
    words = [w for w in normalize(organization).split() if w not in _ORG_FILLER]
    if not words or len(word) < 2:
        return False
    if word in words:
        return True
    # `word` spelt by the starts of consecutive name words, each word used once, in order
    reach = {0: {0}}  # letters of `word` covered -> index of the next name word
    for covered in range(len(word)):
        for nxt in reach.get(covered, ()):
            for k in range(nxt, len(words)):
                name = words[k]
                for length in range(1, len(name) + 1):
                    if word.startswith(name[:length], covered):
                        reach.setdefault(covered + length, set()).add(k + 1)
                    else:
                        break
                break  # the next word must start where this part ends
    return len(word) in reach


def products_of(spellings: list[str]) -> frozenset[str]:
    """The catalogue products a tool is, from its spellings that are no short form of
    another of its spellings ("Copilot" in "GitHub Copilot" says nothing on its own)."""
    known = catalogue()
    full = [
        s for s in spellings if not any(s != o and f" {s} " in f" {o} " for o in spellings)
    ]
    for forms in (full, spellings):
        products = frozenset(p for s in forms for p in known.products_named(s))
        if products:
            return products
    return frozenset()


def not_outnamed(
    text: str, words: list[str], hits: list[NameHit], products: Callable[[str], frozenset[str]]
) -> list[NameHit]:
    """The hits not inside a longer catalogue name of a product that is not theirs
    (`products`: a hit's key -> the catalogue products it is)."""
    longer = [c for c in catalogue().hits(text, words=words) if c.end - c.start > 1]
    if not longer:
        return hits
    return [
        hit
        for hit in hits
        if not any(
            c.start <= hit.start
            and hit.end <= c.end
            and c.end - c.start > hit.end - hit.start
            and c.key not in products(hit.key)
            for c in longer
        )
    ]
