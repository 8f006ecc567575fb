"""Seeding helpers: query and unmet logs with chosen times, askers and outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store import Store
from bot.store.tables import QueryEntry, UnmetRequest

__all__ = ["TOPICS", "log_query"]

#: Unmet needs in three clearly different topics (redacted text, as the concierge stores it).
TOPICS: dict[str, list[str]] = {
    "transcribe": [
        "can I transcribe audio interviews",
        "tool to transcribe interview recordings",
        "transcribe a recorded customer interview",
        "need to transcribe audio from interviews",
        "how do I transcribe interview audio files",
    ],
    "3d": [
        "generate 3d models of products",
        "make a 3d model for product design",
        "create 3d product models from sketches",
        "3d model generation for new products",
        "turn product photos into 3d models",
    ],
    "music": [
        "compose background music for a video",
        "generate royalty free music for our videos",
        "create music tracks for marketing videos",
        "background music generator for videos",
        "compose a music jingle for the podcast",
    ],
}


async def log_query(
    store: Store,
    *,
    at: datetime,
    asker: str,
    question: str = "a question",
    outcome: str = "answered",
    use_case: str | None = None,
    tools: list[str] | None = None,
    red_lines: list[str] | None = None,
    asked_tool: str | None = None,
    asked_tool_status: str | None = None,
    feedback: str | None = None,
    department: str | None = None,
    unmet: bool | None = None,
) -> tuple[int, int | None]:
    """One query (and its unmet request when `outcome == "unmet"`), at a chosen instant."""
    entry = QueryEntry(
        at=at, platform="slack", asker=asker, department=department, question=question,
        outcome=outcome, use_case=use_case, tools=tools or [], red_lines=red_lines or [],
        asked_tool=asked_tool, asked_tool_status=asked_tool_status, feedback=feedback,
    )
    request: Any = None
    if unmet if unmet is not None else outcome == "unmet":
        request = UnmetRequest(at=at, platform="slack", asker=asker, department=department,
                               question=question)
    return await store.queries.record(entry, request)
