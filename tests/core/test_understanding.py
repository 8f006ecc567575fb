"""Understanding on two unrelated policies: named tools, families, unlisted products,
small talk, red lines, other languages and never a tool made of ordinary words.

Riverbend (tests/fixtures/policies/riverbend.yaml) is a second fictional organization
with P1..P4 data levels and ChatGPT in two editions; Northwind is the sample policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.concierge import Concierge, Message
from bot.core.matching.registry import make_backend
from bot.policy import Policy
from bot.policy.files import load_policy
from bot.store import Store

RIVERBEND = Path(__file__).parents[1] / "fixtures" / "policies" / "riverbend.yaml"


@pytest.fixture(scope="module")
def riverbend() -> PolicyIndex:
    return build_index(1, load_policy(RIVERBEND), lambda: make_backend("lexical"))


@pytest.fixture(scope="module")
def northwind(sample_policy: Policy) -> PolicyIndex:
    return build_index(1, sample_policy, lambda: make_backend("lexical"))


# (message, outcome, asked tool id or None)
NAMED_TOOLS = [
    ("where do I sign up for claude", "tool_status", "claude"),
    ("how do I turn on zoom ai companion", "tool_status", "zoom-ai"),
    ("geminy ok?", "tool_status", "gemini"),
    ("is Gemini any good for work stuff?", "tool_status", "gemini"),
    ("claude — yay or nay?", "tool_status", "claude"),
    ("what's claude not good for", "tool_status", "claude"),
    ("does chatgpt edu train on our data", "tool_status", "chatgpt-edu"),
    ("chatgpt allowed?", "tool_status", "chatgpt-edu"),
    ("chat gpt?", "tool_status", "chatgpt-edu"),
    ("chatgpt's limits", "tool_status", "chatgpt-edu"),
    ("can I put P3 data in gemini", "data_check", "gemini"),
    ("staff personnel files + claude?", "data_check", "claude"),
    ("donor records into chatgpt edu ok?", "data_check", "chatgpt-edu"),
]


@pytest.mark.parametrize(("text", "outcome", "tool"), NAMED_TOOLS)
def test_a_named_tool_is_answered_about(
    riverbend: PolicyIndex, text: str, outcome: str, tool: str
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == outcome, answer.text
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == tool, answer.text


def test_a_family_answers_with_every_edition(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "is chatgpt allowed?")
    assert {t.id for t in answer.tools} == {"chatgpt-edu", "chatgpt-personal"}
    assert "not in our" not in answer.text
    assert "P1 Public" in answer.text
    assert "P3 Moderate" in answer.text


def test_the_organizations_own_name_in_tool_names_is_no_product_family() -> None:
    """"HMS Azure AI" and "HMS Copilot" share the school's initials, not a product:
    "which AI tools can we use at HMS?" is a catalogue question, and the tools are still
    found by their names."""
    policy = Policy.model_validate({
        "meta": {"organization": "Harbor Medical School", "contact": "HMS IT"},
        "data_classes": [{"id": "public", "label": "Public", "level": 1,
                          "description": "Published material."}],
        "tools": [
            {"id": "hms-azure", "name": "HMS Azure AI", "status": "approved",
             "max_data_class": "public", "summary": "Azure OpenAI in the school's tenant."},
            {"id": "hms-copilot", "name": "HMS Copilot", "status": "approved",
             "max_data_class": "public", "summary": "Microsoft Copilot with school sign-in."},
        ],
    })
    index = build_index(1, policy, lambda: make_backend("lexical"))
    for text in ("which AI tools are we allowed to use at HMS?",
                 "which AI tools are HMS employees allowed to use?",
                 "who do I contact at HMS IT with AI questions?"):
        assert advise_message(index, text).outcome == "help", text
    answer = advise_message(index, "is HMS Azure AI ok to use?")
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "hms-azure"
    # named as an AI product, the organization's name is its own tools
    answer = advise_message(index, "can I use the HMS AI for this?")
    assert answer.outcome == "tool_status", answer.text
    assert {t.id for t in answer.tools} == {"hms-azure", "hms-copilot"}


def test_data_check_against_the_tool_limit(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "student records in claude?")
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("P3", False)
    assert "gemini" in {t.id for t in answer.alternatives}


UNLISTED = [
    ("is DeepSeek allowed?", "DeepSeek", None),
    ("deepseak ok?", "DeepSeek", None),
    ("copilot — yay or nay for work stuff?", "Microsoft Copilot", None),
    ("Is Cursor allowed?", "Cursor", None),
    ("can I use otter.ai for my meetings", "Otter.ai", "meeting-bots"),
    ("what about Fireflies for the committee call?", "Fireflies.ai", "meeting-bots"),
]


@pytest.mark.parametrize(("text", "name", "covered_by"), UNLISTED)
def test_unlisted_products_get_the_policy_rule(
    riverbend: PolicyIndex, text: str, name: str, covered_by: str | None
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "tool_status", answer.text
    assert answer.asked_tool is not None
    assert (answer.asked_tool.name, answer.asked_tool.id) == (name, covered_by)
    assert "not in our AI tool policy" in answer.headline
    assert "only with P1 (public) information" in answer.text  # meta.unlisted_tools
    assert "unapproved-tools" in {r.id for r in answer.red_lines}
    assert not answer.logged_unmet


def test_unlisted_meeting_bot_offers_the_approved_meeting_tool(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "can I use otter.ai for my meetings")
    assert [t.id for t in answer.alternatives] == ["zoom-ai"]


ORDINARY_WORDS = [
    "translate a contract into German",
    "is there something that checks my grammar?",
    "really need help with a rubric",
    "move the cursor in my syllabus template",
    "can I use motion graphics in a lecture video",
]


@pytest.mark.parametrize("text", ORDINARY_WORDS)
def test_ordinary_words_are_never_tools(
    riverbend: PolicyIndex, northwind: PolicyIndex, text: str
) -> None:
    for index in (riverbend, northwind):
        answer = advise_message(index, text)
        assert answer.asked_tool is None or answer.asked_tool.id is not None, answer.text
        assert "is not in our AI tool policy" not in answer.text


SMALL_TALK = [
    ("yo 👋", None),
    ("👍", None),
    ("hi there", None),
    ("thanks!!", "thanks"),
    ("thnks", None),
    ("thank u!!", "thanks"),
    ("why not?", "complaint"),
    ("what can you do?", None),
    ("what do you basically do", None),  # a hedge word is not a job
    ("what are you exactly?", "identity"),
    ("kia ora", None),
    ("merci beaucoup", "thanks"),
    ("who do I talk to before I use AI tools?", "maintainer"),
    ("are you a bot?", "identity"),
    ("who maintains this list?", "maintainer"),
    ("how do I request a new tool?", "request_tool"),
    ("what are the data levels?", "data_levels"),
    ("what AI tools are we allowed to use?", "catalogue"),
    ("which tools are banned?", "catalogue"),
    ("what are the red lines", "red_lines"),
    ("/aitools lst", "command"),
    ("hepl", "command"),
]


# Kinds of meta question the bank learned in session 10 (issue 9 §4), worded unlike its
# examples: who signs off, the policy in short, a newcomer's hello.
META_KINDS = [
    ("who gives the final OK on a new AI tool for my team?", None),
    ("who should I double-check with when I'm unsure a tool is fine?", "maintainer"),
    ("what's the AI policy, in short?", "red_lines"),
    ("hi everyone, new starter here, still finding my way", None),
    # session 15: British and Australian thanks, whether the policy applies at home
    ("cheers mate, sorted", "thanks"),
    ("does the AI policy still apply if I'm working from home?", None),
    ("hoi!", None),
    ("ok but what do you actually do?", None),
]


@pytest.mark.parametrize(("text", "topic"), SMALL_TALK + META_KINDS)
def test_small_talk_is_help_never_unmet(
    riverbend: PolicyIndex, northwind: PolicyIndex, text: str, topic: str | None
) -> None:
    for index in (riverbend, northwind):
        answer = advise_message(index, text)
        assert answer.outcome == "help", (text, answer.text)
        assert not answer.logged_unmet
        if topic:
            assert answer.extra.get("topic") == topic, (text, answer.extra)


@pytest.mark.parametrize("text", [
    "are you chatgpt or a real person?", "are you actually chatgpt?",
    # slang, a tool of the policy, and products it does not list (Copilot, DeepSeek)
    "are u actually copilot", "r u chatgpt lol", "are you claude?", "are you deepseek?",
])
def test_asking_whether_the_concierge_is_a_tool_is_about_the_concierge(
    riverbend: PolicyIndex, text: str
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "help", answer.text
    assert answer.extra.get("topic") == "identity"
    assert not answer.logged_unmet


def test_a_question_about_a_tool_asked_of_the_concierge_stays_about_the_tool(
    riverbend: PolicyIndex,
) -> None:
    answer = advise_message(riverbend, "are you able to say if claude is ok?")
    assert answer.outcome == "tool_status", answer.text
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "claude"


def test_a_governance_question_outranks_a_red_line_trigger(riverbend: PolicyIndex) -> None:
    # Riverbend's red line "unapproved-tools" triggers on "unapproved tool"; asking who
    # approves one is about the rules, not a use to refuse ...
    text = "who approves an unapproved AI tool before we try it?"
    assert riverbend.lexicon.red_lines_in(text)
    answer = advise_message(riverbend, text)
    assert answer.outcome == "help", answer.text
    assert answer.extra.get("topic") == "maintainer"
    # ... but data put in stays the red line's, whatever small talk it sounds like
    risky = advise_message(
        riverbend, "what counts as sensitive? can I paste a patient health record in?"
    )
    assert risky.outcome != "help", risky.text


def test_a_governance_question_that_asks_ai_to_act_is_the_red_line(
    riverbend: PolicyIndex,
) -> None:
    # Asking who decides stays governance; asking AI to decide is the act "no-grading"
    # forbids, however much it sounds like a question about the rules.
    assert advise_message(riverbend, "who decides on grading with AI?").outcome == "help"
    answer = advise_message(riverbend, "can AI decide which students get which grades, "
                                       "who approves that")
    assert answer.outcome == "blocked", answer.text
    assert [r.id for r in answer.red_lines] == ["no-grading"]


def test_catalogue_and_data_levels_come_from_the_policy(riverbend: PolicyIndex) -> None:
    catalogue = advise_message(riverbend, "what AI tools are we allowed to use?")
    assert "Standard: Gemini." in catalogue.text
    assert "Prohibited: Third-party AI note takers." in catalogue.text
    levels = advise_message(riverbend, "what are the data levels?")
    assert levels.text.index("P1 Public") < levels.text.index("P4 High")


def test_a_job_is_not_small_talk(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "what AI tools can we use to draft a syllabus?")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "course-writing"


@pytest.mark.parametrize(
    "text",
    ["which AI tools are approved for Riverbend College employees?",
     "what AI tools can Riverbend employees use"],
)
def test_the_organization_s_own_name_is_no_job(riverbend: PolicyIndex, text: str) -> None:
    # Staff name their employer; its words are neither job words nor unknown words that
    # make a catalogue question read as a request.
    answer = advise_message(riverbend, text)
    assert answer.outcome == "help", (text, answer.text)
    assert answer.extra.get("topic") == "catalogue"
    assert not answer.logged_unmet


def test_a_job_sharing_a_word_with_the_bank_is_not_small_talk(riverbend: PolicyIndex) -> None:
    # "menu" and "cost" are small-talk words; the bank must not also make "check" one
    answer = advise_message(riverbend, "check the catering cost for the new canteen menu")
    assert answer.outcome != "help", answer.text


# (message, outcome, red line that must be shown)
RED_LINES = [
    ("paste a list of SSNs into chatgpt edu", "blocked", "no-p4"),
    ("can gemini fix the formatting of these social security numbers", "blocked", "no-p4"),
    ("numbers of social security for the whole team into claude", "blocked", "no-p4"),
    ("my password manager export, can claude sort it?", "blocked", "no-p4"),
    ("use AI to grade students essays", "blocked", "no-grading"),
    ("Can I use AI for grading?", "blocked", "no-grading"),
]


@pytest.mark.parametrize(("text", "outcome", "line"), RED_LINES)
def test_red_lines_are_caught(riverbend: PolicyIndex, text: str, outcome: str, line: str) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == outcome, answer.text
    assert line in {r.id for r in answer.red_lines}
    assert not answer.logged_unmet
    assert answer.red_lines[0].why in answer.text


NEGATED = [
    "summarize this journal article, no patient names in it",
    "find papers on soil erosion without any patient data",
    "summarize this journal article on an anonymized health record study",
    "related work for my grant, the data has no SSNs",
]


@pytest.mark.parametrize("text", NEGATED)
def test_negated_mentions_do_not_trigger(riverbend: PolicyIndex, text: str) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "answered", answer.text
    assert "no-p4" not in {r.id for r in answer.red_lines}


def test_red_line_about_the_matched_job_is_shown(riverbend: PolicyIndex) -> None:
    # The grading red line's trigger is in no example, so it is shown only if triggered;
    # the advisory "say when AI wrote it" concerns publishing and does not block.
    answer = advise_message(riverbend, "draft a syllabus I will publish on the website")
    assert answer.outcome == "answered"
    assert "disclose-ai" in {r.id for r in answer.red_lines}


FOREIGN = [
    ("¿Puedo usar ChatGPT para resumir un artículo?", "Spanish"),
    ("Kann ich Gemini für Studentendaten benutzen?", "German"),
    ("Est-ce que je peux utiliser Claude pour traduire un document ?", "French"),
]


@pytest.mark.parametrize(("text", "language"), FOREIGN)
def test_other_languages_get_an_honest_reply(
    riverbend: PolicyIndex, text: str, language: str
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "language"
    assert language in answer.headline
    assert "English" in answer.headline
    assert answer.asked_tool is None
    assert not answer.logged_unmet


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("yo 👋", "help"),
        ("/aitools lst", "help"),
        ("¿Puedo usar Copilot para resumir un informe?", "language"),
        # a question whether the data may go in is a data check (issue 9 §2); asking for the
        # work on it is refused by the red line
        ("can I paste our payroll and salary data into ChatGPT Enterprise?", "data_check"),
        ("paste our payroll and salary data into ChatGPT Enterprise and total it by team",
         "blocked"),
        ("is DeepSeek allowed?", "tool_status"),
    ],
)
async def test_non_requests_are_logged_but_never_as_unmet(
    concierge: Concierge, store: Store, text: str, outcome: str
) -> None:
    answer = await concierge.answer(Message(text=text, asker="U1", platform="slack"))
    assert answer.outcome == outcome, answer.text
    assert answer.query_id is not None
    assert answer.unmet_id is None
    assert await store.unmet.list() == []
    data = answer.to_dict()
    assert {"outcome", "tools", "red_lines", "text", "asked_tool", "alternatives"} <= set(data)
    if outcome == "blocked":
        assert data["red_lines"]
        assert all(line["why"] for line in data["red_lines"])


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("is free chatgpt ok?", "chatgpt-personal"),
        ("can I use my personal chatgpt for a rubric", "chatgpt-personal"),
        ("chatgpt with my college account?", "chatgpt-edu"),
    ],
)
def test_an_edition_word_picks_one_member_of_a_family(
    riverbend: PolicyIndex, text: str, tool: str
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == tool, answer.text


def test_the_edition_most_people_mean_mentions_its_siblings(northwind: PolicyIndex) -> None:
    answer = advise_message(northwind, "is chatgpt ok")
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "chatgpt-enterprise"  # the policy's bare "ChatGPT" alias
    assert "Also in the policy: ChatGPT with a personal or free account (prohibited)" in (
        answer.text
    )
    free = advise_message(northwind, "is the free version of chatgpt ok")
    assert free.asked_tool is not None
    assert free.asked_tool.id == "personal-chatgpt"


def test_negated_data_is_not_the_data(northwind: PolicyIndex) -> None:
    answer = advise_message(northwind, "no passwords in it, just the config file - copilot ok?")
    assert answer.outcome != "blocked"
    assert answer.data_check is None or answer.data_check.data_class != "restricted"


def test_a_yes_about_a_tool_still_points_at_a_forbidding_red_line(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "can gemini help me write feedback on graded essays")
    assert answer.outcome == "tool_status"
    assert "no-grading" in {r.id for r in answer.red_lines}
    assert "But mind the red line below: AI does not grade students." in answer.text


def test_asking_a_tool_for_the_act_a_red_line_forbids_is_blocked(riverbend: PolicyIndex) -> None:
    # Grading with Gemini is what the red line forbids, not a question about Gemini: a
    # "Yes: Gemini is a standard tool" before the red line read as permission.
    answer = advise_message(riverbend, "is it ok to grade essays with gemini")
    assert answer.outcome == "blocked"
    assert answer.red_lines[0].id == "no-grading"
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "gemini"


def test_public_data_in_an_unlisted_tool_follows_the_written_rule(riverbend: PolicyIndex) -> None:
    answer = advise_message(riverbend, "can i paste our press releases into deepl?")
    assert answer.outcome == "data_check"
    assert answer.data_check is not None
    assert (answer.data_check.data_class, answer.data_check.allowed) == ("P1", None)
    assert "only with P1 (public) information" in answer.text
    secret = advise_message(riverbend, "can i paste student records into deepl?")
    assert secret.data_check is not None
    assert secret.data_check.allowed is False


JOBS_IN_SMALL_TALK = [
    ("can you help me write a rubric", "course-writing"),
    ("hi, I need to summarize a journal article", "research-help"),
    ("hello! what can I use to fix my R script?", "code-help"),
    ("thanks! also, what can I use for an illustration for a poster?", "make-images"),
    ("what tool for meeting notes?", "meeting-summary"),
    ("any AI for making pictures?", "make-images"),
    ("is there something to summarize zoom meetings", "meeting-summary"),
]


@pytest.mark.parametrize(("text", "use_case"), JOBS_IN_SMALL_TALK)
def test_a_job_wrapped_in_small_talk_is_a_job(
    riverbend: PolicyIndex, text: str, use_case: str
) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "answered", answer.text
    assert answer.use_case is not None
    assert answer.use_case.id == use_case


def test_a_data_red_line_written_for_a_tool_comes_with_its_data(
    northwind: PolicyIndex,
) -> None:
    """ "Never customer data into Grammarly" is about data going in: the answer about
    Grammarly alone states its data limit, a question putting customer data in gets
    the red line."""
    line = "customer-data-approved-tools-only"
    status = advise_message(northwind, "is grammarly ok?")
    assert status.outcome == "tool_status"
    assert line not in {r.id for r in status.red_lines}
    check = advise_message(northwind, "can I use grammarly on customer emails")
    assert check.outcome == "data_check"
    assert line in {r.id for r in check.red_lines}
