"""Tests for bot.core.redact.

Token-like strings are assembled at runtime so that secret scanners do not flag the repo.
"""

from __future__ import annotations

import base64
import json
import time

import pytest

from bot.core.redact import PLACEHOLDERS, Redaction, pseudonymize, redact, redact_text


def _b64url(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


SLACK_BOT = "xoxb-" + "1" * 12 + "-" + "2" * 13 + "-" + "aB3d" * 6
SLACK_USER = "xoxp-" + "3" * 12 + "-" + "4" * 12 + "-" + "5" * 12 + "-" + "f0" * 16
SLACK_CONFIG = "xoxe." + "xoxp-1-" + "Mi0y" * 40
SLACK_REFRESH = "xoxe-1-" + "My1x" * 36
SLACK_APP = "xapp-1-A" + "0" * 10 + "-" + "1" * 13 + "-" + "ab12" * 16
SLACK_HOOK = "https://hooks.slack.com/services/" + "T" + "0" * 8 + "/B" + "0" * 8 + "/" + "Xy9" * 8
OPENAI_LEGACY = "sk-" + "a1B2c3" * 8
OPENAI_PROJ = "sk-" + "proj-" + "Q7_w-" * 10
OPENAI_SVC = "sk-" + "svcacct-" + "Zx8" * 12
OPENAI_ADMIN = "sk-" + "admin-" + "Kp4" * 12
AWS_ID = "AK" + "IA" + "ABCDEFGH23456789"
AWS_STS = "AS" + "IA" + "ZYXWVUT987654321"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY"
GH_CLASSIC = "gh" + "p_" + "a1B2" * 9
GH_OAUTH = "gh" + "o_" + "Zz90" * 9
GH_FINE = "github" + "_pat_" + "11" + "A" * 20 + "_" + "b7" * 29
JWT = ".".join(
    [_b64url({"alg": "HS256", "typ": "JWT"}), _b64url({"sub": "1234567890"}), "s1G" * 14]
)
PEM = (
    "-----BEGIN "
    + "RSA PRIVATE KEY-----\n"
    + "MIIEowIBAAKCAQEA" * 4
    + "\n"
    + "q1w2e3r4" * 8
    + "\n"
    + "-----END "
    + "RSA PRIVATE KEY-----"
)
BEARER_VALUE = "abcDEF" + "123456" + "ghiJKL"


@pytest.mark.parametrize(
    ("text", "expected", "found"),
    [
        # emails
        (
            "can I paste jane.doe@corp.example.com into Copilot?",
            "can I paste [EMAIL] into Copilot?",
            {"email": 1},
        ),
        (
            "<mailto:j.smith+ai@corp.io|j.smith+ai@corp.io>",
            "<mailto:[EMAIL]|[EMAIL]>",
            {"email": 2},
        ),
        ("écrire à josé@bücher.de.", "écrire à [EMAIL].", {"email": 1}),
        # phones: default region and international
        ("call me at (415) 555-2671 tomorrow", "call me at [PHONE] tomorrow", {"phone": 1}),
        ("UK desk +44 20 7946 0958, DE +49 30 901820", "UK desk [PHONE], DE [PHONE]", {"phone": 2}),
        ("<tel:+14155552671|+1 415 555 2671>", "<tel:[PHONE]|[PHONE]>", {"phone": 2}),
        # cards, Luhn-checked, with spaces, dashes or bare
        ("my card 4111 1111 1111 1111 got declined", "my card [CARD] got declined", {"card": 1}),
        ("5500-0000-0000-0004", "[CARD]", {"card": 1}),
        ("amex 378282246310005 / 3782 822463 10005", "amex [CARD] / [CARD]", {"card": 2}),
        ("ref 1234 4111 1111 1111 1111 thanks", "ref 1234 [CARD] thanks", {"card": 1}),
        # IBANs, mod-97
        ("pay GB82WEST12345698765432 today", "pay [IBAN] today", {"iban": 1}),
        ("IBAN: DE89 3704 0044 0532 0130 00.", "IBAN: [IBAN].", {"iban": 1}),
        ("GB82 WEST 1234 5698 7654 32 OK?", "[IBAN] OK?", {"iban": 1}),
        # IP addresses
        (
            "ssh to 10.20.30.40:22 or http://192.168.1.1/admin",
            "ssh to [IP]:22 or http://[IP]/admin",
            {"ip": 2},
        ),
        ("host 2001:db8::8a2e:370:7334 and fe80::1%eth0.", "host [IP] and [IP]%eth0.", {"ip": 2}),
        ("mapped ::ffff:192.0.2.128 here", "mapped [IP] here", {"ip": 1}),
        # secrets
        (f"token {SLACK_BOT} works?", "token [SECRET] works?", {"secret": 1}),
        (
            f"{SLACK_USER} {SLACK_CONFIG} {SLACK_REFRESH}",
            "[SECRET] [SECRET] [SECRET]",
            {"secret": 3},
        ),
        (f"socket mode {SLACK_APP}", "socket mode [SECRET]", {"secret": 1}),
        (f"post to {SLACK_HOOK} please", "post to [SECRET] please", {"secret": 1}),
        (
            f"{OPENAI_LEGACY} {OPENAI_PROJ} {OPENAI_SVC} {OPENAI_ADMIN}",
            "[SECRET] [SECRET] [SECRET] [SECRET]",
            {"secret": 4},
        ),
        (f"keys {AWS_ID} and {AWS_STS}", "keys [SECRET] and [SECRET]", {"secret": 2}),
        (
            f"aws_secret_access_key = {AWS_SECRET}",
            "aws_secret_access_key = [SECRET]",
            {"secret": 1},
        ),
        (f"AWS_SECRET_ACCESS_KEY={AWS_SECRET}", "AWS_SECRET_ACCESS_KEY=[SECRET]", {"secret": 1}),
        (f"jwt {JWT}", "jwt [SECRET]", {"secret": 1}),
        (f"Authorization: Bearer {BEARER_VALUE}", "Authorization: Bearer [SECRET]", {"secret": 1}),
        (
            "Authorization: Basic " + "dXNlcjpw" + "YXNzd29yZA==",
            "Authorization: Basic [SECRET]",
            {"secret": 1},
        ),
        (f"curl -H 'bearer {BEARER_VALUE}'", "curl -H 'bearer [SECRET]'", {"secret": 1}),
        (f"{GH_CLASSIC} {GH_OAUTH} {GH_FINE}", "[SECRET] [SECRET] [SECRET]", {"secret": 3}),
        (f"key:\n{PEM}\nthanks", "key:\n[SECRET]\nthanks", {"secret": 1}),
        ("truncated " + PEM[:60], "truncated [SECRET]", {"secret": 1}),
        (
            "password=hunter2 and api_key: 'abc123def'",
            "password=[SECRET] and api_key: '[SECRET]'",
            {"secret": 2},
        ),
        (
            '{"client_secret": "s3cr3t!", "token": "t0k"}',
            '{"client_secret": "[SECRET]", "token": "[SECRET]"}',
            {"secret": 2},
        ),
        ("secret: Tr0ub4dor&3 ok", "secret: [SECRET] ok", {"secret": 1}),
        (
            "https://x.example/cb?token=abc123&state=ok",
            "https://x.example/cb?token=[SECRET]&state=ok",
            {"secret": 1},
        ),
    ],
)
def test_each_kind_is_found_and_replaced(text: str, expected: str, found: dict[str, int]) -> None:
    result = redact(text)
    assert result.text == expected
    assert result.found == found
    assert result.changed


@pytest.mark.parametrize(
    "text",
    [
        "summarize a 40-page PDF from 2024",
        "version 3.11.7",
        "upgrade from Python 3.11.7 to v1.2.3.4",
        "room 101",
        "Q3 2025 numbers",
        "meeting on 2024-01-01 at 10:30",
        "due 01/02/2024 14:00:00, or 31.12.2024",
        "timestamp 2024-01-01T10:30:00Z",
        "card ending 4111 1111 1111 1112 is not a card",  # 16 digits, fails Luhn
        "order 1234567890123456",  # non-Luhn, bare
        "scores 1 2 3 4 5 6 7 8 9 10 11 12 13 14",
        "pages 100-200 and 2023-2024 budget",
        "std::vector and 10:30:00 and ::",
        "max_tokens=4096 and token count: 5000",
        "bearer of bad news; Bearer authentication; Authorization: Bearer",
        "should we use sk-learn-vs-pytorch-for-tabular-data?",
        "a@b and @here and foo@localhost",
        "",
    ],
)
def test_ordinary_text_is_unchanged(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.found == {}
    assert not result.changed


def test_multiple_findings_in_one_message() -> None:
    text = (
        f"Hi, I'm jane@corp.com (+1 415-555-2671). Is it OK to paste {SLACK_BOT} "
        "and card 4111-1111-1111-1111 from 10.0.0.5 into ChatGPT? Also bob@corp.com."
    )
    result = redact(text)
    assert result.text == (
        "Hi, I'm [EMAIL] ([PHONE]). Is it OK to paste [SECRET] "
        "and card [CARD] from [IP] into ChatGPT? Also [EMAIL]."
    )
    assert result.found == {"secret": 1, "email": 2, "card": 1, "ip": 1, "phone": 1}


@pytest.mark.parametrize(
    "text",
    [
        "password=hunter2 and Authorization: Bearer " + BEARER_VALUE,
        f"mail jane@corp.com, {AWS_ID}, GB82WEST12345698765432, 4111111111111111, ::1",
        f"{PEM} and token: {JWT}",
        "nothing to see",
    ],
)
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)
    twice = redact(once.text)
    assert twice.text == once.text
    assert twice.found == {}


def test_unicode_text_is_preserved() -> None:
    text = "Größe? café ☕ — 日本語のテキスト, email: zoë@example.com 🙂 «merci»"
    result = redact(text)
    assert result.text == "Größe? café ☕ — 日本語のテキスト, email: [EMAIL] 🙂 «merci»"
    assert redact_text("naïve résumé 👍") == "naïve résumé 👍"


@pytest.mark.parametrize(
    "unit",
    [
        "a",
        "1",
        "1 ",
        "1-",
        "1.",
        "1:",
        "ab:",
        "a.",
        "a@",
        "@a.",
        "a.b@c",
        "eyJ-",
        "eyJa.",
        "sk-a",
        "xoxb-",
        "password=",
        "password ",
        "a_password:",
        "'password': '",
        "Authorization: ",
        "Bearer ",
        "GB82 ",
        "AKIA",
        "4111 ",
        "+1 ",
        " \t",
        "é1@",
        "-----BEGIN " + "PRIVATE KEY-----\n",
        "hooks.slack.com/services/",
        "x@y.co 10.0.0.1 +1 415 555 2671 ",
    ],
)
def test_hostile_20k_input_finishes_quickly(unit: str) -> None:
    """Guard against catastrophic backtracking, not a benchmark (speed is bench/redact.py).

    CPU time of this process, not wall time, so other jobs on a shared machine cannot fail
    it; backtracking on 20,000 characters costs minutes, linear work well under a second.
    """
    text = (unit * (20_000 // len(unit) + 1))[:20_000]
    start = time.process_time()
    result = redact(text)
    elapsed = time.process_time() - start
    assert elapsed < 2.0, f"{unit!r}: {elapsed:.3f}s of CPU"
    assert isinstance(result, Redaction)


def test_redaction_is_a_frozen_value() -> None:
    result = redact("jane@corp.com")
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]
    assert redact_text("jane@corp.com") == result.text == PLACEHOLDERS["email"]


def test_region_controls_national_phone_numbers() -> None:
    assert redact("phone 020 7946 0958").text == "phone 020 7946 0958"
    assert redact("phone 020 7946 0958", region="GB").text == "phone [PHONE]"


def test_pseudonymize_is_stable_keyed_and_hides_the_input() -> None:
    key = b"k" * 32
    first = pseudonymize("U012ABCDEF", key)
    assert first == pseudonymize("U012ABCDEF", key)
    assert len(first) == 32
    assert all(c in "0123456789abcdef" for c in first)
    assert "U012ABCDEF" not in first
    assert pseudonymize("U012ABCDEF", b"other-key") != first
    assert pseudonymize("U012ABCDEG", key) != first


def test_pseudonymize_refuses_an_empty_key() -> None:
    with pytest.raises(ValueError, match="non-empty key"):
        pseudonymize("U012ABCDEF", b"")
