"""The policy's rule for unlisted, personal or public tools, however it is worded (issue 9 §2).

Policies word that rule in their own ways; the phrasings here are written for these
tests (not taken from the held-out policies) and differ from the bank's
(bot/core/data/unlisted_rules.yaml), so a pass is not the bank recognizing itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.red_line_scope import RedLineScope, personal_entries
from bot.core.unlisted_rules import (
    VECTORS,
    bank_hash,
    bank_texts,
    lexical_rule,
    rule_scores,
)
from bot.policy import Policy

RULES = [
    "Staff may only use ICT-endorsed tools for departmental work.",
    "Colleagues must not use any artificial intelligence that has not completed an "
    "information governance assessment.",
    "Publicly accessible generative AI must not be used with official information.",
    "Solutions outside our Microsoft tenancy are not permitted.",
    "Any AI not provided by the bank is prohibited.",
    "No AI platforms without a signed data processing agreement.",
    "Personal Claude accounts must not be used for client files.",
    "Do not install AI plug-ins that IT has not cleared.",
    "Free chatbots on the web are off limits for client matters.",
    "Colleagues should use the enterprise assistants and nothing else.",
    "Chatbots must first be cleared by the security office.",
    "Keep to software on the sanctioned register.",
    "Seek permission before trying any new AI service.",
]
OTHER_RULES = [
    "Do not enter patient identifiable information into AI.",
    "Review AI outputs before you publish them.",
    "AI must not be used to make clinical decisions.",
    "Keep personal data out of prompts.",
    "Label AI-generated content in public communications.",
    "AI output must not be provided to customers before review.",
    "Staff must complete mandatory training before using AI.",
    "Information in public records requests is not confidential.",
    "Staff must check the outputs of approved tools.",
    "Finish the e-learning module before using generative AI.",
]


@pytest.mark.parametrize("text", RULES)
def test_rules_for_unlisted_tools_are_read_in_other_words(text: str) -> None:
    assert lexical_rule(text)


@pytest.mark.parametrize("text", OTHER_RULES)
def test_other_rules_are_not_read_as_the_rule_for_unlisted_tools(text: str) -> None:
    assert not lexical_rule(text)


def test_shipped_rule_vectors_match_the_bank() -> None:
    with np.load(VECTORS) as data:
        assert str(data["bank"]) == bank_hash(), "run scripts/build_unlisted_vectors.py"
        assert data["vectors"].shape[0] == len(bank_texts())


def _policy(red_lines: list[dict[str, Any]], tools: list[dict[str, Any]] | None = None) -> Policy:
    return Policy.model_validate(
        {
            "meta": {"organization": "Harbour Trust", "contact": "the service desk"},
            "data_classes": [
                {"id": "open", "label": "Open", "description": "Public.",
                 "examples": ["press releases"]},
                {"id": "closed", "label": "Closed", "description": "Internal.",
                 "examples": ["client files", "rota"]},
            ],
            "use_cases": [
                {"id": "write", "name": "Write letters", "description": "Draft and polish letters.",
                 "examples": ["draft a letter to a supplier", "polish my letter", "write a reply"]},
                {"id": "notes", "name": "Meeting notes", "description": "Notes from meetings.",
                 "examples": ["notes of the team meeting", "minutes of a call", "action items"]},
            ],
            "tools": tools or [
                {"id": "scribe", "name": "Scribe Assist", "status": "approved",
                 "summary": "The trust's writing assistant.", "good_for": ["write"],
                 "max_data_class": "closed"},
            ],
            "red_lines": red_lines,
        }
    )


def _line(line_id: str, title: str, rule: str, **extra: Any) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
            "triggers": [line_id.replace("-", " ")], **extra}


RULE_LINE = _line(
    "endorsed-only", "Keep to endorsed tools",
    "Staff may only use ICT-endorsed tools for trust work. Ask the service desk first.",
)
# A data red line whose last sentence mentions public tools: about the data, not the rule.
DATA_LINE = _line(
    "client-files", "Client files are closed data",
    "Client files are closed data and stay inside the trust. Never put them into public AI tools.",
)


@pytest.fixture(scope="module")
def harbour() -> PolicyIndex:
    return build_index(1, _policy([DATA_LINE, RULE_LINE]), lambda: make_backend("lexical"))


def test_an_unknown_tool_gets_the_rule_however_it_is_worded(harbour: PolicyIndex) -> None:
    answer = advise_message(harbour, "is deepseek ok to use?")
    assert answer.outcome == "tool_status"
    assert [r.id for r in answer.red_lines] == ["endorsed-only"]


def test_data_into_an_unknown_tool_gets_the_rule(harbour: PolicyIndex) -> None:
    answer = advise_message(harbour, "can I paste the rota into deepseek?")
    assert answer.outcome == "data_check"
    assert "endorsed-only" in {r.id for r in answer.red_lines}


def test_a_data_line_mentioning_public_tools_in_passing_is_not_the_rule() -> None:
    scope = RedLineScope.build(_policy([DATA_LINE, RULE_LINE]))
    assert scope.unlisted == ("endorsed-only",)


def test_a_red_line_written_for_a_personal_accounts_entry_is_the_rule() -> None:
    tools = [
        {"id": "scribe", "name": "Scribe Assist", "status": "approved", "summary": "Ours.",
         "good_for": ["write"]},
        {"id": "own-accounts", "name": "Staff's own AI subscriptions", "status": "prohibited",
         "summary": "Not for trust work."},
    ]
    line = _line("own-subs", "Keep trust work in trust systems",
                 "Trust work stays in trust systems.", applies_to=["own-accounts"])
    policy = _policy([DATA_LINE, line], tools)
    assert [t.id for t in personal_entries(policy)] == ["own-accounts"]
    assert RedLineScope.build(policy).unlisted == ("own-subs",)


def test_a_policy_framed_around_public_tools_is_not_one_rule_each_time() -> None:
    """A policy about public AI tools says so in most rules ("... into publicly available
    AI tools"): their subjects (code, email) are not the rule for unlisted tools; a title
    that words such a rule still is."""
    framed = [
        _line("no-code", "Review before code", "Seek review before entering code into "
              "publicly available AI tools."),
        _line("state-email", "Register with a work email", "Publicly available AI tools "
              "that ask for an email must be registered with a work email."),
        _line("fact-check", "Check the output", "Check any output of publicly available "
              "AI tools before use."),
        _line("keep-logins", "Keep logins private", "Never share your login."),
    ]
    assert RedLineScope.build(_policy(framed)).unlisted == ()
    titled = _line("public-off", "No public AI tools for client work",
                   "Client work stays in trust systems.")
    assert RedLineScope.build(_policy([*framed, titled])).unlisted == ("public-off",)
    # the same wording in one or two rules is each one's rule, as before
    assert RedLineScope.build(_policy(framed[:2])).unlisted == ("no-code", "state-email")


@pytest.mark.semantic
def test_a_rule_no_pattern_reads_is_found_by_meaning() -> None:
    line = _line("paid-only", "Stick to what we pay for",
                 "Do not use AI services the organisation does not pay for.")
    assert not lexical_rule(line["title"])
    assert not lexical_rule(line["rule"])
    matcher = make_backend("hybrid")
    policy = _policy([DATA_LINE, line])
    matcher.fit([])
    embedding = (matcher.policy_vectors, matcher.model_id)  # type: ignore[attr-defined]
    assert set(rule_scores(policy, embedding)) == {"paid-only"}
    assert set(rule_scores(policy)) == set()  # lexically: nothing


@pytest.mark.parametrize("title", [
    "Only use Scribe Assist, via your trust account",
    "Scribe Assist is the only AI tool staff may use",
    "The only AI tool for trust work is Scribe Assist",
])
def test_only_a_named_approved_tool_is_the_rule_for_every_other(title: str) -> None:
    """A line saying only the approved tool may be used names no kind of tool ("public",
    "personal"), yet it is what an unknown tool's answer should show; with the approved
    tool's own answer it is the way out, not a limit, and stays out."""
    line = _line("only-scribe", title, "Sign in with your trust account.")
    index = build_index(1, _policy([DATA_LINE, line]), lambda: make_backend("lexical"))
    assert index.scope.unlisted == ("only-scribe",)
    unknown = advise_message(index, "is deepseek ok to use?")
    assert [r.id for r in unknown.red_lines] == ["only-scribe"]
    assert advise_message(index, "is Scribe Assist approved?").red_lines == ()


def test_a_data_rule_naming_the_approved_tool_is_not_the_rule() -> None:
    line = _line("closed-in-scribe", "Closed data only in Scribe Assist",
                 "Put closed data only in Scribe Assist.")
    assert RedLineScope.build(_policy([line])).unlisted == ()
