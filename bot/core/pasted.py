"""What redaction leaves of pasted data in a message, read as words, and data acronyms.

`bot.core.redact` replaces a pasted address, card number or secret by a placeholder
("[CARD]") before anything else reads the message. The use-case matcher ignores them (a
pasted address says nothing about the job); data-class and red-line lookups read them
as the kind of data they stand for, with the acronyms people type spelled out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.redact import PLACEHOLDERS

__all__ = [
    "PLACEHOLDER_PATTERN",
    "describe_placeholders",
    "has_pasted_data",
    "pasted_code",
    "pasted_part",
    "pasted_phrase",
    "pasted_record",
    "pasted_rows",
    "spell_out",
    "without_placeholders",
]

# What a redaction placeholder says about the data that was pasted (see bot.core.redact).
_PLACEHOLDER_WORDS = {
    "[EMAIL]": "email address",
    "[PHONE]": "phone number",
    "[CARD]": "payment card number",
    "[ACCOUNT]": "account number",
    "[ID]": "id number",
    "[IBAN]": "bank account details",
    "[IP]": "ip address",
    "[SECRET]": "credentials password api key",
    "[NATIONAL_ID]": "national id and social security numbers",
    "[NAME]": "",  # who it is about says nothing about the kind of data
}
#: Any redaction placeholder, from the redactor's own list, so a new kind of finding is
#: read wherever placeholders are (here and `redline_themes`) without a second list.
PLACEHOLDER_PATTERN = "|".join(re.escape(p) for p in PLACEHOLDERS.values())
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)


# Abbreviations people type for kinds of data, spelled out before data classes and
# red lines are looked up ("SSNs" is "social security numbers").
_ACRONYMS = {
    "ssn": "social security number",
    "ssns": "social security numbers",
    "dob": "date of birth",
    "phi": "protected health information",
    "pii": "personal information",
    "pci": "payment card data",
    "nino": "national insurance number",
    "mrn": "medical record number",
    "med": "medical",
    "meds": "medications",
    "phn": "personal health number",
    "phns": "personal health numbers",
    "creds": "credentials",
    "pw": "password",
    "pwd": "password",
}
_ACRONYM = re.compile(r"\b(" + "|".join(_ACRONYMS) + r")\b", re.I)
# Written in capitals only: "SIN" is a social insurance number, "sin" is a word.
_CAPITALS = {"SIN": "social insurance number", "SINs": "social insurance numbers"}
_CAPITAL = re.compile(r"\b(" + "|".join(_CAPITALS) + r")\b")


def spell_out(text: str) -> str:
    """ "SSN list" -> "social security number list"; triggers and examples get the same."""
    text = _CAPITAL.sub(lambda m: _CAPITALS[m.group(0)], text)
    return _ACRONYM.sub(lambda m: _ACRONYMS[m.group(0).lower()], text)


def has_pasted_data(text: str) -> bool:
    """Whether the message held pasted data (a redacted address, number, secret...): such
    data is already in the message, whatever its verbs say. A pasted name alone is not,
    a pasted record about a person is (`pasted_record`), and so is pasted code."""
    return (
        any(m.group(0) != "[NAME]" for m in _PLACEHOLDER.finditer(text))
        or pasted_record(text)
        or pasted_code(text)
        or pasted_rows(text)
    )


# Marks of source code, each of a different kind: a keyword that opens a definition or
# statement, a call with arguments, an assignment, an operator prose does not use, a
# statement's end, a SQL query. Prose has one now and then ("the = sign"); code has two.
_CODE_MARKS = (
    re.compile(r"(?:^|[\s;:])(?:def|function|class|import|from|return|const|let|var|"
               r"public|private|void|async|await|elif|foreach|lambda)\s+[\w({]"),
    re.compile(r"\b[A-Za-z_][\w.]*\((?:[^()\n]*[\w'\"\]}][^()\n]*)?\)"),
    re.compile(r"\b[A-Za-z_][\w.\[\]'\"]*\s*(?:[+\-*/]?=)\s*[\w'\"\[{(]"),
    re.compile(r"=>|->|::|==|!=|&&|\|\||\+\+|\{\s*['\"\w]|\}\s*$|;\s*(?:$|\n)"),
    re.compile(r"\b(?:SELECT|UPDATE|INSERT|DELETE)\b[\s\S]{1,200}\b(?:FROM|INTO|SET|WHERE)\b"),
)


# A row of a pasted table: a name or label, then two or more figures ("SKU 1042 Mustard
# cost £7.80 trade £11.40", "Tui Builders 102-334-876 $12,880").
_FIGURE = re.compile(r"(?<![\w.])[£$€]?\d[\d,.-]*\b")


@lru_cache(maxsize=512)
def pasted_rows(text: str) -> bool:
    """Whether the message holds pasted rows of a table or spreadsheet: two or more lines
    or ;-separated parts after the request, each with words and two or more figures."""
    rows = [r for r in re.split(r";|\n", text) if r.strip()]
    full = [r for r in rows if len(_FIGURE.findall(r)) >= 2 and re.search(r"[A-Za-z]{3}", r)]
    return len(full) >= 2 and len(full) >= len(rows) - 1


@lru_cache(maxsize=512)
def pasted_code(text: str) -> bool:
    """Whether the message holds pasted source code: marks of two kinds of `_CODE_MARKS`
    ("requests.get(url, headers={...})", "def price(items): for i in items: ...")."""
    if not _CODE_CHARS.search(text):  # code without any of these is rare; most prose stops here
        return False
    return sum(1 for mark in _CODE_MARKS if mark.search(text)) >= 2


_CODE_CHARS = re.compile(r"[(=;{}>:&|+]")


# A person's name as pasted: redacted, or capitalized words ("Liam Chen", "A. Ruiz"; the
# name detector does not know every name), after an optional label ("Student:").
_PERSON = re.compile(
    r"^(?:[A-Z][a-z]+:\s*)?(?:\[NAME\]|(?:[A-Z][a-z]+\s+)?\[NAME\]|"
    r"(?:[A-Z]\.\s*|[A-Z][a-z'-]+\s+)(?:[A-Z]\.\s*)?[A-Z][a-z'-]+)$"
)
# A field that identifies someone: a redacted value, a date of birth or an age, an ID or
# account number, a date, a street address ("DOB 04/12/2014", "age 6", "emp # 448120").
_IDENTIFYING = re.compile(
    r"\[(?!NAME\])[A-Z_]+\]|\b(?:dob|age[sd]?|born)\b|#\s*\d|\b(?:id|no|acct|ref)\.?\s*#?\s*\d|"
    # an age and sex as clinical and case notes write them: "54F", "6 y/o", "72yo M"
    r"\b\d{1,3}\s?(?:(?-i:[MF])|yo|y/o|yrs?|years? old)\b|"
    r"\d{6,}|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b\d+\s+[A-Z][a-z]+\s+(?:St|Street|Dr|Drive|Rd|Road|Ave|Avenue|Ln|Lane|Way|Ct|Court|"
    r"Blvd|Pl|Place|Cres|Close)\b",
    re.I,
)
_AGE_SEX = re.compile(r"(\S)\s+(\d{1,3}\s?(?:[MF]|yo|y/o)\b)")
_NOTE_LABEL = re.compile(
    r"^\s*['\"‘“(]?\s*(?:(?:pt|patient|client|student|employee|staff|resident|customer|"
    r"member|re)\b\.?:?\s+)?",
    re.I,
)
#: The words a field of a record has at most ("on the waitlist since March").
_FIELD_WORDS = 6


@lru_cache(maxsize=512)  # read several times per answer (data, red lines, blocking)
def pasted_record(text: str) -> bool:
    """Whether the message holds a pasted record about a person: a name, then at least
    two more short fields, one of them identifying ("[NAME], DOB 04/12/2014, student ID
    448812, missed 6 days", "Liam Chen, age 6, Surrey, ADHD ..."). A list of names or of
    monthly figures is no such record."""
    for clause in re.split(r"(?<!\b[A-Z])[.;:!?](?:\s|$)|\n", text):
        # "'Pt Jane Roe 54F, hx ...": the quote and the label before the name go, and the
        # age and sex after it is a field of its own
        clause = _NOTE_LABEL.sub("", _AGE_SEX.sub(r"\1, \2", clause))
        fields = [f.strip() for f in re.split(r",\s|\s-\s", clause) if f.strip()]
        for i, field in enumerate(fields):
            if not _PERSON.match(field):
                continue
            run = []
            for rest in fields[i + 1 :]:
                if len(rest.split()) > _FIELD_WORDS:
                    break
                run.append(rest)
            if len(run) >= 2 and any(_IDENTIFYING.search(f) for f in run):
                return True
    return _pasted_letter(text)


# Pasted writing ("make this read better: 'Dear Ms [NAME] (staff no. 40217), following
# your absence ...'"): quoted, or after a colon.
_PASTED_PART = re.compile(r"""(?:^|\s)(['"‘“])(?P<quoted>.{30,}?)\1|:\s+(?P<after>.{30,})$""")
_ADDRESSED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?:\[NAME\]|[A-Z][a-z'-]+)|\[NAME\]"
)
# What identifies someone beyond contact details a letter's writer gives of themselves:
# a date of birth or age, a labelled number ("staff no. 40217"), a national id, card or
# bank account, a street address.
_STRONGLY_IDENTIFYING = re.compile(
    r"\[(?:NATIONAL_ID|CARD|ACCOUNT|ID|IBAN|SECRET)\]|\b(?:dob|date of birth|aged?|born)\b|"
    r"\b\d{1,3}\s?(?:(?-i:[MF])|yo|y/o|years? old)\b|"
    r"\b(?:staff|employee|emp|student|member|patient|case|account|acct|id|ref|payroll|"
    r"customer|client)\.?\s*(?:no\.?|number|#|id)?\s*\d|(?:\bno\.|\bnumber|#)\s*\d{3,}|"
    r"\b\d+\s+[A-Z][a-z]+\s+(?:St|Street|Dr|Drive|Rd|Road|Ave|Avenue|Ln|Lane|Way)\b",
    re.I,
)


def _pasted_letter(text: str) -> bool:
    """Pasted writing to or about someone named that also identifies them."""
    for match in _PASTED_PART.finditer(text):
        part = match["quoted"] or match["after"] or ""
        if _ADDRESSED.search(part) and _STRONGLY_IDENTIFYING.search(part):
            return True
    return False


def pasted_part(text: str) -> str | None:
    """The pasted part of a message: quoted, or after a colon (30 characters or more)."""
    match = _PASTED_PART.search(text)
    return (match["quoted"] or match["after"]) if match else None


def without_placeholders(text: str) -> str:
    """Text for the use-case matcher: a pasted address says nothing about the job."""
    return re.sub(r"\s+", " ", _PLACEHOLDER.sub(" ", text)).strip()


def describe_placeholders(text: str, *, names: bool = False) -> str:
    """Text for data and red-line checks: a pasted card number *is* card data.

    `names`: a pasted name reads as "person's name" (for red lines about personal data);
    otherwise it says nothing about the kind of data and is dropped.
    """
    words = {**_PLACEHOLDER_WORDS, "[NAME]": "person's name"} if names else _PLACEHOLDER_WORDS
    described = spell_out(_PLACEHOLDER.sub(lambda m: words[m.group(0)], text))
    # a pasted record about someone is their personal details, whatever its fields say;
    # pasted code is code, for the red lines on pasting code ("paste code", "source code"
    # as triggers write them)
    if pasted_code(text):
        described = f"{described} (a paste of source code)"
    return f"{described} (personal details)" if pasted_record(text) else described


#: How a pasted value is named back to the asker; the value itself is never repeated.
_PASTED_NAMES = {
    "[EMAIL]": "email address",
    "[PHONE]": "phone number",
    "[CARD]": "payment card number",
    "[ACCOUNT]": "account number",
    "[ID]": "ID number",
    "[IBAN]": "bank account details",
    "[IP]": "IP address",
    "[SECRET]": "password or secret key",
    "[NATIONAL_ID]": "national ID number",
}


def pasted_phrase(text: str) -> str | None:
    """ "the payment card number you pasted": what a data check calls redacted data when
    no words of the message name it (the placeholder is all that is left of it)."""
    kinds = dict.fromkeys(
        _PASTED_NAMES[m.group(0)]
        for m in _PLACEHOLDER.finditer(text)
        if m.group(0) in _PASTED_NAMES
    )
    if not kinds:
        return None
    names = list(kinds)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"the {listed} you pasted"
