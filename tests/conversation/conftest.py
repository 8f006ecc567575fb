"""A real conversation core over a real, migrated database with the sample policy."""

from __future__ import annotations

import pytest

from bot.core.concierge import Concierge
from bot.core.conversation import SLACK, Conversation, Surface
from bot.core.reply import Reply
from bot.core.services import Services
from bot.store import Actor

ADMIN = Actor("UADMIN01", "slack")
EMPLOYEE = Actor("UEMPLOYEE1", "slack")
#: An admin by email only: the platform resolved the alias, the settings list the email.
BY_EMAIL = Actor("29:teams-user", "teams", aliases=("it.lead@example.com",))


@pytest.fixture
def services(concierge: Concierge) -> Services:
    return Services.build(concierge, admins=["UADMIN01", "it.lead@example.com"])


@pytest.fixture
def conversation(services: Services) -> Conversation:
    return Conversation(services)


@pytest.fixture
def surface() -> Surface:
    return SLACK


def all_text(reply: Reply) -> str:
    """Everything a person could read in a reply (title, text, sections, facts, buttons)."""
    parts = [reply.title, reply.text, reply.footer]
    for section in (*reply.sections, *reply.more):
        parts += [section.title or "", section.text]
        parts += [f"{f.label}: {f.value}" for f in section.facts]
        parts += [a.label for a in section.actions]
    parts += [f"{f.label}: {f.value}" for f in reply.facts]
    parts += [a.label for a in reply.actions]
    return "\n".join(parts)
