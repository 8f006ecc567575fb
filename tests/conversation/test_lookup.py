"""One resolver: tools, red lines and use cases by id, name, alias or a near miss."""

from __future__ import annotations

import pytest

from bot.core.commands.lookup import find, find_tool, nearest
from bot.policy.models import Policy


@pytest.mark.parametrize(("typed", "tool_id"), [
    ("chatgpt-enterprise", "chatgpt-enterprise"),
    ("ChatGPT Enterprise", "chatgpt-enterprise"),
    ("chatgpt enterprise", "chatgpt-enterprise"),
    ("ChatGPT", "chatgpt-enterprise"),          # alias
    ("Otter", "meeting-bots"),                  # alias of a prohibited tool
    ("ChatGTP Enterprise", "chatgpt-enterprise"),  # transposed letters
    ("Grammerly", "grammarly-business"),        # one-letter typo of an alias
    ("deepl pro", "deepl-pro"),
    ("Deep L Pro", "deepl-pro"),                 # split word
    ("  DEEPL-PRO ", "deepl-pro"),
])
def test_tools_are_found_as_people_type_them(sample_policy: Policy, typed: str,
                                             tool_id: str) -> None:
    found = find_tool(sample_policy, typed)
    assert found is not None
    assert found.id == tool_id


@pytest.mark.parametrize("typed", ["", "notion", "a tool", "xyz"])
def test_unknown_names_find_nothing(sample_policy: Policy, typed: str) -> None:
    assert find_tool(sample_policy, typed) is None


def test_red_lines_and_use_cases_by_title_or_id(sample_policy: Policy) -> None:
    assert find(sample_policy, "red_line", "no-deepfakes").id == "no-deepfakes"  # type: ignore[union-attr]
    found = find(sample_policy, "red_line", "Never paste passwords, keys or other secrets")
    assert found is not None
    assert found.id == "no-secrets"
    found = find(sample_policy, "use_case", "Summarise long documents and PDFs")
    assert found is not None
    assert found.id == "summarize-documents"


def test_nearest_names_for_a_miss(sample_policy: Policy) -> None:
    assert nearest(sample_policy, "tool", "Synthesis AI")[0] == "Synthesia"
    assert nearest(sample_policy, "tool", "qqqq") == []
