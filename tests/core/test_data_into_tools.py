"""Data going into tools on policies the concierge was not written for (issue 9 §2, §5):
data a class's examples do not name but a data red line keeps out, data questions worded
"is <data> ok in <tool>?" and "<data>, fine to summarise in <tool>?", pasted rows, code
and case notes, a tool the policy made the exception to a line for every tool, and lines
for unapproved tools or consumer accounts that do not refuse an approved tool.

Two made-up policies, written for these tests (no dev or test set's words).
"""

from __future__ import annotations

import pytest

from bot.core.advice.data_refusals import still_refusing
from bot.core.advice.index import PolicyIndex
from bot.core.advisor import advise_message, build_index
from bot.core.data_request import asks_for_it
from bot.core.matching.registry import make_backend
from bot.core.pasted import has_pasted_data, pasted_code, pasted_record, pasted_rows
from bot.core.replies import Answer
from bot.core.understand import read_message
from bot.policy.files import load_policy

HAULAGE = """
meta:
  organization: Northgate Haulage
  contact: "the IT desk"
data_classes:
  - id: public
    label: Public information
    description: Information already published on our website.
    examples: [our published timetable, a press release]
  - id: company
    label: Company, supplier or staff data
    description: Company, supplier or staff data, including rates, contracts and plans.
    examples: [the depot rota, a haulage contract]
use_cases:
  - id: writing
    name: Writing help
    description: Draft, summarise and tidy letters, emails and reports.
    examples: [draft a reply to a customer, summarise a long report, tidy up an email]
tools:
  - id: fleetbot
    name: FleetBot
    status: approved
    summary: The company's own assistant.
    good_for: [writing]
    max_data_class: company
  - id: freegpt
    name: FreeGPT
    status: prohibited
    summary: A public chatbot.
red_lines:
  - id: no-company-data-unapproved
    title: No company, supplier or staff data in AI tools that aren't approved
    rule: Do not enter company, supplier or staff data into any AI tool that isn't approved.
    why: Public tools keep what they are given.
    triggers: [supplier rates, pricing]
"""

CLINIC = """
meta:
  organization: Riverside Clinic
  contact: "the privacy office"
data_classes:
  - id: general
    label: General information
    description: Published guidance and general questions about no one.
    examples: [a published guideline, a general question about asthma]
  - id: anonymised
    label: Anonymised case scenarios with no names
    description: Case scenarios with every identifying detail removed.
    examples: [a made-up case for teaching, a scenario with no names]
  - id: personal
    label: Personal information
    description: Patient names, medical records, diagnoses and treatment plans.
    examples: [a patient's name and diagnosis, a treatment plan]
use_cases:
  - id: writing
    name: Writing help
    description: Draft, summarise and edit letters and notes.
    examples: [summarise a report, make this shorter, draft a letter]
  - id: notes
    name: Visit notes
    description: Take notes of a patient visit.
    examples: [take notes of the visit, record the consultation]
tools:
  - id: assistant
    name: Assistant
    status: approved
    summary: The clinic's assistant.
    good_for: [writing]
    max_data_class: anonymised
  - id: scribe
    name: Scribe
    status: approved
    summary: The approved visit scribe.
    good_for: [notes]
    max_data_class: personal
red_lines:
  - id: no-personal-information
    title: No personal information in AI tools
    rule: Do not put personal information about a patient into AI tools.
    why: Confidentiality.
    triggers: [patient names, medical records, diagnoses]
  - id: no-consumer-accounts
    title: Personal information never in consumer AI accounts
    rule: Personal information never goes into consumer AI accounts.
    why: Consumer accounts may train on it.
    triggers: [consumer AI account]
  - id: no-code
    title: No source code pasted into AI tools
    rule: Do not paste existing source code into AI tools.
    why: Our code is confidential.
    triggers: [paste code]
"""


def _allowed(answer: Answer) -> bool | None:
    assert answer.data_check is not None, answer.text
    return answer.data_check.allowed


def _index(tmp_path_factory: pytest.TempPathFactory, name: str, text: str) -> PolicyIndex:
    path = tmp_path_factory.mktemp(name) / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return build_index(1, load_policy(path), lambda: make_backend("lexical"))


@pytest.fixture(scope="module")
def haulage(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    return _index(tmp_path_factory, "haulage", HAULAGE)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    return _index(tmp_path_factory, "clinic", CLINIC)


def test_data_a_data_line_keeps_out_is_of_the_class_the_line_names(haulage: PolicyIndex) -> None:
    """No example is a price list; "pricing" fires the line on "company, supplier or staff
    data", the class's own label: the list is company data, and FleetBot may take it."""
    answer = advise_message(haulage, "can I put the depot price list into FleetBot?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("company", True)
    assert "no-company-data-unapproved" not in {r.id for r in answer.red_lines}


def test_a_line_for_unapproved_tools_spares_a_tool_that_takes_every_class(
    haulage: PolicyIndex,
) -> None:
    """Whatever class a growth plan is, FleetBot takes the most sensitive one: the line on
    unapproved tools neither blocks nor says no; the question is a data check."""
    answer = advise_message(
        haulage, "the board's five-year growth plan, fine to summarise in FleetBot?"
    )
    assert answer.outcome == "data_check", answer.text
    assert _allowed(answer) is True
    # the same data into the prohibited tool is still a no
    no = advise_message(haulage, "the board's five-year growth plan, fine to summarise in FreeGPT?")
    assert _allowed(no) is False, no.text


def test_is_data_ok_in_a_tool_is_a_data_check(haulage: PolicyIndex) -> None:
    answer = advise_message(haulage, "is the depot's alarm code list ok in FleetBot?")
    assert answer.outcome == "data_check", answer.text
    tail = advise_message(
        haulage, "the yard camera layout, ok to paste into FleetBot to make a checklist?"
    )
    assert tail.outcome == "data_check", tail.text
    # a question about the tool stays one
    assert advise_message(haulage, "is FleetBot ok for drafting emails?").outcome != "data_check"


def test_pasted_rows_into_a_named_tool_are_a_data_check(haulage: PolicyIndex) -> None:
    answer = advise_message(
        haulage,
        "can FleetBot total these up? Route 12 Leeds cost £780 fuel £114; "
        "Route 13 York cost £810 fuel £120",
    )
    assert answer.outcome == "data_check", answer.text
    assert _allowed(answer) is True


@pytest.mark.parametrize(
    "text",
    [
        "chatgpt, tidy up this reply: 'Hi Sam, thanks for the order'",
        "copilot can you make this more concise: 'Pt seen 12/11 for review'",
        "hey claude pls summarise this: the minutes of Tuesday",
    ],
)
def test_a_request_addressed_to_the_tool_asks_for_it(text: str) -> None:
    """ "<tool>, tidy up this reply: ..." asks for the work (refused when a red line keeps
    its data out), not whether it may be done."""
    assert asks_for_it(text)
    assert not asks_for_it("can I paste this into claude?")


def test_a_tool_approved_for_the_data_is_the_exception_to_a_line_for_every_tool(
    clinic: PolicyIndex,
) -> None:
    """Scribe is approved up to personal information: "no personal information in AI
    tools" does not refuse it; Assistant, approved up to anonymised data, is refused."""
    answer = advise_message(
        clinic, "can Scribe take the consult recording with the patient's medical records?"
    )
    assert answer.outcome == "data_check", answer.text
    assert _allowed(answer) is True
    refused = advise_message(
        clinic, "can Assistant take the consult recording with the patient's medical records?"
    )
    assert _allowed(refused) is False, refused.text


def test_a_home_address_is_data_not_a_home_account(clinic: PolicyIndex) -> None:
    """"her home address" names data; it does not say the asker means a consumer account,
    so the consumer-account line does not refuse the approved scribe."""
    answer = advise_message(
        clinic, "can Scribe read the patient's medical records? her home address is on them"
    )
    assert answer.outcome == "data_check", answer.text
    assert "no-consumer-accounts" not in {r.id for r in answer.red_lines}
    assert _allowed(answer) is True


def test_data_said_to_identify_no_one_is_not_refused_by_a_line_on_personal_data(
    clinic: PolicyIndex,
) -> None:
    """A line on personal data does not refuse a question about a case with the names
    taken out (the anonymised class), whatever found the line: a trigger or its meaning."""
    text = "if I strip the names out, can I ask Assistant about a made-up case for teaching?"
    reading = read_message(text, clinic.lexicon)
    assert reading.data_class == "anonymised"
    assert still_refusing(clinic, text, reading, ["no-personal-information"]) == []
    named = "can I ask Assistant about a made-up case for teaching, with the patient names?"
    reading = read_message(named, clinic.lexicon)
    assert still_refusing(clinic, named, reading, ["no-personal-information"]) == [
        "no-personal-information"
    ]


def test_pasted_code_is_what_a_line_on_pasting_code_refuses(clinic: PolicyIndex) -> None:
    answer = advise_message(
        clinic,
        "why does this fail? requests.get(url, headers={'Authorization': 'Bearer [SECRET]'})",
    )
    assert answer.outcome == "blocked", answer.text
    assert "no-code" in {r.id for r in answer.red_lines}


def test_a_pasted_case_note_with_age_and_sex_is_a_record(clinic: PolicyIndex) -> None:
    answer = advise_message(
        clinic,
        "assistant can you make this more concise: 'Pt [NAME] 54F, hx asthma, HTN. Seen "
        "12/11 for review, inhaler increased, f/u 4 wks'",
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-personal-information"


@pytest.mark.parametrize(
    ("text", "code", "rows", "record"),
    [
        ("def total(items):\n    return sum(i.price for i in items)", True, False, False),
        ("SELECT name FROM staff WHERE dept = 4", True, False, False),
        ("can I use copilot (the paid one) to draft a memo?", False, False, False),
        ("the budget = 40k for Q3, ok in copilot?", False, False, False),
        ("Route 12 Leeds cost £780 fuel £114; Route 13 York cost £810 fuel £120", False, True,
         False),
        ("we met 3 times in 2024; 4 in 2025", False, False, False),
        ("'Pt [NAME] 54F, hx asthma, seen 12/11'", False, False, True),
        ("we sold 54 F-150s this month, up from 40", False, False, False),
    ],
)
def test_shapes_of_pasted_data(text: str, code: bool, rows: bool, record: bool) -> None:
    assert (pasted_code(text), pasted_rows(text), pasted_record(text)) == (code, rows, record)
    assert has_pasted_data(text) == (code or rows or record)


LEVELS = """
meta:
  organization: County Records Office
  contact: "the records desk"
data_classes:
  - id: L1
    label: Level 1
    description: Public records.
    examples: [a public notice]
  - id: L2
    label: Level 2
    description: Internal records.
    examples: [an internal memo]
  - id: L3
    label: Level 3 critical
    description: The most sensitive records.
    examples: [a file labelled critical]
use_cases:
  - id: writing
    name: Writing help
    description: Draft and summarise documents.
    examples: [summarise a memo, draft a notice, tidy up a letter]
tools:
  - id: helper
    name: Helper
    status: approved
    summary: The office's assistant.
    good_for: [writing]
    max_data_class: L2
red_lines:
  - id: no-level-3
    title: Nothing with a level 3 critical label
    rule: Nothing labelled level 3 critical may go into Helper.
    why: It is the most sensitive.
    triggers: [level 3, critical label]
"""


def test_a_line_on_more_sensitive_data_does_not_refuse_the_data_named(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """"Nothing with a level 3 label" keeps out level 3 data: level 2 data, within the
    tool's limit, is not refused by it, however the line was found (a trigger or its
    meaning); level 3 data still is."""
    index = _index(tmp_path_factory, "levels", LEVELS)
    text = "is level 2 data ok in Helper?"
    reading = read_message(text, index.lexicon)
    assert reading.data_class == "L2"
    assert still_refusing(index, text, reading, ["no-level-3"]) == []
    assert advise_message(index, text).data_check is not None
    critical = "is level 3 data ok in Helper?"
    reading = read_message(critical, index.lexicon)
    assert still_refusing(index, critical, reading, ["no-level-3"]) == ["no-level-3"]
