"""Small wording helpers shared by every renderer, so counts read right everywhere."""

from __future__ import annotations

__all__ = ["count", "data_words"]


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 person", "2 people", "1 ask", "3 asks"."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def data_words(label: str) -> str:
    """ "Confidential" -> "Confidential data"; "Sensitive City data" stays as it is."""
    last = label.rstrip(" .").split()[-1].lower() if label.strip() else ""
    if last in {"data", "information", "info", "records", "material", "materials"}:
        return label
    return f"{label} data"
