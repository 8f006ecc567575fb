"""Mentions of a red line's trigger that do not count (issue 9 §5): the data said to be
absent in any word order, a list under one negation, data removed beforehand, a mention
that is what a message counters or explains, and an act asked about after the fact.

Read with real policies transcribed as written (dev sets under tests/fixtures/heldout):
Loudoun County schools' Red data bullets, Lexington's, San Francisco's and North
Carolina's rules.
Each case has a twin that must still trigger, so nothing here passes by never firing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.lexicon import PolicyLexicon
from bot.core.pasted import describe_placeholders
from bot.policy.files import load_policy

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


@pytest.fixture(scope="module")
def lexicons() -> dict[str, PolicyLexicon]:
    return {name: PolicyLexicon(load_policy(HELDOUT / name / "policy"))
            for name in ("loudon-schools", "lfucg", "sf-city", "nc-dit")}


def _fires(lexicons: dict[str, PolicyLexicon], policy: str, text: str, line: str) -> bool:
    return line in lexicons[policy].red_lines_in(describe_placeholders(text, names=True))


@pytest.mark.parametrize(("policy", "line", "absent", "present"), [
    # said absent after the data, in any order
    ("loudon-schools", "red-student-records", "the grades are not in it, just the rubric",
     "the grades are in it, summarize them"),
    ("loudon-schools", "red-student-pii", "student names aren't included, tidy the flyer",
     "student names are included, tidy the flyer"),
    # "not about X"
    ("loudon-schools", "red-student-records", "this isn't about grades, i need a trip flyer",
     "this is about grades, i need a summary"),
    # a list under one negation
    ("loudon-schools", "red-student-records",
     "there are no grades or test scores in this, just the syllabus",
     "there are grades and test scores in this, plus the syllabus"),
    # removed beforehand
    ("loudon-schools", "red-student-pii", "I took out all student names before pasting",
     "I put in all student names before pasting"),
    ("lfucg", "sensitive-data", "I removed the customer data, now chart the survey",
     "I have the customer data, now chart the survey"),
    # what the message counters or explains
    ("lfucg", "impersonation", "draft a memo warning staff about scams that impersonate the mayor",
     "draft a memo that will impersonate the mayor"),
    ("lfucg", "misleading-outputs", "write a post debunking misleading claims about the bond vote",
     "write a post with misleading claims about the bond vote"),
    ("loudon-schools", "red-staff-hr", "a slide explaining why payroll data must stay out of AI",
     "a slide explaining why payroll went up this year"),
    # what a training, article or session is about
    ("lfucg", "sensitive-data", "invite staff to the customer data training on friday",
     "invite staff to review the customer data on friday"),
    ("loudon-schools", "red-staff-hr", "ideas for a lunch-and-learn on reading payroll reports",
     "ideas for reading payroll reports"),
    # a team named for what it does ("the compliance team") is no request for it
    ("lfucg", "sensitive-data", "draft a welcome email to the new customer data team",
     "draft a welcome email with the new customer data"),
    # "nothing" before the act
    ("nc-dit", "no-downloads", "copilot on my laptop, nothing installed, can it fix my typos",
     "copilot on my laptop, I installed it, can it fix my typos"),
    # a rule stated, in any order of its words
    ("lfucg", "impersonation", "a briefing on why we never use AI to impersonate residents",
     "a briefing: can we use AI to impersonate residents"),
    ("loudon-schools", "red-student-pii", "remind staff not to paste student names into chatbots",
     "remind me to paste student names into the chatbot"),
    ("loudon-schools", "red-student-pii", "teachers must not upload student photos anywhere",
     "teachers must upload student photos to the portal"),
    # the people do it themselves
    ("lfucg", "autonomous-actions", "list the options so they can make decisions",
     "list the options so the AI can make decisions"),
    ("sf-city", "human-decisions", "compare the three bids, I will decide myself",
     "compare the three bids and decide"),
    # the people who do the act are no request for it
    ("lfucg", "autonomous-actions", "list the decision-makers on the zoning board",
     "describe the decision-making on the zoning board by AI"),
    # an act reported, not asked for
    ("sf-city", "human-decisions", "what did the council decide last week, summarize it",
     "let AI decide which applicants get the grant"),
    ("sf-city", "human-decisions", "recap what the board decided at the meeting",
     "which of these applicants should be denied"),
])
def test_a_mention_that_does_not_ask_for_it_does_not_trigger(
    lexicons: dict[str, PolicyLexicon], policy: str, line: str, absent: str, present: str,
) -> None:
    assert not _fires(lexicons, policy, absent, line), absent
    assert _fires(lexicons, policy, present, line), present
