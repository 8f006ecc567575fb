"""The app manifest asks for the least scopes and matches what the Bolt app handles."""

from __future__ import annotations

import yaml

from bot.settings import ROOT

ALLOWED_BOT_SCOPES = {"app_mentions:read", "chat:write", "commands", "im:history", "im:write",
                      "files:read", "files:write", "usergroups:read", "users:read",
                      "users:read.email", "channels:history", "groups:history"}


def test_manifest_scopes_events_and_urls() -> None:
    path = ROOT / "deploy" / "slack" / "manifest.yaml"
    manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes["bot"]) == ALLOWED_BOT_SCOPES
    assert "user" not in scopes
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "app_mention", "message.channels", "message.groups", "message.im"}
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/aitools"
    urls = {command["url"], settings["event_subscriptions"]["request_url"],
            settings["interactivity"]["request_url"]}
    assert urls == {"https://YOUR-HOST/slack/events"}
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert settings["token_rotation_enabled"] is False
