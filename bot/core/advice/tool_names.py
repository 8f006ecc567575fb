"""Does a message (or one word of it) name a tool? One test for every reader that asks.

Three readers asked it three ways: the situation lines ("have Claude pick the winner": the
policy's tools or a catalogue product), the block decision's reading of the same situation
(the policy's tools only, so "have Claude pick" was shown the decisions line but never
weighed it for a block) and the reply to a foreign message (catalogue products spelt as
written). Now all read `names_a_tool`: a tool of the policy (by name, alias or a typo of
one, as the lexicon finds them) or a well-known AI product spelt as written. A misspelt
catalogue name is no name here: "have Sarah pick" is a person, "d'IA" is not the Dia
browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.core.advice.index import PolicyIndex
from bot.core.catalogue import catalogue

__all__ = ["names_a_product", "names_a_tool", "names_an_unlisted_product"]


def names_a_tool(index: PolicyIndex, text: str) -> bool:
    """Whether `text` names a tool of the policy or a well-known AI product as spelt."""
    return bool(index.lexicon.named(text).ids) or names_a_product(text)


def names_a_product(text: str) -> bool:
    """Whether `text` names a well-known AI product as it is spelt: no typo of a name, and
    the name whole (foreign words are no misspellings of product names)."""
    return any(True for _ in _products_named(text))


def names_an_unlisted_product(index: PolicyIndex, text: str) -> bool:
    """Whether `text` names, as spelt, a well-known AI product the policy does not list
    ("posso usar o Gemini em vez do Copilot?" on a Copilot-only policy)."""
    return any(not index.lexicon.named(name).ids for name in _products_named(text))


def _products_named(text: str) -> Iterator[str]:
    """The catalogue names found whole and spelt as written in `text`."""
    found = catalogue()
    for hit in found.hits(text):
        if hit.fuzzy:
            continue
        product = found.products[hit.key]
        for name in (product.name, *product.aliases):
            if re.search(rf"(?<![\w'’]){re.escape(name)}(?![\w'’])", text, re.I):
                yield name
                break
