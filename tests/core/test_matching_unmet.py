"""When "nothing approved fits" (issue 9, unmet precision and recall), on a real policy file.

The policy is the University of Idaho dev set (tests/fixtures/heldout/uidaho, transcribed
as written); the messages are its dev questions or plain variants. Real model, real files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.matching.framing import job_text, plain_words, without_ai_words
from bot.core.matching.registry import make_backend
from bot.core.matching.spelling import correct_spelling, vocabulary_of
from bot.policy.files import load_policy
from bot.policy.models import Policy

pytestmark = pytest.mark.semantic

ROOMS = "ai to book the conference rooms for all our committee meetings"
UIDAHO = Path(__file__).resolve().parents[1] / "fixtures" / "heldout" / "uidaho" / "policy"


@pytest.fixture(scope="module")
def uidaho() -> PolicyIndex:
    return build_index(1, load_policy(UIDAHO), lambda: make_backend("hybrid"))


@pytest.mark.parametrize(
    ("typed", "vocabulary", "mended"),
    [
        # The policy's own word wins over other English words one edit away.
        ("a sumary of the reprot", {"summary", "report"}, "a summary of the report"),
        # An English-looking inflection ("meat" + "ing") still yields to the policy's word.
        ("sumarize meating notes", {"summarize", "meeting"}, "summarize meeting notes"),
        ("proofraed my cover letter", set(), "proofread my cover letter"),
        ("translte this paragraf to plain englsh", set(),
         "translate this paragraph to plain english"),
        # No policy word and no single English word that close: kept as typed.
        ("a sumary", set(), "a sumary"),
        # Names, acronyms, product names, numbers, short words and English are kept.
        ("ask Jordan about the SOW for kubernetes v2 asap", set(),
         "ask Jordan about the SOW for kubernetes v2 asap"),
        ("summarize the minutes", set(), "summarize the minutes"),
        # A word the policy writes whole, typed in two: joined, inflection kept.
        ("Spread sheets of my budget", {"spreadsheet"}, "spreadsheets of my budget"),
        ("update the work flow", {"workflow"}, "update the workflow"),
        # Short joins are ordinary phrases; a pair that spells no policy word stays apart.
        ("put it in to the report", {"into"}, "put it in to the report"),
        ("a news letter", {"news", "letter"}, "a news letter"),
        # A pair the policy also writes apart stays apart.
        ("the time zone of the office", {"set the timezone", "which time zone"},
         "the time zone of the office"),
        # A function word is never half of a compound, whatever the pair spells.
        ("some things to do after noon", {"somethings", "afternoon"},
         "some things to do after noon"),
    ],
)
def test_misspelt_words_are_mended_before_the_model_reads_them(
    typed: str, vocabulary: set[str], mended: str
) -> None:
    assert correct_spelling(typed, vocabulary_of(vocabulary)) == mended


def test_a_misspelt_job_is_answered_not_logged_as_unmet(uidaho: PolicyIndex) -> None:
    answer = advise_message(uidaho, "proofraed my cover leter pls")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "write-and-edit"
    assert not answer.logged_unmet


def test_a_split_compound_of_the_policy_is_answered_not_logged_as_unmet(
    uidaho: PolicyIndex,
) -> None:
    # The policy says "spreadsheet"; the terse request splits it and says nothing else.
    answer = advise_message(uidaho, "spread sheet")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "analyze-data"


def test_a_request_nearer_an_ordinary_errand_than_any_job_is_unmet(
    uidaho: PolicyIndex,
) -> None:
    # "meetings" pulls it towards meeting summaries; it is an errand like "book a meeting
    # room" in the out-of-scope bank, nearer to that than to any meeting-summary text.
    answer = advise_message(uidaho, ROOMS)
    assert answer.outcome == "unmet"
    assert answer.logged_unmet
    # The job itself still lands.
    summary = advise_message(uidaho, "recap of the zoom meeting I missed")
    assert summary.outcome == "answered"
    assert summary.use_case is not None
    assert summary.use_case.id == "meeting-summaries"


def test_a_policy_that_covers_an_errand_keeps_answering_it() -> None:
    # Bank requests near the policy's own texts do not compete: here room booking is a job.
    policy = Policy.model_validate({
        "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
        "use_cases": [
            {"id": "rooms", "name": "Book meeting rooms",
             "description": "Find and book rooms for meetings.",
             "examples": ["book a room for our team meeting", "find a free conference room",
                          "reserve the boardroom on friday"]},
            {"id": "summaries", "name": "Summarize meetings",
             "description": "Notes and action items of meetings.",
             "examples": ["summarize my meeting", "meeting notes and action items",
                          "recap of a call I missed"]},
        ],
        "tools": [{"id": "roombot", "name": "RoomBot", "status": "approved",
                   "summary": "Books rooms.", "good_for": ["rooms"]}],
    })
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    answer = advise_message(index, ROOMS)
    assert answer.outcome == "answered"
    assert answer.tools
    assert answer.tools[0].id == "roombot"


def test_slang_with_is_framing() -> None:
    assert job_text("can u help me w an excel formula") == "an excel formula"
    assert job_text("can you help me w/ the budget sheet") == "the budget sheet"


@pytest.mark.parametrize("message", ["buenos días", "est-ce que je peux résumer un rapport"])
def test_accented_messages_are_recognised_as_another_language_not_unmet(
    uidaho: PolicyIndex, message: str
) -> None:
    # Accented words used to be folded away ("días" -> "d as") before the language guess.
    answer = advise_message(uidaho, message)
    assert answer.outcome == "language"
    assert not answer.logged_unmet


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("make an AI video of the director", "make an video of the director"),
        ("Build AI applications", "Build applications"),
        ("AI-assisted coding", "coding"),
        ("use generative AI to draft a memo", "use to draft a memo"),
        ("said the maid", "said the maid"),
        ("AI?", "AI?"),
    ],
)
def test_the_word_ai_is_left_out_of_what_the_model_reads(text: str, rest: str) -> None:
    assert without_ai_words(text) == rest


def test_a_use_case_about_ai_itself_is_no_magnet_for_every_ai_question(
    uidaho: PolicyIndex,
) -> None:
    # "AI with High risk data" (the locally hosted model) used to take this at 0.35 because
    # both mention AI; no use case of the policy is about checking students' work.
    answer = advise_message(uidaho, "check whether my students used AI to write their papers")
    assert answer.outcome == "unmet"
    # The use case itself still answers its own job.
    own = advise_message(uidaho, "run a model on our regulated research data")
    assert own.outcome == "answered"
    assert own.use_case is not None
    assert own.use_case.id == "sensitive-data-analysis"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("tl;dr this pdf", "summarize this pdf"),
        ("can u help w/ this pls", "can you help with this please"),
        ("u.s. budget", "u.s. budget"),
        ("bcc the team", "bcc the team"),
    ],
)
def test_chat_shorthand_is_written_out(typed: str, plain: str) -> None:
    assert plain_words(typed) == plain


def test_shorthand_for_a_job_is_answered_not_unmet() -> None:
    # New York courts dev set: "tl;dr this pdf" scored 0.27 against its 0.27 threshold.
    policy = load_policy(UIDAHO.parents[1] / "ny-courts" / "policy")
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    answer = advise_message(index, "tl;dr this pdf")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "summarize-documents"


def test_a_job_sharing_only_a_topic_word_with_an_errand_is_still_answered() -> None:
    # The sample policy: "award" is in the bank's "nominate a colleague for an award", but
    # the message is a marketing job, not that errand.
    policies = Path(__file__).resolve().parents[2] / "policies"
    index = build_index(1, load_policy(policies), lambda: make_backend("hybrid"))
    answer = advise_message(index, "write a linkedin post about the award we just won")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "marketing-copy"


def test_a_job_whose_topic_words_reach_an_errand_is_still_answered() -> None:
    # Idaho ITS (dev set): "workplace injuries" takes the message to the bank's "who do I
    # call for an injury at work" at cosine 0.57, yet summarizing a report is the job.
    policy = load_policy(UIDAHO.parents[1] / "idaho-its" / "policy")
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    answer = advise_message(
        index, "summarize the agency's published annual report on workplace injuries")
    assert answer.outcome == "answered"


SSD = UIDAHO.parents[1] / "ssd-stl" / "policy"


@pytest.mark.parametrize(
    "message",
    [
        "clone my voice so it can read stories aloud to my students",
        "generate a talking avatar of me and have it post the video to our class page",
    ],
)
def test_an_ai_job_that_no_approved_tool_does_is_unmet(message: str) -> None:
    # The K-12 dev set approves assistants for lessons, documents and slides, nothing for
    # voices or avatars. Both landed on its broad "Content creation" because they share its
    # verbs and topic; the out-of-scope bank now also
    # holds AI jobs such policies do not cover, which compete like its errands.
    index = build_index(1, load_policy(SSD), lambda: make_backend("hybrid"))
    answer = advise_message(index, message)
    assert answer.outcome == "unmet"
    assert answer.logged_unmet


@pytest.mark.parametrize(
    "message",
    ["create an animated video that teaches fractions",
     "an animated explainer video for my fractions lesson"],
)
def test_a_message_nearly_an_uncovered_ai_job_is_unmet_however_near_a_use_case(
    message: str,
) -> None:
    # "fractions" is the topic of the K-12 dev set's "write a lesson plan on fractions", so
    # lesson planning was about as near as the bank's "create an animated explainer video"
    # and the push never started; from AI_JOB_SURE the kind of job decides.
    index = build_index(1, load_policy(SSD), lambda: make_backend("hybrid"))
    answer = advise_message(index, message)
    assert answer.outcome == "unmet"
    lesson = advise_message(index, "write a lesson plan on fractions for my 3rd graders")
    assert lesson.outcome == "answered"
    assert lesson.use_case is not None
    assert lesson.use_case.id == "lesson-planning"


def test_a_policy_that_approves_an_ai_job_of_the_bank_keeps_answering_it() -> None:
    # The bank's "generate a video from a text script" is near this policy's own texts, so
    # it does not compete with them.
    policy = Policy.model_validate({
        "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
        "use_cases": [
            {"id": "videos", "name": "Make videos",
             "description": "Generate and edit short videos with AI.",
             "examples": ["make a short video for social media", "generate a video from a script",
                          "edit our promo video"]},
            {"id": "summaries", "name": "Summarize documents",
             "description": "Summaries of long documents.",
             "examples": ["summarize a report", "key points of this document",
                          "tl;dr of a long pdf"]},
        ],
        "tools": [{"id": "vidgen", "name": "VidGen", "status": "approved",
                   "summary": "Makes videos.", "good_for": ["videos"]}],
    })
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    answer = advise_message(index, "make an animated explainer video for new starters")
    assert answer.outcome == "answered"
    assert answer.tools
    assert answer.tools[0].id == "vidgen"


def test_a_request_near_an_uncovered_ai_job_is_unmet_though_not_a_rewording() -> None:
    # New York courts dev set: "generate a floor plan" is no rewording of the bank's "design
    # an office layout in 3D" (cosine below BANK_CLOSE), but it asks for the same kind of
    # job, which no approved product does; it landed on "Build AI applications" through
    # "court". AI_JOB_CLOSE lets the bank's AI jobs compete from a lower nearness.
    policy = load_policy(UIDAHO.parents[1] / "ny-courts" / "policy")
    index = build_index(1, policy, lambda: make_backend("hybrid"))
    answer = advise_message(index, "generate a floor plan for the new courthouse lobby")
    assert answer.outcome == "unmet"
    # The use case it landed on still answers its own job.
    own = advise_message(index, "deploy a language model on our own Azure tenant for a pilot app")
    assert own.outcome in {"answered", "tool_status"}
    assert own.use_case is not None
    assert own.use_case.id == "build-ai-apps"


def test_a_request_a_red_line_forbids_is_blocked_not_unmet_demand_when_no_job_fits() -> None:
    # K-12 dev set: no use case fits, and the harassment red line forbids the request
    # whatever the tool; it was logged as unmet demand, which leadership reads as a tool
    # to approve.
    index = build_index(1, load_policy(SSD), lambda: make_backend("hybrid"))
    answer = advise_message(index, "make a meme humiliating a coworker for the staff group chat")
    assert answer.outcome == "blocked"
    assert [r.id for r in answer.red_lines][:1] == ["harass-defame"]
    assert not answer.logged_unmet


def test_an_errand_about_a_kind_of_data_is_not_blocked_by_its_red_line() -> None:
    # The sample policy's restricted-data red line names credit cards; asking for a new card
    # puts no card data into an AI tool (CLINC150 banking questions were blocked by the
    # hundred when every triggered red line counted).
    policies = Path(__file__).resolve().parents[2] / "policies"
    index = build_index(1, load_policy(policies), lambda: make_backend("hybrid"))
    answer = advise_message(index, "how can i request a new credit card")
    assert answer.outcome != "blocked"
    pasted = advise_message(index, "card [CARD] exp 04/27, turn it into a refund email")
    assert pasted.outcome != "unmet"


def _writing_policy(*extra: dict) -> Policy:
    return Policy.model_validate({
        "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
        "use_cases": [
            {"id": "drafting", "name": "Drafting and rewriting",
             "description": "First drafts of letters, articles and emails, and rewrites.",
             "examples": ["draft a letter to a supplier", "write a short article for the intranet",
                          "rewrite this paragraph so it reads better"]},
            {"id": "summaries", "name": "Summarize documents",
             "description": "Summaries of long documents.",
             "examples": ["summarize a report", "key points of this document",
                          "tl;dr of a long pdf"]},
            *extra,
        ],
        "tools": [{"id": "helper", "name": "Helper", "status": "approved",
                   "summary": "The assistant.",
                   "good_for": ["drafting", "summaries", *(e["id"] for e in extra)]}],
    })


TRANSLATION = {"id": "translation", "name": "Translate text",
               "description": "Translate documents and messages between languages.",
               "examples": ["translate this letter into French",
                            "put our leaflet into Spanish and Polish",
                            "what does this German email say in English"]}


@pytest.mark.parametrize(
    "message",
    ["translate the supplier letter into German", "design a logo for the newsletter"],
)
def test_translation_and_image_jobs_are_unmet_where_only_writing_is_covered(message: str) -> None:
    # Machine translation and image generation are AI products of their own; a policy of
    # drafting and summaries landed them on "Drafting and rewriting" (shared verbs and
    # documents) until the bank's AI jobs held them.
    index = build_index(1, _writing_policy(), lambda: make_backend("hybrid"))
    answer = advise_message(index, message)
    assert answer.outcome == "unmet", answer.text
    assert answer.logged_unmet


def test_a_policy_that_covers_translation_keeps_it_out_of_its_out_of_scope_sample() -> None:
    # The bank's translation jobs are near this policy's own texts: they neither compete
    # nor calibrate its threshold as out-of-scope requests (they are its kind of work).
    plain = build_index(1, _writing_policy(), lambda: make_backend("hybrid"))
    index = build_index(1, _writing_policy(TRANSLATION), lambda: make_backend("hybrid"))
    calibrated = index.matcher.calibration
    assert calibrated is not None
    assert plain.matcher.calibration is not None
    assert calibrated.out_of_scope <= plain.matcher.calibration.out_of_scope - 2
    answer = advise_message(index, "translate the visitor guide into Spanish and Polish")
    assert answer.outcome == "answered"
    assert answer.use_case is not None
    assert answer.use_case.id == "translation"


HELDOUT = UIDAHO.parents[1]


@pytest.mark.parametrize(
    ("policy", "message", "outcome"),
    [
        # Plain writing work of the policy's own kind, terse or casual: answered.
        ("mro", "proofread press release", "answered"),
        ("sfpd", "can the bot whip up a quick caption for the coffee with a cop post",
         "answered"),
        # Work of a kind none of the policy's jobs is about, near one on its topic: unmet.
        ("ny-courts", "compose hold music for the court's phone system", "unmet"),
        ("tracklements", "design the label artwork for the new chutney", "unmet"),
    ],
)
def test_the_fit_decision_weighed_on_every_dev_policy_tells_covered_work_from_other_work(
    policy: str, message: str, outcome: str
) -> None:
    # The learned fit decision is fitted on the 27 dev policies' labelled questions (it was
    # fitted on 15, and said "nothing approved fits" to the first two, answered the last two).
    index = build_index(1, load_policy(HELDOUT / policy / "policy"),
                        lambda: make_backend("hybrid"))
    answer = advise_message(index, message)
    assert answer.outcome == outcome
    assert answer.logged_unmet is (outcome == "unmet")
