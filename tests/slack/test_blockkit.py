"""Block Kit rendering: escaping and Slack's limits, on the real sample policy."""

from __future__ import annotations

import json
import re
from dataclasses import replace

from bot.core.compose import help_answer
from bot.core.replies import Answer, RedLineNote, ToolAdvice
from bot.policy.models import Policy
from bot.render.blockkit import (
    MAX_SECTION_CHARS,
    VOTE,
    catalogue_blocks,
    escape,
    home_view,
    red_lines_blocks,
    to_blocks,
)


def _tool(i: int, text: str) -> ToolAdvice:
    return ToolAdvice(id=f"t{i}", name=f"Tool <{i}>", status="approved", why=text,
                      summary=text, data_limit="Up to Internal data", max_data_class="internal",
                      access_text="Ask IT > Software", access_url="https://it.example/t",
                      caveats=("Not for <!channel> & co",), contact="#ask-it")


def _section_texts(blocks: list[dict]) -> list[str]:
    return [b["text"]["text"] for b in blocks if "text" in b] + [
        e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]]


def test_escape_only_the_three_control_characters() -> None:
    assert escape("<!here> & <@U1> *bold*") == "&lt;!here&gt; &amp; &lt;@U1&gt; *bold*"


def test_long_text_with_markup_characters_fits_the_limits() -> None:
    long = ("Use it for <drafts> & notes. " * 125)[:3500]
    answer = Answer(outcome="answered", headline="For <x>:", text=long * 20,
                    tools=tuple(_tool(i, long) for i in range(60)),
                    red_lines=(RedLineNote("r", "No <secrets>", long, long),),
                    notes=(long,), query_id=7, unmet_id=9, logged_unmet=True)
    blocks, fallback = to_blocks(answer, question="<!channel> " + long)
    assert len(blocks) <= 50
    assert all(len(t) <= MAX_SECTION_CHARS for t in _section_texts(blocks))
    assert blocks[-1]["type"] == "actions"  # buttons survive truncation
    assert {e["action_id"] for e in blocks[-1]["elements"]} >= {VOTE}
    assert "left out to fit Slack" in json.dumps(blocks)
    assert len(fallback) <= 40_000
    for text in [*_section_texts(blocks), fallback]:
        assert "<" not in text.replace("&lt;", "")
        assert not re.search(r"&(?!amp;|lt;|gt;)", text)
    assert not any(t.endswith("&am…") or t.endswith("&l…") for t in _section_texts(blocks))


def test_every_answer_has_blocks_and_fallback(sample_policy: Policy) -> None:
    blocks, fallback = to_blocks(help_answer(sample_policy))
    assert fallback.startswith("I'm the AI tool concierge for Northwind")
    assert "I'm the AI tool concierge for Northwind" in json.dumps(blocks)
    answer = replace(help_answer(sample_policy), query_id=None)
    assert not any(b["type"] == "actions" for b in to_blocks(answer)[0])


def test_catalogue_red_lines_and_home_respect_limits(sample_policy: Policy) -> None:
    catalogue = catalogue_blocks(sample_policy)
    assert len(catalogue) <= 50
    text = json.dumps(catalogue)
    assert "Microsoft 365 Copilot" in text
    assert "Midjourney" not in text  # prohibited
    lines = red_lines_blocks(sample_policy)
    assert len(lines) == len(sample_policy.red_lines) + 1
    view = home_view(sample_policy, 3)
    assert view["type"] == "home"
    assert len(view["blocks"]) <= 100
    assert "Policy version 3" in json.dumps(view)
    many = sample_policy.model_copy(update={"red_lines": sample_policy.red_lines * 20})
    assert len(home_view(many, 3)["blocks"]) <= 100
