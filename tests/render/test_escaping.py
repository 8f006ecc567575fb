"""Text from people and policies is shown, never obeyed: mrkdwn escaped, links defused,
entities never cut in half, and long texts cut to Slack's limits with the buttons kept."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.reply import Action, Fact, Reply, Section
from bot.render.adaptive import to_card
from bot.render.blockkit import to_blocks
from bot.render.mrkdwn import MAX_SECTION_CHARS, escape


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn text of a message: sections, fields and context elements."""
    found = [b["text"]["text"] for b in blocks if isinstance(b.get("text"), dict)]
    found += [e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]
    found += [f["text"] for b in blocks for f in b.get("fields", [])]
    return found


def test_escape_only_the_three_control_characters() -> None:
    assert escape("<!here> & <@U1> *bold*") == "&lt;!here&gt; &amp; &lt;@U1&gt; *bold*"


def test_long_text_with_markup_characters_fits_the_limits() -> None:
    long = ("Use it for <drafts> & notes. " * 125)[:3500]
    reply = Reply(
        title="For <x>:", text=long * 20,
        sections=(Section(title="No <secrets>", text=long, tone="attention"),
                  *(Section(title=f"Tool {i} <b>", text=long, facts=(Fact("Data", long),),
                            actions=(Action("Get access", url="https://example.org"),))
                    for i in range(30))),
        more=tuple(Section(title=f"More {i}", text=long) for i in range(5)),
        actions=(Action("I need this too", id="vote", value={"unmet_id": "9"}),
                 Action("Ask IT", id="ask_it", value={"query_id": "7"})))
    blocks, fallback = to_blocks(reply)
    assert len(blocks) <= 50
    texts = _texts(blocks)
    assert all(len(t) <= MAX_SECTION_CHARS for t in texts)
    assert blocks[-1]["type"] == "actions"  # buttons survive the cut
    assert json.loads(blocks[-1]["elements"][0]["value"]) == {"a": "vote", "unmet_id": "9"}
    assert "left out to fit Slack" in json.dumps(blocks)
    assert len(fallback) <= 40_000
    for text in [*texts, fallback]:
        assert "<" not in text.replace("&lt;", "")
        assert not re.search(r"&(?!amp;|lt;|gt;)", text)  # no entity cut in half


def test_markdown_links_in_cards_are_defused() -> None:
    card = to_card(Reply(title="Is [Free AI](https://evil.example) approved?", text="x",
                         sections=(Section(text="see [here](https://evil.example)"),)))
    assert "](" not in json.dumps(card["body"])
