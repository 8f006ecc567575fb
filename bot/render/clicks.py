"""What a button or form drawn by a renderer brings back, read once for both platforms.

Both renderers put the same neutral data on every button (`{"c": command}` or
`{"a": callback id, **value}`; Teams forms `{"form": id, "state": {...}}`): a Slack
button's JSON `value`, a Teams `Action.Submit`'s `data["concierge"]`. Inputs sent with
a click (a form's values, for "Check impact") join the value without overriding it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from bot.core.conversation.requests import Clicked, Request, Submitted, Typed

__all__ = ["read_button", "read_click"]


def _text(value: object) -> str:
    """A multi-choice value (a list, from Slack) comma-joined, as Teams sends it."""
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def read_click(neutral: object, inputs: Mapping[str, object] | None = None) -> Request | None:
    """The request in a button's neutral data; None for data we did not draw."""
    if not isinstance(neutral, Mapping):
        return None
    extra = {str(k): v for k, v in (inputs or {}).items() if v is not None}
    if isinstance(neutral.get("c"), str):
        return Typed(neutral["c"])
    if isinstance(neutral.get("a"), str):
        value = {str(k): str(v) for k, v in neutral.items() if k != "a" and v is not None}
        return Clicked(neutral["a"], {**{k: _text(v) for k, v in extra.items()}, **value})
    if isinstance(neutral.get("form"), str):
        state: Any = neutral.get("state")
        return Submitted(neutral["form"], {str(k): str(v) for k, v in state.items()}
                         if isinstance(state, Mapping) else {}, extra)
    return None


def read_button(value: object, inputs: Mapping[str, object] | None = None) -> Request | None:
    """A Slack button's JSON `value`; None for a link button (it has none) or a stranger."""
    try:
        neutral = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return read_click(neutral, inputs)
