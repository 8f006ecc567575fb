"""Red lines read as IT wrote them, with the few literal triggers IT lists (issue 9 §5).

The New York courts' policy (tests/fixtures/heldout/ny-courts, a dev set) cites its
sections as red-line ids and gives each two to five literal triggers; employees ask in
their own words. A red line also fires on what its title and rule are about (themes,
bot/core/data/redline_themes.yaml) and on the data classes its rule names, blocks only a
request for the forbidden act or for putting the data in, and keeps data checks honest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.lexicon import PolicyLexicon, spell_out
from bot.core.matching.registry import make_backend
from bot.core.redline_matcher import _FILLER, RedLineMatcher
from bot.core.redline_themes import derive_triggers
from bot.core.redlines import RedLineReader
from bot.core.understand import read_message
from bot.policy import Policy
from bot.policy.files import load_policy

HELDOUT = Path(__file__).parents[1] / "fixtures" / "heldout"
THEMES = Path(__file__).parents[2] / "bot" / "core" / "data" / "redline_themes.yaml"


@pytest.fixture(scope="module")
def courts() -> PolicyIndex:
    policy = load_policy(HELDOUT / "ny-courts" / "policy")
    return build_index(1, policy, lambda: make_backend("lexical"))


@pytest.fixture(scope="module")
def city() -> Policy:
    return load_policy(HELDOUT / "sf-city" / "policy")


@pytest.fixture(scope="module")
def northwind(sample_policy: Policy) -> PolicyIndex:
    return build_index(1, sample_policy, lambda: make_backend("lexical"))


def _ids(answer: object) -> set[str]:
    return {r.id for r in answer.red_lines}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "get the AI to decide whether the tenant's hardship application should be denied",
        "let the model determine eligibility for the fee waivers",
        "write my ruling on the motion to compel",
    ],
)
def test_asking_ai_to_do_what_a_red_line_forbids_is_blocked_in_other_words(
    courts: PolicyIndex, text: str
) -> None:
    # V.6's own triggers are "decide the case", "rule on the motion", "decision".
    assert courts.lexicon.red_line_matcher.own.triggered(text, literal=True) == []
    answer = advise_message(courts, text)
    assert answer.outcome == "blocked", answer.text
    assert "V.6" in _ids(answer)


def test_a_question_about_who_decides_is_not_a_request_to_decide(courts: PolicyIndex) -> None:
    answer = advise_message(courts, "who decides which of these products IT approves?")
    assert answer.outcome != "blocked"
    assert "V.6" not in _ids(answer)


def test_red_line_of_a_requirement_is_shown_not_blocking(courts: PolicyIndex) -> None:
    """V.5 ("must thoroughly review") guides the work: shown with the answer, never a refusal;
    its trigger "as is" is all function words and matched word for word."""
    answer = advise_message(courts, "draft the notice to litigants and I'll mail it as is")
    assert "V.5" in _ids(answer)
    assert answer.outcome != "blocked"
    reader = courts.lexicon.red_line_matcher
    assert reader.triggered("AI writes the summary and I skip checking it") == ["V.5"]
    assert reader.triggered("as it is now, can you summarize this") == []


def test_training_red_line_fires_when_the_training_is_missing(courts: PolicyIndex) -> None:
    reader = courts.lexicon.red_line_matcher
    assert reader.triggered("I have not done the training, can I try copilot?") == ["V.2"]
    assert "V.2" not in reader.triggered("which tool should I use to draft a memo")


def test_data_a_red_line_keeps_out_of_a_tool_makes_a_no(courts: PolicyIndex) -> None:
    """A tool question that names data a red line forbids for that tool is a data check,
    and its verdict is no, whatever the data's class."""
    text = "can chatgpt write a letter if I give it the juror's home address"
    answer = advise_message(courts, text)
    assert answer.outcome in {"data_check", "blocked"}
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    assert "V.3" in _ids(answer)
    answer = advise_message(courts, "ok to put a witness's medical history into free chatgpt?")
    assert answer.data_check is not None
    assert answer.data_check.allowed is False
    # personal data: its class says no before the red line must (both are shown)
    assert answer.data_check.data_class == "confidential"
    assert "V.3" in _ids(answer)


def test_the_same_data_in_a_tool_the_red_line_does_not_cover_is_fine(courts: PolicyIndex) -> None:
    answer = advise_message(courts, "can I put a juror's home address into copilot chat")
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert answer.data_check.allowed is True
    assert "V.3" not in _ids(answer)


def test_a_pasted_name_is_personal_data(courts: PolicyIndex) -> None:
    reading = read_message("[NAME] asked for her hearing date, chatgpt ok for the reply?",
                           courts.lexicon)
    assert "V.3" in reading.red_lines


def test_negated_data_does_not_trigger(courts: PolicyIndex) -> None:
    reader = courts.lexicon.red_line_matcher
    assert reader.triggered("summarize the FAQ, nothing confidential in it") == []
    assert reader.triggered("summarize the FAQ, it has confidential notes") == ["V.3", "V.4"]


def test_red_line_naming_a_data_class_fires_on_its_examples(city: Policy) -> None:
    reader = RedLineReader(city, spell_out)
    own = RedLineMatcher(city.red_lines, spell_out)
    text = "tidy up our draft budget for the parks department"
    assert own.triggered(text) == []
    assert reader.triggered(text) == ["no-sensitive-data-in-public-tools"]
    # "Be transparent in public-facing or sensitive work" names no data class
    assert "disclose-public-facing" not in reader.triggered("resident data for the report")


def test_mentioning_data_a_red_line_protects_does_not_block_a_job(northwind: PolicyIndex) -> None:
    """Northwind's restricted-data line triggers on "credit card": asking how long a new
    card takes is shown the red line, not refused; pasting card numbers is refused."""
    answer = advise_message(northwind, "how long does it take to get a new credit card")
    assert answer.outcome != "blocked"
    answer = advise_message(northwind, "paste the customer's credit card number into copilot chat")
    assert answer.outcome == "blocked"
    assert "no-restricted-data" in _ids(answer)


def test_a_trigger_word_whose_stem_is_another_word_matches_as_written() -> None:
    matcher = RedLineMatcher([("x", ["likeness", "information"])])
    assert matcher.triggered("i would like a summary of the report") == []
    assert matcher.triggered("please inform the team") == []
    assert matcher.triggered("generate likenesses of our staff") == ["x"]


def test_a_trigger_naming_a_person_does_not_fire_on_the_act() -> None:
    """Snowball stems "reviewer" to "review": the trigger is the person, so "my review
    article" is no mention of one; "reviewers" still is."""
    matcher = RedLineMatcher([("x", ["reviewer"]), ("y", ["recorder"])])
    assert matcher.triggered("draft the intro paragraph for my review article") == []
    assert matcher.triggered("record the all-hands for people on leave") == []
    assert matcher.triggered("I'm a reviewer on the grant panel") == ["x"]
    assert matcher.triggered("send the scores to the other reviewers") == ["x"]
    assert matcher.triggered("can the AI recorder join my calls") == ["y"]


def test_derived_triggers_follow_the_red_lines_own_wording(sample_policy: Policy) -> None:
    themes = derive_triggers(sample_policy, spell_out).themes
    assert themes["no-deepfakes"] == ["impersonation"]
    assert themes["no-automated-decisions-about-people"] == ["decisions"]
    assert themes["no-unreleased-financials"] == []


def test_every_theme_phrase_keeps_its_meaning() -> None:
    """A phrase of several words that loses all but one to function words ("in their voice"
    -> "voice") would fire on ordinary requests; ids and kinds are as documented."""
    themes = yaml.safe_load(THEMES.read_text(encoding="utf-8"))["themes"]
    assert len({t["id"] for t in themes}) == len(themes)
    assert {t["kind"] for t in themes} <= {"act", "data"}
    for theme in themes:
        for phrase in theme["phrases"]:
            words = phrase.lower().replace("'", " ").split()
            content = [w for w in words if w not in _FILLER]
            assert len(words) == 1 or not content or len(content) >= 2, phrase


def test_lexicon_keeps_use_case_red_lines_to_the_policys_own_triggers(courts: PolicyIndex) -> None:
    """A use case is tied to a red line only by the triggers IT wrote (a derived phrase in
    an example would show the red line with every answer about that job)."""
    fresh = PolicyLexicon(courts.policy)
    assert all(fresh.use_case_red_lines(u.id) == () for u in courts.policy.use_cases)


@pytest.fixture(scope="module")
def schools() -> PolicyIndex:
    """Loudon County Schools (a dev set): one red line per kind of Red data, all in the
    same data class, and one about personal AI accounts "... or with student data"."""
    policy = load_policy(HELDOUT / "loudon-schools" / "policy")
    return build_index(1, policy, lambda: make_backend("lexical"))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("summarize the counselor notes on a student for the SST meeting", "red-student-records"),
        ("draft the letter from the behavior referrals", "red-student-records"),
        ("summarize a custodian's personnel file for the principal", "red-staff-hr"),
        ("check the overtime timesheets of the bus drivers", "red-staff-hr"),
        ("upload the high school's network map and find the weak spots", "red-security"),
        ("make a sign with the door keypad codes", "red-security"),
        ("we're being sued over the bus accident, draft our timeline", "red-legal"),
        ("explain the settlement agreement in plain English", "red-legal"),
        ("sort the parent contact list by last name", "red-student-pii"),
    ],
)
def test_red_data_in_the_words_staff_use(schools: PolicyIndex, text: str, line: str) -> None:
    """The policy lists "grades, test scores, discipline records ...", "staff HR records",
    "network diagrams", "litigation"; staff say "behavior referrals", "timesheets",
    "network map", "being sued"."""
    assert line not in schools.lexicon.red_line_matcher.own.triggered(text)
    assert line in _ids(advise_message(schools, text))


def test_shared_data_words_fire_the_narrower_red_line_only(schools: PolicyIndex) -> None:
    """ "Personnel file" is personal data and an HR record: with a red line for each,
    only the HR one is shown; "test scores", an example of the Red class every red line
    names, is the records line's own trigger and fires that one only."""
    reader = schools.lexicon.red_line_matcher
    assert reader.triggered("summarize her personnel file") == ["red-staff-hr"]
    assert reader.triggered("chart the test scores of my class") == ["red-student-records"]


def test_data_that_only_qualifies_an_act_does_not_fire_the_act_line(schools: PolicyIndex) -> None:
    """ "No personal AI accounts for school work" (rule: "... or with student data") is
    about accounts: student data alone does not show it; a personal subscription does."""
    reader = schools.lexicon.red_line_matcher
    assert "no-personal-accounts" not in reader.triggered("paste the student data into a chart")
    assert "no-personal-accounts" in reader.triggered(
        "can I use my own chatgpt plus subscription for lesson plans?"
    )
    themes = derive_triggers(schools.policy, spell_out).themes["no-personal-accounts"]
    assert themes == ["personal-accounts"]  # not "review" by "accounts for" ~ "accountable for"


def test_prohibited_unless_approved_blocks(schools: PolicyIndex) -> None:
    """ "Prohibited in AI unless written approval": forbidden until the employee has the
    approval, unlike "only in approved tools", which the answer itself can satisfy."""
    answer = advise_message(schools, "paste the test scores of my homeroom into AI to chart them")
    assert answer.outcome == "blocked", answer.text
    assert "red-student-records" in _ids(answer)


def test_an_average_is_about_no_one(schools: PolicyIndex) -> None:
    answer = advise_message(
        schools, "our school's average test scores went up, write a paragraph for the newsletter"
    )
    assert "red-student-records" not in _ids(answer)


def test_a_tool_not_in_the_policy_gets_the_personal_accounts_rule(schools: PolicyIndex) -> None:
    """ "Do not use personal AI accounts" is the policy's rule for a tool it does not list
    (the word "AI" between "personal" and "accounts" hid it)."""
    answer = advise_message(schools, "is claude ok for school work?")
    assert answer.outcome == "tool_status"
    assert "no-personal-accounts" in _ids(answer)


@pytest.mark.parametrize(
    "text",
    [
        "summarize a custodian's personnel file for the principal",
        "here's the wifi admin password, can ai write the instructions for subs",
        "we're being sued, can AI draft our timeline from the claim documents",
        "write a reply to [EMAIL] about her enrollment",
    ],
)
def test_data_the_ai_is_asked_to_work_on_goes_in(schools: PolicyIndex, text: str) -> None:
    """Red data the AI would summarize, draft from, or that is handed over in the message
    goes into the tool as surely as "paste": the request is refused."""
    answer = advise_message(schools, text)
    assert answer.outcome == "blocked", answer.text


@pytest.mark.parametrize(
    "text",
    ["a lesson on password safety for 4th graders", "draft a staff email about payroll dates"],
)
def test_data_named_as_a_topic_does_not_block(schools: PolicyIndex, text: str) -> None:
    assert advise_message(schools, text).outcome != "blocked"


def test_a_trigger_of_function_words_around_one_word_is_a_phrase() -> None:
    """IT writes "as my own" and "for the public": read as "own" and "public" they
    refused "what pets do you own"."""
    matcher = RedLineMatcher([("x", ["as my own", "for the public", "the password"])])
    assert matcher.triggered("what pets do you own") == []
    assert matcher.triggered("a public notice") == []
    assert matcher.triggered("I'll hand it in as my own") == ["x"]
    assert matcher.triggered("a flyer for the public") == ["x"]
    assert matcher.triggered("reset my password") == ["x"]  # one function word: as before


@pytest.mark.parametrize(
    "text",
    ["how can i get a copy of my w2 for tax purposes", "give me the routing number of my bank"],
)
def test_asking_for_ones_own_data_is_not_putting_it_in(schools: PolicyIndex, text: str) -> None:
    """ "a copy of", "give me": the data comes out, it does not go into a tool."""
    answer = advise_message(schools, text)
    assert answer.outcome != "blocked"


def test_ones_own_data_in_an_errand_is_no_mention(schools: PolicyIndex) -> None:
    """ "my w2", "my salary": an errand about one's own things, not data going into an AI
    tool; the HR red line is not even shown. Put in, or someone else's, it is."""
    answer = advise_message(schools, "how can i get a copy of my w2 for tax purposes")
    assert "red-staff-hr" not in _ids(answer)
    reader = schools.lexicon.red_line_matcher
    assert "red-staff-hr" in reader.triggered("paste my w2 into the AI to check it")
    assert "red-staff-hr" in reader.triggered("summarize the w2 of the new custodian")


def test_a_lost_card_is_not_a_report_card(schools: PolicyIndex) -> None:
    assert schools.lexicon.red_line_matcher.triggered("i need to report a lost card") == []


_COMMON_KINDS = """
data_classes:
  - {id: public, label: Public, description: Published., examples: [press release]}
  - {id: internal, label: Internal, description: Staff only., examples: [wiki page]}
use_cases:
  - id: write
    name: Write documents
    description: Draft documents, posts and emails.
    examples: [draft a blog post, write an email, write a report]
tools:
  - {id: assistant, name: Assistant, status: approved, summary: Chat assistant.,
     good_for: [write], max_data_class: internal}
red_lines:
  - id: harmful
    title: No harmful content
    rule: Do not use AI to generate offensive, misleading, or harmful content.
    why: Ethics.
    triggers: [offensive]
  - id: disclose
    title: Be transparent
    rule: Do not present AI-generated work as your own; disclose significant AI use.
    why: Trust.
    triggers: [disclose]
  - id: export
    title: Follow export controls
    rule: Never put export-controlled technical data into AI tools.
    why: Law.
    triggers: [export controls]
  - id: people
    title: No AI-only decisions about individuals
    rule: Do not rely on AI alone for decisions about recruitment or redundancy.
    why: Judgment.
    triggers: [redundancy]
"""


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("write five fake reviews from happy customers for our website", "harmful"),
        ("write a post to spread a rumor about the competitor's CEO", "harmful"),
        ("write my report and I'll pass it off as mine, no one needs to know", "disclose"),
        ("paste the ITAR data for the defense contract into the assistant", "export"),
        ("have AI rank the resumes and tell me who gets the job", "people"),
    ],
)
def test_common_kinds_of_red_line_in_employees_words(
    tmp_path: Path, text: str, line: str
) -> None:
    """Harmful content, disclosure, export control and decisions about people are red
    lines most policies have; employees name them by example, not by the rule's words."""
    path = tmp_path / "policy.yaml"
    path.write_text(_COMMON_KINDS, encoding="utf-8")
    index = build_index(1, load_policy(path), lambda: make_backend("lexical"))
    assert line not in index.lexicon.red_line_matcher.own.triggered(text)
    answer = advise_message(index, text)
    assert line in _ids(answer), answer.text
    assert answer.outcome in ("blocked", "data_check"), answer.text


def test_a_line_about_privacy_or_data_protection_is_about_personal_data() -> None:
    """Policies put personal data in their own words: "Data Privacy and Protection",
    "Patron privacy comes first", "comply with the GDPR"."""
    def line(line_id: str, title: str, rule: str) -> dict[str, object]:
        return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
                "triggers": [line_id]}

    policy = Policy.model_validate({
        "meta": {"organization": "Fibre Co", "contact": "IT"},
        "red_lines": [
            line("privacy", "Data Privacy and Protection",
                 "All AI systems must comply with data protection laws."),
            line("gdpr", "GDPR applies", "Processing follows the GDPR."),
            line("uptime", "Network integrity first", "AI must never compromise uptime."),
        ],
    })
    themes = derive_triggers(policy, spell_out).themes
    assert themes["privacy"] == ["personal-data"]
    assert themes["gdpr"] == ["personal-data"]
    assert themes["uptime"] == []


def test_a_line_about_clinical_notes_reads_the_names_clinicians_use() -> None:
    """"clinical reports or chart notes" in a line; "SOAP notes", "discharge summary",
    "consult letter" in the messages."""
    policy = Policy.model_validate({
        "meta": {"organization": "Harbor Health", "contact": "IT"},
        "red_lines": [{
            "id": "no-clinical-reports",
            "title": "Do not use GenAI to write or edit clinical reports or chart notes",
            "rule": "Do not use GenAI to write or edit clinical reports or chart notes.",
            "why": "Because.", "triggers": ["clinical report"]}],
    })
    assert "clinical-notes" in derive_triggers(policy, spell_out).themes["no-clinical-reports"]
    matcher = RedLineMatcher([("x", ["clinical report"])])
    lexicon = PolicyLexicon(policy)
    for text in ("fix the grammar in my discharge summary", "tidy up my SOAP notes",
                 "draft the consult letter to the family doctor"):
        assert lexicon.red_line_matcher.triggered(text) == ["no-clinical-reports"], text
    assert lexicon.red_line_matcher.triggered("summarise the accreditation standards") == []
    assert matcher.triggered("fix the grammar in my discharge summary") == []


def test_lines_about_financial_research_or_peer_review_read_their_everyday_names() -> None:
    """Banks, insurers and accountants write "customer financial information"; staff say
    "bank statement". Research offices write "peer review" and "research participants";
    researchers say "referee report" and "interview transcripts"."""
    policy = Policy.model_validate({
        "meta": {"organization": "Harbor", "contact": "IT"},
        "red_lines": [
            {"id": "no-financial", "title": "No customer financial information in public AI",
             "rule": "Never enter customer account information, card numbers or credit "
                     "reports into public AI tools.", "why": "Because.",
             "triggers": ["customer data"]},
            {"id": "no-peer-review", "title": "Do not use generative AI in peer review",
             "rule": "Reviewers must not upload manuscripts under review to AI tools.",
             "why": "Because.", "triggers": ["peer review"]},
            {"id": "no-participants", "title": "No research participant data in AI tools",
             "rule": "Do not put data about research participants into AI tools.",
             "why": "Because.", "triggers": ["participant data"]},
        ],
    })
    themes = derive_triggers(policy, spell_out).themes
    assert themes["no-financial"] == ["financial-data"]
    assert themes["no-peer-review"] == ["peer-review"]
    assert "research-data" in themes["no-participants"]
    reader = PolicyLexicon(policy).red_line_matcher
    for text, line in (
        ("summarise this customer's bank statement", "no-financial"),
        ("can copilot read the loan application for Mr Jones", "no-financial"),
        ("the journal asked me to review a paper, can chatgpt draft my referee report",
         "no-peer-review"),
        ("summarise the interview transcripts from my study", "no-participants"),
    ):
        assert reader.triggered(text) == [line], text
    assert reader.triggered("tips for a better work-life balance") == []
    assert reader.triggered("check my own manuscript for grammar before I submit it") == []


def test_a_line_about_academic_integrity_reads_fabrication_and_evading_checks() -> None:
    """"Uphold academic integrity" says no word of what breaks it; researchers ask to
    "generate data points" for animals that died or to get a paragraph past Turnitin."""
    policy = Policy.model_validate({
        "meta": {"organization": "Harbor", "contact": "IT"},
        "red_lines": [{"id": "integrity", "title": "Uphold academic integrity",
                       "rule": "Uphold academic integrity.", "why": "Misconduct.",
                       "triggers": ["fabricate"]}],
    })
    assert derive_triggers(policy, spell_out).themes["integrity"] == ["research-integrity"]
    reader = PolicyLexicon(policy).red_line_matcher
    for text in ("generate data points for the 3 mice that died so n=8 in every group",
                 "reword this paragraph from a Nature paper so turnitin won't flag it",
                 "have the AI generate cleaner western blot images for figure 3"):
        assert reader.triggered(text) == ["integrity"], text
    assert reader.triggered("summarize the data points from the mouse study") == []
    assert reader.triggered("plot the western blot quantification") == []


def test_working_out_who_qualifies_is_a_decision() -> None:
    """"work out school transport eligibility for each kid ... and send the yes/no
    letters" asks AI for the decision a line about automated decisions keeps for people."""
    policy = Policy.model_validate({
        "meta": {"organization": "Harbor", "contact": "IT"},
        "red_lines": [{"id": "no-auto-decisions",
                       "title": "Do not use AI to make automated decisions about people",
                       "rule": "Do not use AI to make automated decisions about people.",
                       "why": "Fairness.", "triggers": ["automated decision"]}],
    })
    reader = PolicyLexicon(policy).red_line_matcher
    assert reader.triggered("AI to work out school transport eligibility for each kid and send "
                            "the yes/no letters") == ["no-auto-decisions"]
    assert reader.triggered("summarise the school transport eligibility rules") == []
