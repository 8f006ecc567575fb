"""The admin texts both adapters must handle alike (issue #11: same text, same result).

Slack sends each text after `/aitools `, Teams as a message; both run the cases in
this order against the sample policy on a fresh database, as an admin, and check
the same outcome: what the person gets (a message, a form or a file), a phrase of
its wording (the same words on both platforms, compared case-insensitively) and
whether a new policy version was saved. Shared by tests/slack and tests/teams; change it for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ADMIN_CASES", "ParityCase"]

Outcome = Literal["message", "form", "file"]


@dataclass(frozen=True)
class ParityCase:
    text: str
    outcome: Outcome
    says: str = ""  # a phrase of the reply (message) or of the form's title (form)
    saves: bool = False  # a new policy version is saved

    @property
    def id(self) -> str:
        return self.text.replace(" ", "_")


ADMIN_CASES: tuple[ParityCase, ...] = (
    ParityCase("admin", "message", "admin"),
    ParityCase("admin help", "message", "admin"),
    ParityCase("admin tool", "form", "tool"),
    ParityCase("admin tool deepl-pro", "form", "DeepL"),
    ParityCase("admin edit tool DeepL Pro", "form", "DeepL"),
    ParityCase("admin redline", "form", "red line"),
    ParityCase("admin redline no-deepfakes", "form", "red line"),
    ParityCase("admin usecase", "form", "use case"),
    ParityCase("admin usecase translate-text", "form", "use case"),
    ParityCase("admin status synthesia pilot", "message", "pilot", saves=True),
    ParityCase("admin status Synthesia under review", "message", "under review", saves=True),
    ParityCase("admin status synthesia banned", "message", "standard"),
    ParityCase("admin status nosuchtool approved", "message", "nosuchtool"),
    ParityCase("admin retire synthesia", "message", "Synthesia", saves=True),
    ParityCase("admin remove redline no-deepfakes", "message", "no-deepfakes", saves=True),
    ParityCase("admin remove usecase learn-concepts", "message", "learn-concepts", saves=True),
    ParityCase("admin history", "message", "history"),
    ParityCase("admin rollback 1", "message", "1", saves=True),
    ParityCase("admin rollback 999", "message", "999"),
    ParityCase("admin unmet", "message", "unmet"),
    ParityCase("admin candidates", "message", "candidate"),
    ParityCase("admin candidates all", "message", "candidate"),
    ParityCase("admin candidates accept 999", "message", "999"),
    ParityCase("admin export", "file", "ai-tool-policy-v"),
    ParityCase("admin import", "message", "import"),
    ParityCase("admin whatif", "message", "whatif"),
    ParityCase("admin frobnicate", "message", "admin"),
)
