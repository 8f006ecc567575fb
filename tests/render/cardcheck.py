"""Checks a rendered card must pass: the official schema of its declared version, and
text contrast on Teams' light theme (both vendored under tests/fixtures/adaptivecards).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft6Validator

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "adaptivecards"
SCHEMAS = {"1.5": "adaptive-card-1.5.0.json"}


@cache
def validator(version: str) -> Draft6Validator:
    schema = json.loads((FIXTURES / SCHEMAS[version]).read_text(encoding="utf-8"))
    return Draft6Validator(schema)


def schema_errors(card: dict[str, Any]) -> list[str]:
    """Every schema error of a card against the schema of the version it declares."""
    if card.get("version") not in SCHEMAS:
        return [f"declared version {card.get('version')!r} has no vendored schema"]
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in _leaves(validator(card["version"]).iter_errors(card))]


def _leaves(errors: Any) -> Iterator[Any]:
    """The innermost errors ("anyOf" failures hide the real reason in their context)."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


@cache
def host() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (FIXTURES / "microsoft-teams-light.json").read_text(encoding="utf-8"))
    return data


def _rgb(color: str, over: tuple[float, ...] = (1.0, 1.0, 1.0)) -> tuple[float, ...]:
    """#RRGGBB or #AARRGGBB (alpha blended over `over`) as 0..1 floats."""
    hexa = color.lstrip("#")
    alpha = int(hexa[:2], 16) / 255 if len(hexa) == 8 else 1.0
    rgb = [int(hexa[-6:][i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return tuple(alpha * c + (1 - alpha) * o for c, o in zip(rgb, over, strict=True))


def _luminance(rgb: tuple[float, ...]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) text colour on a background."""
    back = _rgb(background)
    front = _rgb(foreground, back)
    hi, lo = sorted((_luminance(front), _luminance(back)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colours(node: Any, style: str = "default") -> Iterator[tuple[str, str, str]]:
    """(text, foreground hex, background hex) of every TextBlock and TextRun in a card."""
    if isinstance(node, list):
        for item in node:
            yield from text_colours(item, style)
        return
    if not isinstance(node, dict):
        return
    style = node.get("style", style) if node.get("type") in ("Container", "Column") else style
    if node.get("type") == "Action.ShowCard":
        style = host()["actions"]["showCard"]["style"]
    styles = host()["containerStyles"]
    if node.get("type") in ("TextBlock", "TextRun"):
        colours = styles[style]["foregroundColors"][node.get("color", "Default").lower()]
        fg = colours["subtle" if node.get("isSubtle") else "default"]
        yield node.get("text", ""), fg, styles[style]["backgroundColor"]
    for value in node.values():
        if isinstance(value, (dict, list)):
            yield from text_colours(value, style)
