"""Ask IT (issue 13 §4): pass a question the concierge could not settle on to a person.

Platform-neutral: the conversation core calls `open` when someone clicks "Ask IT"
under an answer; the adapter posts `handoff_views.it_post` to the IT channel (Slack
`IT_CHANNEL`, Teams `TEAMS_IT_CONVERSATION`) and reports where with `posted`; a reply
in that thread is found again with `by_thread` and relayed to the asker
(`handoff_views.relayed`), after which `relayed` marks the handoff answered.

What is stored is what the logs already hold: the redacted question and the answer's
headline, never raw text. The asker's platform user id is kept as well, because IT's
reply must reach them; it is deleted with the logs by retention (RETENTION_DAYS).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.errors import InputError
from bot.store import Actor, Store
from bot.store.handoffs import ORIGIN_REFS, HandoffRecord, LoggedQuery

__all__ = ["Handoff", "HandoffStatus", "Handoffs", "NotYourQuestion", "ThreadRef"]

HandoffStatus = Literal["open", "posted", "answered"]

#: The answer in words for queries logged before the headline was (outcome -> words).
_OUTCOME_WORDS = {
    "answered": "Suggested approved tools",
    "unmet": "No approved tool fits this (logged as a need)",
    "tool_status": "Told the status of the tool they named",
    "data_check": "Checked which tools may take their data",
    "blocked": "Refused: a red line applies",
    "help": "Explained what the concierge can do",
    "language": "Asked in a language the concierge does not read",
}


@dataclass(frozen=True)
class ThreadRef:
    """A thread on one platform: Slack channel id + the root message's `ts`; Teams
    conversation id (without `;messageid=`) + the root activity id."""

    channel: str
    thread: str


@dataclass(frozen=True)
class Handoff:
    """A question passed on to IT.

    `question` and `answer` are redacted; `asker_id` is the platform user id (to relay
    IT's reply), `asker` the pseudonym the logs use. `origin` is where the asker asked
    (relay there when set), `it_thread` the IT post once it exists. `new` is False when
    this question had been passed on already (a second click finds the first handoff).
    """

    id: int
    created_at: datetime
    platform: str
    asker_id: str
    asker: str
    question: str
    answer: str
    status: HandoffStatus
    query_id: int | None = None
    origin: ThreadRef | None = None
    it_thread: ThreadRef | None = None
    new: bool = True


class NotYourQuestion(InputError):
    """Only the person who asked may pass a question on (and the query must still exist)."""

    def __init__(self) -> None:
        super().__init__("Only the person who asked can pass this question on to IT.")


def _ref(channel: str | None, thread: str | None) -> ThreadRef | None:
    return ThreadRef(channel, thread) if channel and thread else None


def _status(value: str) -> HandoffStatus:
    if value == "posted":
        return "posted"
    return "answered" if value == "answered" else "open"


def _handoff(record: HandoffRecord, *, new: bool = True) -> Handoff:
    return Handoff(
        id=record.id, created_at=record.created_at, platform=record.platform,
        asker_id=record.asker_id, asker=record.asker, question=record.question,
        answer=record.answer, status=_status(record.status), query_id=record.query_id,
        origin=_ref(record.origin_channel, record.origin_thread),
        it_thread=_ref(record.it_channel, record.it_thread), new=new,
    )


def answer_given(query: LoggedQuery) -> str:
    """The answer the asker was given, in one line: the headline shown, or (for queries
    logged before headlines were) the outcome and what was suggested."""
    if query.headline:
        return query.headline
    words = _OUTCOME_WORDS.get(query.outcome, query.outcome.replace("_", " ").capitalize())
    parts = [words]
    if query.tools:
        parts.append(f"tools: {', '.join(query.tools)}")
    if query.red_lines:
        parts.append(f"red lines: {', '.join(query.red_lines)}")
    return "; ".join(parts)


class Handoffs:
    """The Ask IT service, built once (bot.runtime) over the store and the asker pseudonyms."""

    def __init__(self, store: Store, *, pseudonym: Callable[[str], str]) -> None:
        self._log = store.handoffs
        self._refs = store.conversations
        self._pseudonym = pseudonym

    async def open(self, actor: Actor, query_id: int, *,
                   origin: ThreadRef | None = None) -> Handoff:
        """Pass the actor's logged question `query_id` on to IT (once; a repeat returns
        the first handoff with `new=False`). Raises NotYourQuestion for anyone else's
        query or one that no longer exists."""
        query = await self._log.query(query_id)
        asker = self._pseudonym(actor.id)
        if query is None or query.asker != asker:
            raise NotYourQuestion()
        opened = await self._log.open(
            platform=actor.source, query_id=query.id, asker_id=actor.id, asker=asker,
            question=query.question, answer=answer_given(query),
            origin_channel=origin.channel if origin else None,
            origin_thread=origin.thread if origin else None,
        )
        return _handoff(opened.record, new=opened.created)

    async def get(self, handoff_id: int) -> Handoff | None:
        record = await self._log.get(handoff_id)
        return _handoff(record) if record is not None else None

    async def posted(self, handoff_id: int, thread_ref: ThreadRef) -> None:
        """Remember the IT post, so replies in its thread find this handoff."""
        if not await self._log.set_thread(handoff_id, thread_ref.channel, thread_ref.thread):
            raise InputError("That request to IT no longer exists.")

    async def by_thread(self, platform: str, thread_ref: ThreadRef) -> Handoff | None:
        """The handoff whose IT post started this thread, or None (any other thread)."""
        record = await self._log.by_thread(platform, thread_ref.channel, thread_ref.thread)
        return _handoff(record, new=False) if record is not None else None

    async def keep_origin(self, handoff_id: int, reference: dict[str, Any]) -> None:
        """Where IT's reply to this handoff goes (a platform's conversation reference,
        e.g. the asker's Teams personal chat); deleted by retention with the handoff."""
        await self._refs.upsert(platform=ORIGIN_REFS, conversation_id=str(handoff_id),
                                kind="personal", reference=reference)

    async def origin(self, handoff_id: int) -> dict[str, Any] | None:
        """The reference `keep_origin` stored for this handoff, if any."""
        return await self._refs.get(ORIGIN_REFS, str(handoff_id))

    async def relayed(self, handoff_id: int) -> None:
        """IT's reply reached the asker: the handoff is answered (further replies still
        relay; the status only tells IT's side what has been answered)."""
        await self._log.set_status(handoff_id, "answered")
