"""One test for "does this name a tool?" (`bot.core.advice.tool_names`), read by the
situation lines, the block decision's situations and the reply to a foreign message."""

from __future__ import annotations

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advice.tool_names import names_a_product, names_a_tool
from bot.core.matching.registry import make_backend
from bot.policy import Policy


@pytest.fixture(scope="module")
def index() -> PolicyIndex:
    policy = Policy.model_validate({
        "meta": {"organization": "Fernhill Joinery", "contact": "the office manager"},
        "use_cases": [{"id": "write", "name": "Draft emails", "description": "Write emails.",
                       "examples": ["draft an email", "polish this email", "write a reply"]}],
        "tools": [{"id": "helper", "name": "Fernhill Helper", "aliases": ["Helper"],
                   "status": "approved", "summary": "Our assistant.", "good_for": ["write"]}],
        "red_lines": [],
    })
    return build_index(1, policy, lambda: make_backend("lexical"))


@pytest.mark.parametrize(("word", "named"), [
    ("Helper", True),  # the policy's own tool, by alias
    ("Claude", True),  # a well-known product the policy does not list
    ("ChatGPT", True),
    ("Sarah", False),  # a person
    ("the", False),
])
def test_a_tool_of_the_policy_or_a_product_as_spelt(
    index: PolicyIndex, word: str, named: bool
) -> None:
    assert names_a_tool(index, word) is named


def test_a_foreign_word_is_no_misspelt_product() -> None:
    assert not names_a_product("je voudrais utiliser l'outil d'IA pour un courriel")
    assert names_a_product("puis-je utiliser ChatGPT pour un courriel")
