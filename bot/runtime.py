"""Wire settings, store and concierge together once per process (the composition helper)."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.answer_pool import AnswerPool
from bot.core.concierge import Concierge
from bot.core.insights.vectors import default_embedder
from bot.core.matching.base import MatcherBackend
from bot.keys import resolve_pseudonym_key
from bot.settings import Settings
from bot.store.urls import sqlite_file

if TYPE_CHECKING:
    from bot.core.conversation import Conversation
    from bot.core.index_cache import IndexCache
    from bot.core.services import Services
    from bot.core.whatif import WhatIf
    from bot.store import Store
    from bot.store.lite import LiteStore

__all__ = ["Runtime", "matcher_factory"]

_log = logging.getLogger(__name__)


def matcher_factory(settings: Settings) -> Callable[[], MatcherBackend]:
    """A factory of fresh, unfitted matchers of the configured backend."""
    from bot.core.matching.registry import make_backend  # backends import heavy libraries

    folder = settings.embedding_model_dir or settings.semantic_model_path
    model_path = str(folder) if folder else None
    threads = settings.embedding_threads
    # A partial, not a lambda: what-if replay sends it to worker processes (pickled).
    return functools.partial(make_backend, settings.matcher, model_path=model_path,
                             threads=threads)


def _answer_observers(settings: Settings) -> tuple[Callable[..., None], ...]:
    """Metrics observers, imported only when metrics are on (prometheus_client costs a CLI)."""
    if not settings.metrics_enabled:
        return ()
    from bot.observability.metrics import observe_answer

    return (observe_answer,)


def _index_cache(settings: Settings) -> IndexCache | None:
    """A one-shot command's cache of the built policy index, `<db>.index/` next to a
    SQLite file (see `bot.core.index_cache`); None when INDEX_CACHE is off."""
    folder = sqlite_file(settings.database_url)
    if not settings.index_cache or folder is None:
        return None
    from bot.core.index_cache import IndexCache

    model = settings.embedding_model_dir or settings.semantic_model_path
    salt = (f"{settings.matcher}|{model}|{settings.embedding_threads}|"
            f"{settings.match_threshold}")
    return IndexCache(folder.with_name(folder.name + ".index"), salt)


async def _open_store(settings: Settings, lite: bool) -> Store | LiteStore:
    """The database, migrated; with `lite`, an SQLite file already at the newest migration
    is read and logged to without SQLAlchemy (see `bot.store.lite`)."""
    if lite:
        from bot.store.lite import LiteStore

        if (opened := LiteStore.open(settings.database_url)) is not None:
            return opened
    from bot.store import Store, upgrade

    store = Store.open(settings.database_url)
    try:
        await upgrade(store.engine)
    except BaseException:
        await store.close()
        raise
    return store


@dataclass
class Runtime:
    settings: Settings
    #: The store the concierge answers from: a LiteStore for `Runtime.start(lite=True)`.
    opened: Store | LiteStore
    concierge: Concierge

    @property
    def store(self) -> Store:
        """The full store (a lite one opens it on first use)."""
        return self.opened.full()

    @classmethod
    async def start(cls, settings: Settings, *, import_default: bool = True,
                    answer_pool: bool = False, lite: bool = False) -> Runtime:
        """Open and migrate the database, import the sample policy if it is empty.

        Migrating on start is idempotent and serialized across replicas (see `upgrade`),
        so a fresh SQLite file or PostgreSQL database works with no separate step.
        With `answer_pool` (the server), answers are computed by ANSWER_WORKERS worker
        processes behind a queue of at most ANSWER_QUEUE_LIMIT questions. With `lite`
        (a one-shot command that answers), an SQLite database is used without SQLAlchemy
        when it can be.
        """
        key = resolve_pseudonym_key(settings)  # before the database: a missing key stops all
        store = await _open_store(settings, lite)
        pool = None
        try:
            concierge = Concierge(
                store,
                make_matcher=matcher_factory(settings),
                threshold=settings.match_threshold,
                max_chars=settings.max_question_chars,
                pseudonym_key=key,
                phone_region=settings.phone_region,
                observers=_answer_observers(settings),
                unmet_embedder=functools.partial(default_embedder, settings),
                index_cache=_index_cache(settings) if lite else None,
            )
            await concierge.start(settings.policy_path if import_default else None)
            if answer_pool:
                from bot.observability.metrics import record_busy, watch_answer_queue

                pool = AnswerPool(make_matcher=matcher_factory(settings),
                                  threshold=settings.match_threshold,
                                  workers=settings.answer_workers,
                                  queue_limit=settings.answer_queue_limit,
                                  region=settings.phone_region,
                                  on_busy=record_busy if settings.metrics_enabled else None)
                if settings.metrics_enabled:
                    watch_answer_queue(lambda: pool.waiting if pool else 0)
                await pool.warm(await concierge.index())
                concierge.pool = pool
                _log.info("answer pool ready", extra={"workers": pool.workers,
                                                      "queue_limit": pool.queue_limit})
        except BaseException:
            if pool is not None:
                pool.close()
            await store.close()
            raise
        return cls(settings, store, concierge)

    @functools.cached_property
    def whatif(self) -> WhatIf:
        """The server's what-if replay: one per process, one replay at a time.

        It leaves a core to the answers (one worker process fewer than the cores), and a
        big replay never runs in the serving process, even with a single worker.
        """
        from bot.core.whatif import WhatIf
        from bot.core.whatif.workers import default_workers

        settings = self.settings
        return WhatIf(self.store, make_matcher=matcher_factory(settings),
                      threshold=settings.match_threshold, admin=self.services.admin,
                      workers=default_workers(leave_one=True), isolate=True)

    @functools.cached_property
    def services(self) -> Services:
        """The services every adapter shares: one admin list, one candidate review."""
        from bot.core.services import Services

        settings = self.settings
        # User-group ids count as admin entries; membership arrives as the actor's aliases.
        return Services.build(self.concierge,
                              admins=[*settings.admins, *settings.admin_usergroups],
                              min_group_size=settings.min_group_size, settings=settings,
                              make_whatif=lambda: self.whatif)

    @functools.cached_property
    def conversation(self) -> Conversation:
        """The one conversation core Slack, Teams and the CLI talk to."""
        from bot.core.conversation import Conversation

        return Conversation(self.services)

    async def close(self) -> None:
        if self.concierge.pool is not None:
            await asyncio.to_thread(self.concierge.pool.close)
        await self.opened.close()
