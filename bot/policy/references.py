"""Ids as IT writes them: compared ignoring case, shown as written, with a did-you-mean.

Real policies use ids like `P3`, `RED` or `C3` and refer to them as `p3`. Rather
than teach every comparison in the code about case, references are rewritten at
load time to the spelling of the item they name.
"""

from __future__ import annotations

import re
from difflib import get_close_matches
from typing import Any

__all__ = ["canonicalize", "did_you_mean"]


def did_you_mean(value: str, known: Any) -> str:
    """' (did you mean `x`?)' for the closest known name, or ''; compared case-insensitively."""
    names = {str(k).casefold(): str(k) for k in known}
    close = get_close_matches(value.casefold(), list(names), n=1, cutoff=0.6)
    return f"; did you mean `{names[close[0]]}`?" if close else ""




def _ids(items: Any) -> dict[str, str]:
    """casefolded id -> id as written, for the items of a raw section."""
    out: dict[str, str] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.setdefault(item["id"].strip().casefold(), item["id"].strip())
    return out


def _canon(value: Any, known: dict[str, str]) -> Any:
    return known.get(value.strip().casefold(), value) if isinstance(value, str) else value


def _canon_list(values: Any, known: dict[str, str]) -> Any:
    return [_canon(v, known) for v in values] if isinstance(values, list) else values


def _status(value: Any, statuses: set[str]) -> Any:
    """`Approved`, `under review` and `under-review` all mean the status `under_review`."""
    if not isinstance(value, str):
        return value
    key = re.sub(r"[\s-]+", "_", value.strip().casefold())
    return key if key in statuses else value


def canonicalize(data: dict[str, Any], status_values: set[str]) -> dict[str, Any]:
    """References and statuses as the referenced items spell them; raw data, never raises."""
    data_ids = _ids(data.get("data_classes"))
    use_case_ids = _ids(data.get("use_cases"))
    tool_ids = _ids(data.get("tools"))
    statuses = {s: s for s in status_values}
    tools = data.get("tools")
    if isinstance(tools, list):
        data = {**data, "tools": [
            {
                **t,
                **({"status": _status(t["status"], status_values)} if "status" in t else {}),
                **({"good_for": _canon_list(t["good_for"], use_case_ids)} if "good_for" in t
                   else {}),
                **({"max_data_class": _canon(t["max_data_class"], data_ids)}
                   if "max_data_class" in t else {}),
                **({"alternatives": _canon_list(t["alternatives"], tool_ids)}
                   if "alternatives" in t else {}),
            } if isinstance(t, dict) else t
            for t in tools
        ]}
    lines = data.get("red_lines")
    if isinstance(lines, list):
        data = {**data, "red_lines": [
            {**r, "applies_to": [
                _status(a, status_values) if _status(a, status_values) in statuses
                else _canon(a, tool_ids)
                for a in r["applies_to"]
            ]} if isinstance(r, dict) and isinstance(r.get("applies_to"), list) else r
            for r in lines
        ]}
    return data
