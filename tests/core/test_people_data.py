"""The bank of personal data (bot/core/people_data.py): what it finds in a message, and
which of a policy's classes it gives each kind of data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.registry import make_backend
from bot.core.pasted import spell_out
from bot.core.people_data import PeopleData
from bot.policy.files import load_policy

# A made-up policy's classes, least sensitive first, in words of its own.
CLASSES = [
    ("public", ["Public", "Already published", "published annual reports"]),
    ("internal", ["Internal", "Everyday work", "draft memos", "team meeting notes"]),
    ("personal", ["Personal", "Identifies someone", "names and addresses of clients"]),
    ("special", ["Special category", "someone's health records", "criminal records"]),
]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a client's medical info", "health"),
        ("her FMLA paperwork", "health"),
        ("the payroll file for March", "employment"),
        ("a coworker's disciplinary history", "employment"),
        ("last year's jail booking records", "legal"),
        ("records of our tenants", "people"),
        ("a caller's home address", "identity"),
        ("the med history from the chart", "health"),
        ("our members' account balances", "people"),
        ("a customer's credit score", "people"),
        ("the spreadsheet with everyone's home addresses", "identity"),
        ("donor names and postcodes", "people"),
        ("the claimant spreadsheet", "people"),
        ("members SINs for the benefits form", "identity"),
    ],
)
def test_personal_data_is_found_in_its_own_words(text: str, kind: str) -> None:
    assert kind in PeopleData.kinds_in(spell_out(text))


@pytest.mark.parametrize(
    "text",
    [
        "the public health newsletter",
        "what is the policy on medical leave",
        "no patient records, just the rota",
        "anonymized patient records",
        "leave the file in the shared folder",
        "write up the minutes of the staff meeting",
        "salary ranges for the job posting",
        "review my code for the payroll system integration",
        "translate the patient intake form template",
        "chart the jail population trends for the council",
        "is my personal account ok for client work",
        "write a thank-you note to our volunteers",
        "forgive us our sins",
        "how can i up my credit score",
        "can you freeze my bank account",
    ],
)
def test_work_about_no_one_is_not_personal_data(text: str) -> None:
    assert PeopleData.kinds_in(spell_out(text)) == set()


def test_each_kind_goes_to_the_class_whose_wording_names_it() -> None:
    people = PeopleData(CLASSES)
    assert people.class_of_kind["health"] == "special"
    assert people.class_of_kind["legal"] == "special"
    assert people.class_of_kind["people"] == "personal"
    # named by no class: the most sensitive class about people at all
    assert people.class_of_kind["employment"] == "special"


def test_a_policy_with_no_class_about_people_gives_no_class() -> None:
    people = PeopleData(CLASSES[:2])
    assert people.class_of_kind["health"] is None


SCHOOL = """
meta:
  organization: Hillcrest Schools
  contact: "the help desk"
data_classes:
  - id: open
    label: Open
    description: Public material.
    examples: [the published school calendar]
  - id: internal
    label: Internal
    description: Everyday school work.
    examples: [draft lesson plans]
  - id: restricted
    label: Restricted
    description: Student records, staff HR files, and health or counseling data.
    examples: [student records]
use_cases:
  - id: writing
    name: Writing help
    description: Draft and edit letters and notices.
    examples: [draft a letter to parents, proofread the newsletter, rewrite this notice]
tools:
  - id: copilot
    name: Microsoft 365 Copilot
    aliases: [Copilot]
    status: approved
    summary: Copilot in the district tenant.
    good_for: [writing]
    max_data_class: internal
red_lines:
  - id: no-student-records
    title: No student records in AI tools
    rule: Student records never go into an AI tool.
    why: FERPA.
    triggers: [student records]
  - id: no-health-data
    title: No health or counseling data in AI tools
    rule: Health and counseling data never go into an AI tool.
    why: It is the most private data we hold.
    triggers: [health data, counseling data]
"""


def test_a_data_check_shows_the_red_lines_about_its_kind_of_data(tmp_path: Path) -> None:
    """An employee's medical paperwork is health data: the class's wording about health
    ("health or counseling data") says which red line concerns it, not its student records."""
    path = tmp_path / "school.yaml"
    path.write_text(SCHOOL, encoding="utf-8")
    index = build_index(1, load_policy(path), lambda: make_backend("lexical"))
    answer = advise_message(index, "can copilot summarize an employee's medical paperwork?")
    assert answer.data_check is not None, answer.text
    assert answer.data_check.data_class == "restricted"
    assert answer.data_check.allowed is False
    shown = {r.id for r in answer.red_lines}
    assert "no-health-data" in shown
    assert "no-student-records" not in shown
