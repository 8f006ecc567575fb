"""Views: pure functions that turn what the core knows into a neutral `Reply`.

All wording an employee reads lives in these modules (answer, help, catalogue, red
lines, tool, digest, App Home; the admin views beside them). They never touch the
store or a platform: the conversation core passes them what to show and the
renderers in `bot/render` lay the Reply out for Slack or Teams.

This module holds the parts every view shares — the status badge, a compact tool
section, the command spelling of a surface — so a tool looks the same in an
answer, the catalogue and the tool card.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.reply import Action, Badge, Section

__all__ = [
    "STATUS_BADGES",
    "SurfaceLike",
    "command",
    "details_action",
    "one_line",
    "status_badge",
    "tool_line_section",
]

#: One badge per status. The label is the only place a tool's status is written.
STATUS_BADGES: dict[str, Badge] = {
    "standard": Badge("Standard", "good"),
    "approved": Badge("Approved", "good"),
    "pilot": Badge("Pilot", "warning"),
    "under_review": Badge("Under review", "warning"),
    "prohibited": Badge("Prohibited", "attention"),
}


class SurfaceLike(Protocol):
    """Where a reply is shown (`bot.core.conversation.Surface` satisfies it).

    Views only need to know how a command is written there ("/aitools list" in
    Slack, "list" in Teams) and whether the chat is a personal one.
    """

    @property
    def platform(self) -> str: ...

    @property
    def prefix(self) -> str: ...

    @property
    def personal(self) -> bool: ...


def status_badge(status: str | None) -> Badge | None:
    """The badge for a policy status; None for a tool the policy does not list."""
    if not status:
        return None
    return STATUS_BADGES.get(status, Badge(status.replace("_", " ").capitalize()))


def command(surface: SurfaceLike, text: str) -> str:
    """A command as the person types it on this surface: "/aitools list" or "list"."""
    return f"{surface.prefix}{text}"


def one_line(text: str, limit: int = 140) -> str:
    """The first sentence, cut at a word: compact views show one line per tool."""
    text = " ".join(text.split())
    for end in (". ", "! ", "? "):
        cut = text.find(end)
        if 0 < cut < limit:
            return text[: cut + 1]
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit - 1) or limit - 1].rstrip(",;:") + "…"


def details_action(tool_id: str, label: str = "Details") -> Action:
    """A button that shows one tool's card (the `tool` command, by id: never ambiguous)."""
    return Action(label=label, command=f"tool {tool_id}")


def tool_line_section(name: str, status: str, why: str, tool_id: str) -> Section:
    """A one-line tool entry for lists (catalogue, App Home): name, badge, why."""
    return Section(title=name, badge=status_badge(status), text=one_line(why),
                   actions=(details_action(tool_id),))
