"""What every kind of answer looks up: the best use case of a text, and whom to ask.

Several branches of one answer ask for the same text's best use case, and ranking embeds
the text, so `advise_message` opens a per-message memo (`ranking_memo`) that `top` fills.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bot.core.advice.index import PolicyIndex
from bot.core.matching.base import Scored
from bot.core.pasted import without_placeholders
from bot.core.replies import UseCaseRef
from bot.policy.models import Policy

#: The best use case of each text ranked while answering one message (`advise_message`):
#: several branches ask for the same text's, and ranking embeds it.
_TOPS: ContextVar[dict[str, Scored | None] | None] = ContextVar("tops", default=None)


@contextmanager
def ranking_memo() -> Iterator[None]:
    """Remember each text's best use case until the block ends (one message's answer)."""
    token = _TOPS.set({})
    try:
        yield
    finally:
        _TOPS.reset(token)


def top(index: PolicyIndex, text: str) -> Scored | None:
    """The use case the matcher ranks first for the text (placeholders left out)."""
    key = without_placeholders(text)
    tops = _TOPS.get()
    if tops is not None and key in tops:
        return tops[key]
    ranked = index.matcher.rank(key, k=1)
    best = ranked[0] if ranked else None
    if tops is not None:
        tops[key] = best
    return best


def fits(index: PolicyIndex, best: Scored | None) -> bool:
    """Whether the best use case is the job: the matcher's learned decision when it makes
    one (`matching/fit_decision.py`), else, or when a threshold was set by hand, the score
    against the threshold."""
    if best is None:
        return False
    if best.fits is not None and not index.threshold_set:
        return best.fits
    return best.score >= index.threshold


def use_case_ref(index: PolicyIndex, scored: Scored) -> UseCaseRef:
    use_case = index.policy.use_case(scored.id)
    return UseCaseRef(scored.id, use_case.name if use_case else scored.id, round(scored.score, 4))


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def contact(policy: Policy) -> str:
    return policy.meta.reach
