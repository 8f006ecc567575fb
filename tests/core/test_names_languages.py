"""Names and languages on policies nobody tuned for (issue 9 §2, §4, §6).

Ordinary words, acronyms and place names are never read as an AI product; a policy whose
one entry is "AI tools" still answers catalogue questions as the catalogue; a message in a
language with no word profile is still told from English and answered honestly.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.advisor import PolicyIndex, advise_message, build_index
from bot.core.asked_names import asked_name, unknown_product
from bot.core.catalogue import catalogue
from bot.core.concierge import Concierge, Message
from bot.core.language import detect_foreign
from bot.core.matching.registry import make_backend
from bot.core.smalltalk import SmallTalk
from bot.policy.files import load_policy
from bot.store import Store

RIVERBEND = Path(__file__).parents[1] / "fixtures" / "policies" / "riverbend.yaml"

# A policy that names no product: its one approved entry is "the AI tools we use".
_NO_PRODUCT = """
meta:
  organization: Vantrix Logistics
  contact: the AI desk (ai@vantrix.example)
data_classes:
  - id: internal
    label: Internal
    description: Everyday company business that is not public.
    examples: [route plans, depot rotas, internal memos]
use_cases:
  - id: drafting
    name: Drafting and editing
    description: Write and improve emails, memos and notices.
    examples: [draft an email to a haulier, tidy up this memo, write a notice for the depot]
  - id: route-analysis
    name: Route analysis
    description: Look for patterns in delivery times and routes.
    examples: [which routes run late most often, spot delays in last month's deliveries,
               compare depot turnaround times]
tools:
  - id: vantrix-ai
    name: AI tools used at Vantrix Logistics
    aliases: [AI tools, our AI tools, the AI tool, AI]
    status: approved
    summary: The AI tools Vantrix has reviewed, for drafting and route analysis.
    good_for: [drafting, route-analysis]
    max_data_class: internal
  - id: vantrix-secure-chat
    name: Vantrix Secure Chat
    status: approved
    summary: The company's own chat assistant.
    good_for: [drafting]
    max_data_class: internal
red_lines:
  - id: no-driver-scoring
    title: No AI scoring of drivers
    rule: Do not use AI to rate or rank individual drivers.
    why: Drivers are judged by their managers, who can explain their decisions.
    triggers: [rank drivers, score drivers]
"""


@pytest.fixture(scope="module")
def riverbend() -> PolicyIndex:
    return build_index(1, load_policy(RIVERBEND), lambda: make_backend("lexical"))


@pytest.fixture(scope="module")
def vantrix(tmp_path_factory: pytest.TempPathFactory) -> PolicyIndex:
    path = tmp_path_factory.mktemp("vantrix") / "policy.yaml"
    path.write_text(_NO_PRODUCT, encoding="utf-8")
    return build_index(1, load_policy(path), lambda: make_backend("lexical"))


@pytest.mark.parametrize(
    "text",
    [
        # an everyday word that is a catalogue name ("Make"), in another form
        "a signup page that makes people stay longer",
        # one plain word is no name written in parts ("D-ID")
        "we did a webinar last week and I didn't take notes",
        # an acronym in capitals is not the product written "Pi"
        "list the reporting dates for each PI on the grant",
        # a place name, capitalized beside another capitalized word, is no typo of "Kling"
        "check congestion on the Klang Valley links",
        # a typo nearer to a plain word than to a name ("descripton", not "Descript")
        "wrtie a product descripton for the shop",
    ],
)
def test_ordinary_words_and_places_are_no_products(text: str) -> None:
    assert catalogue().hits(text) == []


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("is Pi allowed for brainstorming?", "Pi"),
        ("can we use Make for the invoice automations", "Make"),
        ("is D-ID ok for an avatar video", "D-ID"),
        ("geminy ok?", "Gemini"),
        ("can i use claud for this", "Claude"),
        ("try Klang for the video", "Kling"),
    ],
)
def test_products_are_still_recognized(text: str, product: str) -> None:
    found = catalogue().find(text)
    assert found is not None
    assert found.name == product


@pytest.mark.parametrize(
    "text",
    [
        "could i get help draftin a responce to the landlord",
        "can i get help writting a letter to the council",
        "is there something we use for transcription?",
        "is this something we use?",
        "the summary, can i use it in my deck?",
    ],
)
def test_misspelt_work_is_no_unknown_tool(text: str) -> None:
    assert unknown_product(text, asked_name(text)) == (None, None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an everyday-word product at the start of a tool question is the one asked about
        ("Jasper for blog posts - allowed?", "Jasper"),
        # the product is where the AI is, not "the AI features"
        ("what about the AI features in Salesforce?", "Salesforce"),
        # "something we use" asks a tool's standing; the product is what comes before it
        ("is the Talvix AI interview scoring something we use?", "Talvix AI interview scoring"),
        # a maker's AI, named first, then asked about: the maker's name may be a plain word
        ("Juniper's AI assistant in the router console, can we use it?",
         "Juniper's AI assistant"),
    ],
)
def test_the_asked_product_is_found(text: str, name: str) -> None:
    assert unknown_product(text, asked_name(text))[1] == name


def test_an_unknown_name_is_still_a_product() -> None:
    text = "is Jenni AI allowed?"
    assert unknown_product(text, asked_name(text)) == (None, "Jenni AI")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Boleh saya guna AI untuk tulis laporan mesyuarat?", "ms"),
        ("Bisakah saya menggunakan ChatGPT untuk menulis laporan?", "ms"),
        ("A gaf i ddefnyddio AI i ysgrifennu adroddiad?", "cy"),
        ("Czy mogę użyć ChatGPT do napisania raportu?", "pl"),
        ("Kan jag använda ChatGPT för att skriva ett mejl?", "sv"),
        ("Yapay zeka ile rapor yazabilir miyim?", "tr"),
        ("Можно ли использовать ChatGPT для отчёта?", "cyr"),
        ("我可以用ChatGPT写报告吗", "cjk"),
        ("ChatGPTで報告書を書いてもいいですか", "ja"),
        # no profile: still not English
        ("Je, naweza kutumia ChatGPT kuandika ripoti?", "und"),
        ("Voiko ChatGPT:tä käyttää raportin kirjoittamiseen?", "und"),
        # English, however written
        ("wrtie a job descripton for a pharmacy tech pls", None),
        ("gdpr dpia template", None),
        ("summarise meeting notes pls", None),
        ("https://intranet.example/ai-policy", None),
    ],
)
def test_languages_beyond_the_profiles(text: str, code: str | None) -> None:
    found = detect_foreign(text)
    assert (found.code if found else None) == code


def test_tool_names_say_nothing_of_the_language() -> None:
    assert detect_foreign("Est-ce que je peux utiliser Le Chat ?", {"le", "chat"}) is not None
    assert detect_foreign("is Le Chat ok for work?", {"le", "chat"}) is None


@pytest.mark.parametrize(
    "text",
    [
        "Boleh saya guna Gemini untuk tulis laporan?",
        "Naweza kutumia Claude kuandika ripoti ya mkutano?",
        "我可以用Claude写报告吗",
    ],
)
def test_any_other_language_gets_the_honest_reply(riverbend: PolicyIndex, text: str) -> None:
    answer = advise_message(riverbend, text)
    assert answer.outcome == "language", answer.headline
    assert answer.asked_tool is None
    assert "English" in answer.headline


async def test_another_language_is_never_unmet_demand(
    concierge: Concierge, store: Store
) -> None:
    text = "Naweza kutumia AI kuandika ripoti ya mkutano wa wiki hii?"
    answer = await concierge.answer(Message(text=text, asker="U1", platform="slack"))
    assert answer.outcome == "language"
    assert "another language" in answer.headline
    assert answer.unmet_id is None
    assert await store.unmet.list() == []


@pytest.mark.parametrize(
    "text",
    [
        "which AI tools are we allowed to use at Vantrix?",
        "what AI tools do we have at Vantrix Logistics",
        "who approves AI tools here",
    ],
)
def test_catalogue_questions_stay_help_when_a_tool_is_called_ai_tools(
    vantrix: PolicyIndex, text: str
) -> None:
    answer = advise_message(vantrix, text)
    assert answer.outcome == "help", answer.headline
    assert answer.asked_tool is None


def test_a_job_for_the_ai_tools_entry_is_still_about_it(vantrix: PolicyIndex) -> None:
    answer = advise_message(vantrix, "can I use our AI tools to draft an email to a haulier?")
    assert answer.outcome != "help"
    assert "vantrix-ai" in {t.id for t in answer.tools} | (
        {answer.asked_tool.id} if answer.asked_tool else set()
    )


def test_work_for_the_ai_entry_is_a_request_not_a_status(vantrix: PolicyIndex) -> None:
    # "AI" is no product asked about: the job is matched (and may be checked or refused)
    answer = advise_message(vantrix, "use AI to spot delays in last month's deliveries")
    assert answer.outcome == "answered", answer.headline
    assert answer.use_case is not None
    assert answer.use_case.id == "route-analysis"


def test_a_product_beside_the_organization_is_the_one_asked(vantrix: PolicyIndex) -> None:
    answer = advise_message(vantrix, "is Perplexity approved at Vantrix?")
    assert answer.outcome == "tool_status"
    assert answer.asked_tool is not None
    assert answer.asked_tool.name == "Perplexity"


@pytest.mark.parametrize(
    ("text", "label"),
    [("thanks lah", "thanks"), ("merci beaucoup", "thanks"), ("what are you exactly", "identity")],
)
def test_a_bank_example_with_a_word_added_is_small_talk(text: str, label: str) -> None:
    hit = SmallTalk(["draft an email to a haulier", "spot delays in deliveries"]).classify(text)
    assert hit is not None
    assert hit.label == label


@pytest.mark.parametrize("text", ["thanks email", "hello world", "thank you card"])
def test_a_thing_added_makes_a_request(text: str) -> None:
    assert SmallTalk(["draft an email to a haulier"]).classify(text) is None
