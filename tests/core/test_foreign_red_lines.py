"""Red lines shown with the reply to a message in another language (issue 9 §5, §6).

The matcher reads English only, so such a message gets an honest "I understand English"
reply; the red lines it concerns still show: a tool's name reads the same in any
language, and a verb of putting something in is kept per language as data. Harbor Dental
is a small policy written for these tests.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.advice.index import PolicyIndex, build_index
from bot.core.advisor import advise_message
from bot.core.matching.registry import make_backend
from bot.policy import Policy


def _line(line_id: str, title: str, rule: str, triggers: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": line_id, "title": title, "rule": rule, "why": "Because.",
            "triggers": triggers, **extra}


POLICY: dict[str, Any] = {
    "meta": {"organization": "Harbor Dental", "contact": "the practice manager"},
    "data_classes": [
        {"id": "public", "label": "Public", "description": "Published.",
         "examples": ["opening hours", "price list"]},
        {"id": "internal", "label": "Internal", "description": "Internal.",
         "examples": ["rotas", "supplier invoices"]},
        {"id": "patient", "label": "Patient data", "description": "About patients.",
         "examples": ["patient records", "x-rays", "treatment plans"]},
    ],
    "use_cases": [
        {"id": "write", "name": "Draft emails and letters",
         "description": "Write emails and letters.",
         "examples": ["draft an email to a supplier", "write a letter to a patient",
                      "polish this email"]},
        {"id": "sum", "name": "Summarise documents", "description": "Summarise documents.",
         "examples": ["summarise this report", "shorten this document",
                      "key points of the minutes"]},
    ],
    "tools": [
        {"id": "copilot", "name": "Microsoft Copilot", "aliases": ["Copilot"],
         "status": "approved", "summary": "The practice's assistant.",
         "good_for": ["write", "sum"], "max_data_class": "internal"},
        {"id": "personal-ai", "name": "Personal AI accounts", "status": "prohibited",
         "summary": "Accounts staff pay for themselves."},
    ],
    "red_lines": [
        _line("no-patient-data", "No patient data in any AI tool",
              "Patient records never go into an AI tool.", ["patient records"]),
        _line("practice-accounts", "Only practice-approved AI tools",
              "Use only the AI tools the practice approved, with your practice account.",
              ["my own account"], applies_to=["personal-ai"]),
        _line("check-output", "Check AI output before a patient sees it",
              "A person reads every AI-written letter before it is sent.",
              ["send it unchecked"]),
    ],
}


@pytest.fixture(scope="module")
def harbor() -> PolicyIndex:
    return build_index(1, Policy.model_validate(POLICY), lambda: make_backend("lexical"))


def _shown(index: PolicyIndex, text: str) -> tuple[str, list[str]]:
    answer = advise_message(index, text)
    return answer.outcome, [r.id for r in answer.red_lines]


@pytest.mark.parametrize("text", [
    "Darf ich Patientenakten in Copilot eingeben?",
    "Est-ce que je peux coller le dossier d'un patient dans Copilot ?",
    "¿Puedo pegar el historial de un paciente en Copilot?",
])
def test_data_put_into_an_approved_tool_shows_the_data_line(
    harbor: PolicyIndex, text: str
) -> None:
    outcome, lines = _shown(harbor, text)
    assert (outcome, lines[:1]) == ("language", ["no-patient-data"])
    # what else shows is what the question gets in English ("Patientenakten" glossed as
    # "patient records": the check line's title speaks of patients)
    english = _shown(harbor, "Can I enter patient records into Copilot?")[1]
    assert set(lines) <= set(english)


def test_an_unlisted_tool_gets_the_rule_for_unlisted_tools(harbor: PolicyIndex) -> None:
    # Asking to use it puts nothing in: the rule, not the data line.
    assert _shown(harbor, "¿Puedo usar DeepSeek en el trabajo?") == (
        "language", ["practice-accounts"])
    outcome, lines = _shown(harbor, "Kann ich die Röntgenbilder eines Patienten in "
                                    "DeepSeek hochladen?")
    assert outcome == "language"
    assert set(lines) == {"no-patient-data", "practice-accounts"}
    # named beside the approved tool, the unlisted one still gets the rule
    assert _shown(harbor, "Posso usar o Gemini em vez do Copilot para os e-mails?") == (
        "language", ["practice-accounts"])


def test_using_an_approved_tool_shows_no_line(harbor: PolicyIndex) -> None:
    assert _shown(harbor, "¿Puedo usar Copilot para escribir un correo?") == ("language", [])
    # "d'IA" is no misspelt product name (the catalogue's Dia browser)
    assert _shown(harbor, "Quels outils d'IA le cabinet autorise-t-il ?") == ("language", [])
    assert _shown(harbor, "Kann ich mit Copilot einen Bericht zusammenfassen?") == (
        "language", [])


def test_the_reply_text_carries_the_line(harbor: PolicyIndex) -> None:
    answer = advise_message(harbor, "Darf ich Patientenakten in Copilot eingeben?")
    assert "No patient data in any AI tool" in answer.text
    assert answer.headline.startswith("Sorry, I can only understand English")


# A line whose words read nearly the same in other languages: its triggers fire as in
# English (a typo's distance: "confidentiel" for "confidential"), with no verb of putting in.
_CASES = {**POLICY, "red_lines": [*POLICY["red_lines"], _line(
    "no-case-files", "No confidential complaint files in AI",
    "Confidential complaint files are never summarised or rewritten with AI.",
    ["confidential"], blocks=True)]}


@pytest.fixture(scope="module")
def cases() -> PolicyIndex:
    return build_index(1, Policy.model_validate(_CASES), lambda: make_backend("lexical"))


def test_a_trigger_that_reads_the_same_in_another_language_shows(cases: PolicyIndex) -> None:
    assert _shown(cases, "Copilot peut-il résumer un rapport confidentiel ?") == (
        "language", ["no-case-files"])
    assert _shown(cases, "Copilot peut-il résumer un rapport public ?") == ("language", [])


# Lines whose words read differently in other languages: the message is glossed into
# English (data/glossary.yaml) and the English triggers read the gloss.
_ACTS = {**POLICY, "red_lines": [*POLICY["red_lines"],
    _line("no-fake-reviews", "No fake reviews", "Never use AI to write fake reviews.",
          ["fake reviews"]),
    _line("people-decide", "People decide about applicants",
          "AI must never reject applicants on its own.", ["reject applicants"])]}


@pytest.fixture(scope="module")
def acts() -> PolicyIndex:
    return build_index(1, Policy.model_validate(_ACTS), lambda: make_backend("lexical"))


@pytest.mark.parametrize(("text", "line"), [
    ("¿Puede la IA escribir reseñas falsas de la clínica?", "no-fake-reviews"),
    ("Kann die KI gefälschte Bewertungen für die Praxis schreiben?", "no-fake-reviews"),
    ("L'IA peut-elle rédiger de faux avis sur le cabinet ?", "no-fake-reviews"),
    ("Kann die KI Bewerber automatisch ablehnen?", "people-decide"),
    ("¿Puede la IA rechazar a los candidatos sin que yo los vea?", "people-decide"),
])
def test_a_line_in_other_words_is_read_through_the_gloss(
    acts: PolicyIndex, text: str, line: str
) -> None:
    outcome, lines = _shown(acts, text)
    assert outcome == "language"
    assert line in lines


@pytest.mark.parametrize("text", [
    "¿Puedo usar Copilot para escribir un informe para los clientes?",
    "Kann ich mit Copilot eine Antwort an einen Bewerber schreiben?",
    "Est-ce que Copilot peut résumer les avis des patients ?",
])
def test_ordinary_requests_in_glossed_words_show_no_line(acts: PolicyIndex, text: str) -> None:
    assert _shown(acts, text) == ("language", [])


# Situations read on the gloss as in English (`situation_lines`): a skipped check, AI
# deciding alone, one's own device; in the languages glossed (es, de, fr, it, pt, nl).
_SITUATIONS = {**_ACTS, "red_lines": [*_ACTS["red_lines"],
    _line("own-devices", "No practice work on personal devices",
          "Use AI tools only on practice devices.", ["home computer"]),
    _line("people-judge", "Decisions stay with people",
          "AI supports decisions; a person makes them.", ["final say"])]}


@pytest.fixture(scope="module")
def situations() -> PolicyIndex:
    return build_index(1, Policy.model_validate(_SITUATIONS), lambda: make_backend("lexical"))


@pytest.mark.parametrize(("text", "line"), [
    ("Kan ik de brief die Copilot schreef meteen naar de patiënt sturen, zonder hem na te "
     "lezen?", "check-output"),
    ("Posso mandare la lettera di Copilot al paziente senza rileggerla?", "check-output"),
    ("A IA pode escrever e mandar sozinha os e-mails para os pacientes?", "check-output"),
    ("Ich will zu Hause auf meinem privaten Laptop mit Copilot Briefe schreiben. Geht das?",
     "own-devices"),
    ("¿Puedo usar Copilot en mi móvil para contestar correos del trabajo?", "own-devices"),
    ("L'IA décide toute seule quels rendez-vous annuler ?", "people-judge"),
])
def test_a_situation_is_read_through_the_gloss(
    situations: PolicyIndex, text: str, line: str
) -> None:
    outcome, lines = _shown(situations, text)
    assert outcome == "language"
    assert line in lines


@pytest.mark.parametrize("text", [
    "Posso usare Copilot per riassumere un articolo sulla prevenzione dentale?",
    "Kan Copilot een nieuwsbrief voor onze patiënten schrijven?",
    "O Copilot pode resumir o relatório anual sem os nomes?",
    "Kann ich mit Copilot auf meinem Dienstrechner eine E-Mail schreiben?",
])
def test_ordinary_requests_show_no_situation_line(situations: PolicyIndex, text: str) -> None:
    assert _shown(situations, text) == ("language", [])
