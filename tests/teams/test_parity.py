"""Every admin command through Teams over HTTP, with the same texts as Slack (issue #11).

Each case of `tests/parity_cases.py` is POSTed as a message from an admin to the real
app; the reply must be the case's outcome (a message, a dialog, a file consent), say
its phrase, save a version exactly when the case does, and read word for word like
Slack's: a shadow conversation core on its own database gets the same texts, in the
same order, on the Slack surface, and its reply text must be the Teams card's fallback
(the renderer's complete plain text) once the Slack prefix is removed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from bot.core.conversation import SLACK
from bot.runtime import Runtime
from bot.store import Actor
from tests.fakes.bot_connector import FakeBotConnector
from tests.parity_cases import ADMIN_CASES
from tests.teams.conftest import ADMIN_AAD, Served, open_dialog, text_of

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
_CLOCK = re.compile(r"\d{2}:\d{2}")  # history times may differ by a minute between the two
_PLATFORM = re.compile(r"\b(Slack|Teams)\b", re.IGNORECASE)  # "admin in Slack" (history)


def _same(text: str) -> str:
    return _PLATFORM.sub("<chat>", _CLOCK.sub("hh:mm", text.replace(SLACK.prefix, ""))).strip()


async def test_every_admin_command_gives_slacks_outcome_and_words(
        serve: Any, teams_settings: Any, connector: FakeBotConnector, tmp_path: Path) -> None:
    served: Served = await serve(teams_settings())
    store = served.runtime.store
    shadow = await Runtime.start(teams_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'slack-shadow.db'}"))
    slack_admin = Actor(ADMIN_AAD, "slack")
    try:
        for case in ADMIN_CASES:
            before = await store.policies.head_version()
            sent = len(connector.sent)
            cards = await served.say(connector, case.text, aad=ADMIN_AAD)
            expected = await shadow.conversation.on_text(slack_admin, case.text, SLACK)
            assert cards, case.text
            card = cards[0]
            consent = [a for r in connector.sent[sent:] for a in r.activity.get("attachments", [])
                       if a["contentType"] == CONSENT]
            if case.outcome == "form":
                dialog = await open_dialog(served, connector, card, aad=ADMIN_AAD)
                shown = dialog["body"][0]["text"]
                assert expected.form is not None, case.text
                assert shown == expected.form.title, case.text
            elif case.outcome == "file":
                [file] = consent
                shown = file["name"]
                assert expected.attachment is not None, case.text
                assert shown == expected.attachment.filename, case.text
            else:
                assert not consent, case.text
                assert not any("msteams" in str(b) for b in card.get("actions", [])), case.text
                shown = text_of(card)
                assert _same(card["fallbackText"]) == _same(expected.text), case.text
            assert case.says.casefold() in shown.casefold(), (case.text, shown)
            saved = await store.policies.head_version() > before
            assert saved is case.saves, case.text
    finally:
        await shadow.close()
