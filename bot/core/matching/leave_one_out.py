"""The hybrid matcher's calibration samples: the policy's own examples scored as if left
out, against the out-of-scope bank (the threshold itself is chosen in `calibration.py`).

Why leave-one-out: no labelled traffic exists for a new policy, but each example is a
question the policy answers; scored without it (and its near-copies) it stands in for
an employee's new phrasing of that job.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.core.matching.calibration import Calibration, choose_threshold
from bot.core.matching.scoring import SCORING_VERSION, ScoringIndex, use_case_scores
from bot.core.matching.text import analyze

#: Examples at least this close (cosine) to a left-out one are left out with it.
NEAR_COPY = 0.8
#: Leave-one-out examples scored when calibrating (a random, seeded sample beyond this).
CALIBRATION_SAMPLE = 3000


def left_out(index: ScoringIndex, n_cases: int, rows: np.ndarray) -> list[np.ndarray]:
    """Each row with its near-copies in the same use case: a real question is a new
    phrasing, not a rewording of an example that is still in the policy."""
    sizes = np.bincount(index.owner, minlength=n_cases)
    own_sizes = np.bincount(index.owner[~index.lent], minlength=n_cases)
    out = []
    for r in rows:
        own = index.owner[r]
        start, size = int(index.starts[own]), int(sizes[own])
        n_own = int(own_sizes[own])
        siblings = index.pos[start : start + n_own] @ index.pos[r]
        near = [start + i for i in np.flatnonzero(siblings >= NEAR_COPY) if start + i != r]
        # Never leave a use case with nothing to match. The phrasings lent to it go too:
        # the texts left out helped choose them.
        left = [int(r), *near[: max(0, n_own - 2)], *range(start + n_own, start + size)]
        out.append(np.asarray(left, dtype=np.int64))
    return out


def calibrate(
    index: ScoringIndex, texts: Sequence[str], n_cases: int, bank: Sequence[str],
    bank_vecs: np.ndarray,
) -> Calibration:
    """Leave-one-out scores of the policy's examples against the bank's scores
    (`bank_vecs`: the whole bank's vectors, in `bank`'s order)."""
    rows = np.flatnonzero(~index.lent)  # the policy's own texts, not lent phrasings
    if len(rows) > CALIBRATION_SAMPLE:
        rng = np.random.default_rng(0)
        rows = np.sort(rng.choice(rows, CALIBRATION_SAMPLE, replace=False))
    # A use case with a single text has nothing left to match when it is left out.
    sizes = np.bincount(index.owner[~index.lent], minlength=n_cases)
    rows = rows[sizes[index.owner[rows]] > 1]
    words = index.words
    assert words is not None  # fit() calibrates only when it indexed some texts
    in_scores, in_correct = [], []
    for start in range(0, len(rows), 256):
        chunk = rows[start : start + 256]
        tokens = [analyze(texts[r]) for r in chunk]
        chunk_scores = use_case_scores(
            index, index.pos[chunk], tokens, exclude=left_out(index, n_cases, chunk), bank=False
        )
        in_scores.append(chunk_scores.max(axis=1))
        in_correct.append(chunk_scores.argmax(axis=1) == index.owner[chunk])
    covered = index.bank_covered
    uncovered_vecs = bank_vecs[~covered]
    bank_tokens = [words.tokens(t) for t, c in zip(bank, covered, strict=True) if not c]
    parts: dict[str, np.ndarray] = {}
    out = use_case_scores(index, uncovered_vecs, bank_tokens, bank=False, parts=parts)
    rows_out, best = np.arange(len(out)), out.argmax(axis=1)
    return choose_threshold(
        np.concatenate(in_scores) if in_scores else np.zeros(0),
        np.concatenate(in_correct) if in_correct else np.zeros(0, dtype=bool),
        out[rows_out, best],
        f"leave-one-out + out-of-scope bank ({SCORING_VERSION})",
        out_nearest=parts["nearest"][rows_out, best],
        out_words=parts["words"][rows_out, best],
    )
