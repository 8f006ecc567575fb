"""Every Block Kit payload of the corpus stays within Slack's documented limits, and every
button carries the neutral action under the one `concierge` listener."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.core.reply import Action, Reply, Section
from bot.render.blockkit import to_blocks, to_form_view, to_home, to_modal
from bot.render.blockkit_forms import form_values, modal_errors
from tests.render.corpus import TOOL_FORM


def _limits(blocks: list[dict[str, Any]], max_blocks: int) -> list[str]:
    """Breaches of Slack's documented Block Kit limits."""
    bad = []
    if len(blocks) > max_blocks:
        bad.append(f"{len(blocks)} blocks > {max_blocks}")
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and len(text) > 3000:
            bad.append(f"section text {len(text)} > 3000")
        if len(block.get("fields", [])) > 10:
            bad.append("more than 10 fields")
        bad += [f"field {len(f['text'])} > 2000" for f in block.get("fields", [])
                if len(f["text"]) > 2000]
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if len(elements) > 25:
            bad.append("more than 25 elements in an actions block")
        buttons = [*elements, *([block["accessory"]] if "accessory" in block else [])]
        ids = [b["action_id"] for b in buttons]
        if len(ids) != len(set(ids)):
            bad.append(f"duplicate action ids {ids}")
        for button in buttons:
            if len(button["text"]["text"]) > 75:
                bad.append(f"button text {button['text']['text']!r} > 75")
            if len(button.get("value", "")) > 2000:
                bad.append("button value > 2000")
            if not button["action_id"].startswith("concierge"):
                bad.append(f"action id {button['action_id']}")
            if "url" not in button:
                value = json.loads(button["value"])
                if not ("c" in value or "a" in value):
                    bad.append(f"value without a neutral action: {value}")
    return bad


async def test_every_message_and_home_is_within_slack_limits(replies: dict[str, Reply]) -> None:
    problems = {}
    for name, reply in replies.items():
        blocks, fallback = to_blocks(reply, image_file="F123" if reply.image else None)
        home = to_home(reply)["blocks"]
        found = _limits(blocks, 50) + _limits(home, 100)
        if reply.form is not None:
            modal = to_modal(reply.form)
            found += _limits([b for b in modal["blocks"] if b["type"] != "input"], 100)
            found += [f"modal title {modal['title']['text']!r}" for _ in [0]
                      if len(modal["title"]["text"]) > 24]
            found += [f"{len(b['element']['options'])} options" for b in modal["blocks"]
                      if len(b.get("element", {}).get("options", [])) > 100]
        if not fallback.strip():
            found.append("empty fallback")
        if found:
            problems[name] = found
    assert not problems, problems


def test_long_replies_are_cut_to_fit_with_a_note() -> None:
    many = tuple(Section(title=f"Part {i}", text="x " * 2000) for i in range(60))
    reply = Reply(title="Long", text="Long", sections=many,
                  actions=(Action("Ask IT", id="ask_it"),))
    blocks, _ = to_blocks(reply)
    assert not _limits(blocks, 50)
    assert blocks[-1]["type"] == "actions"  # the buttons survive the cut
    assert "left out" in json.dumps(blocks)


def test_buttons_in_one_block_get_unique_ids_and_json_values() -> None:
    reply = Reply(title="t", text="t", actions=(
        Action("Helpful", id="feedback", value={"query_id": "7", "helpful": "true"}),
        Action("List", command="list"), Action("Open", url="https://example.org")))
    (_, actions), _ = to_blocks(reply)
    ids = [e["action_id"] for e in actions["elements"]]
    assert ids == ["concierge", "concierge:2", "concierge:3"]
    assert json.loads(actions["elements"][0]["value"]) == {"a": "feedback", "query_id": "7",
                                                           "helpful": "true"}
    assert json.loads(actions["elements"][1]["value"]) == {"c": "list"}
    assert actions["elements"][2]["url"] == "https://example.org"
    assert "value" not in actions["elements"][2]


def test_mrkdwn_is_escaped() -> None:
    reply = Reply(title="<!channel> hi", text="x", sections=(Section(text="<https://evil|ok>"),))
    blocks, _fallback = to_blocks(reply)
    dumped = json.dumps(blocks)
    assert "<!channel>" not in dumped
    assert "<https://evil" not in dumped
    assert "&lt;!channel&gt;" in dumped


def test_form_as_modal_with_inline_errors_and_values_back() -> None:
    view = to_modal(TOOL_FORM)
    assert view["callback_id"] == "concierge"
    assert view["close"]["text"] == "Cancel"
    assert json.loads(view["private_metadata"]) == {"form": "tool", "state": {
        "item": "deepl-pro", "version": "3"}}
    assert len(view["title"]["text"]) <= 24
    assert len(view["blocks"]) <= 100
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["status"]["element"]["initial_option"]["value"] == "approved"
    assert inputs["aliases"]["element"]["initial_value"] == "deepl\ndeepl pro"
    assert inputs["name"]["optional"] is False
    assert inputs["access"]["optional"] is True
    assert all(o["value"] for b in inputs.values() for o in b["element"].get("options", []))
    errors = modal_errors(TOOL_FORM)
    assert errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"access", "name"} <= set(inputs)
    state = {"name": {"name": {"type": "plain_text_input", "value": "DeepL"}},
             "status": {"status": {"type": "static_select",
                                   "selected_option": {"value": "pilot"}}},
             "good_for": {"good_for": {"type": "multi_static_select",
                                       "selected_options": [{"value": "uc1"}]}},
             "access": {"access": {"type": "plain_text_input", "value": None}}}
    assert form_values(state) == {"name": "DeepL", "status": "pilot", "good_for": ["uc1"],
                                  "access": ""}


def test_form_view_adds_the_replys_buttons_and_refuses_a_reply_without_form() -> None:
    reply = Reply(title="Edit tool", text="Fix the address.", form=TOOL_FORM, actions=(
        Action("Check impact", id="check_impact"), Action("Cancel", id="cancel")))
    view = to_form_view(reply)
    buttons = [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert [b["text"]["text"] for b in buttons] == ["Check impact"]
    assert view["blocks"][0]["text"]["text"] == "Fix the address."  # errors said on top
    with pytest.raises(ValueError, match="form"):
        to_form_view(Reply(title="t", text="t"))
