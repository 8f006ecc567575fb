"""Form problems by field, so both platforms show them next to the input they concern."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.errors import InputError, PolicyFileError

__all__ = ["FormErrors", "field_errors"]

_PATH = re.compile(r"^[a-z_]+\[\d+\]\.?(?P<rest>.*)$")
_FIELD_OF = {"access.url": "access_url", "access.text": "access_text", "access": "access_text"}


class FormErrors(InputError):
    """What is wrong with a submission: field id -> message. Nothing was saved."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("Nothing was saved: " + "; ".join(self.errors.values()))


def field_errors(exc: PolicyFileError, field_ids: Sequence[str]) -> dict[str, str]:
    """Each located policy problem on its field; the others on the first field."""
    found: dict[str, list[str]] = {}
    first = field_ids[0] if field_ids else "form"
    for problem in exc.problems:
        match = _PATH.match(problem.path or "")
        rest = re.sub(r"\[\d+\]", "", match["rest"]) if match else ""
        field = _FIELD_OF.get(rest) or rest.split(".")[0]
        if field not in field_ids:
            field = first
        found.setdefault(field, []).append(problem.message)
    return {f: "; ".join(messages)[:300] for f, messages in found.items()}
