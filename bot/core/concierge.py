"""The concierge service: a chat message in, a neutral answer out, everything logged redacted.

This is the one entry point every adapter (CLI, Slack, Teams) calls. It keeps a
per-version index of the live policy, so a change made on any replica is served
here within `refresh_seconds`, and never stores a raw message or asker id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.advisor import PolicyIndex, build_index
from bot.core.answer_pool import AnswerPool, advise_text, redact_for
from bot.core.insights.vectors import TextEmbedder, embed_text, to_bytes
from bot.core.matching.base import MatcherBackend, SavedVectors, stored_model_id
from bot.core.redact import DEFAULT_REGION, pseudonymize
from bot.core.replies import Answer
from bot.errors import InputError, PolicyConflict, StoreUnavailable
from bot.policy.files import read_policy
from bot.policy.models import Policy
from bot.store.records import Actor, QueryNote, Snapshot, UnmetNote

if TYPE_CHECKING:  # a one-shot `ask` on SQLite passes a LiteStore and never loads SQLAlchemy
    from bot.core.index_cache import IndexCache
    from bot.store import Store
    from bot.store.lite import LiteStore

__all__ = ["Concierge", "Message", "clean_text"]

_log = logging.getLogger(__name__)

# Bidi overrides and other invisible format characters: used to disguise text.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_PENDING_MAX = 10_000


@dataclass(frozen=True)
class Message:
    """A chat message as every platform can describe it."""

    text: str
    asker: str
    platform: str
    department: str | None = None


def clean_text(text: str, max_chars: int) -> str:
    """Strip control and invisible characters; refuse empty or oversized questions politely."""
    text = _INVISIBLE.sub("", text)
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InputError("Please type a question, e.g. “What can I use to summarize a PDF?”")
    if len(text) > max_chars:
        raise InputError(
            f"That message is too long ({len(text):,} characters). Please ask in under "
            f"{max_chars:,} characters: a sentence or two about the job is plenty, "
            "and please don't paste the document itself."
        )
    return text


class Concierge:
    """Answers messages from the live policy and logs them for the leadership digest."""

    def __init__(
        self,
        store: Store | LiteStore,
        *,
        make_matcher: Callable[[], MatcherBackend],
        threshold: float | None = None,
        max_chars: int = 4000,
        refresh_seconds: float = 2.0,
        pseudonym_key: bytes | None = None,
        phone_region: str = DEFAULT_REGION,
        observers: Sequence[Callable[[Answer, float], None]] = (),
        pool: AnswerPool | None = None,
        unmet_embedder: Callable[[], TextEmbedder] | None = None,
        index_cache: IndexCache | None = None,
    ) -> None:
        self.store = store
        # Built indexes kept on disk for the next one-shot process (`bot.core.index_cache`).
        self._index_cache = index_cache
        # Embeds each unmet request once, when it is logged (see `_embed_unmet`).
        self._unmet_embedder = unmet_embedder
        self.pool = pool
        self._make_matcher = make_matcher
        self._threshold = threshold
        self.max_chars = max_chars
        self._refresh_seconds = refresh_seconds
        self._key = pseudonym_key
        self.phone_region = phone_region
        # Called with every answer and its latency in seconds (metrics live outside the core).
        self._observers = tuple(observers)
        self._index: PolicyIndex | None = None
        self._checked_at = 0.0
        self._lock = asyncio.Lock()
        self._pending: deque[tuple[QueryNote, UnmetNote | None]] = deque(maxlen=_PENDING_MAX)
        self._flushing = asyncio.Lock()

    async def start(self, default_policy: Path | None = None) -> None:
        """Import the default policy into an empty database, load the pseudonym key."""
        if default_policy is not None and await self.store.policies.head_version() == 0:
            loaded = read_policy(default_policy)
            # Replicas starting together race here; the first import wins, others carry on.
            with contextlib.suppress(PolicyConflict):
                await self.store.policies.save(
                    loaded.policy,
                    actor=Actor("system", "startup"),
                    action="import",
                    summary=f"Imported default policy from {default_policy.name}/",
                    expected_version=0,
                    files=loaded.files,
                )
        if not self._key:
            # Never generated here: a key kept in the same database as the pseudonyms
            # would let anyone with a copy of it re-identify askers (see bot.keys).
            raise ValueError("Concierge needs a pseudonym key (PSEUDONYM_KEY)")
        await self.index(force=True)

    def pseudonym(self, asker: str) -> str:
        assert self._key is not None, "call start() first"
        return pseudonymize(asker, self._key)

    async def index(self, *, force: bool = False) -> PolicyIndex:
        """The index of the live policy, rebuilt when any replica saved a new version."""
        now = time.monotonic()
        if not force and self._index and now - self._checked_at < self._refresh_seconds:
            return self._index
        if self._lock.locked() and self._index is not None:
            return self._index  # a check or rebuild is under way: keep answering meanwhile
        try:
            async with self._lock:
                head = await self.store.policies.head_version()
                self._checked_at = time.monotonic()
                if self._index is None or self._index.version != head:
                    snapshot = await self.store.policies.current()
                    if snapshot is None:
                        raise StoreUnavailable("No policy has been imported yet.")
                    self._index = await self._build(snapshot)
                    _log.info("policy index built", extra={"policy_version": head})
        except self.store.errors as exc:
            # Back off like a successful check: during an outage, answers should not each
            # wait for a connection timeout before being served from the cache.
            self._checked_at = time.monotonic()
            if self._index is not None:  # serve the last known policy while the DB is away
                _log.warning("database unreachable; serving cached policy", exc_info=exc)
                return self._index
            raise StoreUnavailable("The policy store is unavailable.") from exc
        return self._index

    async def _build(self, snapshot: Snapshot) -> PolicyIndex:
        """Fit the matcher in a worker thread, reusing the policy's stored embeddings and
        calibration, and storing them once for a version that has none yet; or load the
        index an earlier process built of this version (`index_cache`)."""
        cache = self._index_cache
        key = cache.key(snapshot.version, snapshot.policy) if cache is not None else None
        if cache is not None and key is not None:
            cached = await asyncio.to_thread(cache.load, key)
            if cached is not None:
                return cached
        index = await self._fit(snapshot)
        if cache is not None and key is not None:
            await asyncio.to_thread(cache.save, key, index)
        return index

    async def _fit(self, snapshot: Snapshot) -> PolicyIndex:
        matcher = self._make_matcher()
        model_id = stored_model_id(matcher)
        stored = None
        if model_id:
            stored = await self.store.embeddings.load(snapshot.version, model_id)
        saved = SavedVectors.of_row(stored) if stored else None
        index = await asyncio.to_thread(
            build_index, snapshot.version, snapshot.policy, lambda: matcher, self._threshold,
            saved,
        )
        if model_id:
            fresh = matcher.saved()  # type: ignore[attr-defined]
            # A version's first index stores its row; a row stored under another
            # fingerprint (before an upgrade changed the scoring) is rewritten, or every
            # start would calibrate again.
            write = None
            added = False
            if stored is None or stored.policy_version != snapshot.version:
                write = self.store.embeddings.save
            elif stored.fingerprint != fresh.fingerprint:
                write = self.store.embeddings.refresh
            elif not fresh.vectors.keys() <= set(stored.texts):
                # The index embeds texts the row lacks (red lines read by meaning since
                # an upgrade): store them, or every cold `ask` embeds them again.
                write, added = self.store.embeddings.refresh, True
            try:
                if write is not None:
                    extra = {"texts_added": True} if added else {}
                    await write(snapshot.version, fresh.model_id, fresh.fingerprint,
                                fresh.vectors, fresh.calibration, **extra)
            except self.store.errors:
                _log.warning("could not store the policy's embeddings; recomputed next start")
        return index

    async def draft_index(self, policy: Policy) -> PolicyIndex:
        """An index of a policy that is not live (an upload to test), built like the live one."""
        return await asyncio.to_thread(
            build_index, 0, policy, self._make_matcher, self._threshold
        )

    async def answer(self, message: Message) -> Answer:
        """Answer one message; raise InputError for unusable input, StoreUnavailable when down."""
        started = time.perf_counter()
        text = clean_text(message.text, self.max_chars)
        index = await self.index()
        if self.pool is not None:  # off the event loop, bounded (raises Busy when full)
            question, answer = await self.pool.advise(index, text)
        else:
            # Answer from the redacted text: what is logged is exactly what was understood.
            question, answer = advise_text(index, text, self.phone_region)
        latency_ms = (time.perf_counter() - started) * 1000
        answer = replace(answer, policy_version=index.version)
        for observe in self._observers:
            observe(answer, latency_ms / 1000)
        return await self._log(message, question, answer, latency_ms)

    def redact(self, text: str, index: PolicyIndex) -> str:
        """The text as it may be stored or shown: personal and secret data replaced."""
        return redact_for(index, text, self.phone_region)

    async def shown(self, text: str) -> str:
        """What the bot may repeat back of a message ("You asked: …"): redacted, one line,
        without control or bidi characters (clean_text), so nothing raw is re-posted."""
        cleaned = clean_text(text, max(self.max_chars, len(text) + 1))
        return self.redact(cleaned, await self.index())

    async def _log(
        self, message: Message, question: str, answer: Answer, latency_ms: float
    ) -> Answer:
        asker = self.pseudonym(message.asker)
        asked = answer.asked_tool
        entry = QueryNote(
            platform=message.platform,
            asker=asker,
            department=message.department,
            question=question,
            outcome=answer.outcome,
            use_case=answer.use_case.id if answer.use_case else None,
            score=answer.use_case.score if answer.use_case else None,
            tools=tuple(t.id for t in answer.tools),
            red_lines=tuple(r.id for r in answer.red_lines),
            asked_tool=(asked.id or asked.name.lower()[:200]) if asked else None,
            asked_tool_status=(asked.status or "unknown") if asked else None,
            policy_version=answer.policy_version,
            latency_ms=round(latency_ms, 3),
            headline=answer.headline,
            vectors=answer.vectors,
        )
        unmet = None
        if answer.logged_unmet:
            unmet = UnmetNote(
                platform=message.platform,
                asker=asker,
                department=message.department,
                question=question,
                reason=str(answer.extra.get("unmet_reason", "no_match")),
                closest_use_case=answer.use_case.id if answer.use_case else None,
                score=answer.use_case.score if answer.use_case else None,
            )
        try:
            await self.flush_pending()
            query_id, unmet_id = await self.store.queries.log(entry, unmet)
        except self.store.errors:
            # The answer still goes out; the log entry waits in memory for the database.
            _log.warning("query log unavailable; entry kept for retry")
            self._pending.append((entry, unmet))
            return answer
        if unmet_id is not None:
            await self._embed_unmet(unmet_id, question)
        return replace(answer, query_id=query_id, unmet_id=unmet_id)

    async def _embed_unmet(self, unmet_id: int, question: str) -> None:
        """Store the request's sentence embedding now, so clustering never embeds it.

        Best effort: a missing model or a database hiccup only defers the work to the
        next clustering run, which embeds whatever has no vector yet.
        """
        if self._unmet_embedder is None:
            return
        try:
            embedder = self._unmet_embedder()
            vectors = await asyncio.to_thread(embedder.encode, [embed_text(question)])
            await self.store.store_unmet_vectors(
                embedder.model_id, [(unmet_id, to_bytes(vectors[0]))])
        except Exception as exc:
            _log.warning("unmet request not embedded now; clustering will",
                         extra={"error": type(exc).__name__})

    async def flush_pending(self) -> int:
        """Write log entries kept while the database was down; returns how many were written.

        One flush at a time: every answer calls this, and two answers writing the same
        kept entry at once would insert it twice (or fail on an entry already in a session).
        A call that finds a flush under way leaves the work to it.
        """
        if not self._pending or self._flushing.locked():
            return 0
        written = 0
        async with self._flushing:
            while self._pending:
                entry, unmet = self._pending[0]
                await self.store.queries.log(entry, unmet)
                self._pending.popleft()
                written += 1
        return written

    @property
    def pending(self) -> int:
        return len(self._pending)

    async def feedback(self, query_id: int, *, asker: str, helpful: bool) -> bool:
        """Store feedback; "not what I needed" also files the question as unmet."""
        pseudonym = self.pseudonym(asker)
        stored = await self.store.queries.set_feedback(
            query_id, asker=pseudonym, feedback="helpful" if helpful else "not_helpful"
        )
        if stored and not helpful:
            filed = await self.store.unmet.from_feedback(query_id, asker=pseudonym)
            if filed is not None:
                await self._embed_unmet(*filed)
        return stored

    async def vote(self, unmet_id: int, *, asker: str) -> bool:
        """ "I need this too" on an unmet request."""
        return await self.store.unmet.vote(unmet_id, asker=self.pseudonym(asker))
