"""Credentials: provider key formats, key=value assignments, "my password is …" phrases,
and random-looking strings next to a key word (entropy).

Provider patterns follow gitleaks' rules (AWS, GCP, Azure, GitHub, GitLab, Slack,
OpenAI/Anthropic, Stripe, Hugging Face, npm, JWTs, PEM private keys). detect-secrets
was evaluated: its plugins are line scanners with global settings and a file
baseline, slower per message and no better on chat text than these patterns, so
the entropy measure it uses (Shannon, bits per character) is applied here directly.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator

__all__ = ["secret_spans", "shannon_entropy"]

Span = tuple[int, int]

# Never re-redact our own placeholder: keeps redact() idempotent ("password=[SECRET]").
_NOT_PLACEHOLDER = r"(?!\[[A-Za-z_]+\])"
_SCHEMES = r"(?:bearer|basic|token|digest|negotiate)"
_TOKEN68 = r"[A-Za-z0-9._~+/=-]"
# An assigned value ends at whitespace, quotes or separators; "&" only ends it before the
# next query parameter ("?token=abc&state=1"), so "Tr0ub4dor&3" stays whole.
_VALUE = r"""(?:[^\s'"`,;&<>]|&(?![\w.-]{1,64}=))"""
_SECRET_KEY_NAMES = (
    r"(?:password|passwd|passphrase|passcode|pwd|secret|token|api[_-]?key|apikey"
    r"|access[_-]?key|private[_-]?key|client[_-]?secret|auth[_-]?key|accountkey"
    r"|account[_-]?key|sharedaccesskey|sig)"
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


def _mixed(value: str) -> bool:
    """Upper, lower and a digit or symbol: what random keys have and words do not."""
    return any(c.isupper() for c in value) and any(c.islower() for c in value) and (
        any(c.isdigit() for c in value) or any(c in "/+" for c in value))


def shannon_entropy(value: str) -> float:
    """Bits per character; random base64 is ~5-6, English words stay under ~3.5."""
    if not value:
        return 0.0
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


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
        # GitHub classic and fine-grained tokens; GitLab personal tokens.
        (r"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})", None),
        (r"(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}", None),
        # OpenAI/Anthropic-style keys (gitleaks openai.go): sk-, sk-proj-, sk-ant-...
        (r"(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}", _has_digit),
        # Stripe, Hugging Face, npm.
        (r"(?<![A-Za-z0-9_])(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}", None),
        (r"(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}", None),
        (r"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{30,}", None),
        # AWS access key ids; the 40-character secret access key when it looks random.
        (r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])", None),
        # Google API keys, OAuth client secrets and access tokens.
        (r"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])", None),
        (r"(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}", None),
        (r"(?<![A-Za-z0-9_.-])ya29\.[A-Za-z0-9_-]{20,}", None),
        # Azure AD client secrets (gitleaks azure.go) and storage/Service Bus keys (88 b64).
        (r"(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])",
         None),
        # JWTs: base64url header (always '{"' -> eyJ), payload and signature.
        (r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*", None),
        # AWS secret access keys (40) and Azure storage keys (88, base64) when they look
        # random; after the JWT rule, and never a piece of a longer token.
        (r"(?<![A-Za-z0-9/+=._-])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=._-])", _mixed),
        (r"(?<![A-Za-z0-9/+=._-])[A-Za-z0-9/+]{86}==(?![A-Za-z0-9/+=._-])", _mixed),
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

# "my password is hunter2", "PIN: 4821", "Passwort ist …", "mot de passe est …".
_PHRASE = re.compile(
    r"(?i)\b(?:password|passwort|kennwort|passcode|pass code|passphrase|pin(?: code| number)?"
    r"|access code|mot de passe|contraseña|wachtwoord)\s{1,3}"
    r"(?:is|was|will be|=|:|ist|lautet|war|est|es|era|is nu)\s{1,3}[:=]?\s{0,3}"
    rf"[\"'“‘]?{_NOT_PLACEHOLDER}(?P<v>[^\s\"'”’]{{2,64}}?)[\"'”’]?(?=[\s,;!?)]|\.(?:\s|$)|$)"
)
# Words that follow "password is" in questions about passwords, not in disclosures.
_NOT_A_VALUE = frozenset("""
a an the my your our their his her its not no too very still being been expired wrong
incorrect correct invalid valid weak strong short long required needed missing reset
changed locked blocked stored saved shared same different case sensitive empty blank
forgotten lost new old ok fine safe unsafe secure insecure there here it this that what
why how when where which needed asked mandatory optional working broken in on at for
from to of and or but if used set
""".split())


def _phrases(text: str) -> Iterator[Span]:
    for m in _PHRASE.finditer(text):
        value = m.group("v").rstrip(".")
        if value.casefold() in _NOT_A_VALUE:
            continue
        yield m.start("v"), m.start("v") + len(value)


# Entropy near a key word: "here is the key: Zm9vYmFyYmF6cXV4MTIz", "aws secret k7Q…".
_KEYWORD = re.compile(
    r"(?i)\b(?:key|keys|secret|secrets|token|tokens|password|passwd|pwd|credentials?|apikey"
    r"|api key|access key|client secret|aws|azure|gcp|bearer|auth|signature|sas)\b")
_CANDIDATE = re.compile(r"(?<![\w/+=.-])[A-Za-z0-9/+=_.~-]{16,200}+")
_NEAR = 60  # characters after the key word


def _entropy(text: str) -> Iterator[Span]:
    for keyword in _KEYWORD.finditer(text):
        window_end = min(len(text), keyword.end() + _NEAR)
        for m in _CANDIDATE.finditer(text, keyword.end(), window_end + 200):
            if m.start() > window_end:
                break
            value = m.group().rstrip(".")
            random_looking = _mixed(value) or (_has_digit(value) and not value.isdigit())
            if len(value) >= 16 and random_looking and shannon_entropy(value) >= 3.5 \
                    and "[" not in value:
                yield m.start(), m.start() + len(value)


def secret_spans(text: str) -> Iterator[Span]:
    """Spans of credentials in `text` (may overlap; the caller keeps the first)."""
    for pattern, check in _SECRET_PATTERNS:
        group = "v" if "v" in pattern.groupindex else 0
        for m in pattern.finditer(text):
            if check is None or check(m.group(group)):
                yield m.span(group)
    yield from _phrases(text)
    yield from _entropy(text)
