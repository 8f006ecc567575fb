"""How long a platform call waits before it is tried again, the same for Slack and Teams.

After a `Retry-After`: that long (a little jitter after it, never before). Without
one: full jitter under an exponential ceiling, so the retries of many replies spread
out instead of hitting a struggling service together.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Backoff"]


@dataclass(frozen=True)
class Backoff:
    attempts: int = 5  # total tries, including the first
    base_delay: float = 0.5
    max_delay: float = 4.0  # cap of one wait when the service gave no Retry-After
    max_retry_after: float = 30.0  # longest Retry-After honoured
    budget: float = 40.0  # total seconds spent waiting per call

    def delay(self, attempt: int, retry_after: float | None = None,
              jitter: Callable[[float, float], float] = random.uniform) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        if retry_after is not None:
            return retry_after + jitter(0.0, min(ceiling, 0.25))
        return jitter(0.0, ceiling)
