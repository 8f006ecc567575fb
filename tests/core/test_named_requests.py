"""A tool the policy names, told to do work a red line forbids, is refused with the line
(issue 9 §5); a question about the tool or its data keeps its status or data check (§2).

The learned block decision gives such a request's line a chance between one half and the
shipped cut-off more often than a question's: the request needs only the likelier reading
(`named_requests.REQUEST_CUTOFF`). On dev held-out policies: Crunch Accounting keeps real
client data out of its spreadsheet AI, Idaho ITS keeps data from systems it has not
approved out of AI, Walmart keeps sensitive data out of ChatGPT.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.advice import block_decision
from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advice.named_requests import REQUEST_CUTOFF, block_cutoff
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.reading import Ask, Reading
from bot.policy.files import load_policy
from bot.policy.models import Status, Tool

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"
TOOL = Tool(id="copilot", name="Copilot", status=Status.APPROVED, summary="Chat assistant.")


def _reading(ask: Ask) -> Reading:
    return Reading(ask=ask, tool_ids=("copilot",), unknown_tool=None, data_class=None,
                   data_phrase=None, red_lines=())


def test_a_named_tool_told_to_do_the_work_needs_the_likelier_reading() -> None:
    text = "copy the case file into Copilot and draft the referral"
    assert block_cutoff(0.8, text, _reading(Ask.DATA_CHECK), [TOOL]) == REQUEST_CUTOFF
    assert block_cutoff(0.8, "use Copilot to rank the applicants", _reading(Ask.TOOL_STATUS),
                        [TOOL]) == REQUEST_CUTOFF


def test_questions_and_unnamed_tools_keep_the_shipped_cutoff() -> None:
    question = "is it ok to copy the case file into Copilot?"
    assert block_cutoff(0.8, question, _reading(Ask.DATA_CHECK), [TOOL]) == 0.8
    request = "copy the case file into the AI and draft the referral"
    assert block_cutoff(0.8, request, _reading(Ask.DATA_CHECK), []) == 0.8
    assert block_cutoff(0.8, request, _reading(Ask.USE_CASE), [TOOL]) == 0.8
    # never above a lower shipped cut-off
    assert block_cutoff(0.4, request, _reading(Ask.DATA_CHECK), [TOOL]) == 0.4


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("hybrid"))


def _chance(index: PolicyIndex, message: str, line: str) -> float:
    """The learned decision's chance that `line` forbids the message (shipped weights)."""
    model = block_decision.shipped_model()
    assert model is not None
    record: list[tuple[str, tuple[str, ...], np.ndarray]] = []
    with block_decision.using(model, record):
        advise_message(index, message)
    return max(float(p) for _text, ids, features in record if len(ids)
               for p, i in zip(model.probability(features), ids, strict=True) if i == line)


@pytest.mark.semantic
@pytest.mark.parametrize(("policy", "message", "line"), [
    ("crunch-accounting",
     "build the cash flow forecast in Shortcut using Harbour Bakery's actual bank data",
     "no-real-client-data"),
    ("idaho-its",
     "the contractor's own cloud app isn't one of ours but it has the inspection data, "
     "just copy it into Copilot and analyze it",
     "no-unauthorized-system-data"),
])
def test_a_forbidden_request_of_a_named_tool_is_blocked(
        policy: str, message: str, line: str) -> None:
    index = _index(policy)
    assert _chance(index, message, line) >= REQUEST_CUTOFF
    answer = advise_message(index, message)
    assert answer.outcome == "blocked"
    assert line in [note.id for note in answer.red_lines]


@pytest.mark.semantic
def test_the_request_cutoff_blocks_what_the_shipped_cutoff_alone_would_answer() -> None:
    """A tool asked to do the forbidden act needs less evidence than a mention does."""
    index = _index("crunch-accounting")
    message = "build the cash flow forecast in Shortcut using Harbour Bakery's actual bank data"
    model = block_decision.shipped_model()
    assert model is not None
    assert REQUEST_CUTOFF <= _chance(index, message, "no-real-client-data") < model.cutoff
    assert advise_message(index, message).outcome == "blocked"


@pytest.mark.semantic
def test_a_question_about_a_named_tool_keeps_its_status() -> None:
    """Which account or device the tool is used on asks no act of it: the request is not
    weighed by the decision at all (it once was, at a chance above the request cut-off),
    and the answer is the tool's status."""
    index = _index("walmart")
    message = "my ChatGPT Plus account on my personal phone, ok for work stuff?"
    model = block_decision.shipped_model()
    assert model is not None
    record: list[tuple[str, tuple[str, ...], np.ndarray]] = []
    with block_decision.using(model, record):
        answer = advise_message(index, message)
    assert not [ids for _text, ids, _features in record if ids]
    assert answer.outcome == "tool_status"
