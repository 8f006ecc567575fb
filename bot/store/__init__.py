"""Persistence: the versioned policy, logs and shared state, on SQLite or PostgreSQL.

The names below are loaded when first used: `Actor` and `Snapshot` are plain values, and
`bot.store.lite` serves a one-shot `ask` on SQLite, neither of which may import
SQLAlchemy (about a third of a cold `ask`'s start-up) just because the package is named.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bot.store.records import Actor, Snapshot, StoredEmbeddings

# Every lazy name must be listed here too: with a module `__getattr__`, mypy accepts any
# name, so these imports are what it checks (tests/store/test_lite.py checks the rest).
if TYPE_CHECKING:
    from bot.store.db import make_engine, make_sessionmaker, upgrade
    from bot.store.embeddings import EmbeddingCache
    from bot.store.handoffs import HandoffLog
    from bot.store.logs import AuditLog, QueryLog, UnmetLog
    from bot.store.policy_store import PolicyStore, VersionInfo
    from bot.store.repositories import Store
    from bot.store.state import AppStateStore, ConversationRefs, EventLedger

#: Where each name of the SQLAlchemy side is defined.
_LAZY = {
    "Store": "bot.store.repositories",
    "make_engine": "bot.store.db",
    "make_sessionmaker": "bot.store.db",
    "upgrade": "bot.store.db",
    "EmbeddingCache": "bot.store.embeddings",
    "HandoffLog": "bot.store.handoffs",
    "AuditLog": "bot.store.logs",
    "QueryLog": "bot.store.logs",
    "UnmetLog": "bot.store.logs",
    "PolicyStore": "bot.store.policy_store",
    "VersionInfo": "bot.store.policy_store",
    "AppStateStore": "bot.store.state",
    "ConversationRefs": "bot.store.state",
    "EventLedger": "bot.store.state",  # the adapters' event claims (bot.transport.claims)
}

__all__ = [
    "Actor", "AppStateStore", "AuditLog", "ConversationRefs", "EmbeddingCache", "EventLedger",
    "HandoffLog", "PolicyStore", "QueryLog", "Snapshot", "Store", "StoredEmbeddings",
    "UnmetLog", "VersionInfo", "make_engine", "make_sessionmaker", "upgrade",
]


def __getattr__(name: str) -> Any:
    """The SQLAlchemy side of the package, imported on first use (PEP 562)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value
