"""National identity numbers: US SSN, UK NINO and the common European formats.

Each format is checked as far as it can be: SSN area/group/serial rules, NINO
prefix rules, and the check digits of the German Steuer-ID (ISO 7064 MOD 11,10),
French NIR (mod 97), Spanish DNI/NIE (mod 23 letter), Dutch BSN (11-test) and
Italian codice fiscale (odd/even table). A random number therefore rarely
passes, while a real one pasted with spaces, dots or dashes is still found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["national_id_spans"]

Span = tuple[int, int]
_SEP = r"[ .\-]?"

# SSN written as 3-2-4 with dashes or spaces; bare nine digits only after a key word.
_SSN = re.compile(r"(?<![\d-])(\d{3})([ -])(\d{2})\2(\d{4})(?![\d-])")
_SSN_BARE = re.compile(
    r"(?i)\b(?:ssn|social security(?: number| no\.?)?|ss#)\s{0,3}[:#=]?\s{0,3}(\d{9})(?!\d)")


def _ssn_ok(area: str, group: str, serial: str) -> bool:
    return area not in {"000", "666"} and not area.startswith("9") and group != "00" \
        and serial != "0000"


_NINO = re.compile(
    r"(?<![A-Za-z0-9])(?:QQ|(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![A-Za-z0-9])")

# Runs of digits in groups separated by one space, dot or dash (possessive: linear).
_DIGITS = re.compile(r"(?<![\d.\-])\d++(?:[ .\-]\d++)*+(?![\d])")


# As printed on letters: bare, or 2-3-3-3 (Steuer-ID); bare or 4.2.3 (BSN).
_STEUER_SHAPE = re.compile(r"\d{11}|\d{2} \d{3} \d{3} \d{3}")
_BSN_SHAPE = re.compile(r"\d{9}|\d{4}\.\d{2}\.\d{3}")


def _steuer_id_ok(d: str) -> bool:
    """German tax id: 11 digits, no leading 0, one digit repeated, ISO 7064 MOD 11,10."""
    if len(d) != 11 or d[0] == "0":
        return False
    counts = sorted((d[:10].count(c) for c in set(d[:10])), reverse=True)
    if counts[0] not in (2, 3) or counts[1:2] == [counts[0]]:
        return False
    product = 10
    for c in d[:10]:
        total = (int(c) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return check == int(d[10])


def _bsn_ok(d: str) -> bool:
    """Dutch citizen service number: 9 digits passing the 11-test."""
    if len(d) != 9 or d == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1), strict=True)) - int(d[8])
    return total % 11 == 0


_NIR = re.compile(
    r"(?<![\dA-Za-z])([12])" + _SEP + r"(\d{2})" + _SEP + r"(0[1-9]|1[0-2]|[2-9]\d)" + _SEP
    + r"(\d{2}|2[ABab])" + _SEP + r"(\d{3})" + _SEP + r"(\d{3})" + _SEP + r"(\d{2})(?![\d])")


def _nir_ok(m: re.Match[str]) -> bool:
    sex, year, month, dept, commune, order, key = m.groups()
    dept_num = {"2a": "19", "2b": "18"}.get(dept.lower(), dept)
    number = int(sex + year + month + dept_num + commune + order)
    return 97 - number % 97 == int(key)


_DNI = re.compile(r"(?<![A-Za-z0-9])([XYZxyz]?)(\d{7,8})[ -]?([A-Za-z])(?![A-Za-z0-9])")
_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _dni_ok(m: re.Match[str]) -> bool:
    prefix, digits, letter = m.groups()
    if prefix:
        if len(digits) != 7:
            return False
        digits = str("XYZ".index(prefix.upper())) + digits
    elif len(digits) != 8:
        return False
    return _DNI_LETTERS[int(digits) % 23] == letter.upper()


_CF = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{6}[0-9LMNP-V]{2}[ABCDEHLMPRST][0-9LMNP-V]{2}[A-Z]"
    r"[0-9LMNP-V]{3}[A-Z](?![A-Za-z0-9])")
_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22,
           25, 24, 23]


def _cf_ok(code: str) -> bool:
    """Italian codice fiscale: the 16th letter checks the first 15 characters."""
    total = 0
    for i, c in enumerate(code[:15]):
        v = int(c) if c.isdigit() else ord(c) - ord("A")
        total += _CF_ODD[v] if i % 2 == 0 else v
    return chr(ord("A") + total % 26) == code[15]


def national_id_spans(text: str) -> Iterator[Span]:
    """Spans of national identity numbers in `text`."""
    if sum(c.isdigit() for c in text) < 6:
        return
    for m in _SSN.finditer(text):
        if _ssn_ok(m.group(1), m.group(3), m.group(4)):
            yield m.span()
    for m in _SSN_BARE.finditer(text):
        yield m.span(1)
    yield from (m.span() for m in _NINO.finditer(text))
    for m in _NIR.finditer(text):
        if _nir_ok(m):
            yield m.span()
    for m in _DNI.finditer(text):
        if _dni_ok(m):
            yield m.span()
    for m in _CF.finditer(text):
        if _cf_ok(m.group()):
            yield m.span()
    for m in _DIGITS.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        if (_STEUER_SHAPE.fullmatch(raw) and _steuer_id_ok(digits)) or (
                _BSN_SHAPE.fullmatch(raw) and _bsn_ok(digits)):
            yield m.span()
