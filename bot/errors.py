"""One error root, so adapters can phrase every failure of the core politely."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.policy.problems import PolicyProblem

__all__ = [
    "ConciergeError",
    "InputError",
    "NotAuthorized",
    "PolicyConflict",
    "PolicyFileError",
    "StoreUnavailable",
    "UnknownVersion",
]


class ConciergeError(Exception):
    """Root of every error the core raises on purpose; the message is safe to show."""


class InputError(ConciergeError):
    """The user's input cannot be handled (empty, too long, unknown command)."""


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
