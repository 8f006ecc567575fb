"""Per-policy threshold: where "nothing approved fits" starts, learned from the policy itself.

No global threshold suits every policy: a policy with 12 broad use cases and one with 150
narrow ones put real questions at very different scores. So each policy version gets its
own, from two samples the matcher can score without any labelled traffic:

- in scope: every example of the policy, scored leave-one-out (as if an employee had
  typed it and the policy did not contain it), and
- out of scope: a built-in bank of a few hundred ordinary requests that are not jobs for
  an AI tool (`data/out_of_scope.txt`: weather, payroll, broken printers, lunch).

The threshold is the lower of two:
- the cost-weighted best split: it maximises IN_SCOPE_WEIGHT x (share of in-scope examples
  still matched to their own use case) + (share of the bank rejected), because a wrong
  "nothing fits" costs an employee an answer while a loose answer to a generic request
  costs little; and
- the in-scope floor: it may not refuse more than IN_SCOPE_BUDGET of the examples that
  were matched right. Left-out examples score higher than real questions do (IT's
  examples resemble each other more than employees' phrasings resemble them), so the
  floor is set low.
Bank requests that are near-copies of a policy text (the policy covers them) are left out.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

__all__ = ["IN_SCOPE_BUDGET", "IN_SCOPE_WEIGHT", "Calibration", "choose_threshold", "out_of_scope_bank"]

#: At most this share of the correctly matched in-scope examples may fall below the threshold.
IN_SCOPE_BUDGET = 0.02
#: A refused in-scope question costs this many wrongly answered out-of-scope ones.
IN_SCOPE_WEIGHT = 3.0
#: Bank entries at least this close (cosine) to a policy text count as covered by the policy.
COVERED_SIMILARITY = 0.85
#: Used when a policy is too small to calibrate (fewer than 2 examples or no bank).
FALLBACK_THRESHOLD = 0.45


@dataclass(frozen=True)
class Calibration:
    """The chosen threshold and the evidence behind it (stored with the policy version)."""

    threshold: float
    method: str
    in_scope: int  # leave-one-out examples scored
    in_scope_accuracy: float  # share matched to their own use case at the threshold
    out_of_scope: int  # bank requests scored
    out_of_scope_rejected: float  # share of the bank below the threshold

    def to_dict(self) -> dict[str, float | int | str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Calibration:
        return cls(
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            method=str(data.get("method", "stored")),
            in_scope=int(data.get("in_scope", 0)),  # type: ignore[call-overload]
            in_scope_accuracy=float(data.get("in_scope_accuracy", 0.0)),  # type: ignore[arg-type]
            out_of_scope=int(data.get("out_of_scope", 0)),  # type: ignore[call-overload]
            out_of_scope_rejected=float(
                data.get("out_of_scope_rejected", 0.0)  # type: ignore[arg-type]
            ),
        )


@lru_cache(maxsize=1)
def out_of_scope_bank() -> tuple[str, ...]:
    """The built-in out-of-scope requests (comments and blank lines dropped)."""
    text = files("bot.core.matching").joinpath("data/out_of_scope.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def choose_threshold(
    in_scores: np.ndarray, in_correct: np.ndarray, out_scores: np.ndarray, method: str
) -> Calibration:
    """The lower of the cost-weighted best split and the in-scope floor (module docstring).

    `in_scores` / `in_correct`: leave-one-out top score of each example and whether its
    top use case was its own; `out_scores`: top score of each (uncovered) bank request.
    """
    n_in, n_out = len(in_scores), len(out_scores)
    if n_in < 2 or n_out == 0:
        return Calibration(FALLBACK_THRESHOLD, "fallback", n_in, 0.0, n_out, 0.0)
    right = np.sort(in_scores[in_correct])
    out_sorted = np.sort(out_scores)
    candidates = np.unique(np.concatenate([right, out_sorted + 1e-6, [0.0]]))
    kept = (len(right) - np.searchsorted(right, candidates, side="left")) / n_in
    rejected = np.searchsorted(out_sorted, candidates, side="left") / n_out
    floor = len(right) / n_in * (1.0 - IN_SCOPE_BUDGET)
    allowed = kept >= floor - 1e-12
    objective = np.where(allowed, IN_SCOPE_WEIGHT * kept + rejected, -np.inf)
    best = int(np.argmax(objective))  # the lowest threshold among equals: kinder to askers
    return Calibration(
        threshold=round(float(candidates[best]), 6),
        method=method,
        in_scope=n_in,
        in_scope_accuracy=round(float(kept[best]), 4),
        out_of_scope=n_out,
        out_of_scope_rejected=round(float(rejected[best]), 4),
    )
