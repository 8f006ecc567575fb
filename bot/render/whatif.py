"""A what-if impact summary as Block Kit and as an Adaptive Card.

Pure: the summary (bot.core.whatif) says what the change would do; these lay it out,
with one "Mark covered" button per accepted candidate the change covers. The button's
payload is the adapter's (Slack action id, Teams submit data), passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.core.whatif import CoverOffer, ImpactSummary
from bot.render.adaptive_card import Card, fit_card, text_block
from bot.render.blockkit import escape, section, truncate

__all__ = ["COVER_ACTION", "cover_value", "impact_blocks", "impact_card", "progress_blocks"]

Block = dict[str, Any]
#: Slack action id of "Mark covered"; its value is `cover_value(offer)`.
COVER_ACTION = "concierge.whatif.cover"


def cover_value(offer: CoverOffer) -> str:
    return f"{offer.candidate_id}:{offer.tool_id}"


def _button_text(offer: CoverOffer) -> str:
    return truncate(f"Mark #{offer.candidate_id} covered by {offer.tool_name}", 75)


def impact_blocks(summary: ImpactSummary, *, offers: bool = True) -> list[Block]:
    """Title, one line per effect, the replay's scope, and the cover buttons."""
    lines = "\n".join(f"• {escape(s)}" for s in summary.sentences)
    blocks: list[Block] = [section(f"*{escape(summary.title)}*\n{lines}"),
                           {"type": "context", "elements": [
                               {"type": "mrkdwn", "text": escape(summary.footer)}]}]
    if offers and summary.offers:
        blocks.append({"type": "actions", "block_id": "concierge.whatif.offers", "elements": [
            {"type": "button", "action_id": f"{COVER_ACTION}.{n}", "value": cover_value(o),
             "text": {"type": "plain_text", "text": _button_text(o)}}
            for n, o in enumerate(summary.offers[:5])]})
    return blocks


def progress_blocks(title: str, text: str) -> list[Block]:
    return [section(f"*{escape(title)}*\n{escape(text)}")]


def impact_card(summary: ImpactSummary,
                cover_data: Callable[[CoverOffer], Mapping[str, Any]] | None = None) -> Card:
    """The same summary as a card; `cover_data` makes each offer an Action.Submit."""
    body: list[Card] = [text_block(summary.title, weight="Bolder", size="Medium")]
    body += [text_block(f"• {s}", spacing="Small") for s in summary.sentences]
    body.append(text_block(summary.footer, isSubtle=True, size="Small"))
    card: Card = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.4",
        "fallbackText": summary.text,
        "body": body,
    }
    if cover_data is not None and summary.offers:
        card["actions"] = [{"type": "Action.Submit", "title": _button_text(o),
                            "data": dict(cover_data(o))} for o in summary.offers[:5]]
    return fit_card(card)
