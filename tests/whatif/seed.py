"""A few dozen asks logged through the real concierge, some unmet on one theme (video).

The sample policy has one video tool, Synthesia, under review; so every video ask is
unmet today, and a draft that approves Synthesia should answer exactly those.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.concierge import Concierge, Message
from bot.core.insights.candidates import CandidateReview
from bot.policy.files import dump_policy, policy_to_data, validate_data
from bot.policy.models import Policy
from bot.store import Actor

__all__ = ["ANSWERED", "OTHER_UNMET", "VIDEO", "Seeded", "approve_synthesia", "seed_asks",
           "write_draft"]

#: (asker, question): 12 asks from 7 people, unmet today (Synthesia is under review).
VIDEO: list[tuple[str, str]] = [
    ("U01", "Can I make a training video with an AI avatar?"),
    ("U01", "I need an AI to create a product demo video"),
    ("U02", "Can I make a training video with an AI avatar?"),
    ("U02", "Is there a tool to generate explainer videos?"),
    ("U03", "I need an AI to create a product demo video"),
    ("U03", "generate a short video from our onboarding script"),
    ("U04", "Can I make a training video with an AI avatar?"),
    ("U05", "turn this script into a video with a presenter"),
    ("U05", "Is there a tool to generate explainer videos?"),
    ("U06", "create an onboarding video from a script with AI"),
    ("U07", "I need an AI to create a product demo video"),
    ("U07", "generate a short video from our onboarding script"),
]
#: Answered today and by the draft alike.
ANSWERED: list[tuple[str, str]] = [
    ("U01", "What can I use to summarize a 40-page PDF?"),
    ("U02", "What can I use to summarize a 40-page PDF?"),
    ("U08", "help me write a SQL query for monthly sales"),
    ("U08", "translate a product sheet into German"),
    ("U09", "Is ChatGPT approved?"),
    ("U09", "Can I paste customer emails into Grammarly?"),
    ("U10", "I need to debug a Python script"),
    ("U10", "What can I use to summarize a 40-page PDF?"),
    ("U11", "draft a polite email to a supplier about a late delivery"),
    ("U11", "Is Midjourney approved?"),
    ("U12", "make slides for the quarterly review"),
    ("U12", "transcribe an interview recording"),
]
#: Unmet today and still unmet with the draft.
OTHER_UNMET: list[tuple[str, str]] = [
    ("U13", "an AI to drive the forklift"),
    ("U14", "book a flight to Berlin for me"),
    ("U13", "an AI to drive the forklift"),
]


@dataclass(frozen=True)
class Seeded:
    video_candidate: int | None


async def seed_asks(concierge: Concierge, *, platform: str = "slack",
                    accept_video: bool = True) -> Seeded:
    """Ask everything through the real concierge (redacted, logged), then cluster unmet asks."""
    for asker, question in [*VIDEO, *ANSWERED, *OTHER_UNMET]:
        await concierge.answer(Message(text=question, asker=asker, platform=platform))
    review = CandidateReview(concierge.store)
    await review.refresh()
    found = await review.list(status="open")
    video = next((c.id for c in found if "video" in c.label.lower()), None)
    if accept_video and video is not None:
        await review.accept(video, actor=Actor("cli:test", "cli"))
    return Seeded(video)


def approve_synthesia(policy: Policy) -> Policy:
    """The sample policy with Synthesia approved for videos (internal data at most)."""
    data: dict[str, Any] = policy_to_data(policy)
    for tool in data["tools"]:
        if tool["id"] == "synthesia":
            tool["status"] = "approved"
            tool["max_data_class"] = "internal"
    return validate_data(data)


def write_draft(policy: Policy, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dump_policy(policy, folder)
    assert yaml.safe_load((folder / "tools.yaml").read_text(encoding="utf-8"))
    return folder
