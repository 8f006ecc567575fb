"""Small wording helpers shared by every renderer, so counts read right everywhere."""

from __future__ import annotations

__all__ = ["count"]


def count(n: int, singular: str, plural: str | None = None) -> str:
    """ "1 person", "2 people", "1 ask", "3 asks"."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"
