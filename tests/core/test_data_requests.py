"""Data going into a tool: asked whether it may (a data check) or asked for (refused when a
red line keeps that data out), data red lines that hold only for unapproved tools, pasted
records about a person, and "give <tool> <data>" (issue 9 §2, §5).

A made-up care-home group's policy, written for these tests (no dev or test set's words).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import PolicyIndex
from bot.core.advisor import advise_message, build_index
from bot.core.data_request import asks_for_it, asks_whether_allowed
from bot.core.data_shapes import goes_into, means_ai, without_permission_tag
from bot.core.matching.registry import make_backend
from bot.core.pasted import has_pasted_data, pasted_record
from bot.core.redact import redact_text
from bot.policy.files import load_policy

POLICY = """
meta:
  organization: Harbor Care Homes
  contact: "the privacy office"
data_classes:
  - id: open
    label: Open
    description: Information already published.
    examples: [the brochure on our website, published inspection reports]
  - id: internal
    label: Internal
    description: Everyday internal work material with no resident details.
    examples: [rota templates, internal roadmaps, draft newsletters, anonymised case studies,
               booking system content]
  - id: resident
    label: Resident information
    description: Personal details about residents and their families, care plans and health records.
    examples: [care plans, resident health records, family contact details]
use_cases:
  - id: writing
    name: Writing help
    description: Draft, summarize and edit letters, notes and reports.
    examples: [draft a letter to families, summarize a long report, proofread the newsletter,
               write a welcome note, tidy up meeting notes]
tools:
  - id: carewriter
    name: CareWriter
    status: approved
    summary: The homes' own assistant.
    good_for: [writing]
    max_data_class: internal
  - id: freechat
    name: FreeChat
    status: prohibited
    summary: A free public chatbot.
    good_for: [writing]
red_lines:
  - id: no-resident-data
    title: No resident information in any AI tool
    rule: Never put resident information, care plans or health records into an AI tool.
    why: It is our residents' private health information.
    triggers: [resident information, care plans, health records, room number]
  - id: no-investigations
    title: No safeguarding investigations or disciplinary matters
    rule: Safeguarding investigations and disciplinary matters are never handled with AI.
    why: They need people's judgement and strict confidentiality.
    triggers: [safeguarding investigation]
  - id: work-account-only
    title: Only use CareWriter, through your work account
    rule: Use only CareWriter, through your work account; no other AI tools or personal accounts.
    why: It is the one tool our contracts cover.
    triggers: [personal account]
    applies_to: [prohibited]
  - id: unapproved-tools
    title: Never upload internal material into unapproved tools
    rule: Internal material may not be uploaded into tools that are not approved.
    why: We cannot control what unapproved tools keep.
    triggers: [internal material, internal roadmaps]
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    path = tmp_path_factory.mktemp("harbor") / "harbor.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return build_index(1, load_policy(path), lambda: make_backend("lexical"))


def _ask(index: PolicyIndex, text: str):  # type: ignore[no-untyped-def]
    return advise_message(index, redact_text(text, allow=frozenset({"carewriter"})))


def test_asking_whether_forbidden_data_may_go_in_is_a_data_check(index: PolicyIndex) -> None:
    """The red line keeps care plans out of every tool, and the answer says so; but the
    message asks whether they may go in: a data check saying no, not a refusal."""
    answer = _ask(index, "can I paste the care plans into CareWriter?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "no-resident-data" in {r.id for r in answer.red_lines}


def test_asking_for_forbidden_data_to_be_worked_on_is_refused(index: PolicyIndex) -> None:
    """No trigger names medical files; the data check finds them resident information over
    CareWriter's limit, and the message asks for the act: refused by the data red line."""
    answer = _ask(
        index, "put the residents' medical files into CareWriter so it can flag missed doses"
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-resident-data"
    assert answer.data_check is not None
    assert answer.data_check.allowed is False


def test_asking_whether_it_may_go_in_and_for_the_work_is_refused(index: PolicyIndex) -> None:
    """"can I paste the care plans into CareWriter and have it ...": the question whether
    they may go in comes with a request for the work on them, which the line refuses."""
    answer = _ask(
        index, "can I paste the care plans into CareWriter and have it flag missed doses"
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-resident-data"


def test_a_line_for_unapproved_tools_does_not_hold_for_an_approved_one(index: PolicyIndex) -> None:
    """"Never upload internal material into unapproved tools": CareWriter is approved for
    internal data, so its own limit decides, and the line is not shown."""
    answer = _ask(index, "can I paste our internal roadmaps into CareWriter?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is True
    assert "unapproved-tools" not in {r.id for r in answer.red_lines}


def test_a_pasted_record_about_a_person_is_refused_by_the_data_red_line(
    index: PolicyIndex,
) -> None:
    """No word names resident data, but a pasted record about someone is personal data."""
    answer = _ask(
        index,
        "write a welcome note for this new resident: Ingrid Solberg, age 81, Room 12, "
        "admitted 03/02/2025, diabetic",
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-resident-data"


def test_give_the_tool_the_data_is_a_data_check(index: PolicyIndex) -> None:
    """"give CareWriter the published annual accounts": the tool first, then the data."""
    answer = _ask(
        index, "is it ok to give CareWriter the published annual accounts so it can summarize them?"
    )
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("open", True)


@pytest.mark.parametrize(
    ("text", "may", "asks"),
    [
        ("can I paste the care plans into CareWriter?", True, False),
        ("is it ok to put the rota templates in CareWriter", True, False),
        ("ssn 123 - ok to type into chatgpt?", True, False),
        ("can finance upload the salary file to the approved tool", True, False),
        ("put the care plans into the AI so it can sort them", False, True),
        ("I'll paste the whole file, summarize it", False, True),
        ("drop the spreadsheet into chatgpt and find the duplicates", False, True),
        ("can the AI put them in a table for HR", False, False),
        ("the invoice disputes with staff names, let CareWriter sort out who owes what", False,
         True),
        ("rewrite our rota templates in CareWriter so new staff can follow them", False, True),
        ("make a table of it in CareWriter?", False, False),
        ("can a document labelled internal only go into CareWriter?", True, False),
        ("what data can I put into CareWriter?", True, False),
        # a later clause asks for the work on the data
        ("can I paste the care plans into CareWriter and have it flag missed doses", True,
         True),
        ("is it ok to upload the rota and get CareWriter to fill the gaps?", True, True),
        ("can I paste the rota in and make sure it reads well", True, False),
        ("can I upload the rota and let me know if it is fine", True, False),
    ],
)
def test_the_shape_of_the_question(text: str, may: bool, asks: bool) -> None:
    assert asks_whether_allowed(text) is may
    assert asks_for_it(text) is asks


@pytest.mark.parametrize(
    ("text", "record"),
    [
        ("turn this into a letter: [NAME], DOB 04/12/2014, student ID 448812, missed 6 days", True),
        ("summarize this: Liam Chen, age 6, Surrey, ADHD and speech delay", True),
        ("Member: [NAME], emp # 448120, Ministry of Finance, on leave since March", True),
        ("thank this donor: [NAME], 14 Oakfield Rd, Coventry, gives 25 a month", True),
        ("here's the list: [NAME] M, Brody T, Carter W, Daisy L", False),
        ("make a chart from this: Sept 92%, Oct 89%, Nov 94% attendance", False),
        ("invite [NAME], [NAME] and [NAME] to the planning meeting on Monday", False),
        ("Planning Committee, Room 4, 3pm, bring laptops", False),
        ("[NAME] said CareWriter is fine for agendas", False),
    ],
)
def test_a_pasted_record_about_a_person(text: str, record: bool) -> None:
    """A name, then two or more short fields, one of them identifying someone."""
    assert pasted_record(text) is record
    assert has_pasted_data(text) is record


def test_the_record_is_kept_redacted(index: PolicyIndex) -> None:
    """What the answer shows of a pasted record never repeats what redaction removed."""
    answer = _ask(index, "tidy this up for the file: Jordan Miller, DOB 04/12/2014, ward 3, "
                         "call 07700 900123")
    assert "07700" not in answer.text
    assert "900123" not in answer.text
    assert "Jordan Miller" not in answer.text


def test_the_module_reads_the_real_policy_file(tmp_path: Path) -> None:
    """The policy above is valid as written (guards the tests against a silent fixture)."""
    path = tmp_path / "harbor.yaml"
    path.write_text(POLICY, encoding="utf-8")
    assert [t.id for t in load_policy(path).tools] == ["carewriter", "freechat"]


@pytest.fixture(scope="module")
def two_tools(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    """A second approved tool, for open data only: "an AI tool" is then no one tool."""
    second = """
  - id: opennotes
    name: OpenNotes
    status: approved
    summary: A note-taking assistant for published material.
    good_for: [writing]
    max_data_class: open
red_lines:"""
    path = tmp_path_factory.mktemp("harbor2") / "harbor.yaml"
    path.write_text(POLICY.replace("\nred_lines:", second, 1), encoding="utf-8")
    return build_index(1, load_policy(path), lambda: make_backend("lexical"))


def test_data_into_ai_in_general_is_checked_against_every_tool(two_tools: PolicyIndex) -> None:
    """No tool named: the data's class against every approved tool's limit."""
    answer = advise_message(two_tools, "can the internal roadmaps go into an AI tool?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("internal", True)
    assert [t.id for t in answer.tools] == ["carewriter"]
    assert "OpenNotes" not in answer.headline


def test_data_a_red_line_keeps_out_of_every_tool_is_no_for_ai_in_general(
    two_tools: PolicyIndex,
) -> None:
    answer = advise_message(two_tools, "is it ok to put the care plans into an AI tool?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "no-resident-data" in {r.id for r in answer.red_lines}


def test_made_up_data_is_the_class_for_data_about_no_one(two_tools: PolicyIndex) -> None:
    answer = advise_message(
        two_tools, "made-up figures for a training example, fine in any of the tools?"
    )
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("internal", True)


def test_data_said_not_to_be_public_is_above_the_public_class(index: PolicyIndex) -> None:
    """No example names inspection figures; "unpublished" says they are not public yet."""
    answer = _ask(index, "unpublished inspection figures in CareWriter, allowed?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("internal", True)
    assert "unpublished inspection figures" in answer.headline
    # typed without apostrophes, or "not out yet": the same
    for text in ("the inspection figures we havent published yet in CareWriter, allowed?",
                 "inspection figures that arent out yet in CareWriter, allowed?"):
        said = _ask(index, text)
        assert said.data_check is not None, said.text
        assert said.data_check.data_class == "internal", text


def test_a_pasted_letter_that_identifies_someone_is_personal_data(index: PolicyIndex) -> None:
    answer = _ask(
        index,
        "make this read better: 'Dear Mrs Solberg (resident no. 4471), following your fall "
        "on 3 March we need to review your room'",
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "no-resident-data"


def test_de_identified_data_is_not_what_a_line_on_resident_data_keeps_out(
    index: PolicyIndex,
) -> None:
    """"no names, no room number": the data says it identifies no one, and the line that
    its words trigger keeps out resident information, a more sensitive class."""
    answer = _ask(
        index, "is an anonymised case study (no names, no room number) fine to put in CareWriter"
    )
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is True
    assert "no-resident-data" not in {r.id for r in answer.red_lines}


def test_an_export_of_a_system_is_its_content(index: PolicyIndex) -> None:
    """"booking system content" is internal; an export or a dump of it is the same data."""
    answer = _ask(index, "can I paste our booking system export into CareWriter?")
    assert answer.data_check is not None, answer.text
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("internal", True)


def test_the_shapes_of_data_going_into_ai() -> None:
    assert goes_into("can shopper email addresses go into an AI tool?") == (
        "shopper email addresses", "an AI tool")
    assert goes_into("the price list, can that go into CareWriter?") == (
        "the price list", "CareWriter")
    assert goes_into("what can go into CareWriter?") is None
    assert means_ai("an AI tool")
    assert means_ai("any of the tools")
    assert not means_ai("CareWriter")
    assert without_permission_tag("figures in CareWriter, allowed?") == "figures in CareWriter"
    assert without_permission_tag("figures, fine in any of the tools?") == (
        "figures in any of the tools?")


def test_a_red_line_the_data_itself_triggers_is_about_the_data(index: PolicyIndex) -> None:
    """The line forbids handling investigations with AI; the message asks whether notes
    from one may go in: a data check saying no by that line, not a refusal."""
    answer = _ask(index, "is it ok to put notes from a safeguarding investigation into CareWriter?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "no-investigations" in {r.id for r in answer.red_lines}


def test_data_put_in_with_no_tool_said_goes_to_the_only_approved_tool(
    index: PolicyIndex,
) -> None:
    answer = _ask(index, "can I paste the published inspection reports to get the key dates?")
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.tool_id, answer.data_check.allowed) == ("carewriter", True)


def test_a_line_for_unapproved_tools_is_shown_for_one() -> None:
    """A dev policy as published (Tracklements): "No company, customer or personnel data
    in AI tools that aren't company-approved" concerns data going into ChatGPT, which it
    does not approve, though no word of the line is in the question."""
    root = Path(__file__).parents[1] / "fixtures" / "heldout" / "tracklements" / "policy"
    index = build_index(1, load_policy(root), lambda: make_backend("lexical"))
    answer = advise_message(index, "is it ok to paste our new chutney recipe into ChatGPT")
    assert answer.outcome == "data_check", answer.text
    assert "no-company-data-in-unapproved-ai" in {r.id for r in answer.red_lines}


def test_a_line_on_real_client_data_is_not_shown_for_an_anonymised_scenario() -> None:
    """A dev policy as published (Crunch Accounting): "Never enter real client data into
    any AI tool; anonymise first" is what the asker already did; it neither refuses the
    scenario nor is shown with the yes."""
    root = Path(__file__).parents[1] / "fixtures" / "heldout" / "crunch-accounting" / "policy"
    index = build_index(1, load_policy(root), lambda: make_backend("lexical"))
    answer = advise_message(
        index, "is an anonymised case (no names, no IRD number) ok to paste into ChatGPT?"
    )
    assert answer.data_check is not None, answer.text
    assert answer.data_check.allowed is True
    assert "no-real-client-data" not in {r.id for r in answer.red_lines}
