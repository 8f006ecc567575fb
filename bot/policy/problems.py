"""Where a problem in a policy file is, for the person who has to fix it.

`PolicyProblem` itself lives in `bot.errors` (the detail a PolicyFileError carries), so
the error root imports nothing of the policy package; it is re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.errors import PolicyProblem

__all__ = ["Loc", "PolicyProblem", "PolicyTestItem", "parse_path", "path_str"]

Loc = tuple[str | int, ...]
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


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
