"""Rendered answers read as natural English: checked over the corpus of real answers."""

from __future__ import annotations

import re

import pytest

from bot.core.compose import counts_as, job_phrase, job_question, short_list
from bot.core.conversation import TEAMS
from bot.core.reply import Reply
from bot.core.views.tool import tool_reply
from bot.policy import load_policy
from bot.settings import ROOT

POLICY = load_policy(ROOT / "policies")
_IDS = {t.id for t in POLICY.tools if "-" in t.id} | {u.id for u in POLICY.use_cases
                                                      if "-" in u.id}
_BAD = [
    re.compile(r"\bFor (summari[sz]e|write|translate|transcribe|debug|analy[sz]e|create|"
               r"generate|review|learn|reply|brainstorm)\b", re.I),
    re.compile(r"\b\w+s counts as\b"),
    re.compile(r"\bis (pilot|standard|under_review) here\b"),
    re.compile(r"Red line: Red line"),
    re.compile(r"\bApproved for (summari|write|translate)", re.I),
    re.compile(r"Not good for: Not\b"),
]


def visible(reply: Reply) -> list[str]:
    """Everything a person reads in the card (not button values)."""
    texts = [reply.title, reply.footer]
    for part in (*reply.sections, *reply.more):
        texts += [part.title or "", part.text, *(f"{f.label}: {f.value}" for f in part.facts)]
        texts += [a.label for a in part.actions]
    texts += [a.label for a in reply.actions]
    return [t for t in texts if t]


async def test_answers_read_as_natural_english(replies: dict[str, Reply]) -> None:
    problems = []
    for name, reply in replies.items():
        for text in [*visible(reply), reply.text]:
            text = re.sub(r"https?://\S+", "", text)  # ids may appear in links
            problems += [(name, text[:80]) for bad in _BAD if bad.search(text)]
            problems += [(name, f"raw id {i}") for i in _IDS if re.search(rf"\b{i}\b", text)]
    assert not problems, problems


async def test_status_is_shown_once_per_tool(replies: dict[str, Reply]) -> None:
    for name, reply in replies.items():
        for part in (*reply.sections, *reply.more):
            if part.badge and part.title:
                assert part.badge.text.lower() not in part.text.lower(), (name, part.title)


async def test_answers_put_red_lines_first_and_show_at_most_three_tools(
    replies: dict[str, Reply],
) -> None:
    answers = {n: r for n, r in replies.items() if n.startswith("answer:")}
    for name, reply in answers.items():
        tones = [s.tone for s in reply.sections]
        if "attention" in tones and reply.kind == "answer" and reply.tone != "warning":
            assert tones[0] == "attention", name  # the red line comes before any tool
        assert sum(1 for s in reply.sections if s.badge) <= 3, name
        ids = [a.id for a in reply.actions]
        assert ids.count("ask_it") == (1 if "feedback" in ids else ids.count("ask_it")), name
    data = answers["answer: can I paste customer emails into grammarly"]
    assert data.title.startswith("No: customer emails count as Confidential data")
    assert data.sections[0].title
    assert data.sections[0].title.startswith("Red line")


async def test_an_unmet_answer_says_what_was_logged_and_offers_votes(
    replies: dict[str, Reply],
) -> None:
    reply = replies["answer: fly a drone over the warehouse"]
    assert "logged" in reply.sections[0].text
    assert not any(s.badge for s in reply.sections)  # no unrelated tools in the answer
    ids = [a.id for a in reply.actions]
    assert "vote" in ids
    assert "ask_it" in ids
    assert "feedback" in ids


async def test_help_shows_example_questions_and_surface_commands(
    replies: dict[str, Reply],
) -> None:
    slack = replies["help (slack)"]
    teams = replies["help (teams)"]
    assert any(s.title == "Try asking" and "“What can I use to" in s.text for s in slack.sections)
    assert "/aitools list" in " ".join(visible(slack))
    assert "/aitools" not in " ".join(visible(teams))


@pytest.mark.parametrize(("name", "phrase"), [
    ("Summarise long documents and PDFs", "to summarise long documents and PDFs"),
    ("Meeting notes, recaps and action items", "for meeting notes, recaps and action items"),
    ("Proofread, spelling and grammar", "to proofread, spelling and grammar"),
    ("SQL and data queries", "for SQL and data queries"),
])
def test_job_phrase_reads_as_english(name: str, phrase: str) -> None:
    assert job_phrase(name) == phrase
    assert job_question(name) == f"What can I use {phrase}?"


@pytest.mark.parametrize(("data", "expected"), [
    ("customer emails", "customer emails count as"),
    ("source code", "source code counts as"),
    ("patient data", "patient data counts as"),
    ("the analysis", "the analysis counts as"),
    ("salaries", "salaries count as"),
])
def test_counts_as_agrees_with_the_data(data: str, expected: str) -> None:
    assert counts_as(data) == expected


async def test_red_line_rules_are_never_cut(replies: dict[str, Reply]) -> None:
    rules = {r.rule for r in POLICY.red_lines}
    for name, reply in replies.items():
        for part in (*reply.sections, *reply.more):
            if part.title and part.title.startswith("Red line: "):
                assert part.text.split("\nWhy: ")[0] in rules, name


async def test_lists_never_join_sentences_with_semicolons(replies: dict[str, Reply]) -> None:
    for name, reply in replies.items():
        assert not any(".;" in text for text in visible(reply)), name


async def test_prohibited_tools_in_the_list_say_why_uncut(replies: dict[str, Reply]) -> None:
    catalogue = replies["catalogue"]
    prohibited = next(s for s in catalogue.sections if s.badge and s.badge.text == "Prohibited")
    why = next(s for s in catalogue.more if s.title == "Why these are prohibited")
    names = prohibited.text.split(", ")
    assert [line.split(": ")[0] for line in why.text.splitlines()] == names
    assert not any(line.endswith("…") for line in why.text.splitlines())


def test_long_lists_in_answers_stay_one_line() -> None:
    assert short_list(["A", "B", "C", "D"]) == "A, B, C, D"
    assert short_list(["A", "B", "C", "D", "E", "F"]) == "A, B, C and 3 more"


async def test_a_tool_answer_names_a_few_jobs_not_all(replies: dict[str, Reply]) -> None:
    reply = replies["answer: is ChatGPT Enterprise approved"]
    good_for = next(line for s in reply.sections for line in s.text.splitlines()
                    if line.startswith("Good for:"))
    assert good_for.endswith("more.")


async def test_small_talk_and_help_answers_show_their_text_and_nothing_to_rate(
    replies: dict[str, Reply],
) -> None:
    hello = replies["answer: hello"]
    assert hello.sections
    assert "Is a tool approved?" in hello.sections[0].text
    assert {a.command for a in hello.actions} == {"list", "redlines"}
    foreign = replies["answer: ¿puedo usar chatgpt para traducir?"]
    assert [a.id for a in foreign.actions] == ["ask_it"]


async def test_phone_sized_views_fold_the_long_parts(replies: dict[str, Reply]) -> None:
    """redlines: titles on the card, every rule and why behind "More options"; the tool
    card names four jobs and counts the rest."""
    red = replies["red lines"]
    assert [s.title for s in red.sections] == [r.title for r in POLICY.red_lines]
    assert not any(s.text for s in red.sections)
    assert all(f"{r.rule}\nWhy: {r.why}" in {s.text for s in red.more} for r in POLICY.red_lines)
    copilot = next(t for t in POLICY.tools if len(t.good_for) > 4)
    card = tool_reply(POLICY, copilot, TEAMS)
    [good_for] = [f.value for f in card.sections[0].facts if f.label == "Good for"]
    assert good_for.endswith(f", and {len(copilot.good_for) - 4} more")
    assert card.more[0].title == "Good for"
    jobs = [u.name for u in POLICY.use_cases if u.id in copilot.good_for]
    assert all(job in card.more[0].text for job in jobs)
