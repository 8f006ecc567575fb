"""The lite store (a one-shot `ask` on SQLite, without SQLAlchemy) reads and writes exactly
what the SQLAlchemy store does, and steps aside whenever it cannot be used."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy.engine import make_url

from bot.core.concierge import Concierge, Message
from bot.keys import key_file_for
from bot.runtime import Runtime, matcher_factory
from bot.settings import Settings
from bot.store import Store, upgrade
from bot.store.lite import LiteStore
from bot.store.records import QueryNote, UnmetNote
from bot.store.urls import sqlite_database
from tests.conftest import SAMPLE_POLICY

#: SQLAlchemy's SQLite DateTime storage format.
_STORED_AT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


async def _database(path: Path, *, policy: bool = True) -> str:
    """A migrated SQLite file, with the sample policy and its embeddings stored."""
    url = f"sqlite+aiosqlite:///{path}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        if policy:
            concierge = Concierge(store, make_matcher=matcher_factory(Settings()),
                                  pseudonym_key=b"test-key")
            await concierge.start(SAMPLE_POLICY)
    finally:
        await store.close()
    return url


@pytest.fixture
async def url(tmp_path: Path) -> str:
    return await _database(tmp_path / "lite.db")


@pytest.fixture
async def lite(url: str) -> AsyncIterator[LiteStore]:
    opened = LiteStore.open(url)
    assert opened is not None
    try:
        yield opened
    finally:
        await opened.close()


@pytest.mark.parametrize("url", [
    "sqlite://", "sqlite:///", "sqlite:///relative.db", "sqlite+aiosqlite:////abs/x.db",
    "sqlite:///:memory:", "sqlite:///x.db?mode=ro", "sqlite+pysqlite:///file:x?uri=true",
    "postgresql://u:p@host/db", "postgres://h/db", "postgresql+asyncpg://h:5432/db?ssl=true",
])
def test_sqlite_urls_are_read_as_sqlalchemy_reads_them(url: str) -> None:
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    expected = (parsed.database or "") if parsed.drivername.startswith("sqlite") else None
    assert sqlite_database(url) == expected


def test_the_pseudonym_key_file_sits_next_to_a_sqlite_file_only() -> None:
    assert key_file_for("sqlite+aiosqlite:////data/c.db") == Path("/data/c.db.pseudonym-key")
    assert key_file_for("sqlite:///c.db?timeout=5") == Path("c.db.pseudonym-key")
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:c.db", "postgresql://h/d"):
        assert key_file_for(url) is None


async def test_reads_equal_the_sqlalchemy_stores(url: str, lite: LiteStore) -> None:
    store = Store.open(url)
    try:
        version = await store.policies.head_version()
        assert version == await lite.policies.head_version() == 1
        assert await lite.policies.current() == await store.policies.current()
        model = "all-MiniLM-L6-v2-onnx-int8"
        full, light = await store.embeddings.load(1, model), await lite.embeddings.load(1, model)
        assert full is not None
        assert light is not None
        assert np.array_equal(full.vectors, light.vectors)
        assert light.vectors.dtype == np.float32
        assert (light.policy_version, light.model_id, light.fingerprint, light.texts,
                light.calibration) == (full.policy_version, full.model_id, full.fingerprint,
                                       full.texts, full.calibration)
        assert light.calibration  # the stored calibration, not an empty one
        assert await lite.embeddings.load(1, "another-model") is None
    finally:
        await store.close()


def _rows(path: Path, table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(path) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]


async def test_writes_equal_the_sqlalchemy_stores(tmp_path: Path) -> None:
    """The same notes logged by each store give the same rows, column by column."""
    vectors = (("m", "summarize a PDF", np.arange(4, dtype=np.float32).tobytes()),
               ("m", "hi", np.ones(4, dtype=np.float32).tobytes()),
               ("other", "odd", b"\0" * 8))
    notes = [
        (QueryNote(platform="cli", asker="p1", question="summarize a PDF", outcome="answered",
                   department="Legal", use_case="summarize", score=0.68,
                   tools=("m365-copilot", "chatgpt"), red_lines=("hiring",),
                   asked_tool="grok", asked_tool_status="unknown", policy_version=1,
                   latency_ms=12.5, headline="Use “Copilot” " + "x" * 400, vectors=vectors),
         UnmetNote(platform="cli", asker="p1", question="summarize a PDF",
                   reason="no_match", department="Legal", closest_use_case="summarize",
                   score=0.2)),
        (QueryNote(platform="cli", asker="p2", question="summarize a PDF", outcome="answered",
                   vectors=vectors[:1]), None),  # the same question: its vectors are kept
        (QueryNote(platform="slack", asker="p3", question="hello", outcome="smalltalk"), None),
    ]
    paths = {name: tmp_path / f"{name}.db" for name in ("full", "lite")}
    ids: dict[str, list[tuple[int, int | None]]] = {}
    for name, path in paths.items():
        db_url = await _database(path, policy=False)
        store: Store | LiteStore | None = (Store.open(db_url) if name == "full"
                                           else LiteStore.open(db_url))
        assert store is not None
        try:
            ids[name] = [await store.queries.log(q, u) for q, u in notes]
            await store.store_unmet_vectors("m", [(ids[name][0][1] or 0, b"\1" * 16)])
        finally:
            await store.close()
    assert ids["full"] == ids["lite"]
    assert ids["lite"][0][1] is not None
    for table in ("query_log", "unmet_requests", "ask_vectors", "unmet_embeddings"):
        full, lite = _rows(paths["full"], table), _rows(paths["lite"], table)
        assert full, table
        for row in (*full, *lite):
            if "at" in row:
                assert _STORED_AT.match(row.pop("at")), table
        assert lite == full, table
    # ...and the lite store's rows read back through SQLAlchemy as its own do.
    store = Store.open(f"sqlite+aiosqlite:///{paths['lite']}")
    try:
        entry = await store.queries.get(ids["lite"][0][0])
        assert entry is not None
        assert entry.tools == ["m365-copilot", "chatgpt"]
        assert entry.at.year >= 2026
        assert entry.headline == ("Use “Copilot” " + "x" * 400)[:300]
    finally:
        await store.close()


async def test_it_steps_aside_when_it_cannot_serve(tmp_path: Path, url: str) -> None:
    assert LiteStore.open("postgresql+asyncpg://h/db") is None
    assert LiteStore.open("sqlite+aiosqlite:///:memory:") is None
    assert LiteStore.open(f"sqlite+aiosqlite:///{tmp_path / 'missing.db'}") is None
    assert not (tmp_path / "missing.db").exists()  # nothing created on the way
    (tmp_path / "other.db").write_bytes(b"")  # a file that was never migrated
    assert LiteStore.open(f"sqlite:///{tmp_path / 'other.db'}") is None
    path = Path(make_url(url).database or "")
    with sqlite3.connect(path) as db:  # an older schema: the full store migrates it
        db.execute("UPDATE alembic_version SET version_num = '0001'")
    assert LiteStore.open(url) is None


async def test_rare_paths_go_through_the_full_store(tmp_path: Path) -> None:
    """An empty database: the default policy is imported and its embeddings stored by the
    full store, opened on first use; answers then come from the lite store's reads."""
    url = await _database(tmp_path / "empty.db", policy=False)
    lite = LiteStore.open(url)
    assert lite is not None
    concierge = Concierge(lite, make_matcher=matcher_factory(Settings()),
                          pseudonym_key=b"test-key")
    try:
        assert isinstance(sqlite3.Error(), lite.errors)
        await concierge.start(SAMPLE_POLICY)
        assert await lite.policies.head_version() == 1
        assert await lite.embeddings.load(1, "all-MiniLM-L6-v2-onnx-int8") is not None
        answer = await concierge.answer(Message("is Grok allowed?", "u1", "cli"))
        assert answer.query_id is not None
        assert await concierge.feedback(answer.query_id, asker="u1", helpful=False)
        assert set(lite.errors) > {sqlite3.Error}  # SQLAlchemy's errors, once it is open
    finally:
        await lite.close()


async def test_a_one_shot_runtime_answers_and_logs_on_either_database(
    settings: Settings, db_url: str
) -> None:
    """On SQLite the second start reads and logs without SQLAlchemy; on PostgreSQL it
    uses the full store; both log the (redacted) question."""
    first = await Runtime.start(settings, lite=True)  # creates and migrates
    await first.close()
    runtime = await Runtime.start(settings, lite=True)
    try:
        expected = LiteStore if db_url.startswith("sqlite") else Store
        assert isinstance(runtime.opened, expected)
        answer = await runtime.concierge.answer(
            Message("Email jane.doe@example.com a summary of this PDF", "u1", "cli"))
        assert answer.query_id is not None
        entry = await runtime.store.queries.get(answer.query_id)
        assert entry is not None
        assert "jane.doe@example.com" not in entry.question
        assert entry.outcome == answer.outcome
    finally:
        await runtime.close()


def test_every_name_imported_from_bot_store_resolves() -> None:
    """bot.store loads its SQLAlchemy side on first use (a module `__getattr__`, which
    mypy cannot check): every `from bot.store import X` in the code base must resolve."""
    import ast

    import bot.store

    root = Path(__file__).resolve().parents[2]
    wanted: set[str] = set()
    for folder in ("bot", "tests", "bench", "scripts"):
        for path in (root / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "bot.store":
                    wanted.update(alias.name for alias in node.names)
    assert {"Store", "Actor", "upgrade"} <= wanted
    assert wanted <= set(bot.store.__all__)
    for name in bot.store.__all__:
        assert getattr(bot.store, name) is not None, name
    assert set(bot.store.__all__) == {"Actor", "Snapshot", "StoredEmbeddings",
                                      *bot.store._LAZY}
