"""Red lines for the situation a message describes, shown whatever the answer (issue 9 §5:
the right red line with every answer, blocked or not).

"send the AI reply to the buyer without reading it" asks for a job the policy allows; its
red line "Always check AI-generated content before using it" concerns it all the same, as
"Decisions about patients stay with people" concerns "let the AI decide who gets the
next slot". Harbor Dental is a small policy written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.core.situation_cues import fabricates, not_public, personal_device, treats_unequally
from bot.core.situation_lines import SituationLines, ai_decides, hides_ai, skips_checking
from bot.policy import Policy


def _line(line_id: str, title: str, rule: str, triggers: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
            "triggers": triggers, **extra}


# Worded as a real policy words it (a dev set's): no trigger of it is in the messages below.
CHECK = _line("check-output", "Always check AI-generated content before using it",
              "Always check AI-generated content before using it.",
              ["without checking", "unchecked"])
OVERSIGHT = _line("oversight", "AI is always used under human supervision",
                  "Staff supervise every use of AI.", ["unsupervised"])
DECISIONS = _line("people-decide", "Decisions about patients stay with people",
                  "Staff make every decision about a patient's care.", ["decide treatment"])
CODE = _line("no-code", "No new code from AI tools",
             "Do not use these tools to create new code.", ["write code"])
DISCLOSE = _line("say-ai", "Disclose AI-generated content in letters to patients",
                 "Say when AI helped write a letter.", ["ai disclosure"])
CONDUCT = _line("conduct", "AI use follows our code of conduct",
                "Everything you do with AI follows the code of conduct.", ["conduct"])
DATA = _line("no-patient-data", "No patient data in any AI tool",
             "Patient records never go into an AI tool.", ["patient records"])


def _policy(*lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": {"organization": "Harbor Dental", "contact": "the practice manager"},
        "use_cases": [
            {"id": "write", "name": "Draft emails and letters",
             "description": "Write emails and letters.",
             "examples": ["draft an email to a supplier", "write a letter to a patient",
                          "polish this email"]},
            {"id": "posts", "name": "Write social media posts",
             "description": "Posts for the practice's pages.",
             "examples": ["write a facebook post about our new opening hours",
                          "a post announcing the new hygienist", "instagram caption"]},
        ],
        "tools": [
            {"id": "copilot", "name": "Microsoft Copilot", "aliases": ["Copilot"],
             "status": "approved", "summary": "The practice's assistant.",
             "good_for": ["write", "posts"]},
        ],
        "red_lines": list(lines),
    }


@pytest.fixture(scope="module")
def harbor() -> PolicyIndex:
    policy = Policy.model_validate(_policy(DATA, CHECK, DECISIONS, CODE, DISCLOSE))
    return build_index(1, policy, lambda: make_backend("lexical"))


def _ids(index: PolicyIndex, text: str) -> tuple[str, list[str]]:
    answer = advise_message(index, text)
    return answer.outcome, [r.id for r in answer.red_lines]


@pytest.mark.parametrize("text", [
    "write a letter to our suppliers about the new prices and send it without anyone "
    "reading it",
    "draft an email to a supplier, I'll send it straight out, no time to check it",
    "write a facebook post about our opening hours and we'll post it as is",
    "is Copilot ok for instagram captions? I'll just post whatever Copilot writes",
    "have Copilot write the recall letters and email them out automatically",
])
def test_output_going_out_unchecked_shows_the_check_line(
    harbor: PolicyIndex, text: str
) -> None:
    outcome, lines = _ids(harbor, text)
    assert outcome != "blocked"
    assert lines == ["check-output"]


@pytest.mark.parametrize("text", [
    "write a letter to a patient about the new prices",
    "can you check this letter before I send it",
    "I read every line of the draft already, now tidy the email",
])
def test_a_checked_or_ordinary_job_shows_no_line(harbor: PolicyIndex, text: str) -> None:
    assert _ids(harbor, text)[1] == []


def test_the_line_sits_with_the_red_lines_in_the_text(harbor: PolicyIndex) -> None:
    answer = advise_message(
        harbor, "draft an email to a supplier and send it without reading it")
    lines = answer.text.split("\n")
    at = next(i for i, line in enumerate(lines) if "Always check AI-generated" in line)
    assert lines[at].startswith("⚠ Red line: Always check AI-generated content before using")
    assert not any(line.startswith("• ") for line in lines[at:])  # after the tools


def test_which_lines_each_situation_has() -> None:
    def read(*lines: dict[str, Any]) -> SituationLines:
        return SituationLines.read(Policy.model_validate(_policy(*lines)))

    # the check and the decisions, when the policy has them; else human oversight
    assert read(DATA, CHECK, OVERSIGHT, DECISIONS, CODE) == SituationLines(
        ("check-output",), ("people-decide",), ("no-code",))
    assert read(DATA, OVERSIGHT, CONDUCT) == SituationLines(("oversight",), ("oversight",))
    assert read(DATA) == SituationLines()


# A check asked for in other words, or only in a later sentence of the rule.
ASSESS = _line("assess-answers", "Critically assess every answer for errors",
               "Staff assess each answer the assistant gives.", ["errors"])
LATER = _line("judgment", "AI does not replace professional judgment",
              "AI may help with first drafts. Always evaluate AI-generated content before "
              "relying on it.", ["judgment"])
UNCHANGED = _line("no-pasting-output", "Never copy-paste AI output into official letters",
                  "Do not replicate the output of an AI tool in official letters.", ["official"])


def test_lines_asking_for_a_check_in_other_words() -> None:
    def review(*lines: dict[str, Any]) -> tuple[str, ...]:
        return SituationLines.read(Policy.model_validate(_policy(*lines))).review

    assert review(DATA, ASSESS) == ("assess-answers",)
    # output used unchanged is output used unchecked
    assert review(DATA, UNCHANGED) == ("no-pasting-output",)
    # read in the whole rule only when no title or first sentence asks for a check
    assert review(DATA, LATER) == ("judgment",)
    assert review(DATA, LATER, CHECK) == ("check-output",)
    assert review(DATA, OVERSIGHT, LATER) == ("judgment",)


def test_a_check_asked_for_in_a_later_sentence_goes_with_unchecked_output() -> None:
    policy = Policy.model_validate(_policy(DATA, LATER))
    index = build_index(1, policy, lambda: make_backend("lexical"))
    lines = _ids(index, "draft an email to a supplier and send it without reading it")[1]
    assert lines == ["judgment"]


@pytest.mark.parametrize("text", [
    "can Copilot write me a SQL query to pull the weekly bookings",
    "my regex for the patient numbers isn't matching, can the bot fix it",
    "need a quick python script to rename the x-ray files",
])
def test_code_asked_for_shows_the_code_line(harbor: PolicyIndex, text: str) -> None:
    assert "no-code" in _ids(harbor, text)[1]


@pytest.mark.parametrize("text", [
    "write the newsletter about our new hygienist so nobody can tell AI was involved",
    "draft the letter to our suppliers and put it out under the practice manager's name",
    "write our facebook post about the opening hours as if Priya wrote it",
])
def test_hidden_ai_use_shows_the_disclosure_line(harbor: PolicyIndex, text: str) -> None:
    assert "say-ai" in _ids(harbor, text)[1]


def test_a_job_without_code_shows_no_code_line(harbor: PolicyIndex) -> None:
    lines = _ids(harbor, "write a facebook post telling patients how we use AI")[1]
    assert "no-code" not in lines
    assert "say-ai" not in lines


@pytest.mark.parametrize("text", [
    "let the AI decide who gets the last appointment slot on Friday",
    "have Copilot pick which of the three applicants we hire as receptionist",
    "draft the recall letters and automatically reject the late cancellations",
])
def test_ai_making_a_decision_shows_the_decisions_line(harbor: PolicyIndex, text: str) -> None:
    assert "people-decide" in _ids(harbor, text)[1]


@pytest.mark.parametrize(("text", "decides"), [
    ("let the bot choose which children get sponsored first", True),
    ("can the AI make the final call on the refund", True),
    ("turn down the weak applications automatically", True),
    ("have Sarah pick the venue", False),  # a person, not a tool
    ("let me decide after I read the summary", False),
    ("help me decide between two dates for the party", False),
    ("have the bot close accounts that miss two payments, no human in the loop", True),
    ("set it to suspend flagged users on its own, nobody in the loop", True),
    ("draft the replies but keep a human in the loop", False),
    # a decision's inflections: "denied", "the denial letters", "approval"
    ("have the bot send the denial letters on its own", True),
    ("grant approval automatically for small refunds", True),
    # telling others whether they pass, or its recommendation taken as final
    ("get the bot to tell candidates on the phone whether they passed the screening", True),
    ("can copilot tell me whether the kid meets criteria", True),
    ("go with whatever salary the AI recommends as the final offer", True),
    ("can the AI tell me if I qualify for parental leave", False),
    ("tell the team whether they passed the audit", False),
])
def test_what_asks_ai_to_decide(text: str, decides: bool) -> None:
    assert ai_decides(text, lambda word: word.lower() == "copilot") is decides


@pytest.mark.parametrize(("text", "skips"), [
    ("nobody needs to read it first", True),
    ("publish it exactly as it comes out", True),
    ("I'll take the answer as final", True),
    ("don't bother reviewing it", True),
    ("no time to proofread it, it goes to the printers tonight", True),
    # no time to read something is a need for its gist, not a check skipped
    ("I've got a 60-page tender pack here and no time to read it", False),
    ("haven't had time to look through the minutes yet", False),
    ("let the bot send the replies itself, we don't have time to read them", True),
    ("check it before it goes out", False),
    ("send it to the team once Sam has read it", False),
    ("can I upload the rota to Copilot", False),
    # sent with no person in between: automatically, on its own, or by the AI itself
    ("set up my dictated emails so they send automatically once the AI has written them",
     True),
    ("can it just send the denial letters out on its own?", True),
    ("let the AI write and send them", True),
    ("have Copilot write the answer and send it as our advice", True),
    ("have Copilot draft the email and I'll send it after checking", False),
    ("automatically schedule and post our social content for the month", False),
    # used word for word, or never seen by the person who would check it
    ("have it generate the IT security policy and we'll adopt it word for word", True),
    ("I'll paste them into the consultation unchanged", True),
    ("transcribe the recording of the public hearing word for word", False),
    ("he won't see it before it goes", True),
    ("I'm uploading the video tonight before Stanley gets a chance to look", True),
    ("we don't need engineers signing off anymore", True),
    ("I'll rework it and fact check it before it goes anywhere", False),
])
def test_what_says_the_check_will_not_happen(text: str, skips: bool) -> None:
    assert skips_checking(text, lambda word: word.lower() == "copilot") is skips


@pytest.mark.parametrize(("text", "hides"), [
    ("write it so nobody can tell AI was involved", True),
    ("draft the thank-you note as if Priya wrote it", True),
    ("don't mention that the bot drafted it", True),
    ("add a line saying AI helped write this", False),
    ("write a post telling patients how we use AI", False),
])
def test_what_hides_ai_use(text: str, hides: bool) -> None:
    assert hides_ai(text) is hides


PUBLIC_ONLY = _line("public-only", "Only public data may be entered into any AI tool",
                    "Only public data may be entered into any AI tool.", ["non-public"])
APPROVAL = _line("needs-approval", "Every AI system needs IT approval",
                 "Even a chatbot using only public data needs IT approval.", ["ai system"])
NO_FAKES = _line("no-fakes", "No fake reviews or misleading content",
                 "Do not use AI to create fake reviews or misleading content.", ["fake review"])
AVOID = _line("avoid-misinformation", "A person reviews all outputs",
              "All outputs are reviewed to avoid misinformation.", ["unreviewed"])


def test_lines_keeping_ai_to_public_material_or_forbidding_fakes() -> None:
    lines = SituationLines.read(Policy.model_validate(
        _policy(DATA, PUBLIC_ONLY, APPROVAL, NO_FAKES, AVOID)))
    # "using only public data needs approval" is about approval
    assert lines.public == ("public-only",)
    # forbidding, not a check that avoids misinformation
    assert lines.fakes == ("no-fakes",)


@pytest.mark.parametrize(("text", "said"), [
    ("our board paper on the settlement isn't published yet, can the AI summarise it", True),
    ("summarize this registered entity's self-report before it gets posted", True),
    ("clean up the minutes from the board's closed session", True),
    ("summarise the internal audit findings on our IT controls", True),
    ("the mandate isn't out yet, can Copilot compare it with our proposal", True),
    ("the briefing is marked OFFICIAL-SENSITIVE, can the AI pull out the main risks", True),
    ("what holes can the AI poke in our launch plan before we pitch it to leadership", True),
    ("proofread my email to the client before I send it", False),
    ("write a post marked as sponsored content", False),
    # a thing to be made, not material that exists
    ("brainstorm ideas for an internal workshop on data literacy", False),
    ("write an internal how-to note on expense claims", False),
    ("summarise the published annual report", False),
])
def test_what_says_material_is_not_public(text: str, said: bool) -> None:
    assert not_public(text) is said


@pytest.mark.parametrize(("text", "made_up"), [
    ("make up a few glowing resident quotes for the survey report", True),
    ("write five reviews from happy customers, we'll put made-up first names on them", True),
    ("add a fake 24h deadline to the renewal letter so they sign faster", True),
    ("make a video of a 'customer' and post it as if she's real", True),
    # a fake as a topic or refused, an example, or "make up" as "put together"
    ("a blog post on why we never use fake testimonials", False),
    ("ideas for a workshop on spotting fake news", False),
    ("build a forecast model with made-up numbers for a training session", False),
    ("can you make up a rota for the weekend", False),
])
def test_what_asks_ai_to_make_something_up(text: str, made_up: bool) -> None:
    assert fabricates(text) is made_up


CONFIDENTIAL = _line("no-confidential", "No sensitive, confidential or proprietary information",
                     "Avoid inputting confidential information.", ["trade secret"])


def test_with_no_public_only_line_material_not_public_goes_with_the_confidential_one() -> None:
    lines = SituationLines.read(Policy.model_validate(_policy(DATA, CONFIDENTIAL)))
    assert lines.public == ("no-confidential",)
    lines = SituationLines.read(Policy.model_validate(_policy(DATA, PUBLIC_ONLY, CONFIDENTIAL)))
    assert lines.public == ("public-only",)


def test_material_not_public_and_a_fabrication_show_their_lines() -> None:
    policy = Policy.model_validate(_policy(DATA, PUBLIC_ONLY, NO_FAKES))
    index = build_index(1, policy, lambda: make_backend("lexical"))
    assert "public-only" in _ids(
        index, "tidy up the letter to our suppliers, it isn't published yet")[1]
    assert "no-fakes" in _ids(index, "write a facebook post with a few made-up patient quotes")[1]
    assert _ids(index, "write a facebook post about our new opening hours")[1] == []


NO_BIAS = _line("no-discrimination", "No discrimination by nationality, age or gender",
                "AI is never used to treat people differently by a protected trait.",
                ["discriminate"])
BIAS_CHECK = _line("check-bias", "Check outputs for bias before using them",
                   "Review AI outputs for bias.", ["biased output"])
DEVICES = _line("practice-devices", "AI only on practice laptops and phones",
                "Use AI tools only on devices the practice issues.", ["home computer"])


def test_lines_against_bias_and_about_devices() -> None:
    lines = SituationLines.read(Policy.model_validate(
        _policy(DATA, NO_BIAS, BIAS_CHECK, DEVICES)))
    assert lines.bias == ("no-discrimination",)  # not the check for bias
    assert lines.devices == ("practice-devices",)


@pytest.mark.parametrize(("text", "unequal"), [
    ("set the pricing so guests booking from certain countries pay more", True),
    ("build a lookalike audience for the ad that leaves out anyone over 55", True),
    ("word the volunteer advert so older people don't bother applying", True),
    ("filter out job applicants by nationality", True),
    ("translate the welcome letter for guests from other countries", False),
    ("write a birthday card for the older residents", False),
    ("filter the spreadsheet by date", False),
])
def test_what_treats_people_unequally(text: str, unequal: bool) -> None:
    assert treats_unequally(text) is unequal


@pytest.mark.parametrize(("text", "own"), [
    ("I'll use Copilot on my own laptop at home tonight", True),
    ("I'll do the drafting at home on my kids' laptop with ChatGPT", True),
    ("the chatgpt app on my own iphone for work stuff, fine?", True),
    ("draft an email in Copilot on my work laptop", False),
    ("using copilot in the browser on my state laptop", False),
    ("tell the team their personal phones are not for work AI", False),
])
def test_what_uses_a_personal_device(text: str, own: bool) -> None:
    assert personal_device(text) is own


def test_unequal_treatment_and_a_personal_device_show_their_lines() -> None:
    policy = Policy.model_validate(_policy(DATA, NO_BIAS, DEVICES))
    index = build_index(1, policy, lambda: make_backend("lexical"))
    assert "no-discrimination" in _ids(
        index, "write the job ad so it leaves out anyone over 55")[1]
    assert "practice-devices" in _ids(
        index, "I'll write the supplier letter with Copilot on my own laptop at home")[1]
    assert _ids(index, "write the supplier letter with Copilot on my work laptop")[1] == []
