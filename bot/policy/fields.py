"""Unknown keys and thin use cases: what validation alone would let through silently.

Pydantic keeps unknown keys (stored versions must always load), so a misspelt
`max_data_clas:` would validate and quietly drop a tool's data limit. Files are
therefore checked here first: every key must be a field of the model, `extra`,
or start with `x-` (the documented places for an organization's own data).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from bot.policy.models import Access, DataClass, PolicyMeta, RedLine, Tool, UseCase
from bot.policy.references import did_you_mean

__all__ = ["FEW_EXAMPLES", "thin_use_cases", "unknown_keys"]

#: Below this many examples a use case is accepted with a warning.
FEW_EXAMPLES = 3

_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "data_classes": DataClass,
    "use_cases": UseCase,
    "tools": Tool,
    "red_lines": RedLine,
}
_NESTED: dict[tuple[type[BaseModel], str], type[BaseModel]] = {(Tool, "access"): Access}

Path = tuple[str | int, ...]


def _own(key: str) -> bool:
    return key.startswith("x-") or key == "extra"


def _check(model: type[BaseModel], data: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if not isinstance(data, dict):
        return
    known = set(model.model_fields) - {"extra"}
    for key, value in data.items():
        key = str(key)
        if _own(key):
            continue
        if key not in known:
            hint = did_you_mean(key, known) or (
                "; for data of your own use a key starting with `x-` or put it under `extra:`"
            )
            yield (*path, key), f"unknown field `{key}`{hint}"
            continue
        nested = _NESTED.get((model, key))
        if nested is not None:
            yield from _check(nested, value, (*path, key))


def unknown_keys(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """(path in the merged policy, message) for every key no model knows."""
    yield from _check(PolicyMeta, data.get("meta"), ("meta",))
    for section, model in _ITEM_MODELS.items():
        items = data.get(section)
        for index, item in enumerate(items if isinstance(items, list) else []):
            yield from _check(model, item, (section, index))


def thin_use_cases(data: dict[str, Any]) -> Iterator[tuple[Path, str]]:
    """Use cases with fewer than FEW_EXAMPLES examples: accepted, but matching suffers."""
    items = data.get("use_cases")
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        examples = item.get("examples") or []
        if isinstance(examples, list) and len(examples) < FEW_EXAMPLES:
            count = f"{len(examples)} example" + ("" if len(examples) == 1 else "s")
            path: Path = ("use_cases", index, "examples") if examples else ("use_cases", index)
            yield path, (
                f"only {count} (its name and description count as two more); add real "
                "phrasings people use: more examples improve matching"
            )
