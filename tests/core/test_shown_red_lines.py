"""Red lines shown with an answer because they concern its subject (issue 9 §2, §5).

Kestrel Freight is a small policy written for these tests: an approved enterprise
assistant, a prohibited "personal AI accounts" entry, a chat tool family with an
edition that is not approved, and red lines that concern tools without being asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.red_line_scope import RedLineScope
from bot.policy import Policy
from bot.policy.files import load_policy


def _line(line_id: str, title: str, rule: str, triggers: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
            "triggers": triggers, **extra}


POLICY: dict[str, Any] = {
    "meta": {"organization": "Kestrel Freight", "contact": "the IT desk",
             "unlisted_tools": "Tools not listed here are not approved for Kestrel work."},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Published.",
         "examples": ["press releases", "published timetables"]},
        {"id": "internal", "label": "Internal", "description": "Internal.",
         "examples": ["route plans", "shift rotas"]},
        {"id": "restricted", "label": "Restricted", "description": "Sensitive.",
         "examples": ["driver medical records", "customer contracts"]},
    ],
    "use_cases": [
        {"id": "write", "name": "Draft emails and letters",
         "description": "Write and polish emails and letters.",
         "examples": ["draft an email to a customer", "polish this letter",
                      "write a reply to a complaint"]},
        {"id": "plan", "name": "Plan routes",
         "description": "Work out delivery routes and schedules.",
         "examples": ["plan the delivery route for tomorrow", "schedule the drivers",
                      "optimise the van routes"]},
    ],
    "tools": [
        {"id": "chatgpt-business", "name": "ChatGPT Business", "aliases": ["ChatGPT"],
         "status": "approved", "summary": "The company's ChatGPT workspace.",
         "good_for": ["write"], "max_data_class": "restricted"},
        {"id": "chatgpt-free", "name": "ChatGPT Free", "status": "prohibited",
         "summary": "The free consumer ChatGPT is not allowed for work."},
        {"id": "routewise", "name": "RouteWise", "status": "approved",
         "summary": "Route planning with AI.", "good_for": ["plan"],
         "max_data_class": "internal"},
        {"id": "own-accounts", "name": "Personal AI accounts", "status": "prohibited",
         "summary": "Accounts staff pay for themselves."},
    ],
    "red_lines": [
        _line("own-accounts-rule", "Kestrel work stays in Kestrel accounts",
              "Use Kestrel-provided accounts for all work.", ["my own account"],
              applies_to=["own-accounts"]),
        _line("no-medical", "No driver medical records in AI",
              "Driver medical records never go into an AI tool.", ["driver medical records"],
              applies_to=["chatgpt-business"]),
        _line("restricted-stays", "Restricted data stays out of shared tools",
              "Restricted data never goes into a tool shared with other companies.",
              ["shared workspace"]),
        _line("routewise-checks", "Check RouteWise plans against road restrictions",
              "Every RouteWise plan is checked against bridge heights before dispatch.",
              ["bridge heights"]),
    ],
}


@pytest.fixture(scope="module")
def kestrel() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("lexical"))


def _ids(answer: Any) -> list[str]:
    return [r.id for r in answer.red_lines]


def test_a_red_line_written_for_a_personal_accounts_entry_is_the_unlisted_rule(
    kestrel: PolicyIndex,
) -> None:
    assert kestrel.scope.unlisted == ("own-accounts-rule",)
    assert _ids(advise_message(kestrel, "is perplexity allowed?")) == ["own-accounts-rule"]


def test_a_personal_edition_of_an_approved_tool_gets_the_rule(kestrel: PolicyIndex) -> None:
    answer = advise_message(kestrel, "can I use claude on my personal account for work?")
    assert "own-accounts-rule" in _ids(answer)
    plus = advise_message(kestrel, "is routewise plus from my home account fine?")
    assert plus.outcome == "tool_status"
    assert plus.headline.startswith("Only the organization's RouteWise")
    assert "own-accounts-rule" in _ids(plus)
    plain = advise_message(kestrel, "is routewise ok?")
    assert plain.headline.startswith("Yes: RouteWise")
    assert "own-accounts-rule" not in _ids(plain)


def test_a_family_with_an_edition_not_approved_shows_the_rule(kestrel: PolicyIndex) -> None:
    answer = advise_message(kestrel, "chatgpt?")
    assert {t.id for t in answer.tools} == {"chatgpt-business"}
    assert "own-accounts-rule" in _ids(answer)


def test_a_red_line_naming_a_tool_shows_with_its_work(kestrel: PolicyIndex) -> None:
    assert kestrel.scope.by_tool["routewise"] == ("routewise-checks",)
    answer = advise_message(kestrel, "plan the delivery route for tomorrow")
    assert answer.outcome == "answered"
    assert answer.tools[0].id == "routewise"
    assert "routewise-checks" in _ids(answer)
    # A status question gives the tool nothing to work on: the line waits for its work.
    status = advise_message(kestrel, "is routewise ok?")
    assert status.outcome == "tool_status"
    assert "routewise-checks" not in _ids(status)


def test_a_data_line_for_the_tool_is_left_out_when_the_data_is_said_to_be_safe(
    kestrel: PolicyIndex,
) -> None:
    shown = advise_message(kestrel, "can I paste the shift rotas into chatgpt business?")
    assert "no-medical" in _ids(shown)
    for text in ("can I paste the published timetables into chatgpt business?",
                 "can I paste anonymized shift rotas into chatgpt business?"):
        answer = advise_message(kestrel, text)
        assert answer.outcome == "data_check", answer.text
        assert "no-medical" not in _ids(answer), text
    asked = advise_message(kestrel, "can I paste driver medical records into chatgpt business?")
    assert "no-medical" in _ids(asked)


def test_data_into_a_prohibited_tool_gets_the_rule(kestrel: PolicyIndex) -> None:
    answer = advise_message(kestrel, "can I paste route plans into chatgpt free?")
    assert answer.outcome == "data_check"
    assert "own-accounts-rule" in _ids(answer)


def test_the_rule_for_unlisted_tools_does_not_name_the_approved_tool_into_its_lines() -> None:
    policy = Policy.model_validate(
        {**POLICY, "red_lines": [
            _line("only-routewise", "Only approved tools",
                  "Only approved tools may be used; for routes that is RouteWise.", ["x y"]),
        ]}
    )
    scope = RedLineScope.build(policy, lambda text: ["routewise"] if "RouteWise" in text else [])
    assert scope.unlisted == ("only-routewise",)
    assert "routewise" not in scope.by_tool


def test_a_red_line_naming_the_asked_data_class_shows_with_the_data_check(
    kestrel: PolicyIndex,
) -> None:
    assert kestrel.scope.by_class == {"restricted": ("restricted-stays",)}
    answer = advise_message(kestrel, "can I paste customer contracts into routewise?")
    assert answer.outcome == "data_check"
    assert "restricted-stays" in _ids(answer)
    internal = advise_message(kestrel, "can I paste the shift rotas into routewise?")
    assert "restricted-stays" not in _ids(internal)


def test_without_a_written_rule_the_personal_accounts_entry_is_the_answer() -> None:
    policy = Policy.model_validate(
        {**POLICY, "meta": {"organization": "Kestrel Freight"}, "red_lines": []}
    )
    index = build_index(1, policy, lambda: make_backend("lexical"))
    answer = advise_message(index, "is perplexity allowed?")
    assert "The policy's rule for personal ai accounts: prohibited." in answer.text


def test_a_red_line_naming_a_tools_vendor_shows_with_it() -> None:
    policy = Policy.model_validate(
        {**POLICY, "tools": [*POLICY["tools"], {
            "id": "gemini-edu", "name": "Gemini for Education", "status": "approved",
            "summary": "Google's assistant in our workspace.", "good_for": ["write"]}],
         "red_lines": [_line("google-no-contracts", "No customer contracts in Google tools",
                             "Customer contracts never go into Google AI.", ["x y"])]}
    )
    scope = RedLineScope.build(policy)
    assert scope.by_tool == {"gemini-edu": ("google-no-contracts",)}


def test_an_approved_entry_for_the_approved_tools_is_not_a_personal_one() -> None:
    policy = Policy.model_validate(
        {**POLICY, "tools": [{
            "id": "approved-set", "name": "Company-approved AI tools", "status": "approved",
            "aliases": ["approved AI list"], "summary": "The vetted tools.",
            "good_for": ["write"]}],
         "red_lines": [_line("vetted-only", "Vetted data handling",
                             "Route plans stay in vetted systems.", ["x y"],
                             applies_to=["approved-set"])]}
    )
    assert RedLineScope.build(policy).unlisted == ()


def test_a_rule_for_any_tool_naming_some_as_examples_does_not_follow_them() -> None:
    line = _line("no-medical-anywhere", "Medical records stay out of AI",
                 "Driver medical records never go into any AI tool, RouteWise included.",
                 ["driver medical records"])
    named = _line("routewise-only", "RouteWise plans are checked",
                  "RouteWise plans are checked before dispatch.", ["x y"])
    policy = Policy.model_validate({**POLICY, "red_lines": [line, named]})
    scope = RedLineScope.build(policy, lambda text: ["routewise"] if "RouteWise" in text else [])
    assert scope.by_tool == {"routewise": ("routewise-only",)}


def test_a_red_line_for_a_status_shows_only_when_triggered(kestrel: PolicyIndex) -> None:
    policy = Policy.model_validate(
        {**POLICY, "red_lines": [_line("not-approved-data", "No route plans in unapproved tools",
                                       "Route plans stay in approved tools.", ["route plans"],
                                       applies_to=["prohibited"])]}
    )
    index = build_index(1, policy, lambda: make_backend("lexical"))
    assert "not-approved-data" not in _ids(advise_message(index, "is chatgpt free ok?"))
    asked = advise_message(index, "can I paste route plans into chatgpt free?")
    assert "not-approved-data" in _ids(asked)


# Red lines that would concern an answer only by a loose path stay unasked.
QUIET: dict[str, Any] = {
    **POLICY,
    "tools": [
        *POLICY["tools"],
        {"id": "copilot", "name": "Copilot", "status": "approved",
         "summary": "Copilot in our Microsoft tenant.", "good_for": ["write"],
         "max_data_class": "restricted"},
    ],
    "use_cases": [
        *POLICY["use_cases"],
        {"id": "minutes", "name": "Summarize meeting notes",
         "description": "Turn meeting notes into a summary with action items.",
         "examples": ["summarize the meeting notes", "what was decided in the meeting",
                      "list the action items from the call"]},
    ],
    "red_lines": [
        *POLICY["red_lines"],
        _line("copilot-work-account", "Copilot with your work account only",
              "Use Copilot with your Kestrel account, not a personal licence.",
              ["personal licence"], applies_to=["copilot"]),
        _line("copilot-no-contracts", "No customer contracts in Copilot",
              "Customer contracts never go into Copilot.", ["customer contracts"],
              applies_to=["copilot"]),
        _line("no-health-data", "No health information about drivers in AI",
              "Health information about drivers never goes into an AI tool.",
              ["health information"], applies_to=["chatgpt-business", "routewise", "copilot"]),
        _line("people-decide", "People decide about drivers",
              "AI must not decide on hiring or disciplining drivers.", ["decide"]),
    ],
}


@pytest.fixture(scope="module")
def quiet() -> PolicyIndex:
    return build_index(1, Policy.model_validate(QUIET), lambda: make_backend("lexical"))


def test_a_data_line_written_for_every_tool_waits_for_data(quiet: PolicyIndex) -> None:
    """ "draft an email to a customer": no data goes in, so "No health information about
    drivers", written against every approved tool, is noise; with data in the message, or
    in a data check, it shows. So does a data line written for this one tool ("No driver
    medical records in ChatGPT Business"): about data going into it, not about emails."""
    assert quiet.scope.general == {"no-health-data"}
    plain = advise_message(quiet, "draft an email to a customer")
    assert plain.outcome == "answered"
    assert plain.tools[0].id == "chatgpt-business"
    assert "no-health-data" not in _ids(plain)
    assert "no-medical" not in _ids(plain)
    status = advise_message(quiet, "is chatgpt business ok?")
    assert status.outcome == "tool_status"
    assert "no-health-data" not in _ids(status)
    assert "no-medical" not in _ids(status)
    with_data = advise_message(quiet, "draft an email to a customer about the shift rotas")
    assert with_data.tools[0].id == "chatgpt-business"
    assert "no-health-data" in _ids(with_data)
    assert "no-medical" in _ids(with_data)
    check = advise_message(quiet, "can I paste the shift rotas into chatgpt business?")
    assert check.outcome == "data_check"
    assert "no-health-data" in _ids(check)


def test_only_the_recommended_tools_own_lines_show(quiet: PolicyIndex) -> None:
    """An answer listing ChatGPT Business first and Copilot second is about the first: a
    red line written for Copilot shows when Copilot is what is asked about."""
    answer = advise_message(quiet, "polish this letter about the shift rotas")
    assert [t.id for t in answer.tools][:2] == ["chatgpt-business", "copilot"]
    assert "no-medical" in _ids(answer)
    assert "copilot-no-contracts" not in _ids(answer)
    check = advise_message(quiet, "can I paste the shift rotas into copilot?")
    assert check.outcome == "data_check"
    assert "copilot-no-contracts" in _ids(check)


def test_a_tools_personal_licence_rule_waits_for_a_personal_edition(quiet: PolicyIndex) -> None:
    assert "copilot-work-account" in quiet.scope.rules
    plain = advise_message(quiet, "is copilot ok?")
    assert plain.headline.startswith("Yes: Copilot")
    assert "copilot-work-account" not in _ids(plain)
    personal = advise_message(quiet, "can I use copilot on my personal account?")
    assert "copilot-work-account" in _ids(personal)


def test_a_use_case_line_needs_its_trigger_as_written(quiet: PolicyIndex) -> None:
    """ "what was decided in the meeting" reports a decision: the job of summarizing
    notes does not concern "AI must not decide on drivers"."""
    assert quiet.lexicon.use_case_red_lines("minutes") == ()
    answer = advise_message(quiet, "summarize the meeting notes")
    assert answer.use_case is not None
    assert answer.use_case.id == "minutes"
    assert "people-decide" not in _ids(answer)


# A policy approving one tool, whose every red line names it (as many real ones do).
HERON: dict[str, Any] = {
    "meta": {"organization": "Heron Council", "contact": "the IT desk"},
    "data_classes": POLICY["data_classes"],
    "use_cases": POLICY["use_cases"],
    "tools": [
        {"id": "copilot", "name": "Copilot", "status": "approved",
         "summary": "Copilot in the council's Microsoft tenant.", "good_for": ["write", "plan"],
         "max_data_class": "internal"},
    ],
    "red_lines": [
        _line("copilot-no-residents", "No residents' personal data in Copilot",
              "Residents' personal data never goes into Copilot.", ["residents' records"]),
        _line("copilot-no-restricted", "No restricted files in Copilot",
              "Restricted files never go into Copilot.", ["restricted files"]),
        _line("copilot-check-drafts", "Check what Copilot drafts before it goes out",
              "A person reads every Copilot draft before it is sent.", ["send it unread"]),
    ],
}


@pytest.fixture(scope="module")
def heron() -> PolicyIndex:
    return build_index(1, Policy.model_validate(HERON), lambda: make_backend("lexical"))


def test_a_one_tool_policys_data_lines_wait_for_data(heron: PolicyIndex) -> None:
    """Every line names Copilot, the only approved tool: a letter, a rota or a status question
    puts no data in, so none of them is about it; data going in, or the line's own
    trigger, shows it."""
    assert {"copilot-no-residents", "copilot-no-restricted"} <= set(heron.scope.by_tool["copilot"])
    for text in ("polish this letter", "schedule the drivers", "is copilot ok?"):
        answer = advise_message(heron, text)
        assert answer.outcome in ("answered", "tool_status"), text
        assert _ids(answer) == [], text
    check = advise_message(heron, "can I paste the shift rotas into copilot?")
    assert check.outcome == "data_check"
    assert {"copilot-no-residents", "copilot-no-restricted"} <= set(_ids(check))
    asked = advise_message(heron, "polish this letter using the residents' records")
    assert "copilot-no-residents" in _ids(asked)


def test_the_unlisted_rule_about_data_waits_for_data() -> None:
    """San Francisco's rule for public tools is about data going in (a dev set): "is
    DeepSeek allowed?" gets the rule in its text, not the data red line, which shows
    when data goes in."""
    heldout = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
    index = build_index(1, load_policy(heldout / "sf-city" / "policy"),
                        lambda: make_backend("lexical"))
    line = "no-sensitive-data-in-public-tools"
    assert line in index.scope.unlisted
    for text in ("is DeepSeek allowed?", "can I use midjourney for a poster"):
        answer = advise_message(index, text)
        assert answer.outcome == "tool_status", text
        assert line not in _ids(answer), text
    pasted = advise_message(index, "can I paste a resident's complaint letter into DeepSeek?")
    assert line in _ids(pasted)


def test_a_line_about_the_one_tool_waits_for_work_given_to_it(heron: PolicyIndex) -> None:
    """ "Check what Copilot drafts" names the only approved tool, so it concerns every
    answer by name alone: it shows when the message gives Copilot something to work on,
    or triggers it, not with a status question or a bare job."""
    line = "copilot-check-drafts"
    for text in ("is copilot ok?", "polish this letter", "schedule the drivers"):
        assert line not in _ids(advise_message(heron, text)), text
    assert line in _ids(advise_message(heron, "upload my letter to copilot and polish it"))
    assert line in _ids(advise_message(heron, "polish this letter and send it unread"))



def test_the_unlisted_rule_about_data_shows_when_data_is_put_in() -> None:
    """ "upload my draft newsletter to DeepSeek" names no data class and pastes nothing,
    but puts a document into an unlisted tool: San Francisco's rule for public tools (a
    dev set) concerns it."""
    heldout = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
    index = build_index(1, load_policy(heldout / "sf-city" / "policy"),
                        lambda: make_backend("lexical"))
    answer = advise_message(index, "upload my draft newsletter to DeepSeek")
    assert answer.outcome == "tool_status"
    assert "no-sensitive-data-in-public-tools" in _ids(answer)
