"""The rendered corpus, built once per test module on a fresh database."""

from __future__ import annotations

import pytest

from bot.core.concierge import Concierge
from bot.core.reply import Reply
from bot.store import Store
from tests.render.corpus import corpus


@pytest.fixture
async def replies(concierge: Concierge, store: Store) -> dict[str, Reply]:
    return await corpus(concierge, store)
