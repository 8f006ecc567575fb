"""Red lines that forbid acts, paraphrases of common red lines, and mentions that are
only a topic (issue 9 §5).

AMAPCEO's GenAI usage policy (tests/fixtures/heldout/amapceo, a dev set) forbids acts
("No GenAI for recording meetings", "... for communicating about sensitive matters such
as grievances") more than data; Loudon County Schools (a dev set) forbids data. People
ask in their own words, and name the same words when they only teach or warn about them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.lexicon import spell_out
from bot.core.matching.registry import make_backend
from bot.core.redline_matcher import RedLineMatcher
from bot.core.redline_themes import derive_triggers, names_an_act, puts_data_in
from bot.core.redlines import RedLineReader
from bot.policy import Policy
from bot.policy.files import load_policy
from bot.policy.models import RedLine

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"


def _index(name: str) -> PolicyIndex:
    return build_index(1, load_policy(HELDOUT / name / "policy"), lambda: make_backend("lexical"))


@pytest.fixture(scope="module")
def union() -> PolicyIndex:
    return _index("amapceo")


@pytest.fixture(scope="module")
def schools() -> PolicyIndex:
    return _index("loudon-schools")


def _ids(answer: object) -> set[str]:
    return {r.id for r in answer.red_lines}  # type: ignore[attr-defined]


def _line(title: str, rule: str = "Rule.") -> RedLine:
    return RedLine(id="x", title=title, rule=rule, why="Why.", triggers=["x"])


@pytest.mark.parametrize(
    ("title", "act"),
    [
        ("No GenAI for recording AMAPCEO meetings or conversations", True),
        ("No GenAI for communicating about sensitive matters", True),
        ("Do not sign contracts or accept AI terms yourself", True),
        ("No harassing, defaming or harming others", True),
        ("Never paste passwords, keys or other secrets", False),
        ("Never put API keys or credentials in prompts", False),
        ("No GenAI for inputting member data", False),
        ("No marketing materials in public tools", False),
        ("Student PII is Red data", False),
    ],
)
def test_a_title_that_forbids_doing_something_names_an_act(title: str, act: bool) -> None:
    assert names_an_act(_line(title)) is act


def test_an_act_red_line_blocks_on_its_own_trigger_whatever_data_its_rule_names(
    union: PolicyIndex,
) -> None:
    """"Communicating about sensitive matters, such as grievances": the rule says
    "sensitive", the name of a data class, but the red line forbids an act; writing up a
    grievance is that act, not a mention of data."""
    assert "no-sensitive-matters" not in union.lexicon.red_line_matcher.data_lines
    text = "help me write up a grievance for a member who was denied overtime"
    answer = advise_message(union, text)
    assert answer.outcome == "blocked", answer.text
    assert "no-sensitive-matters" in _ids(answer)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("want the AI to take notes during the local executive call", "no-recording-meetings"),
        ("transcribe the audio from yesterday's bargaining team huddle", "no-recording-meetings"),
        ("polish our official statement to the employer so it's ready to send out",
         "no-final-documents"),
        ("make the finished copy of the AGM resolution that goes on the website",
         "no-final-documents"),
        ("use AI to scrape the ministry intranet, we don't have a login for it",
         "no-unauthorized-access"),
        ("make up some quotes from members saying they support the deal", "no-false-content"),
        ("design a logo for our local with AI", "no-copyright-violation"),
        ("make some AI artwork for the bargaining t-shirts", "no-copyright-violation"),
    ],
)
def test_common_red_lines_in_the_words_people_use(union: PolicyIndex, text: str, line: str) -> None:
    """Recording meetings, final versions, unauthorized access, false content and image
    generation are themes of their own (bot/core/data/redline_themes.yaml): the policy's
    triggers ("minute-taking", "final version", "unauthorized systems", "images") are
    not what people write."""
    assert line not in union.lexicon.red_line_matcher.own.triggered(text)
    answer = advise_message(union, text)
    assert answer.outcome == "blocked", answer.text
    assert line in _ids(answer)


def test_a_theme_is_found_with_words_between_its_words(union: PolicyIndex) -> None:
    """The title says "recording any AMAPCEO meetings", the theme "recording meetings";
    a theme phrase read in its order lets a few words in ("minutes of the board meeting")."""
    themes = derive_triggers(union.policy, spell_out).themes
    assert themes["no-recording-meetings"] == ["meeting-recording"]
    reader = union.lexicon.red_line_matcher
    assert reader.triggered("mintues of the board meeting, can AI do them?", literal=True)[:1] == [
        "no-recording-meetings"
    ]
    # IT's own triggers stay as written: words between them in order are not enough
    own = RedLineMatcher([("x", ["student names"])])
    assert own.triggered("a student's IEP with his name") == []


def test_images_of_real_people_are_not_every_image(sample_policy: Policy) -> None:
    """"No AI images, video or voices of real people" is about impersonation: a logo for
    the team is no deepfake."""
    themes = derive_triggers(sample_policy, spell_out).themes
    assert "image-generation" not in themes["no-deepfakes"]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("write a short explainer for new members on what a grievance is",
         "no-sensitive-matters"),
        ("write a tip sheet on respecting copyright when we share articles",
         "no-copyright-violation"),
        ("draft a poster reminding stewards never to put member info into AI tools",
         "no-member-information"),
        ("brainstorm agenda topics for next month's meeting (not recording it, just ideas)",
         "no-recording-meetings"),
        # guidelines on the act state a rule about it
        ("summarise the guidelines on recording meetings", "no-recording-meetings"),
    ],
)
def test_a_topic_or_a_negated_act_is_no_request(union: PolicyIndex, text: str, line: str) -> None:
    answer = advise_message(union, text)
    assert line not in _ids(answer)
    assert answer.outcome != "blocked"


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a lesson on password safety for 4th graders", "red-security"),
        ("explain what a network diagram is for my intro to computer science students",
         "red-security"),
        ("write a rubric for a 5th grade persuasive essay", "red-student-records"),
        ("draft a staff email announcing the payroll calendar for next year", "red-staff-hr"),
    ],
)
def test_data_named_only_as_a_topic_is_not_shown(
    schools: PolicyIndex, text: str, line: str
) -> None:
    assert line not in _ids(advise_message(schools, text))


def test_the_same_data_put_in_is_still_a_red_line(schools: PolicyIndex) -> None:
    reader = schools.lexicon.red_line_matcher
    assert "red-security" in reader.triggered("here's the wifi admin password, write the steps")
    assert "red-student-records" in reader.triggered("change the grades of my 5th period class")
    assert reader.triggered("chart de-identified class reading scores") == []
    assert reader.triggered("chart the class reading scores") == ["red-student-records"]


def test_no_job_and_only_a_loose_mention_is_not_blocked() -> None:
    """ "Blocked when no job fits" reads triggers as written, like the other blocking check:
    asking whether one is eligible for a card is not asking AI to decide eligibility."""
    city = _index("sf-city")
    answer = advise_message(city, "am i eligible for a new credit card")
    assert answer.outcome != "blocked", answer.text
    answer = advise_message(city, "let the AI decide whether the permit should be approved")
    assert answer.outcome == "blocked", answer.text


@pytest.mark.parametrize(
    ("title", "rule", "asks", "errand"),
    [
        ("No AI for surveillance", "Do not use AI for surveillance or facial recognition.",
         "can AI keep tabs on what my employees do all day", "summarize the surveillance law"),
        ("Do not install AI tools yourself",
         "Do not install browser extensions, plug-ins or desktop apps without IT approval.",
         "ok if I install a chrome extension that rewrites my emails?",
         "write a job aid on how to request software"),
        ("Do not accept AI terms yourself", "Do not accept terms of service on the city's behalf.",
         "can I just click I agree on the terms for this new AI site",
         "what are the data levels in our policy"),
        ("No AI recording of consultations",
         "Do not use ambient voice technology or transcription in consultations.",
         "can AI transcribe the consultation with Mrs Smith", "book a consultation room"),
        ("No altered photographs", "Do not publish synthetic images or altered images.",
         "remove someone from the photo of the council meeting", "caption our photo of the mayor"),
    ],
)
def test_common_red_lines_of_other_policies_in_their_own_words(
    sample_policy: Policy, title: str, rule: str, asks: str, errand: str
) -> None:
    """Themes for red lines many published policies have (surveillance, installing
    extensions, accepting terms, recording consultations, altering photos) reach requests
    that use none of the red line's words, and not errands near them."""
    line = RedLine(id="x", title=title, rule=rule, why="Why.", triggers=["zzz"])
    policy = sample_policy.model_copy(update={"red_lines": [line]})
    reader = RedLineReader(policy, spell_out)
    assert reader.triggered(asks, literal=True) == ["x"], asks
    assert reader.triggered(errand) == [], errand


@pytest.mark.parametrize(
    ("text", "puts_in"),
    [
        ("put a stop on my bank account", False),
        ("does the bank give credit cards to people like me", False),
        ("could you share my credit card's apr", False),
        ("put the test scores of my homeroom into AI", True),
        ("give the ai our alarm system code", True),
        ("share the patient list with copilot", True),
    ],
)
def test_put_give_and_share_need_somewhere_for_the_data_to_go(text: str, puts_in: bool) -> None:
    """ "Put a stop on my account" is an errand; data goes in when it is put into, shared
    with or given to something (CLINC150 banking queries were refused on the sample policy)."""
    assert puts_data_in(text) is puts_in


def test_an_errand_about_a_card_is_not_refused(sample_policy: Policy) -> None:
    index = build_index(1, sample_policy, lambda: make_backend("lexical"))
    assert advise_message(index, "please put a stop on my bank account").outcome != "blocked"
