"""Forms defined once (fields, choices, validation) and shown inline on both platforms."""

from collections.abc import Mapping
from typing import Any

from bot.core.forms.candidate_forms import CANDIDATE_FORMS, candidate_form, parse_decision
from bot.core.forms.errors import FormErrors, field_errors
from bot.core.forms.policy_forms import ITEM_FORMS, NOUNS, item_data, item_form, parse_item

__all__ = [
    "CANDIDATE_FORMS",
    "ITEM_FORMS",
    "NOUNS",
    "FormErrors",
    "candidate_form",
    "field_errors",
    "item_data",
    "item_form",
    "parse_decision",
    "parse_item",
    "parse_submission",
]


def parse_submission(form_id: str, state: Mapping[str, str], values: Mapping[str, object],
                     base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A submitted form as an item dict (policy forms) or decision arguments (candidates)."""
    if form_id in ITEM_FORMS:
        return parse_item(form_id, state, values, base)
    op = next((op for op, fid in CANDIDATE_FORMS.items() if fid == form_id), None)
    if op is None:
        raise FormErrors({"form": "That form is out of date; please open it again."})
    return dict(parse_decision(op, values))
