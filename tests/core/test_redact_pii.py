"""Redaction of national ids, cloud keys, card and phone formats, password phrases and names.

A table of real-shaped samples (checksums valid where the format has one) and of
ordinary chat text that must stay as typed. Key-shaped strings are assembled at run
time so secret scanners do not flag the repository.
"""

from __future__ import annotations

import pytest

from bot.core.redact import name_allowlist, redact
from bot.policy import load_policy
from bot.settings import ROOT

AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY"
GCP_KEY = "AI" + "za" + "SyD3x9Kq7Lm2Np4Rs6Tv8Wx0Yz1Ab3Cd5E"
GCP_CLIENT = "GOC" + "SPX-" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4"
AZURE_AD = "Xy7" + "8Q~" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"
AZURE_STORAGE = "Acc" + "ountKey=" + "Q2xvdWRTdG9yYWdl" * 5 + "S2V5MTIzNDU2Nzg5MDEy" + "=="
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
HF = "hf_" + "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"
RANDOM_B64 = "Zm9vYmFy" + "YmF6cXV4MTIzNDU2"

POSITIVE: list[tuple[str, str, str, dict[str, int]]] = [
    # (region, text, expected, found)
    # national ids
    ("US", "my SSN is 078-05-1120, is that ok to paste?", "my SSN is [NATIONAL_ID], is that ok "
     "to paste?", {"national_id": 1}),
    ("US", "ssn 123 45 6789", "ssn [NATIONAL_ID]", {"national_id": 1}),
    ("US", "social security number: 078051120", "social security number: [NATIONAL_ID]",
     {"national_id": 1}),
    ("GB", "NI number QQ 12 34 56 C please", "NI number [NATIONAL_ID] please",
     {"national_id": 1}),
    ("GB", "nino AB123456C", "nino [NATIONAL_ID]", {"national_id": 1}),
    ("DE", "Steuer-ID 86 095 742 719 ins Formular", "Steuer-ID [NATIONAL_ID] ins Formular",
     {"national_id": 1}),
    ("DE", "meine Steuer-ID ist 65929970489", "meine Steuer-ID ist [NATIONAL_ID]",
     {"national_id": 1}),
    ("FR", "NIR 1 84 12 76 451 089 46", "NIR [NATIONAL_ID]", {"national_id": 1}),
    ("FR", "sécu 255081416802538", "sécu [NATIONAL_ID]", {"national_id": 1}),
    ("ES", "DNI 12345678Z y NIE X1234567L", "DNI [NATIONAL_ID] y NIE [NATIONAL_ID]",
     {"national_id": 2}),
    ("NL", "BSN 111222333 of 1234.56.782", "BSN [NATIONAL_ID] of [NATIONAL_ID]",
     {"national_id": 2}),
    ("IT", "codice fiscale RSSMRA85T10A562S", "codice fiscale [NATIONAL_ID]",
     {"national_id": 1}),
    # cloud keys by pattern
    ("US", f"aws secret access key {AWS_SECRET} ok?", "aws secret access key [SECRET] ok?",
     {"secret": 1}),
    ("US", f"here: {AWS_SECRET}", "here: [SECRET]", {"secret": 1}),
    ("US", f"maps key {GCP_KEY}", "maps key [SECRET]", {"secret": 1}),
    ("US", f"client {GCP_CLIENT}", "client [SECRET]", {"secret": 1}),
    ("US", f"azure app secret {AZURE_AD} expired", "azure app secret [SECRET] expired",
     {"secret": 1}),
    ("US", f"conn string {AZURE_STORAGE}", "conn string AccountKey=[SECRET]", {"secret": 1}),
    ("US", f"{STRIPE} and {HF}", "[SECRET] and [SECRET]", {"secret": 2}),
    # by entropy near a key word
    ("US", f"the key is {RANDOM_B64} for staging", "the key is [SECRET] for staging",
     {"secret": 1}),
    ("US", f"token for the bot: {RANDOM_B64}", "token for the bot: [SECRET]", {"secret": 1}),
    # password / passcode / PIN phrases
    ("US", "my password is Sunflower77, can Copilot store it?",
     "my password is [SECRET], can Copilot store it?", {"secret": 1}),
    ("US", "the PIN is 4821", "the PIN is [SECRET]", {"secret": 1}),
    ("US", "door passcode is 'blue-otter'.", "door passcode is '[SECRET]'.", {"secret": 1}),
    ("DE", "Mein Passwort ist Geheim123", "Mein Passwort ist [SECRET]", {"secret": 1}),
    # cards with any separator, Luhn-checked
    ("US", "card 4111.1111.1111.1111 declined", "card [CARD] declined", {"card": 1}),
    ("US", "5500 0000 0000 0004 or 5500-0000-0000-0004", "[CARD] or [CARD]", {"card": 2}),
    # phones: the organization's region and international formats
    ("GB", "call me on 07700 900461", "call me on [PHONE]", {"phone": 1}),
    ("US", "UK mobile +44 7700 900461", "UK mobile [PHONE]", {"phone": 1}),
    ("DE", "ruf 0151 12345678 an", "ruf [PHONE] an", {"phone": 1}),
    ("FR", "appelle le 06 12 34 56 78", "appelle le [PHONE]", {"phone": 1}),
    # personal names
    ("US", "Can I paste the notes from my colleague Siobhan into Copilot?",
     "Can I paste the notes from my colleague [NAME] into Copilot?", {"name": 1}),
    ("US", "Jennifer Okafor asked me to summarise her contract",
     "[NAME] asked me to summarise her contract", {"name": 1}),
    ("US", "can I put priya's performance review into ChatGPT?",
     "can I put [NAME]'s performance review into ChatGPT?", {"name": 1}),
    ("US", "ask Will Turner whether the deck is final", "ask [NAME] whether the deck is final",
     {"name": 1}),
    ("US", "Dr. Okafor's patient notes", "Dr. [NAME]'s patient notes", {"name": 1}),
    ("US", "my colleague Claude wants his notes in Copilot",
     "my colleague [NAME] wants his notes in Copilot", {"name": 1}),
    ("US", "summarise the call with Michael and Sarah", "summarise the call with [NAME] and "
     "[NAME]", {"name": 2}),
    ("DE", "Kann ich die Notizen von Herrn Müller und Frau Schneider übersetzen?",
     "Kann ich die Notizen von Herrn Müller und Frau [NAME] übersetzen?", {"name": 1}),
    # numbers their label says are someone's: a card that fails Luhn is still pasted as
    # one, accounts, sort codes, tax file numbers, medical records, staff numbers
    ("AU", "card 4532 7788 1290 3341 exp 09/27, can AI write up the dispute",
     "card [CARD] exp 09/27, can AI write up the dispute", {"card": 1}),
    ("AU", "acct 062-000 1234 5678, bal $14,220.17", "acct [ACCOUNT], bal $14,220.17",
     {"account": 1}),
    ("AU", "BSB 062-123 acc 10456789 frozen", "BSB [ACCOUNT] acc [ACCOUNT] frozen",
     {"account": 2}),
    ("US", "my account number is 12345678", "my account number is [ACCOUNT]",
     {"account": 1}),
    ("US", "claim #20231234 was denied", "claim #[ACCOUNT] was denied", {"account": 1}),
    ("AU", "TFN 123 456 782 for the new applicant", "TFN [NATIONAL_ID] for the new applicant",
     {"national_id": 1}),
    ("US", "patient MRN 00482913 discharge", "patient MRN [ID] discharge", {"id": 1}),
    ("US", "emp # 448120 on leave", "emp # [ID] on leave", {"id": 1}),
]


@pytest.mark.parametrize(("region", "text", "expected", "found"), POSITIVE)
def test_sensitive_samples_are_redacted(region: str, text: str, expected: str,
                                        found: dict[str, int]) -> None:
    result = redact(text, region=region)
    assert result.text == expected
    assert result.found == found


NEGATIVE = [
    # tool names that are also first names, and everyday words that are names
    "Is Claude approved?",
    "Can I use Jasper for marketing copy?",
    "Is Gemini better than Perplexity for research?",
    "Will Copilot summarise a 40-page PDF?",
    "May I use DeepL for a customer letter?",
    "I'm on leave in May and June, can Otter take notes?",
    "Mark the action items from the Monday call",
    "What's the grace period? Grace is not a tool.",
    "Summarize the April report for the board",
    "chart this: Jan 1,204, Feb 1,187, Mar 1,390 calls",
    "deadline moved from 3 Jan to Jan 5th",
    "ask Alexa or Siri? ask Ada? ask Claude!",
    "I need an AI to drive the forklift",
    "Kann ich Kundendaten in ChatGPT eingeben?",
    "Puis-je utiliser DeepL pour traduire un contrat ?",
    # numbers that are not ids, cards or phones
    "order 1234567890123456 shipped in 2024",
    "version 3.11.7 and build 20240101",
    "invoice 000-12-3456 and 666-12-3456",
    "GB123456A is not a NINO prefix",
    "SKU 12345678 costs 4.50",
    "room 101, floor 3, ext. 4411",
    "loan book for 2024 2025 and the policy 2023 review",
    "student 6 of 30 in the class",
    "the account team has 12 people",
    # secrets-shaped prose
    "my password is expired, who resets it?",
    "the PIN is required for the printer",
    "what is a good key for the API? the key is documentation",
    "a git commit 3f9e1c7d2b8a6f5e4d3c2b1a0f9e8d7c6b5a4f3e fixed it",
    "max_tokens=4096 and token count: 5000",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_chat_is_kept(text: str) -> None:
    result = redact(text, region="GB")
    assert result.text == text, result.found


def test_policy_tool_names_are_an_allowlist() -> None:
    text = "Is Marvin approved? Marvin writes our newsletters."
    assert redact(text).text == "Is [NAME] approved? [NAME] writes our newsletters."
    allow = name_allowlist(["Marvin AI", "marvin-ai"])
    assert redact(text, allow=allow).text == text


def test_nothing_in_the_sample_policy_reads_as_personal_data() -> None:
    """The policy's own phrasings and tool names are asked daily: none may be redacted."""
    policy = load_policy(ROOT / "policies")
    allow = name_allowlist([t.name for t in policy.tools]
                           + [a for t in policy.tools for a in t.aliases])
    texts = [*(u.name for u in policy.use_cases), *(e for u in policy.use_cases
                                                     for e in u.examples),
             *(t.name for t in policy.tools), *(r.rule for r in policy.red_lines)]
    changed = [t for t in texts if redact(t, allow=allow).changed]
    assert changed == []
    assert len(texts) > 100


def test_names_redaction_is_idempotent() -> None:
    once = redact("my colleague Siobhan sent Jennifer Okafor's SSN 078-05-1120")
    assert once.text == "my colleague [NAME] sent [NAME]'s SSN [NATIONAL_ID]"
    assert redact(once.text).text == once.text


def test_a_month_beside_a_number_is_a_date_but_jan_is_still_a_name() -> None:
    """ "Jan 1,204" in pasted monthly figures is January; "Jan Novak" is a person."""
    result = redact("calls: Jan 1,204, Feb 1,187; meeting on 3 Jan with Jan Novak", region="GB")
    assert result.text == "calls: Jan 1,204, Feb 1,187; meeting on 3 Jan with [NAME]"
    assert result.found == {"name": 1}
