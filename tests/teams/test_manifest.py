"""The Teams app package: manifest limits Teams enforces on upload, icon sizes, commands."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

from bot.settings import ROOT

TEAMS = ROOT / "deploy" / "teams"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _png(path: Path) -> tuple[int, int, int]:
    """(width, height, colour type) from the PNG header; colour type 6 has alpha."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, _depth, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def test_manifest_is_ready_to_zip():
    manifest = json.loads((TEAMS / "manifest.json").read_text())
    assert manifest["manifestVersion"] == "1.17"
    assert GUID.match(manifest["id"])
    assert len(manifest["name"]["short"]) <= 30
    assert len(manifest["name"]["full"]) <= 100
    assert len(manifest["description"]["short"]) <= 80
    assert len(manifest["description"]["full"]) <= 4000
    assert re.match(r"^#[0-9A-Fa-f]{6}$", manifest["accentColor"])
    for key in ("websiteUrl", "privacyUrl", "termsOfUseUrl"):
        assert manifest["developer"][key].startswith("https://")
    [bot] = manifest["bots"]
    assert GUID.match(bot["botId"])
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    [commands] = bot["commandLists"]
    titles = [c["title"] for c in commands["commands"]]
    assert titles == ["help", "list", "tool", "redlines", "admin"]
    assert len(titles) <= 10
    assert all(len(c["title"]) <= 32 and len(c["description"]) <= 128
               for c in commands["commands"])


def test_icons_have_the_sizes_teams_requires():
    assert _png(TEAMS / "color.png")[:2] == (192, 192)
    width, height, colour = _png(TEAMS / "outline.png")
    assert (width, height) == (32, 32)
    assert colour == 6  # RGBA: white on transparent
