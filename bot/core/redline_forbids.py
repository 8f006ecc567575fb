"""Whether a red line forbids what triggers it, and which tools it holds for.

Read from the red line's own wording: a prohibitive title ("Never ...", "No ...") or a
rule whose first sentence prohibits without a condition forbids; a rule that guides how
to do the work ("a person checks AI output before customers see it") does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.policy.models import RedLine, Tool

__all__ = ["forbids", "holds_for"]

# Rules that forbid rather than advise: "never", "must not", "do not", "prohibited".
_FORBIDS = re.compile(
    r"\b(?:never|must not|mustn't|may not|do not|don't|cannot|can't|not allowed|"
    r"not permitted|prohibited|forbidden|banned|stays? out|kept out|keep \w+ out|"
    r"off[- ]limits|no\b|"
    # How real policies also say it: "AI should not be used to make employment
    # decisions", "staff shall not ...", "is not to be used for", "will not be used to",
    # "is not acceptable", "refrain from", "under no circumstances".
    r"should not|shouldn't|shall not|shan't|(?:is|are) not to\b|not to be used|"
    r"will not be used|won't be used|not (?:acceptable|permissible)|unacceptable|"
    r"impermissible|refrain from|under no circumstances)"
    # "AI should support judgment, not replace it", "enhance — not replace — decisions":
    # what a contrast puts after "not" is forbidden ("not only" adds, it does not forbid).
    r"|(?:,|\u2014|\u2013|\s-)\s*not\s+(?!only\b|just\b|necessarily\b|least\b)\w",
    re.I,
)


_CONDITIONAL = re.compile(
    r"\b(?:without|unless|before|until|only|except|make sure|check|review|approved for)\b",
    re.I,
)


# "Prohibited unless written approval", "unless you are authorized": forbidden by default;
# the exception is for the employee to obtain, not a condition the answer can meet.
_UNLESS_APPROVED = re.compile(
    r"\b(?:unless|without|except with)\b[^.;]{0,40}?\b(?:approv\w*|authori[sz]\w*|"
    r"permission|consent|exemption|waiver)\b[^.;,]*",
    re.I,
)


def holds_for(line: RedLine, tools: Iterable[Tool]) -> bool:
    """Whether a red line holds for one of these tools: it names none (every tool), or
    one of them by id or status."""
    targets = line.applies_to
    return not targets or any(t.id in targets or t.status.value in targets for t in tools)


def forbids(line: RedLine) -> bool:
    """Whether a red line forbids what triggers it (a request is then `blocked`).

    An explicit `blocks: true|false` on the red line wins. Otherwise a prohibitive
    title forbids ("Never paste passwords", "No deepfakes"); a neutral title forbids
    only if the rule's first sentence is a plain prohibition, not a condition: "A
    person checks AI output before customers see it" and "Customer data only in
    approved tools" guide how to do the work, they do not refuse it.
    """
    if line.blocks is not None:
        return line.blocks
    return _forbidding(line.title, line.rule)


@lru_cache(maxsize=4096)
def _forbidding(title: str, rule: str) -> bool:
    """`forbids` read from the wording (asked of each red line several times per answer
    by the learned block decision, so read once per wording)."""
    if _FORBIDS.search(title):
        return True
    first = re.split(r"(?<=[.!?])\s", rule.strip(), maxsplit=1)[0]
    first = _UNLESS_APPROVED.sub(" ", first)
    # The condition must qualify the prohibition itself: in "AI must not make final
    # decisions about patients; a clinician must review them", the review is a second
    # rule, not a way to make the first request acceptable.
    return any(
        _FORBIDS.search(clause) and not _CONDITIONAL.search(clause)
        for clause in re.split(r";|:\s", first)
    )
