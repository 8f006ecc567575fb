"""Every card of the corpus validates against the official Adaptive Cards schema of its
declared version, keeps ≥ 4.5:1 text contrast on Teams' light theme, and fits."""

from __future__ import annotations

import json

from bot.core.reply import Action, Reply, Section
from bot.render.adaptive import MAX_CARD_BYTES, card_size, to_card, to_dialog, to_form_card
from tests.render.cardcheck import contrast, host, schema_errors, text_colours
from tests.render.corpus import TOOL_FORM


async def test_every_card_validates_against_its_declared_schema(
    replies: dict[str, Reply],
) -> None:
    cards = {name: to_card(reply) for name, reply in replies.items()}
    for name, reply in replies.items():
        if reply.form is not None:
            cards[f"{name} (dialog)"] = to_dialog(reply.form)["task"]["value"]["card"]["content"]
            cards[f"{name} (inline)"] = to_form_card(reply.form)
    failures = {name: errors for name, card in cards.items() if (errors := schema_errors(card))}
    assert not failures, json.dumps(failures, indent=1)[:3000]
    assert all(card["version"] == "1.5" and card["fallbackText"] for card in cards.values())


def test_the_schema_check_catches_a_version_mistake() -> None:
    card = to_card(Reply(title="t", text="t"))
    card["body"].append({"type": "TextBlock", "text": "x", "style": "heading-ish"})
    assert schema_errors(card)
    assert schema_errors({**card, "version": "1.4"})  # no vendored 1.4 schema: refused


async def test_text_contrast_is_at_least_4_5_to_1_on_teams_light(
    replies: dict[str, Reply],
) -> None:
    low = []
    for name, reply in replies.items():
        for text, fg, bg in text_colours(to_card(reply)):
            if contrast(fg, bg) < 4.5:
                low.append((name, text[:40], fg, bg, round(contrast(fg, bg), 2)))
    assert not low, low[:10]


def test_the_good_green_would_fail_so_it_is_not_used() -> None:
    colours = host()["containerStyles"]["default"]["foregroundColors"]
    assert contrast(colours["good"]["default"], "#ffffff") < 4.5
    card = to_card(Reply(title="Yes", text="Yes", tone="good", sections=(
        Section(title="Copilot", badge=__import__("bot.core.views", fromlist=["x"])
                .status_badge("approved"), text="Fine."),)))
    assert "Good" not in json.dumps(card)


async def test_cards_fit_and_buttons_sit_in_rows_of_three(replies: dict[str, Reply]) -> None:
    for name, reply in replies.items():
        card = to_card(reply)
        assert card_size(card) <= (80_000 if reply.image else MAX_CARD_BYTES), name
        for element in _walk(card):
            if element.get("type") == "ActionSet":
                assert len(element["actions"]) <= 3, name
            assert element.get("type") != "FactSet", name  # squeezed on a phone


def test_four_buttons_make_two_rows_of_two() -> None:
    reply = Reply(title="t", text="t", actions=tuple(Action(f"B{i}", command="help")
                                                     for i in range(4)))
    rows = [e for e in _walk(to_card(reply)) if e.get("type") == "ActionSet"]
    assert [len(r["actions"]) for r in rows] == [2, 2]


def test_submit_data_carries_the_neutral_action() -> None:
    reply = Reply(title="t", text="t", actions=(
        Action("Helpful", id="feedback", value={"query_id": "7", "helpful": "true"}),
        Action("List", command="list"), Action("Open", url="https://example.org")))
    actions = [a for e in _walk(to_card(reply)) if e.get("type") == "ActionSet"
               for a in e["actions"]]
    assert actions[0]["data"] == {"concierge": {"a": "feedback", "query_id": "7",
                                                "helpful": "true"}}
    assert actions[1]["data"] == {"concierge": {"c": "list"}}
    assert actions[2] == {"type": "Action.OpenUrl", "title": "Open", "url": "https://example.org"}


def test_more_folds_behind_a_show_card() -> None:
    reply = Reply(title="t", text="t", sections=(Section(text="shown"),),
                  more=(Section(title="Extra", text="hidden"),))
    card = to_card(reply)
    show = [a for e in _walk(card) if e.get("type") == "ActionSet" for a in e["actions"]
            if a["type"] == "Action.ShowCard"]
    assert show
    assert show[0]["title"] == "More options"
    assert "hidden" in json.dumps(show[0]["card"])
    assert "hidden" not in json.dumps(card["body"][1])


def test_dialog_shows_errors_under_fields_and_cancel_needs_no_inputs() -> None:
    dialog = to_dialog(TOOL_FORM)["task"]
    assert dialog["type"] == "continue"
    assert dialog["value"]["height"] == "large"
    card = dialog["value"]["card"]["content"]
    ids = [e.get("id") for e in card["body"]]
    error = card["body"][ids.index("access") + 1]
    assert error["color"] == "Attention"
    assert "web address" in error["text"]
    cancel = card["actions"][1]
    assert cancel["associatedInputs"] == "none"
    assert cancel["data"]["concierge"]["a"] == "cancel"
    save = card["actions"][0]["data"]["concierge"]
    assert save == {"form": "tool", "state": {"item": "deepl-pro", "version": "3"}}
    choices = [c for e in card["body"] for c in e.get("choices", [])]
    assert choices
    assert all(c["value"] for c in choices)


def _walk(node: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            out += _walk(value)
    elif isinstance(node, list):
        for item in node:
            out += _walk(item)
    return out


def test_an_oversized_reply_is_shortened_keeping_title_and_buttons() -> None:
    many = tuple(Section(title=f"Part {i}", text="word " * 400) for i in range(60))
    reply = Reply(title="Long", text="Long " * 5000, sections=many,
                  actions=(Action("Ask IT", id="ask_it"),), footer="small print")
    card = to_card(reply)
    assert card_size(card) <= MAX_CARD_BYTES
    assert card["body"][0]["text"] == "Long"
    assert card["body"][-1]["text"] == "small print"
    assert any(e.get("type") == "ActionSet" for e in card["body"][-3:])
    assert "Shortened to fit" in json.dumps(card)
    assert not schema_errors(card)
    huge = to_card(Reply(title="x" * 60_000, text="x"))
    assert card_size(huge) <= MAX_CARD_BYTES


def test_long_labels_get_rows_of_their_own() -> None:
    labels = ("A very long label that cannot fit", "Another fairly long label", "Short")
    reply = Reply(title="t", text="t", actions=tuple(Action(x, command="help") for x in labels))
    rows = [[a["title"] for a in e["actions"]] for e in _walk(to_card(reply))
            if e.get("type") == "ActionSet"]
    assert rows == [["A very long label that cannot fit"], ["Another fairly long label"],
                    ["Short"]]


def test_a_name_with_one_button_sits_on_one_line() -> None:
    """The phone-height fix: a section that is only a name and one button is one row."""
    reply = Reply(title="t", text="t", sections=(
        Section(title="ChatGPT Enterprise", actions=(Action("Get access", url="https://x.test"),)),
        Section(title="DeepL Pro", text="Translation", actions=(Action("Details", command="x"),)),
    ))
    card = to_card(reply)
    assert schema_errors(card) == []
    compact, full = card["body"][1]["items"], card["body"][2]["items"]
    assert [i["type"] for i in compact] == ["ColumnSet"]
    assert compact[0]["columns"][1]["items"][0]["actions"][0]["title"] == "Get access"
    assert [i["type"] for i in full] == ["RichTextBlock", "TextBlock", "ActionSet"]
