"""The policy forms round-trip: what a form shows is what its submission saves."""

from __future__ import annotations

from bot.core.forms import item_data, item_form, parse_item, parse_submission
from bot.policy.models import Policy


def _submitted(policy: Policy, kind: str, item_id: str) -> dict[str, object]:
    """The values a person submits without touching anything (multi-choice as Teams does)."""
    form = item_form(kind, policy, 4, item_id)
    return {f.id: ",".join(f.value) if isinstance(f.value, tuple) else f.value
            for f in form.fields}


def test_an_untouched_edit_saves_the_same_item(sample_policy: Policy) -> None:
    for kind, item_id in (("tool", "chatgpt-enterprise"), ("red_line", "no-secrets"),
                          ("use_case", "summarize-documents"), ("tool", "midjourney")):
        base = item_data(sample_policy, kind, item_id)
        assert base is not None
        state = {"item": item_id, "version": "4"}
        assert parse_item(kind, state, _submitted(sample_policy, kind, item_id), base) == base


def test_lists_are_split_and_unknown_inputs_ignored(sample_policy: Policy) -> None:
    item = parse_submission("use_case", {"item": "", "version": "1"}, {
        "id": "u", "name": "N", "description": "D", "examples": "a\n b \n\nc", "evil": "x"})
    assert item == {"id": "u", "name": "N", "description": "D", "examples": ["a", "b", "c"]}
    tool = parse_submission("tool", {"item": "", "version": "1"}, {
        "id": "t", "name": "T", "status": "pilot", "summary": "S", "aliases": "A, B\nC",
        "good_for": ["write-code"], "max_data_class": "none",
        "access_url": "https://t.example"})
    assert tool["aliases"] == ["A", "B", "C"]
    assert tool["good_for"] == ["write-code"]
    assert "max_data_class" not in tool  # no company data, or not stated
    assert tool["access"] == {"url": "https://t.example"}
