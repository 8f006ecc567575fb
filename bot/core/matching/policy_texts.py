"""The policy's texts as the hybrid matcher indexes them: not-good-for notes read as the
requests they describe, and phrasings lent by common job families placed with their use case.

Why separate: these are plain text reshapings with no vectors, shared by the matcher's
fit and by benchmarks that build the same negatives.
"""

from __future__ import annotations

import re

__all__ = ["negative_text", "with_lent"]

_NEGATION = re.compile(
    r"^\s*(?:not|never|no|avoid|don'?t|do not)\b(?:\s+(?:good|suitable|recommended|approved|"
    r"allowed|meant|designed|use\w*|to\s+be\s+used))*(?:\s+(?:for|with|to|in|on))?\s*[:\-]?\s*",
    re.IGNORECASE,
)


def negative_text(note: str) -> str:
    """A not-good-for note as the request it describes: "Not for legal advice" -> "legal advice"."""
    return _NEGATION.sub("", note).strip(" .") or note


def with_lent(
    texts: list[str], owner: list[int], lent: list[list[int]], jobs: list[tuple[int, str]]
) -> tuple[list[str], list[int], list[bool]]:
    """The policy's texts with each use case's lent phrasings after its own ones, so each
    use case's rows stay contiguous (scoring reduces them per use case)."""
    out_texts: list[str] = []
    out_owner: list[int] = []
    is_lent: list[bool] = []
    known = set(texts)
    row = 0
    for case, families in enumerate(lent):
        while row < len(texts) and owner[row] == case:
            out_texts.append(texts[row])
            out_owner.append(case)
            is_lent.append(False)
            row += 1
        extra = [p for f, p in jobs if f in families and p not in known]
        out_texts.extend(extra)
        out_owner.extend([case] * len(extra))
        is_lent.extend([True] * len(extra))
    return out_texts, out_owner, is_lent
