"""Per-policy threshold: where "nothing approved fits" starts, learned from the policy itself.

No global threshold suits every policy: a policy with 12 broad use cases and one with 150
narrow ones put real questions at very different scores. So each policy version gets its
own, from two samples the matcher can score without any labelled traffic:

- in scope: every example of the policy, scored leave-one-out (as if an employee had
  typed it and the policy did not contain it), and
- out of scope: a built-in bank of a few hundred ordinary requests that are not jobs for
  an AI tool (`data/out_of_scope.txt`: weather, payroll, broken printers, lunch), and of
  AI jobs that many policies do not cover (`data/uncovered_ai_jobs.txt`: music, video,
  voice cloning, phone bots; those a policy covers are left out, below).

The threshold maximises the expected IN_SCOPE_WEIGHT x (share of in-scope examples still
matched to their own use case) + (share of the bank rejected), because a wrong "nothing
fits" costs an employee an answer while a loose answer to a generic request costs little.
"Expected": every score is taken as uncertain by SCORE_NOISE (a real question scores a bit
differently from a left-out example, usually lower), which puts the threshold in the
middle of a gap instead of on its edge, and keeps one odd example or bank request from
deciding it.
Bank requests that are near-copies of a policy text (the policy covers them) are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import numpy as np

__all__ = [
    "IN_SCOPE_WEIGHT", "SCORE_NOISE", "Calibration", "choose_threshold", "out_of_scope_bank",
    "uncovered_ai_jobs",
]

#: A refused in-scope question costs this many wrongly answered out-of-scope ones.
IN_SCOPE_WEIGHT = 4.0
#: Standard deviation of a score around its calibration value (see the module docstring).
SCORE_NOISE = 0.08
_GRID = np.arange(0.0, 1.0, 0.0025)
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
    #: Where the policy's own scores lie (mean, spread of the rightly matched left-out
    #: examples and of the bank): a message's score read against them means the same on
    #: any policy (`fit_decision.py`). Zero in calibrations stored before they existed.
    in_mean: float = 0.0
    in_std: float = 0.0
    out_mean: float = 0.0
    out_std: float = 0.0
    #: The bank's nearest-text cosine and word score on its best use case (mean, spread):
    #: both rise with the number of texts a use case has (a maximum over more texts), so
    #: the fit decision reads a message's against the policy's own bank, not as such.
    out_nearest_mean: float = 0.0
    out_nearest_std: float = 0.0
    out_words_mean: float = 0.0
    out_words_std: float = 0.0

    def to_dict(self) -> dict[str, float | int | str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        return cls(
            threshold=float(data["threshold"]),
            method=str(data.get("method", "stored")),
            in_scope=int(data.get("in_scope", 0)),
            in_scope_accuracy=float(data.get("in_scope_accuracy", 0.0)),
            out_of_scope=int(data.get("out_of_scope", 0)),
            out_of_scope_rejected=float(data.get("out_of_scope_rejected", 0.0)),
            in_mean=float(data.get("in_mean", 0.0)),
            in_std=float(data.get("in_std", 0.0)),
            out_mean=float(data.get("out_mean", 0.0)),
            out_std=float(data.get("out_std", 0.0)),
            out_nearest_mean=float(data.get("out_nearest_mean", 0.0)),
            out_nearest_std=float(data.get("out_nearest_std", 0.0)),
            out_words_mean=float(data.get("out_words_mean", 0.0)),
            out_words_std=float(data.get("out_words_std", 0.0)),
        )


def _lines(name: str) -> tuple[str, ...]:
    text = files("bot.core.matching").joinpath(f"data/{name}").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@lru_cache(maxsize=1)
def uncovered_ai_jobs() -> tuple[str, ...]:
    """The bank's AI jobs (`data/uncovered_ai_jobs.txt`), the last part of the bank."""
    return _lines("uncovered_ai_jobs.txt")


@lru_cache(maxsize=1)
def out_of_scope_bank() -> tuple[str, ...]:
    """The built-in out-of-scope requests: errands, then AI jobs (comments dropped)."""
    return _lines("out_of_scope.txt") + uncovered_ai_jobs()


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """Phi(x) without SciPy (Abramowitz & Stegun 7.1.26, error below 1.5e-7)."""
    z = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * (1.0 + np.sign(x) * erf)


def choose_threshold(
    in_scores: np.ndarray, in_correct: np.ndarray, out_scores: np.ndarray, method: str,
    out_nearest: np.ndarray | None = None, out_words: np.ndarray | None = None,
) -> Calibration:
    """The threshold with the best expected weighted accuracy (module docstring).

    `in_scores` / `in_correct`: leave-one-out top score of each example and whether its
    top use case was its own; `out_scores`: top score of each (uncovered) bank request;
    `out_nearest` / `out_words`: its best use case's nearest-text cosine and word score.
    """
    n_in, n_out = len(in_scores), len(out_scores)
    if n_in < 2 or n_out == 0:
        return Calibration(FALLBACK_THRESHOLD, "fallback", n_in, 0.0, n_out, 0.0)
    right = np.asarray(in_scores, dtype=np.float64)[np.asarray(in_correct, dtype=bool)]
    out = np.asarray(out_scores, dtype=np.float64)
    kept = _normal_cdf((right[None, :] - _GRID[:, None]) / SCORE_NOISE).sum(axis=1) / n_in
    rejected = _normal_cdf((_GRID[:, None] - out[None, :]) / SCORE_NOISE).mean(axis=1)
    best = int(np.argmax(IN_SCOPE_WEIGHT * kept + rejected))
    threshold = float(_GRID[best])
    return Calibration(
        threshold=round(threshold, 4),
        method=method,
        in_scope=n_in,
        in_scope_accuracy=round(float((right >= threshold).sum() / n_in), 4),
        out_of_scope=n_out,
        out_of_scope_rejected=round(float((out < threshold).mean()), 4),
        in_mean=round(float(right.mean()), 4) if len(right) else 0.0,
        in_std=round(float(right.std()), 4) if len(right) else 0.0,
        out_mean=round(float(out.mean()), 4),
        out_std=round(float(out.std()), 4),
        **_spread("out_nearest", out_nearest),
        **_spread("out_words", out_words),
    )


def _spread(name: str, values: np.ndarray | None) -> dict[str, float]:
    if values is None or len(values) == 0:
        return {}
    return {f"{name}_mean": round(float(np.mean(values)), 4),
            f"{name}_std": round(float(np.std(values)), 4)}
