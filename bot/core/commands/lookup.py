"""One resolver for a tool, red line or use case typed by a person.

Admins and employees type what they know: an id (`chatgpt-enterprise`), a name
(`ChatGPT Enterprise`), an alias (`GPT`) or a near miss (`ChatGTP`). Every
command resolves names here, so the same words find the same item everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.matching.text import KnownWords, snap_to_known
from bot.policy.models import Policy

__all__ = ["Found", "find", "find_tool", "names_of", "nearest"]

_SECTION = {"tool": "tools", "red_line": "red_lines", "use_case": "use_cases"}
_SPLIT = re.compile(r"[\s_\-./]+")


@dataclass(frozen=True)
class Found:
    kind: str
    id: str
    name: str


def _key(text: str) -> str:
    return " ".join(t for t in _SPLIT.split(text.casefold().strip()) if t)


def names_of(kind: str, item: object) -> tuple[str, list[str]]:
    """(display name, every key it may be typed as) for one policy item."""
    item_id = str(getattr(item, "id", ""))
    name = str(getattr(item, "name", None) or getattr(item, "title", None) or item_id)
    aliases = [str(a) for a in getattr(item, "aliases", ()) or ()]
    return name, [item_id, name, *aliases]


def _items(policy: Policy, kind: str) -> Sequence[object]:
    return list(getattr(policy, _SECTION[kind]))


def find(policy: Policy, kind: str, typed: str) -> Found | None:
    """The item `typed` names: exact id/name/alias first, then one typo-snapped match."""
    wanted = _key(typed)
    if not wanted:
        return None
    table: dict[str, Found] = {}
    for item in _items(policy, kind):
        name, keys = names_of(kind, item)
        found = Found(kind, str(getattr(item, "id", "")), name)
        for key in keys:
            table.setdefault(_key(key), found)
    if wanted in table:
        return table[wanted]
    vocabulary = sorted({tok for key in table for tok in key.split()})
    snapped = " ".join(snap_to_known(wanted.split(), KnownWords(vocabulary),
                                     min_len=4, long_from=8))
    hit = table.get(snapped)
    if hit is not None:
        return hit
    joined = wanted.replace(" ", "")  # "chat gpt" for "chatgpt"
    matches = {f for k, f in table.items() if k.replace(" ", "") == joined}
    return matches.pop() if len(matches) == 1 else None


def find_tool(policy: Policy, typed: str) -> Found | None:
    return find(policy, "tool", typed)


def nearest(policy: Policy, kind: str, typed: str, limit: int = 3) -> list[str]:
    """A few names close to `typed`, for "did you mean" after a failed lookup."""
    import difflib

    names: Iterable[str] = (names_of(kind, i)[0] for i in _items(policy, kind))
    by_key = {_key(n): n for n in names}
    close = difflib.get_close_matches(_key(typed), list(by_key), n=limit, cutoff=0.5)
    return [by_key[k] for k in close]
