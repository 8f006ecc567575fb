"""Checks of a platform's JSON before its SDK reads it, so a bad shape is a 400.

SDKs trust a body once it is verified (a string where an object belongs ends in a 500
deep inside one). Each check names the first key of the wrong kind, or returns None;
adapters chain them (`a(...) or b(...)`) for each payload type they accept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["ids", "lists_of_objects", "strings"]


def strings(obj: Mapping[str, Any], keys: Iterable[str], *, required: bool = False,
            where: str = "") -> str | None:
    """The first of `keys` that is not a string (None is fine unless `required`, which
    also refuses an empty one)."""
    for key in keys:
        value = obj.get(key)
        if required and not (isinstance(value, str) and value):
            return f"{where}{key} is required"
        if value is not None and not isinstance(value, str):
            return f"{where}{key} must be a string"
    return None


def ids(obj: Mapping[str, Any], keys: Iterable[str], *, required: bool = False) -> str | None:
    """The first of `keys` that is not an object with a non-empty string "id" (user, team,
    channel objects); a missing one is fine unless `required`."""
    for key in keys:
        value = obj.get(key)
        if value is None and not required:
            continue
        if not isinstance(value, dict) or not (isinstance(value.get("id"), str) and value["id"]):
            return f"{key} must be an object with an id"
    return None


def lists_of_objects(obj: Mapping[str, Any], key: str, *, required: str | None = None,
                     non_empty: bool = False) -> str | None:
    """`key` must be a list of objects (each with a string `required` key when given);
    missing is fine unless `non_empty`."""
    value = obj.get(key)
    if value is None and not non_empty:
        return None
    if not isinstance(value, list) or (non_empty and not value) or not all(
            isinstance(item, dict) and (required is None or isinstance(item.get(required), str))
            for item in value):
        return f"{key} must be a list of objects" + (f" with {required}" if required else "")
    return None
