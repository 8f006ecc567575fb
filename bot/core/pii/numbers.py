"""Contact and payment data: emails, IBANs, card numbers, IP addresses and phone numbers."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported by phone_spans: most messages have too few digits to need it
    import phonenumbers

__all__ = [
    "account_spans",
    "card_spans",
    "email_spans",
    "iban_spans",
    "id_spans",
    "ip_spans",
    "labelled_card_spans",
    "labelled_national_id_spans",
    "phone_spans",
]

Span = tuple[int, int]

# Unicode-aware (josé@bücher.de); lengths are the RFC 5321 limits, which also bound backtracking.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[\w-]{1,63}\.){1,8}[^\W\d_]{2,63}(?![\w-])")


def email_spans(text: str) -> Iterator[Span]:
    if "@" in text:
        yield from (m.span() for m in _EMAIL.finditer(text))


# Country code, check digits, then 11-30 alphanumerics, optionally in groups of four.
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])")


def _iban_ok(candidate: str) -> bool:
    """ISO 13616 mod-97 check: rotate the first four characters, letters become 10..35."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rotated = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1


def iban_spans(text: str) -> Iterator[Span]:
    for m in _IBAN.finditer(text):
        candidate = m.group()
        # The greedy match may have swallowed a following upper-case word ("... 32 OK").
        while not _iban_ok(candidate) and " " in candidate:
            candidate = candidate.rsplit(" ", 1)[0]
        if _iban_ok(candidate):
            yield m.start(), m.start() + len(candidate)


# A run of digit groups separated by single spaces, dashes or dots; possessive, so linear.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]++(?:[ .\-][0-9]++)*+")
_GROUP = re.compile(r"[0-9]+")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_spans(text: str) -> Iterator[Span]:
    """Card numbers: 13-19 digits, bare or printed in groups (4-4-4-4, 4-6-5), Luhn-valid.

    Groups may be separated by spaces, dashes or dots, one kind per number. Windows of
    groups are tried inside each run, so "ref 1234 4111 1111 1111 1111" still finds the
    card, while "1 2 3 4 5 6 7 8 9 10 11 12 13" (groups under 3 digits) does not.
    """
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run.group())
        ]
        i = 0
        while i < len(groups):
            hit = None
            digits = ""
            separator = None
            for j in range(i, len(groups)):
                s, e = groups[j]
                size = e - s
                if j > i:
                    sep = text[groups[j - 1][1]]
                    if separator is None:
                        separator = sep
                    if sep != separator or size < 3 or size > 6 or \
                            groups[i][1] - groups[i][0] != 4:
                        break
                digits += text[s:e]
                if len(digits) > 19:
                    break
                if len(digits) >= 13 and _luhn_ok(digits):
                    hit = j  # keep going: prefer the longest valid window
            if hit is None:
                i += 1
            else:
                yield groups[i][0], groups[hit][1]
                i = hit + 1


# A number its label says is someone's card, account or id: "card 4532 7788 1290 3341" (a
# mistyped or made-up card fails Luhn, yet is pasted as a card), "acct 062-000 1234 5678",
# "BSB 062-123", "TFN 123 456 782", "MRN 00482913", "emp # 448120". Six digits or more
# after the label, in groups; the label itself stays ("acct [ACCOUNT]").
_CARD_LABELS = r"(?:credit |debit )?cards?|cc|visa|mastercard|amex"
_NATIONAL_ID_LABELS = (
    r"tfn|tax file (?:number|no)|ird(?: number)?|utr|ssn|social security|sin|"
    r"national insurance|nhs(?: number)?|passport|driver'?s licen[cs]e"
)
_ID_LABELS = r"mrn|medical record|hospital|patient|student|employee|emp|staff|badge"
_ACCOUNT_LABELS = (
    r"accounts?|acct|acc|a/c|bsb|sort code|routing|member|customer|client|loan|policy|claim"
)
_LABELLED = re.compile(
    rf"\b(?:(?P<card>{_CARD_LABELS})|(?P<national_id>{_NATIONAL_ID_LABELS})|"
    rf"(?P<id>{_ID_LABELS})|(?P<account>{_ACCOUNT_LABELS}))"
    r"(?:\s{0,2}(?:no\.?|num(?:ber)?|#|n°|id))?(?:\s{1,2}(?:is|was))?\s{0,2}[:#.=]?\s{0,2}"
    r"(?P<number>[0-9]{2,}+(?:[ .\-/][0-9]{2,}+){0,6}+)(?![0-9])",
    re.I,
)
# "loan 2024 2025", "policy 2023": years, not numbers of anyone's
_YEARS = re.compile(r"(?:(?:19|20)[0-9]{2}[ .\-/]?)+")


def _labelled(text: str, kind: str) -> Iterator[Span]:
    for m in _LABELLED.finditer(text):
        number = m["number"]
        if (m[kind] is None or sum(c.isdigit() for c in number) < 6
                or _YEARS.fullmatch(number)):
            continue
        yield m.span("number")


def labelled_card_spans(text: str) -> Iterator[Span]:
    """Numbers labelled as a card ("card 4532 7788 1290 3341"), Luhn-valid or not."""
    return _labelled(text, "card")


def labelled_national_id_spans(text: str) -> Iterator[Span]:
    """Numbers labelled as a tax, social-security, national-health or passport number."""
    return _labelled(text, "national_id")


def id_spans(text: str) -> Iterator[Span]:
    """Numbers labelled as a patient, medical-record, staff, employee or student id."""
    return _labelled(text, "id")


def account_spans(text: str) -> Iterator[Span]:
    """Numbers labelled as an account, sort code, member, customer, loan, policy or claim."""
    return _labelled(text, "account")


_IPV4 = re.compile(r"(?<![\w.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![\w]|\.[0-9])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]{2,45}+(?![\w:])")


def ip_spans(text: str) -> Iterator[Span]:
    if ":" in text:
        for m in _IPV6.finditer(text):
            candidate = m.group().rstrip(".")
            if candidate.count(":") >= 2 and any(c.isdigit() for c in candidate):
                try:
                    ipaddress.IPv6Address(candidate)
                except ValueError:
                    continue
                yield m.start(), m.start() + len(candidate)
    for m in _IPV4.finditer(text):
        try:
            ipaddress.IPv4Address(m.group())
        except ValueError:
            continue
        yield m.span()


def _phone_like(raw: str, number: phonenumbers.PhoneNumber) -> bool:
    """A number that is possible but not (yet) assigned, written the way phones are written.

    libphonenumber's VALID leniency misses reserved and newly opened ranges (UK
    07700 900xxx), and a redactor should rather over-match a written phone number.
    """
    import phonenumbers

    digits = sum(c.isdigit() for c in raw)
    lead = raw.lstrip("(")
    return digits >= 9 and lead[:1] in {"+", "0"} and not lead.startswith("000") and \
        phonenumbers.is_possible_number(number)


# libphonenumber tries every digit run as a candidate; on digit soup ("1 1 1 1 …") that is
# seconds per 20 kB. Matching chunk by chunk with a cap of tries per chunk keeps it bounded
# while a real paste (a contact list: tens of numbers per kilobyte) stays far below the cap.
_CHUNK = 1000
_TRIES_PER_CHUNK = 250
_BOUNDARY = re.compile(r"(?<![\d+(])[\s,;]+(?![\d+(])")


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    while start < len(text):
        end = min(len(text), start + _CHUNK)
        if end < len(text):
            cut = _BOUNDARY.search(text, end, min(len(text), end + 200))
            end = cut.end() if cut else end
        yield start, text[start:end]
        start = end


def phone_spans(text: str, region: str) -> Iterator[Span]:
    """libphonenumber's matcher: it already skips dates, times, versions and short numbers."""
    if sum(c.isdigit() for c in text) < 6:  # fast path for the common digit-free message
        return
    import phonenumbers  # ~30 ms to import: only for a message with enough digits

    for offset, chunk in _chunks(text):
        for m in phonenumbers.PhoneNumberMatcher(chunk, region,
                                                 leniency=phonenumbers.Leniency.POSSIBLE,
                                                 max_tries=_TRIES_PER_CHUNK):
            if not (phonenumbers.is_valid_number(m.number)
                    or _phone_like(m.raw_string, m.number)):
                continue
            start = m.start
            # "(+1 415-555-2671)" comes back with the opening bracket only: keep it in the text.
            if chunk[start] == "(" and m.raw_string.count("(") > m.raw_string.count(")"):
                start += 1
            yield offset + start, offset + m.end
