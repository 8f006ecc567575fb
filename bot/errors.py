"""One error root, so adapters can phrase every failure of the core politely."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ConciergeError",
    "InputError",
    "NotAuthorized",
    "PolicyConflict",
    "PolicyFileError",
    "PolicyProblem",
    "StoreUnavailable",
    "UnknownVersion",
]


class ConciergeError(Exception):
    """Root of every error the core raises on purpose; the message is safe to show."""


class InputError(ConciergeError):
    """The user's input cannot be handled (empty, too long, unknown command)."""


@dataclass(frozen=True)
class PolicyProblem:
    """One thing wrong (or doubtful, for a warning) in a policy file, located for a human."""

    file: str
    path: str
    message: str
    line: int | None = None
    item: str | None = None  # e.g. "tool grammarly-business"
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        what = self.path
        if self.item:
            what = f"{what} ({self.item})" if what else self.item
        return f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"


class PolicyFileError(ConciergeError):
    """A policy file or text is invalid; nothing was changed."""

    def __init__(self, problems: Sequence[PolicyProblem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {count - 50} more" if count > 50 else ""
        super().__init__(f"The policy is invalid ({count} problem(s)):\n{lines}{more}")


class NotAuthorized(ConciergeError):
    """The actor may not do this; the attempt has been audited."""


class PolicyConflict(ConciergeError):
    """Someone else changed the policy since the editor loaded it."""


class UnknownVersion(ConciergeError):
    """A policy version that does not exist was asked for."""


class StoreUnavailable(ConciergeError):
    """The database cannot be reached; the caller should ask the user to retry shortly."""
