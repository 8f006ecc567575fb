"""Work of a kind the policy does not cover at all: a translation, an image, a transcript.

Why: scores read a message's topic as much as its kind of work. "translate this job
description into German for our client" sits near "write a job description" on a
recruiter's policy that covers no translation, and was answered. The common-jobs bank
(`families.py`) says what kind of work a text asks for: its nearest phrasing's family,
when at least KIND_SURE near. Translation, images and transcription (OTHER_KINDS) turn the
work into another language or medium, so a use case about the topic ("draft the
newsletter") does not cover them; the bank's other families (writing, email, code ...)
are the topic's own work. A kind of its own that the policy covers nowhere is "nothing
approved fits" for a message of that kind, whatever its topic.

Covered: the kind is lent to a use case (`families.lent_families`, a use case plainly
about it) or any of the policy's own texts reads as that kind by the same test as a
message. Lending alone misses real use cases written in few or unusual words ("support
Spanish in our web portal" under a product-translation use case, "Images: make an image
for the recruitment flyer" whose family nearness stays under LEND_FROM), and a message
the policy names in so many words must not be refused.

Two jobs in one message ("write the job description and translate it into Spanish"): the
part the policy may cover is still answered, so a message joined of parts (`parts`) is of
an uncovered kind only when every part reads as an uncovered kind; otherwise the fit
decision reads it as it reads any message.

Dev held-out sets (27, main 226865c -> this): outcome 1763 -> 1767 of 2020, unmet true
positives 249 -> 253, false 80 -> 80; no answer right before is wrong now.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

__all__ = [
    "KIND_SURE", "OTHER_KINDS", "kinds_read", "of_other_kind", "other_kind_messages", "parts",
    "uncovered_kinds",
]

#: Families of the common-jobs bank whose work is another language or medium.
OTHER_KINDS = ("translation", "images", "transcription")
#: A text at least this near its nearest bank phrasing asks for that phrasing's kind of
#: work (half-way similar for this model: the lowest of 0.5-0.7 scanned on the dev sets;
#: 0.6 and above changed almost no answer).
KIND_SURE = 0.5
#: Where one job ends and the next begins: "and", "then", "also", "plus", a comma or a
#: semicolon, alone or together ("and then", ", and also").
_JOINT = re.compile(r"\s*(?:[,;]\s*|\b(?:and|then|also|plus)\b\s*)+", re.IGNORECASE)


def kinds_read(sims: np.ndarray, family_of: np.ndarray) -> np.ndarray:
    """The family each text asks for, -1 for none: `sims` (texts, bank phrasings),
    `family_of` each phrasing's family. A text's nearest phrasing, if KIND_SURE near."""
    if not sims.size:
        return np.full(len(sims), -1, dtype=np.int64)
    nearest = sims.argmax(axis=1)
    near = sims[np.arange(len(sims)), nearest]
    return np.where(near >= KIND_SURE, family_of[nearest], -1)


def uncovered_kinds(
    names: Sequence[str], lent: Sequence[Sequence[int]], own_kinds: np.ndarray
) -> np.ndarray:
    """Indexes (into `names`, the bank's families) of OTHER_KINDS the policy covers
    nowhere: lent to no use case and read in none of its own texts (`own_kinds`)."""
    covered = {family for families in lent for family in families} | set(own_kinds.tolist())
    return np.asarray([k for k, name in enumerate(names)
                       if name in OTHER_KINDS and k not in covered], dtype=np.int64)


def of_other_kind(sims: np.ndarray, family_of: np.ndarray, uncovered: np.ndarray) -> np.ndarray:
    """Which messages (rows of `sims`, as for `kinds_read`) ask for an uncovered kind."""
    if not len(uncovered):
        return np.zeros(len(sims), dtype=bool)
    return np.isin(kinds_read(sims, family_of), uncovered)


def parts(text: str) -> list[str]:
    """The jobs a message joins (`_JOINT`); the whole message when it joins none."""
    found = [p for p in _JOINT.split(text) if p.strip()]
    return found if len(found) > 1 else [text]


def other_kind_messages(
    texts: Sequence[str], sims: np.ndarray, family_of: np.ndarray, uncovered: np.ndarray,
    part_sims: Callable[[list[str]], np.ndarray],
) -> np.ndarray:
    """`of_other_kind`, less messages with a part not of an uncovered kind: `part_sims`
    gives the parts' (parts, bank phrasings) similarities, asked only for messages of an
    uncovered kind that join several parts."""
    other = of_other_kind(sims, family_of, uncovered)
    for i in np.flatnonzero(other).tolist():
        pieces = parts(texts[i])
        if len(pieces) > 1:
            kinds = kinds_read(part_sims(pieces), family_of)
            other[i] = bool(np.isin(kinds, uncovered).all())
    return other
