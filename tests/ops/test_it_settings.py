"""IT_CHANNEL and TEAMS_IT_CONVERSATION (Ask IT): ids, not names, with one clear error."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings


@pytest.mark.parametrize("bad", ["#it-help", "it-help", "c0123abcd"])
def test_it_channel_must_be_a_channel_id(bad: str) -> None:
    with pytest.raises(SettingsError, match=r"IT_CHANNEL: .*Slack channel id such as C0123ABCD"):
        load_settings(it_channel=bad)


def test_it_destinations_are_read_and_normalised() -> None:
    settings = load_settings(it_channel=" C0123ABCD ",
                             teams_it_conversation="19:itdesk@thread.tacv2;messageid=1700")
    assert settings.it_channel == "C0123ABCD"
    assert settings.teams_it_conversation == "19:itdesk@thread.tacv2"
    unset = load_settings(it_channel="", teams_it_conversation=" ")
    assert (unset.it_channel, unset.teams_it_conversation) == (None, None)
    with pytest.raises(SettingsError, match=r"TEAMS_IT_CONVERSATION: .*19:"):
        load_settings(teams_it_conversation="IT desk")
