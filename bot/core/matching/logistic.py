"""A logistic regression fitted offline whose weights ship as JSON (no pickle).

Why: the answered-vs-unmet decision (`fit_decision`) and the `blocked` decision
(`bot.core.advice.block_decision`) are the same model over different features; each
subclass names its features, so weights made for other features are refused on loading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np

__all__ = ["Logistic"]


@dataclass(frozen=True)
class Logistic:
    """Standardised features, weights and a cut-off on the probability."""

    #: The features, in order, that the weights were fitted on (set by each subclass).
    FEATURES: ClassVar[tuple[str, ...]] = ()
    #: What the weights decide, for the error on weights of other features.
    DECIDES: ClassVar[str] = "logistic"

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    cutoff: float = 0.5

    def probability(self, features: np.ndarray) -> np.ndarray:
        z = (features - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(z @ self.coef + self.intercept)))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.FEATURES), "mean": self.mean.round(6).tolist(),
                "scale": self.scale.round(6).tolist(), "coef": self.coef.round(6).tolist(),
                "intercept": round(self.intercept, 6), "cutoff": self.cutoff}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        if list(data["features"]) != list(cls.FEATURES):
            raise ValueError(f"{cls.DECIDES} weights were made for other features")
        return cls(np.asarray(data["mean"], float), np.asarray(data["scale"], float),
                   np.asarray(data["coef"], float), float(data["intercept"]),
                   float(data.get("cutoff", 0.5)))
