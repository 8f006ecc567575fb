"""The neutral reply: everything the concierge shows a person, on any platform.

One `Reply` per message or card. The core builds it (answers, help, catalogue,
admin results, candidate lists, the digest, forms); `bot/render` turns any
Reply into Block Kit or an Adaptive Card; adapters only deliver it. Texts are
plain (renderers escape them); emphasis comes from structure (title, badge,
tone), never from platform markup. `text` is always a complete plain fallback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Action",
    "Attachment",
    "Badge",
    "Choice",
    "Fact",
    "Field",
    "FieldKind",
    "Form",
    "Image",
    "Reply",
    "Section",
    "Tone",
]

#: good (approved), warning (pilot / under review / caution), attention (prohibited,
#: red line, error), accent (informational highlight), default (no colour).
Tone = Literal["default", "good", "warning", "attention", "accent"]


@dataclass(frozen=True)
class Badge:
    """A short status label ("Approved", "Prohibited") shown with a coloured tone."""

    text: str
    tone: Tone = "default"


@dataclass(frozen=True)
class Fact:
    """A label/value pair ("Data allowed" / "Internal"); renderers lay them out as a table."""

    label: str
    value: str


@dataclass(frozen=True)
class Action:
    """A button or link.

    Exactly one of these says what it does:
      - `url`: opens a link;
      - `command`: runs this text through the command grammar as the clicking person
        (e.g. "tool chatgpt", "admin candidates accept 12"), so every click is a command;
      - `id` (+ `value`): a callback the conversation core handles (feedback, vote, cancel).
    `style` "primary" marks the one main action; "danger" a destructive one.
    """

    label: str
    command: str | None = None
    id: str | None = None
    value: Mapping[str, str] = field(default_factory=dict)
    url: str | None = None
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Section:
    """One block of a reply: an optional title with a badge, a paragraph, facts, buttons."""

    title: str | None = None
    text: str = ""
    badge: Badge | None = None
    facts: tuple[Fact, ...] = ()
    actions: tuple[Action, ...] = ()
    tone: Tone = "default"


@dataclass(frozen=True)
class Image:
    """A picture (the digest chart); `alt` must say what it shows for screen readers."""

    png: bytes
    alt: str
    title: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file for the person (the exported policy YAML)."""

    filename: str
    content: str
    title: str = ""
    mime: str = "application/x-yaml"


FieldKind = Literal["text", "multiline", "lines", "csv", "url", "choice", "multi_choice"]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Field:
    """One form input. `lines` is one value per line; `csv` comma-separated values.

    Choice values are never empty (Adaptive Cards refuses an empty value): an
    optional choice uses a named value such as "none".
    """

    id: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    value: str | tuple[str, ...] = ""
    placeholder: str = ""
    hint: str = ""
    max_length: int | None = None


@dataclass(frozen=True)
class Form:
    """A form the core defines once and both platforms render (Slack modal, Teams dialog).

    `id` routes the submission back (e.g. "tool", "red_line", "use_case",
    "candidate_decline"); `state` carries hidden context (item id, policy version)
    that comes back with the values; `errors` maps field id to an inline message.
    """

    id: str
    title: str
    fields: tuple[Field, ...]
    submit_label: str = "Save"
    state: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    intro: str = ""


@dataclass(frozen=True)
class Reply:
    """What to show. Renderers must show every part; `text` alone must also make sense.

    Args:
        title: the verdict or heading, first thing read.
        sections: the body, most important first (a red line before tools).
        more: sections shown only behind "More options" (collapsed / a follow-up).
        facts / actions: reply-level facts and buttons (feedback, "Ask IT").
        form: a form to open (modal / dialog) instead of, or after, a message.
        footer: small print (policy version, what was logged).
        tone: colour of the title (attention for blocked, good for approved).
        replace: the reply replaces the message whose button was clicked
            (old buttons disappear), instead of posting a new one.
        private: only the person who asked sees it (Slack ephemeral).
        image / attachment: the digest chart; an exported file.
        follow: for long jobs (what-if replay): an async iterator of later Replies
            that update this message in place, ending with the result.
        kind: a stable name for tests and metrics ("answer", "help", "history", ...).
    """

    title: str
    text: str
    sections: tuple[Section, ...] = ()
    more: tuple[Section, ...] = ()
    facts: tuple[Fact, ...] = ()
    actions: tuple[Action, ...] = ()
    form: Form | None = None
    footer: str = ""
    tone: Tone = "default"
    replace: bool = False
    private: bool = True
    image: Image | None = None
    attachment: Attachment | None = None
    follow: Callable[[], AsyncIterator[Reply]] | None = None
    kind: str = "message"
