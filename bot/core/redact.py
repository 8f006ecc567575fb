"""Redaction of personal and secret data before anything is stored.

Employees paste real content into chat ("can I paste jane@corp.com's list into Copilot?"),
and the query, unmet-request and audit logs must never keep it. `redact` swaps each finding
for a typed placeholder so the question still reads well and stays useful for the digest.

It runs on every message, so it is pure, synchronous and linear-time: every pattern is
anchored with a look-behind that only lets a match start at the beginning of a run of its
own characters, and every repetition is bounded or possessive, so a hostile 20,000-character
paste cannot trigger catastrophic backtracking. Detectors run in priority order (secrets
first, phones last); a later finding that overlaps an earlier one is dropped.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import phonenumbers

__all__ = [
    "DEFAULT_REGION",
    "KINDS",
    "PLACEHOLDERS",
    "Redaction",
    "pseudonymize",
    "redact",
    "redact_text",
]

# Region used to read phone numbers written without a "+country" prefix.
DEFAULT_REGION = "US"

KINDS: tuple[str, ...] = ("secret", "email", "iban", "card", "ip", "phone")
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


# --- secrets -------------------------------------------------------------------------------

# Never re-redact our own placeholder: keeps redact() idempotent ("password=[SECRET]").
_NOT_PLACEHOLDER = r"(?!\[[A-Za-z]+\])"
_SCHEMES = r"(?:bearer|basic|token|digest|negotiate)"
_TOKEN68 = r"[A-Za-z0-9._~+/=-]"
# An assigned value ends at whitespace, quotes or separators; "&" only ends it before the
# next query parameter ("?token=abc&state=1"), so "Tr0ub4dor&3" stays whole.
_VALUE = r"""(?:[^\s'"`,;&<>]|&(?![\w.-]{1,64}=))"""
_SECRET_KEY_NAMES = (
    r"(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|client[_-]?secret|auth[_-]?key)"
)


def _has_digit(value: str) -> bool:
    """Real API keys are random base62: a 20+ char key without any digit is prose."""
    return any(c.isdigit() for c in value)


def _looks_secret(value: str) -> bool:
    """Tell a credential after "Bearer"/"Authorization:" from an English word."""
    return len(value) >= 8 and (
        _has_digit(value)
        or any(c in "_~+/=" for c in value)
        or (any(c.isupper() for c in value[1:]) and any(c.islower() for c in value))
    )


# (pattern, validator). When a pattern has a group named "v", only that group is replaced,
# so "password=[SECRET]" and "Authorization: Bearer [SECRET]" keep their meaning.
_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[str], bool] | None], ...] = tuple(
    (re.compile(p), check)
    for p, check in (
        # PEM private keys; a truncated paste (no END line) is redacted to the end.
        (
            r"-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
            r"(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\Z)",
            None,
        ),
        # Slack webhooks and tokens (gitleaks slack.go): xoxb-, xoxp-, xoxe.xoxp-, xapp-.
        (
            r"(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{8,}",
            None,
        ),
        (r"(?<![\w.-])(?:xoxe\.)?xox[abposre]-[A-Za-z0-9-]{10,}", None),
        (r"(?<![\w-])xapp-[A-Za-z0-9-]{10,}", None),
        # GitHub classic and fine-grained tokens.
        (r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})", None),
        # OpenAI-style keys (gitleaks openai.go): sk-, sk-proj-, sk-svcacct-, sk-admin-.
        (r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}", _has_digit),
        # AWS access key ids.
        (r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", None),
        # JWTs: base64url header (always '{"' -> eyJ), payload and signature.
        (r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*", None),
        # HTTP credentials. The look-ahead stops "Authorization: Bearer" alone from
        # redacting the word "Bearer".
        (
            rf"(?i)\bauthorization[\"']?\s{{0,5}}[:=]\s{{0,5}}[\"']?(?:{_SCHEMES}\s+)?"
            rf"(?!{_SCHEMES}\b){_NOT_PLACEHOLDER}(?P<v>{_TOKEN68}{{8,}})",
            _looks_secret,
        ),
        (rf"(?i)\bbearer\s+{_NOT_PLACEHOLDER}(?P<v>{_TOKEN68}{{8,}})", _looks_secret),
        # Generic assignments: password=, api_key:, aws_secret_access_key=, "token": "...".
        # The key must end at the keyword (or a _key/_value/_hash suffix), so
        # "max_tokens=4096" is not a secret.
        (
            rf"(?i)(?<![\w.-])[\w.-]{{0,30}}?{_SECRET_KEY_NAMES}(?:[_.-]?(?:key|value|hash))?"
            rf"[\"']?\s{{0,5}}[:=]\s{{0,5}}[\"']?{_NOT_PLACEHOLDER}(?P<v>{_VALUE}{{3,}})",
            None,
        ),
    )
)


def _secrets(text: str) -> Iterator[Span]:
    for pattern, check in _SECRET_PATTERNS:
        group = "v" if "v" in pattern.groupindex else 0
        for m in pattern.finditer(text):
            if check is None or check(m.group(group)):
                yield m.span(group)


# --- personal data -------------------------------------------------------------------------

# Unicode-aware (josé@bücher.de); lengths are the RFC 5321 limits, which also bound backtracking.
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]{1,64}@(?:[\w-]{1,63}\.){1,8}[^\W\d_]{2,63}(?![\w-])")


def _emails(text: str) -> Iterator[Span]:
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


def _ibans(text: str) -> Iterator[Span]:
    for m in _IBAN.finditer(text):
        candidate = m.group()
        # The greedy match may have swallowed a following upper-case word ("... 32 OK").
        while not _iban_ok(candidate) and " " in candidate:
            candidate = candidate.rsplit(" ", 1)[0]
        if _iban_ok(candidate):
            yield m.start(), m.start() + len(candidate)


# A run of digit groups separated by single spaces or dashes; possessive, so linear.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]++(?:[ -][0-9]++)*+")
_GROUP = re.compile(r"[0-9]+")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _cards(text: str) -> Iterator[Span]:
    """Card numbers: 13-19 digits, bare or printed in groups (4-4-4-4, 4-6-5), Luhn-valid.

    Windows of groups are tried inside each run, so "ref 1234 4111 1111 1111 1111" still
    finds the card, while "1 2 3 4 5 6 7 8 9 10 11 12 13" (groups under 3 digits) does not.
    """
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (g.start() + run.start(), g.end() + run.start()) for g in _GROUP.finditer(run.group())
        ]
        i = 0
        while i < len(groups):
            hit = None
            digits = ""
            for j in range(i, len(groups)):
                s, e = groups[j]
                size = e - s
                if j > i and (size < 3 or size > 6 or groups[i][1] - groups[i][0] != 4):
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


_IPV4 = re.compile(r"(?<![\w.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![\w]|\.[0-9])")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]{2,45}+(?![\w:])")


def _ips(text: str) -> Iterator[Span]:
    if ":" in text:
        for m in _IPV6.finditer(text):
            candidate = m.group().rstrip(".")
            if candidate.count(":") >= 2 and _has_digit(candidate):
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


def _phones(text: str, region: str) -> Iterator[Span]:
    """libphonenumber's matcher: it already skips dates, times, versions and short numbers."""
    if sum(c.isdigit() for c in text) < 6:  # fast path for the common digit-free message
        return
    for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        start = m.start
        # "(+1 415-555-2671)" comes back with the opening bracket only: keep it in the text.
        if text[start] == "(" and m.raw_string.count("(") > m.raw_string.count(")"):
            start += 1
        yield start, m.end


# --- public API ----------------------------------------------------------------------------


def redact(text: str, *, region: str = DEFAULT_REGION) -> Redaction:
    """Replace secrets, emails, IBANs, cards, IPs and phones by typed placeholders."""
    detectors: tuple[tuple[str, Callable[[str], Iterator[Span]]], ...] = (
        ("secret", _secrets),
        ("email", _emails),
        ("iban", _ibans),
        ("card", _cards),
        ("ip", _ips),
        ("phone", lambda t: _phones(t, region)),
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


def redact_text(text: str, *, region: str = DEFAULT_REGION) -> str:
    """Just the redacted text, for callers that do not care what was found."""
    return redact(text, region=region).text


def pseudonymize(value: str, key: bytes) -> str:
    """Keyed HMAC-SHA256 of an asker id (hex, 32 chars): stable for per-asker counts,
    but not reversible by hashing a list of known ids without the key."""
    if not key:
        raise ValueError("pseudonymize needs a non-empty key")
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
