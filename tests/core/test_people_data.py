"""The bank of personal data (bot/core/people_data.py): what it finds in a message, and
which of a policy's classes it gives each kind of data."""

from __future__ import annotations

import pytest

from bot.core.people_data import PeopleData

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
    ],
)
def test_personal_data_is_found_in_its_own_words(text: str, kind: str) -> None:
    assert kind in PeopleData.kinds_in(text)


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
    ],
)
def test_work_about_no_one_is_not_personal_data(text: str) -> None:
    assert PeopleData.kinds_in(text) == set()


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
