"""What a person did, as any platform can say it: typed, clicked a button, sent a form.

Adapters read their platform's payload into one of these (the renderers' buttons carry
them back, `bot.render.clicks`) and hand it to `Conversation.on_request`, so which core
call answers which gesture is decided once, here, not in each adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.reply import Action

__all__ = ["Clicked", "Request", "Submitted", "Typed", "as_action"]


@dataclass(frozen=True)
class Typed:
    """A message, or a button that runs a command as the clicking person."""

    text: str


@dataclass(frozen=True)
class Clicked:
    """A button for a core callback (feedback, vote, Ask IT, …) with its value."""

    action_id: str
    value: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submitted:
    """A form's id, the hidden state it carried and the values entered."""

    form_id: str
    state: Mapping[str, str]
    values: Mapping[str, object]


Request = Typed | Clicked | Submitted


def as_action(request: object) -> Action | None:
    """A typed text or click as a neutral button, to repeat it later (open its form, fetch
    its file); None for anything else."""
    if isinstance(request, Typed):
        return Action(label="", command=request.text)
    if isinstance(request, Clicked):
        return Action(label="", id=request.action_id, value=dict(request.value))
    return None
