"""Data named by what it is rather than by its class's own example, and data that is
only a topic: the data check, its verdict and its red lines (issue 9 §2, §5).

A made-up water utility's policy, written for these tests (no dev or test set's words).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import PolicyIndex
from bot.core.advisor import advise_message, build_index
from bot.core.concierge import Concierge, Message
from bot.core.data_topic import without_topics
from bot.core.matching.registry import make_backend
from bot.core.put_verbs import plain_put_verbs
from bot.policy.files import load_policy
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Store

POLICY = """
meta:
  organization: Lakeside Water Authority
  contact: "the service desk"
data_classes:
  - id: open
    label: Open
    description: Information already published.
    examples: [the annual report on our website, public board calendars]
  - id: internal
    label: Internal
    description: Everyday internal work material, and customer data with no names in it.
    examples: [draft memos, anonymized usage figures]
  - id: restricted
    label: Restricted
    description: >-
      Confidential material such as customer account details, staff HR files and
      security credentials.
    examples: [board filings, customer account details]
use_cases:
  - id: writing
    name: Writing help
    description: Draft, summarize and edit letters, notices and reports.
    examples: [draft a letter to customers, summarize a long report, proofread the newsletter,
               write a memo to staff, make a training deck]
tools:
  - id: waterbot
    name: WaterBot
    status: approved
    summary: The authority's own assistant.
    good_for: [writing]
    max_data_class: open
red_lines:
  - id: open-only
    title: Only open data may go into AI tools
    rule: Only open data may be entered into any AI tool.
    why: Everything else is ours to protect.
    triggers: [internal data]
  - id: no-accounts
    title: No customer account details in AI tools
    rule: Never put customer account details into an AI tool.
    why: They are our customers' private finances.
    triggers: [customer account details]
"""


@pytest.fixture(scope="module")
def policy_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lakeside") / "lakeside.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def index(policy_path: Path) -> PolicyIndex:
    return build_index(1, load_policy(policy_path), lambda: make_backend("lexical"))


def test_published_data_is_the_class_that_speaks_of_published_data(index: PolicyIndex) -> None:
    """No example names a water quality report; "published" says which class it is."""
    answer = advise_message(index, "can I paste a published water quality report into WaterBot?")
    assert answer.data_check is not None, answer.text
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("open", True)


def test_the_fullest_name_of_the_data_wins(index: PolicyIndex) -> None:
    """"public board calendars" (open) holds "board [filings]" (restricted): the calendar
    is the open class's example, not a board filing."""
    answer = advise_message(index, "can I put the public board calendar into WaterBot?")
    assert answer.data_check is not None, answer.text
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("open", True)
    # a board filing alone is still restricted
    filing = advise_message(index, "can I put the board filings into WaterBot?")
    assert filing.data_check is not None
    assert filing.data_check.data_class == "restricted"


def test_a_sensitivity_word_names_the_class_that_uses_it(index: PolicyIndex) -> None:
    """No example is vendor pricing; "confidential" is the word of the restricted class."""
    answer = advise_message(index, "can I paste our confidential vendor pricing into WaterBot?")
    assert answer.data_check is not None, answer.text
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("restricted", False)


def test_the_class_description_names_data_too(index: PolicyIndex) -> None:
    """"security credentials" is in the restricted class's description, not its examples."""
    answer = advise_message(
        index, "can I paste the security credentials for the pump station into WaterBot?"
    )
    assert answer.data_check is not None, answer.text
    assert answer.data_check.data_class == "restricted"


def test_an_only_this_class_red_line_is_shown_for_data_above_it(index: PolicyIndex) -> None:
    """"Only open data may be entered" keeps internal data out: it is shown with the "no"."""
    answer = advise_message(index, "can I upload our internal budget spreadsheet to WaterBot?")
    assert "open-only" in {r.id for r in answer.red_lines}, answer.text
    published = advise_message(index, "can I paste a published water quality report into WaterBot?")
    assert "open-only" not in {r.id for r in published.red_lines}


def test_data_into_the_ai_goes_into_the_only_approved_tool(index: PolicyIndex) -> None:
    """With one approved tool, "the AI" is that tool: a data check against its limit."""
    answer = advise_message(
        index, "can I paste our internal draft memos into the AI to tidy them up"
    )
    assert answer.outcome == "data_check", answer.text
    assert answer.data_check is not None
    assert (answer.data_check.tool_id, answer.data_check.allowed) == ("waterbot", False)


def test_a_request_refused_for_its_data_says_the_data_may_not_go_in(index: PolicyIndex) -> None:
    answer = advise_message(index, "summarize the customer account details for the late payers")
    assert answer.outcome == "blocked", answer.text
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert answer.data_check.data_class == "restricted"


def test_a_job_handed_data_no_approved_tool_may_take_is_refused(index: PolicyIndex) -> None:
    """Data the message hands over in its own words, of a class above every approved
    tool's limit, where only open data may go into any tool: refused by that line, not
    logged as demand for a tool."""
    answer = advise_message(
        index, "here's the board filings from last quarter, can AI list the deadlines in them"
    )
    assert answer.outcome == "blocked", answer.text
    assert answer.red_lines[0].id == "open-only"
    assert not answer.logged_unmet


@pytest.mark.parametrize(
    "text",
    [
        # the approved tool takes published data
        "here's the annual report on our website, can AI list the deadlines in it",
        # work on the asker's own writing is no data handed over
        "summarize the board filings process for new staff",
        # turned into another language, not handed to a tool
        "put the board filings into French",
    ],
)
def test_a_job_on_data_a_tool_may_take_is_not_refused(index: PolicyIndex, text: str) -> None:
    assert advise_message(index, text).outcome != "blocked"


@pytest.mark.parametrize(
    "text",
    [
        "I took all the names out of the complaint summaries, can WaterBot group them?",
        "can WaterBot summarize the anonymous survey comments?",
    ],
)
def test_data_said_to_identify_no_one_is_the_class_for_such_data(
    index: PolicyIndex, text: str
) -> None:
    """"names out", "anonymous": the class the policy gives data about no one (internal),
    named back as de-identified data, not as the word "anonymous"."""
    answer = advise_message(index, text)
    assert answer.data_check is not None, (answer.outcome, answer.text)
    assert answer.data_check.data_class == "internal"
    assert "anonymous counts" not in answer.text


def test_de_identified_data_with_personal_data_left_in_is_personal(index: PolicyIndex) -> None:
    answer = advise_message(
        index, "I removed the names but kept the customer account details, can WaterBot sort them?"
    )
    assert answer.data_check is not None, answer.text
    assert answer.data_check.data_class == "restricted"


@pytest.fixture(scope="module")
def two_tools(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    """The same policy with a second approved tool: "the AI" is then no one tool."""
    second = """
  - id: pipeline
    name: PipeLine Assist
    status: approved
    summary: A second assistant.
    good_for: [writing]
    max_data_class: open
red_lines:"""
    path = tmp_path_factory.mktemp("lakeside2") / "lakeside.yaml"
    path.write_text(POLICY.replace("\nred_lines:", second, 1), encoding="utf-8")
    return build_index(1, load_policy(path), lambda: make_backend("lexical"))


@pytest.mark.parametrize(
    "text",
    [
        "paste our members' account balances into the AI and spot the trends",
        "drop the med history of our callers into AI to find patterns",
    ],
)
def test_described_personal_data_into_ai_shows_its_red_line(
    two_tools: PolicyIndex, text: str
) -> None:
    """No class example names account balances or a med history: the bank of personal
    data does, the class holding personal data is restricted, and the line keeping
    customer account details out is shown, though no tool is named."""
    answer = advise_message(two_tools, text)
    assert answer.outcome != "data_check" or answer.data_check is not None
    assert "no-accounts" in {r.id for r in answer.red_lines}, (answer.outcome, answer.text)


@pytest.mark.parametrize(
    "text",
    [
        "write a memo reminding staff not to paste customer account details into WaterBot",
        "make a training deck about protecting customer account details",
        "write a memo to staff on why nobody should upload internal data to the AI",
    ],
)
def test_data_named_as_a_topic_is_no_data_check(index: PolicyIndex, text: str) -> None:
    answer = advise_message(index, text)
    assert answer.outcome == "answered", (answer.outcome, answer.text)
    assert answer.data_check is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("write an email about the customer's account details", "account details"),
        ("make slides about our Q3 revenue numbers", "Q3 revenue"),
        ("a lesson on password safety then paste the staff list into AI", "staff list"),
    ],
)
def test_writing_that_carries_the_data_keeps_it(text: str, kept: str) -> None:
    assert kept in without_topics(text)


async def test_a_described_data_check_through_the_concierge(
    store: Store, settings: Settings, policy_path: Path
) -> None:
    """The same reading on the real store: the verdict and its red line are answered, and
    the question is logged as a data check."""
    concierge = Concierge(
        store, make_matcher=matcher_factory(settings), pseudonym_key=b"test-key",
        refresh_seconds=0.0,
    )
    await concierge.start(policy_path)
    answer = await concierge.answer(
        Message(
            text="can I upload our internal budget spreadsheet to WaterBot?",
            asker="U1", platform="slack", department="Ops",
        )
    )
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "open-only" in {r.id for r in answer.red_lines}


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("stick the rota into DeepSeek", "put the rota into DeepSeek"),
        ("chucked the minutes in ChatGPT", "put the minutes in ChatGPT"),
        ("dump the whole customer list into a free AI tool",
         "put the whole customer list into a free AI tool"),
        # no object, or nothing goes anywhere: not putting data in
        ("stick to the plan", "stick to the plan"),
        ("pop into the office later", "pop into the office later"),
        ("a data dump into Excel", "a data dump into Excel"),
        ("throw away the old drafts", "throw away the old drafts"),
    ],
)
def test_colloquial_verbs_of_putting_data_in_are_read_as_put(typed: str, read: str) -> None:
    assert plain_put_verbs(typed) == read


def test_data_stuck_into_a_tool_is_checked_like_data_put_into_it(index: PolicyIndex) -> None:
    stuck = advise_message(index, "can I stick our internal draft memos into WaterBot")
    put = advise_message(index, "can I put our internal draft memos into WaterBot")
    assert stuck.outcome == put.outcome == "data_check", stuck.text
    assert stuck.data_check == put.data_check
    assert stuck.data_check is not None
    assert stuck.data_check.allowed is False
