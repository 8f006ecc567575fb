"""Redaction of personal and secret data before anything is stored or shown.

Employees paste real content into chat ("can I paste jane@corp.com's list into Copilot?"),
and the query, unmet-request and audit logs must never keep it. `redact` swaps each finding
for a typed placeholder so the question still reads well and stays useful for the digest.

It runs on every message, so it is pure, synchronous and linear-time: the detectors in
`bot.core.pii` use bounded or possessive repetition only, so a hostile 20,000-character
paste cannot trigger catastrophic backtracking. Detectors run in priority order (secrets
first, names last); a later finding that overlaps an earlier one is dropped.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.pii.names import name_allowlist, name_spans
from bot.core.pii.national_ids import national_id_spans
from bot.core.pii.numbers import (
    account_spans,
    card_spans,
    email_spans,
    iban_spans,
    id_spans,
    ip_spans,
    labelled_card_spans,
    labelled_national_id_spans,
    phone_spans,
)
from bot.core.pii.secrets import secret_spans

__all__ = [
    "DEFAULT_REGION",
    "KINDS",
    "PLACEHOLDERS",
    "Redaction",
    "name_allowlist",
    "pseudonymize",
    "redact",
    "redact_text",
]

# Region used to read phone numbers written without a "+country" prefix (PHONE_REGION).
DEFAULT_REGION = "US"

KINDS: tuple[str, ...] = (
    "secret", "email", "iban", "national_id", "card", "account", "id", "ip", "phone", "name",
)
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind.upper()}]" for kind in KINDS}

Span = tuple[int, int]


@dataclass(frozen=True)
class Redaction:
    """The redacted text and how many findings of each kind were replaced."""

    text: str
    found: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when anything was replaced (handy for audit notes)."""
        return bool(self.found)


def redact(
    text: str, *, region: str = DEFAULT_REGION, allow: frozenset[str] = frozenset()
) -> Redaction:
    """Replace secrets, emails, IBANs, national ids, cards, labelled account and record
    numbers, IPs, phones and names.

    Args:
        text: what a person typed.
        region: ISO country whose national phone formats apply (e.g. "GB").
        allow: casefolded words that are never personal names, from `name_allowlist`
            (the policy's tool names and aliases: "Jasper", "Claude").
    """
    detectors: tuple[tuple[str, Callable[[str], Iterator[Span]]], ...] = (
        ("secret", secret_spans),
        ("email", email_spans),
        ("iban", iban_spans),
        ("national_id", national_id_spans),
        ("national_id", labelled_national_id_spans),
        ("card", card_spans),
        ("card", labelled_card_spans),
        ("account", account_spans),
        ("id", id_spans),
        ("ip", ip_spans),
        ("phone", lambda t: phone_spans(t, region)),
        ("name", lambda t: name_spans(t, allow)),
    )
    starts: list[int] = []  # accepted spans, sorted and non-overlapping
    accepted: list[tuple[int, int, str]] = []
    for kind, detect in detectors:
        for start, end in detect(text):
            if start >= end:
                continue
            i = bisect.bisect_right(starts, start)
            if i and accepted[i - 1][1] > start:
                continue
            if i < len(accepted) and accepted[i][0] < end:
                continue
            starts.insert(i, start)
            accepted.insert(i, (start, end, kind))
    if not accepted:
        return Redaction(text)
    parts: list[str] = []
    last = 0
    for start, end, kind in accepted:
        parts.append(text[last:start])
        parts.append(PLACEHOLDERS[kind])
        last = end
    parts.append(text[last:])
    counts = Counter(kind for _, _, kind in accepted)
    return Redaction("".join(parts), {k: counts[k] for k in KINDS if counts[k]})


def redact_text(
    text: str, *, region: str = DEFAULT_REGION, allow: frozenset[str] = frozenset()
) -> str:
    """Just the redacted text, for callers that do not care what was found."""
    return redact(text, region=region, allow=allow).text


def pseudonymize(value: str, key: bytes) -> str:
    """Keyed HMAC-SHA256 of an asker id (hex, 32 chars): stable for per-asker counts,
    but not reversible by hashing a list of known ids without the key."""
    if not key:
        raise ValueError("pseudonymize needs a non-empty key")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
