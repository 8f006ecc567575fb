"""Wire settings, store and concierge together once per process (the composition helper)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.core.concierge import Concierge
from bot.core.matching.base import MatcherBackend
from bot.errors import StoreUnavailable
from bot.observability.metrics import observe_answer
from bot.settings import Settings
from bot.store import Store
from bot.store.db import alembic_config, is_sqlite, upgrade

__all__ = ["Runtime", "matcher_factory"]

_log = logging.getLogger(__name__)


def matcher_factory(settings: Settings) -> Callable[[], MatcherBackend]:
    """A factory of fresh, unfitted matchers of the configured backend."""
    from bot.core.matching.registry import make_backend  # the semantic backend is heavy

    model_path = str(settings.semantic_model_path) if settings.semantic_model_path else None
    return lambda: make_backend(settings.matcher, model_path=model_path)


async def _schema_is_current(store: Store) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with store.engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    return current == head


@dataclass
class Runtime:
    settings: Settings
    store: Store
    concierge: Concierge

    @classmethod
    async def start(cls, settings: Settings, *, import_default: bool = True) -> Runtime:
        """Open the database (migrating embedded SQLite), import the sample policy if empty."""
        store = Store.open(settings.database_url)
        try:
            if is_sqlite(settings.database_url):
                await upgrade(store.engine)
            elif not await _schema_is_current(store):
                raise StoreUnavailable(
                    "The database schema is not up to date. Run `python app.py db upgrade` first."
                )
            key = (
                settings.pseudonym_key.get_secret_value().encode()
                if settings.pseudonym_key
                else None
            )
            concierge = Concierge(
                store,
                make_matcher=matcher_factory(settings),
                threshold=settings.match_threshold,
                max_chars=settings.max_question_chars,
                pseudonym_key=key,
                observers=(observe_answer,) if settings.metrics_enabled else (),
            )
            await concierge.start(settings.policy_path if import_default else None)
        except BaseException:
            await store.close()
            raise
        return cls(settings, store, concierge)

    async def close(self) -> None:
        await self.store.close()
