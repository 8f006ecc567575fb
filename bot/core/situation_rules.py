"""Which red lines are for which situation, read from their wording: the policy side of
`situation_lines` (the message side is `situation_cues`).

Each situation's lines are those of the first reading that finds any (a check asked for
in a title or first sentence before one asked for later in the rule; human oversight
when a policy has no line of its own for checks or decisions).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.redline_forbids import forbids
from bot.core.unlisted_rules import rule_sentences
from bot.policy.models import Policy, RedLine

__all__ = ["situation_line_ids"]

_ASKS_DISCLOSURE = re.compile(
    r"\b(?:disclose[sd]?|disclosing|undisclosed|acknowledg\w*|identify|transparen\w*|cite|"
    r"say when)\b|\brepresent\w*\b[^.;:]{0,40}\bas (?:original|own|human)\b"
    r"|\b(?:told|tell|informed)\s+(?:where|when|that|how)\b[^.;:]{0,30}\bai\b",
    re.I,
)

# A line about code, not a code of conduct or a postcode.
_ABOUT_CODE = re.compile(
    r"\bcode\b(?! of (?:conduct|practice|ethics))", re.I
)
_NOT_CODE = re.compile(r"\b(?:dress|post|zip|area|country|tax|promo|discount) code\b", re.I)

_CHECKING = (
    r"(?:review\w*|check\w*|verif\w*|validat\w*|fact[- ]check\w*|proofread\w*|"
    r"double[- ]check\w*|scrutini[sz]\w*|evaluat\w*|assess\w*)"
)
_OUTPUT = (
    r"(?:outputs?|content|results|products?|answers?|responses?|drafts?|everything|"
    r"(?:ai[- ])?generated \w+)"
)
# "review AI outputs", "AI outputs are reviewed", "check AI-generated content", "reviews
# and approves everything we publish": a check near an output; "no output used as-is",
# "never copy-paste AI output", "directly replicate the output": output used unchanged.
_ASKS_A_CHECK = re.compile(
    rf"\b{_CHECKING}\b(?:\W+\w+){{0,5}}?\W+{_OUTPUT}\b"
    rf"|\b{_OUTPUT}\b(?:\W+\w+){{0,5}}?\W+{_CHECKING}\b"
    rf"|\b{_OUTPUT}\b(?:\W+\w+){{0,3}}?\W+(?:as[- ]is|verbatim|word for word)\b"
    rf"|\b(?:copy[- ]?(?:and[- ])?past\w*|replicat\w*)\b(?:\W+\w+){{0,3}}?\W+{_OUTPUT}\b",
    re.I,
)
_ABOUT_DECISIONS = re.compile(r"\bdecisions?\b|\bdecision[- ]making\b|\bjudg(?:e)?ments?\b", re.I)
_OVERSIGHT = re.compile(
    r"\b(?:human|people|person|staff)\s+(?:review|oversight|supervision|intervention)\b|"
    r"\bhuman[- ]in[- ]the[- ]loop\b|\b(?:oversight|supervision)\b",
    re.I,
)


# A line keeping AI to public material: "Only public data may be entered", "information
# that is not already in the public domain", "non-public information".
_PUBLIC_ONLY = re.compile(
    r"\bnon[- ]public (?:\w+ )?(?:data|information|info|material)\b"
    r"|\bonly public(?:[- ]domain)? (?:data|information|info|material)\b"
    r"|\bnot (?:already )?in the public domain\b"
    r"|\bpublic[- ]domain (?:data|information|info|material)\b",
    re.I,
)
_DATA_WORD = re.compile(r"\b(?:data|information|info|material)\b", re.I)
# Else a line keeping confidential or business information out, by its title: "No
# sensitive, confidential or proprietary information", "No information about Walmart's
# business".
_CONFIDENTIAL_TITLE = re.compile(
    r"\b(?:confidential|proprietary|trade secrets?|business (?:information|info|data)|"
    r"information about [\w' ]{1,30}business|internal (?:information|data|documents?))\b",
    re.I,
)


# A line forbidding made-up or deceiving content: "No impersonation, deception, fake
# testimonials", "No unsafe, misleading outputs", "No manipulative behaviours".
_AGAINST_FAKES = re.compile(
    r"\b(?:fake\w*|fabricat\w*|falsif\w*|false|mislead\w*|decept\w*|deceiv\w*|"
    r"impersonat\w*|manipulat\w*|disinformation|misrepresent\w*)\b",
    re.I,
)


# A line against unequal treatment by its title ("No discriminatory targeting", "Respect
# human rights and avoid bias"); "Check outputs for bias" asks for a check.
_AGAINST_BIAS = re.compile(
    r"\b(?:discriminat\w*|bias\w*|prejudic\w*|equit(?:y|able)|unfair\w*|protected "
    r"characteristics?)\b",
    re.I,
)
_CHECK_TITLE = re.compile(r"\b(?:check|review|assess|evaluat|verif|scrutini)\w*", re.I)
# A line about which devices AI may be used on, by its title.
_ABOUT_DEVICES = re.compile(
    r"\b(?:devices?|laptops?|phones?|mobiles?|computers?|pcs?|tablets?)\b", re.I
)


# A line against manipulating or exploiting people: "No exploitation of vulnerabilities",
# "No manipulative behaviours", "no dark patterns or pressure selling".
_AGAINST_MANIPULATION = re.compile(
    r"\b(?:manipulat\w*|exploit\w*|vulnerab\w*|dark patterns?|coerc\w*|subliminal|"
    r"predatory|pressure (?:selling|tactics)|unfair (?:commercial )?practices)\b",
    re.I,
)
# A line about security controls: "Security by Design", "Do not bypass security warnings",
# "no circumventing safeguards".
_ABOUT_SECURITY = re.compile(
    r"\b(?:security|secure|cyber\w*|bypass\w*|circumvent\w*|safeguards?|warnings?)\b", re.I
)
_GETS_AROUND_WORDS = re.compile(
    r"\b(?:bypass\w*|circumvent\w*|disabl\w*|override|work around|security (?:warnings?|"
    r"controls?|review|reviews|labels?))\b",
    re.I,
)
# A line about recording or watching people: "Notetakers only when participants are told",
# "agreement before recording a meeting", "no surveillance of staff" (not "patient
# records").
_ABOUT_RECORDING = re.compile(
    r"\b(?:recordings?|recorded|record (?:a |an |the |any )?(?:calls?|meetings?|"
    r"conversations?|interviews?|sessions?|audio|video)|transcri\w*|note[- ]?tak\w*|consent|"
    r"surveil\w*|eavesdrop\w*|"
    r"wiretap\w*|monitor\w* (?:of )?(?:staff|employees|people|individuals|workers))\b",
    re.I,
)


# A catch-all line against harmful or unethical use: "No use that could be harmful or
# unethical", "Never use AI to harass or defame", "use AI ethically". The line for a
# situation of ill intent when a policy has none of its own.
_AGAINST_HARM = re.compile(
    r"\b(?:harmful|harm|unethical\w*|ethic(?:al|s)|malicious\w*|abus(?:e|ive)|misuse|illegal|"
    r"unlawful|harass\w*|defam\w*|inappropriate\w*)\b",
    re.I,
)


def _against_fakes(line: RedLine) -> bool:
    """Forbidding, not guiding: "review outputs to avoid misinformation" is a check."""
    return forbids(line) and any(_AGAINST_FAKES.search(s) for s in rule_sentences(line))


def _against_harm(line: RedLine) -> bool:
    return any(_AGAINST_HARM.search(s) for s in rule_sentences(line))


def _worded(policy: Policy, *readings: Callable[[RedLine], bool]) -> tuple[str, ...]:
    """The red lines the first reading that finds any finds."""
    for reads in readings:
        found = tuple(line.id for line in policy.red_lines if reads(line))
        if found:
            return found
    return ()


def _about_code(line: RedLine) -> bool:
    return any(
        _ABOUT_CODE.search(s) and not _NOT_CODE.search(s) for s in rule_sentences(line)
    )


def _public_only(line: RedLine) -> bool:
    """A line keeping AI to public material by its title, or by its first sentence when its
    title is about data ("No sensitive or classified information": "... or non-public
    government information"); "a chatbot using only public data needs approval" is about
    approval."""
    title, first = rule_sentences(line)
    return bool(_PUBLIC_ONLY.search(title)) or bool(
        _DATA_WORD.search(title) and _PUBLIC_ONLY.search(first))


def _oversight(line: RedLine) -> bool:
    return any(_OVERSIGHT.search(s) for s in rule_sentences(line))


def situation_line_ids(policy: Policy) -> dict[str, tuple[str, ...]]:
    """The ids of each situation's red lines, by situation (`SituationLines`' fields)."""
    return {
        # A check asked for in a later sentence ("..., but they do not replace
        # clinical judgment. Always critically evaluate AI-generated content") when
        # no line asks for one in its title or first sentence.
        "review": _worded(
            policy, lambda line: any(_ASKS_A_CHECK.search(s) for s in rule_sentences(line)),
            lambda line: bool(_ASKS_A_CHECK.search(line.rule)), _oversight,
        ),
        "decisions": _worded(
            policy, lambda line: bool(_ABOUT_DECISIONS.search(line.title)), _oversight
        ),
        "code": _worded(policy, _about_code),
        "disclosure": _worded(
            policy, lambda line: any(_ASKS_DISCLOSURE.search(s) for s in rule_sentences(line))
        ),
        "public": _worded(policy, _public_only,
                          lambda line: bool(_CONFIDENTIAL_TITLE.search(line.title))),
        # else the line against harmful or unethical use
        "fakes": _worded(policy, _against_fakes, _against_harm),
        "bias": _worded(policy, lambda line: bool(
            _AGAINST_BIAS.search(line.title) and not _CHECK_TITLE.search(line.title)),
            _against_harm),
        "devices": _worded(policy, lambda line: bool(_ABOUT_DEVICES.search(line.title))),
        # manipulation, else what forbids deceiving people
        "manipulation": _worded(
            policy,
            lambda line: any(_AGAINST_MANIPULATION.search(s) for s in rule_sentences(line)),
            _against_fakes,
            _against_harm,
        ),
        "security": _worded(policy, lambda line: bool(
            _ABOUT_SECURITY.search(line.title)
            or any(_GETS_AROUND_WORDS.search(s) for s in rule_sentences(line)))),
        "recording": _worded(
            policy, lambda line: any(_ABOUT_RECORDING.search(s) for s in rule_sentences(line)),
            _against_harm,
        ),
    }
