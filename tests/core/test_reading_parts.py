"""The exact parts of reading a message, each on its own: names and typos, the product
catalogue, red-line triggers, language identification and the small-talk bank."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.catalogue import catalogue
from bot.core.english import is_english_word
from bot.core.language import detect_foreign
from bot.core.matching.registry import make_backend
from bot.core.matching.text import normalize
from bot.core.names import NameIndex
from bot.core.redline_forbids import forbids
from bot.core.redline_matcher import RedLineMatcher
from bot.core.smalltalk import VECTORS, bank_hash, bank_texts, embedding_text
from bot.policy.files import load_policy
from bot.policy.models import Policy, RedLine

RIVERBEND = Path(__file__).parents[1] / "fixtures" / "policies" / "riverbend.yaml"


@pytest.mark.parametrize("word", ["German", "really", "grammar", "there", "summarised", "emails"])
def test_ordinary_words_are_words(word: str) -> None:
    assert is_english_word(word)


@pytest.mark.parametrize("word", ["geminy", "copilt", "chatgtp", "deepseak", "hepl"])
def test_typos_of_names_are_not_words(word: str) -> None:
    assert not is_english_word(word)


def _names() -> NameIndex:
    spellings = {
        "gemini": ["gemini"],
        "copilot-chat": ["microsoft 365 copilot chat", "copilot chat"],
        "public": ["free chatgpt", "chatgpt free version"],
    }
    return NameIndex(spellings.items())


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("geminy ok?", "gemini"),
        ("Gemini's data limit", "gemini"),
        ("coplot chat?", "copilot-chat"),
        ("chatgtp free version ok for city work?", "public"),
        ("is free chat-gpt fine", "public"),
    ],
)
def test_names_are_found_through_typos_and_spacing(text: str, key: str) -> None:
    [hit] = _names().find(normalize(text).split())
    assert hit.key == key


@pytest.mark.parametrize("text", ["translate this into German", "there something", "gemstone"])
def test_no_name_from_ordinary_words(text: str) -> None:
    assert _names().find(normalize(text).split()) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("paste it into a consumer chat tool", True),  # the singular of the name
        ("which consumer chat tools are fine", True),
        ("a consumer chat toolkit", False),
        ("use a chat tool", False),  # two-word names keep their spelling
    ],
)
def test_a_plural_name_is_met_in_the_singular(text: str, found: bool) -> None:
    names = NameIndex({"public": ["consumer chat tools"], "chat": ["chat tools"]}.items())
    hits = names.find(normalize(text).split())
    assert bool(hits) is found
    assert all(h.key == "public" for h in hits)


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("is DeepSeek allowed?", "DeepSeek"),
        ("can i use midjourny", "Midjourney"),
        ("anyone tried otter.ai?", "Otter.ai"),
        ("chat gpt allowed?", "ChatGPT"),
        ("Is Cursor allowed for this repo?", "Cursor"),
        ("elevenlabs for a voiceover", "ElevenLabs"),
    ],
)
def test_catalogue_recognizes_products(text: str, product: str) -> None:
    found = catalogue().find(text)
    assert found is not None
    assert found.name == product


@pytest.mark.parametrize(
    "text",
    ["move the cursor left", "make a chart", "a gamma distribution", "continue the list"],
)
def test_catalogue_ignores_everyday_words(text: str) -> None:
    assert catalogue().find(text) is None


def test_catalogue_is_large_and_well_formed() -> None:
    cat = catalogue()
    assert len(cat.products) >= 150
    assert all(p.kind in cat.kinds for p in cat.products.values())
    assert {p.kind for p in cat.products.values()} >= {
        "assistant", "image", "video", "music", "voice", "meeting", "coding", "browser"
    }


def _line(triggers: list[str], rule: str = "Never do this.") -> RedLine:
    return RedLine(id="x", title="The rule", rule=rule, why="Because.", triggers=triggers)


@pytest.mark.parametrize(
    ("trigger", "text", "fires"),
    [
        ("customer data", "data about our customers", True),
        ("customer data", "custmer data", True),
        ("SSN", "a list of SSNs", True),
        ("social security number", "their ssn please", True),
        ("password", "my pasword", True),
        ("customer data", "no customer data in it", False),
        ("patient names", "without any patient names", False),
        ("patient data", "patient data that has been anonymized", False),
        ("customer data", "customer satisfaction survey about delivery data", False),
    ],
)
def test_red_line_triggers(trigger: str, text: str, fires: bool) -> None:
    from bot.core.lexicon import spell_out

    matcher = RedLineMatcher([_line([trigger])], spell_out)
    assert bool(matcher.triggered(spell_out(text))) is fires


def test_literal_mentions_only_block() -> None:
    matcher = RedLineMatcher([_line(["decide"])])
    assert matcher.triggered("so the AI decided for us")
    assert not matcher.triggered("so the AI decided for us", literal=True)
    # a decision people made, asked about, is no mention at all
    assert not matcher.triggered("what they decided")
    assert matcher.triggered("let the AI decide this", literal=True)


def test_advice_red_lines_do_not_forbid() -> None:
    assert forbids(_line(["x"], "Do not paste secrets."))
    assert not forbids(_line(["x"], "Mention AI help when you publish."))
    assert forbids(RedLine.model_validate({**_line(["x"], "Say so.").model_dump(), "blocks": True}))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("¿Puedo usar ChatGPT para resumir un informe?", "es"),
        ("Kann ich Gemini für Kundendaten benutzen?", "de"),
        ("Puis-je utiliser Copilot pour traduire un document ?", "fr"),
        ("translate a contract into German", None),
        ("is DeepL ok for a Spanish contract?", None),
        ("la la land soundtrack summary", None),
        # Elided articles and pronouns are split off ("j'ai" -> "j'" "ai"); English
        # contractions are not.
        ("j'ai besoin d'une grille d'évaluation pour un projet", "fr"),
        ("I'm sure we're done, don't worry, it's fine", None),
    ],
)
def test_language_identification(text: str, code: str | None) -> None:
    found = detect_foreign(text)
    assert (found.code if found else None) == code


def test_shipped_small_talk_vectors_match_the_bank() -> None:
    with np.load(VECTORS) as data:
        assert str(data["bank"]) == bank_hash(), "run scripts/build_smalltalk_vectors.py"
        assert data["vectors"].shape[0] == len(bank_texts())


@pytest.mark.semantic
def test_small_talk_by_meaning_with_the_embedder() -> None:
    matcher = make_backend("semantic")
    index = build_index(1, load_policy(RIVERBEND), lambda: matcher)
    with np.load(VECTORS) as data:  # the shipped vectors are the model's own
        first = bank_texts()[0]
        fresh = matcher.embed([embedding_text(first)], cache=False)[0]  # type: ignore[attr-defined]
        assert float(data["vectors"][0].astype(np.float32) @ fresh) > 0.99
    for text in ["are you a real person or a bot", "sup bro"]:
        answer = advise_message(index, text)
        assert answer.outcome == "help", answer.text
    # The bundled model's manifest says English only.
    spanish = advise_message(index, "¿Puedo usar Gemini para resumir un artículo?")
    assert spanish.outcome == "language"


def test_a_multilingual_model_answers_other_languages() -> None:
    matcher = make_backend("lexical")
    matcher.languages = ("en", "es")  # type: ignore[attr-defined]
    index = build_index(1, load_policy(RIVERBEND), lambda: matcher)
    answer = advise_message(index, "¿Puedo usar Gemini para un artículo?")
    assert answer.outcome == "tool_status"
    assert answer.asked_tool is not None
    assert answer.asked_tool.id == "gemini"
    german = advise_message(index, "Kann ich Gemini für Studentendaten benutzen?")
    assert german.outcome == "language"
    assert "English and Spanish" in german.headline


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Confidential", "Confidential data"),
        ("Sensitive City data", "Sensitive City data"),
        ("Public information", "Public information"),
        ("P3 Moderate", "P3 Moderate data"),
    ],
)
def test_data_class_labels_read_right(label: str, words: str) -> None:
    from bot.core.wording import data_words

    assert data_words(label) == words


@pytest.mark.parametrize(
    ("title", "rule", "blocks"),
    [
        ("Never paste passwords", "Don't paste secrets into any AI tool.", True),
        ("No deepfakes", "Do not create fake images of real people.", True),
        ("Financial results stay out of AI tools", "They must not be put into AI.", True),
        ("Unapproved tools are for public data", "Do not put anything above P1 in them.", True),
        ("A person checks AI output", "Nothing goes out before a person reviews it.", False),
        ("Customer data only in approved tools", "Customer data may only go into X.", False),
        ("Say when AI wrote it", "Mention AI help when you publish.", False),
    ],
)
def test_which_red_lines_refuse_a_request(title: str, rule: str, blocks: bool) -> None:
    line = RedLine(id="x", title=title, rule=rule, why="Because.", triggers=["x"])
    assert forbids(line) is blocks


def test_a_use_cases_red_lines_are_worked_out_when_first_asked(sample_policy: Policy) -> None:
    # A one-shot `ask` shows the red lines of one use case; it must not pay for all of
    # them, and the answer must be the one the use case's own texts give.
    from bot.core.lexicon import PolicyLexicon, spell_out

    lexicon = PolicyLexicon(sample_policy)
    matcher = RedLineMatcher(sample_policy.red_lines, spell_out)
    concerned = 0
    for use_case in sample_policy.use_cases:
        texts = [use_case.name, use_case.description, *use_case.examples]
        found = {line for t in texts for line in matcher.triggered(t)}
        expected = tuple(r.id for r in sample_policy.red_lines if r.id in found)
        assert lexicon.use_case_red_lines(use_case.id) == expected
        concerned += bool(expected)
    assert concerned, "the sample policy has use cases that touch a red line"
    assert lexicon.use_case_red_lines("no-such-use-case") == ()
    fresh = PolicyLexicon(sample_policy)
    fresh.warm()  # what an answer worker does before the first question
    assert [fresh.use_case_red_lines(u.id) for u in sample_policy.use_cases] == [
        lexicon.use_case_red_lines(u.id) for u in sample_policy.use_cases
    ]
