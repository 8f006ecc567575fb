"""A job asked with pasted data that no tool for the job may receive is that data check.

"Summarise this for the file: acct 062-000 1234 5678, bal $14,220.17" used to be answered
"For summarizing, use: ChatGPT Enterprise" with a caveat, although the tool may not take
customer account data: the employee was pointed at a tool for data it must not receive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.core.redact import redact_text
from bot.policy import Policy
from bot.policy.files import load_policy

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"

POLICY = {
    "meta": {"organization": "Harbor Bank", "contact": "the AI desk"},
    "data_classes": [
        {"id": "internal", "label": "Internal information", "level": 1,
         "description": "Procedures, team notes and internal reports."},
        {"id": "customer", "label": "Customer financial information", "level": 2,
         "description": "Account numbers, balances, card numbers and statements of customers."},
    ],
    "tools": [
        {"id": "gpt-enterprise", "name": "GPT Enterprise", "status": "approved",
         "max_data_class": "internal", "good_for": ["summarize"],
         "summary": "The bank's enterprise assistant."},
    ],
    "use_cases": [
        {"id": "summarize", "name": "Summarizing", "description": "Summaries of documents.",
         "examples": ["summarise this document", "summarize these notes for the file",
                      "give me the key points of this report"]},
    ],
    # no red line: the data classes and the tool's limit alone decide
}


@pytest.fixture(scope="module")
def bank() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("lexical"))


def test_pasted_data_no_tool_for_the_job_may_take_is_refused_as_a_data_check(
    bank: PolicyIndex,
) -> None:
    text = redact_text("summarise this for the file: acct 062-000 1234 5678, bal $14,220.17")
    answer = advise_message(bank, text)
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert answer.data_check.data_class == "customer"
    assert "account number you pasted" in answer.text
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "gpt-enterprise"
    assert "may only receive up to Internal information" in answer.text


def test_the_same_job_without_pasted_data_is_answered(bank: PolicyIndex) -> None:
    answer = advise_message(bank, "summarise these team notes for the file")
    assert answer.outcome == "answered", answer.text
    assert [t.id for t in answer.tools] == ["gpt-enterprise"]



@pytest.mark.semantic
def test_asking_whether_a_tool_keeps_input_private_is_no_private_account() -> None:
    """"private" reads as going around a rule only for one's own account or device: the
    bank's line on approved systems does not refuse a question about privacy."""
    index = build_index(1, load_policy(HELDOUT / "commbank" / "policy"),
                        lambda: make_backend("hybrid"))
    answer = advise_message(index, "does ChatGPT Enterprise keep what I type private?")
    assert answer.outcome == "tool_status", answer.text
    answer = advise_message(index, "can I use my private ChatGPT Plus account for work stuff?")
    assert "approved-systems" in {r.id for r in answer.red_lines}
