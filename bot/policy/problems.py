"""A problem in a policy file, located for the person who has to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["Loc", "PolicyProblem", "PolicyTestItem", "parse_path", "path_str"]

Loc = tuple[str | int, ...]
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


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


@dataclass(frozen=True)
class PolicyTestItem:
    """One entry of a `tests:` section, with where it was written (run by bot.core)."""

    file: str
    line: int | None
    data: Any



def parse_path(text: str) -> Loc:
    return tuple(int(m[2]) if m[2] else m[1] for m in _PATH_PART.finditer(text))


def path_str(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
