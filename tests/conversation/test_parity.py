"""The shared admin parity cases, run through the core once per platform surface.

Both adapters call this core, so the same text must give the same kind of result,
the same wording (apart from how a command is written) and the same saved version.
"""

from __future__ import annotations

import pytest

from bot.core.concierge import Concierge
from bot.core.conversation import SLACK, TEAMS, Conversation
from bot.core.reply import Reply
from bot.core.services import Services
from tests.conversation.conftest import ADMIN, all_text
from tests.parity_cases import ADMIN_CASES


def _outcome(reply: Reply) -> str:
    if reply.form is not None:
        return "form"
    return "file" if reply.attachment is not None else "message"


@pytest.mark.parametrize("platform", ["slack", "teams"])
async def test_admin_cases(concierge: Concierge, platform: str) -> None:
    services = Services.build(concierge, admins=["UADMIN01"])
    conversation = Conversation(services)
    surface = SLACK if platform == "slack" else TEAMS
    for case in ADMIN_CASES:
        before = (await services.snapshot()).version
        reply = await conversation.on_text(ADMIN, case.text, surface)
        assert _outcome(reply) == case.outcome, case.text
        shown = reply.form.title if reply.form is not None else \
            all_text(reply) + (reply.attachment.filename if reply.attachment else "")
        assert case.says.casefold() in shown.casefold(), (case.text, shown)
        after = (await services.snapshot()).version
        assert (after > before) is case.saves, case.text


async def test_the_same_words_on_both_platforms(concierge: Concierge) -> None:
    """Replies differ only in how a command is written ("/aitools " in Slack)."""
    replies = {}
    for surface in (SLACK, TEAMS):
        conversation = Conversation(Services.build(concierge, admins=["UADMIN01"]))
        replies[surface.platform] = [
            (await conversation.on_text(ADMIN, text, surface)).text.replace(surface.prefix, "")
            for text in ("admin", "admin frobnicate", "admin status synthesia banned",
                         "admin candidates accept 999", "admin import")]
    assert replies["slack"] == replies["teams"]
