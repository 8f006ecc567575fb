"""A one-shot `ask` loads the policy index an earlier process built (`bot.core.index_cache`),
through the real lite store, concierge and matchers; never an index of other code, policy
or settings, and never at the cost of an answer."""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from bot.core.concierge import Concierge, Message
from bot.core.index_cache import KEEP, IndexCache, code_fingerprint
from bot.core.matching.base import Intent, MatcherBackend
from bot.core.matching.hybrid import HybridMatcher
from bot.core.matching.lexical import LexicalMatcher
from bot.policy.models import Policy
from bot.runtime import Runtime, matcher_factory
from bot.settings import Settings
from bot.store import Store, upgrade
from bot.store.lite import LiteStore
from bot.store.records import Actor
from tests.conftest import SAMPLE_POLICY

QUESTION = "What can I use to summarize a 40-page PDF?"


class _Hybrid(HybridMatcher):
    """The hybrid backend, counting fits (what building an index costs)."""

    fits = 0

    def fit(self, intents: Sequence[Intent], *args: Any) -> None:
        type(self).fits += 1
        super().fit(intents, *args)


class _Lexical(LexicalMatcher):
    """The lexical backend, counting fits."""

    fits = 0

    def fit(self, intents: Sequence[Intent]) -> None:
        type(self).fits += 1
        super().fit(intents)


@pytest.fixture(autouse=True)
def _no_fits_yet() -> None:
    _Hybrid.fits = _Lexical.fits = 0


async def _database(path: Path) -> str:
    """A migrated SQLite file with the sample policy (and its embeddings) stored."""
    url = f"sqlite+aiosqlite:///{path}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        concierge = Concierge(store, make_matcher=matcher_factory(Settings()),
                              pseudonym_key=b"test-key")
        await concierge.start(SAMPLE_POLICY)
    finally:
        await store.close()
    return url


async def _answer(
    url: str, cache: IndexCache | None, make: Callable[[], MatcherBackend]
) -> dict[str, object]:
    """One one-shot process's answer: a lite store and a fresh concierge."""
    store = LiteStore.open(url)
    assert store is not None
    try:
        concierge = Concierge(store, make_matcher=make, pseudonym_key=b"test-key",
                              index_cache=cache)
        await concierge.start()
        answer = await concierge.answer(Message(QUESTION, "cli:test", "cli"))
    finally:
        await store.close()
    contract = answer.to_dict()
    contract.pop("query_id")  # each process logs its own ask
    return contract


@pytest.fixture(scope="module")
def hybrid_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    import asyncio

    return asyncio.run(_database(tmp_path_factory.mktemp("cache") / "c.db"))


async def test_the_next_process_loads_the_index_the_first_built(
    hybrid_url: str, tmp_path: Path
) -> None:
    cache = IndexCache(tmp_path / "c.db.index", "hybrid")
    built = await _answer(hybrid_url, cache, _Hybrid)
    assert _Hybrid.fits == 1
    assert len(list(cache.folder.glob("*.index"))) == 1
    assert oct(cache.folder.stat().st_mode & 0o777) == "0o700"
    loaded = await _answer(hybrid_url, cache, _Hybrid)
    assert _Hybrid.fits == 1  # nothing built: the stored index answered
    assert loaded == built
    assert loaded == await _answer(hybrid_url, None, HybridMatcher)
    # Kept warm (small talk's indexes built), saved before the first answer: no memo of
    # the question went to disk. The collector, paused while loading, collects again.
    (path,) = cache.folder.glob("*.index")
    kept = cache.load(path.stem)
    assert kept is not None
    assert gc.isenabled()
    assert "smalltalk" in vars(kept.lexicon)
    assert "_indexes" in vars(kept.lexicon.smalltalk)
    assert QUESTION not in pickle.dumps(kept).decode("latin-1")


async def test_another_policy_version_or_settings_build_their_own(
    tmp_path: Path, sample_policy: Policy
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'l.db'}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        await store.policies.save(sample_policy, actor=Actor("test", "t"), action="import",
                                  summary="first", expected_version=0)
    finally:
        await store.close()
    cache = IndexCache(tmp_path / "l.db.index", "lexical|0.5")
    make = _Lexical
    await _answer(url, cache, make)
    await _answer(url, cache, make)
    assert make.fits == 1
    await _answer(url, IndexCache(cache.folder, "lexical|0.6"), make)  # another threshold
    assert make.fits == 2
    store = Store.open(url)
    try:
        meta = sample_policy.meta.model_copy(update={"contact": "#ai-help on Slack"})
        edited = sample_policy.model_copy(update={"meta": meta})
        await store.policies.save(edited, actor=Actor("test", "t"), action="edit",
                                  summary="second", expected_version=1)
    finally:
        await store.close()
    await _answer(url, cache, make)
    assert make.fits == 3
    assert cache.key(1, sample_policy) != cache.key(2, sample_policy)
    assert cache.key(1, sample_policy) != cache.key(1, edited)


def test_the_code_fingerprint_changes_with_any_file(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "mod.py").write_text("X = 1\n")
    before = code_fingerprint(tmp_path)
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"bytecode")
    assert code_fingerprint.__wrapped__(tmp_path) == before  # bytecode does not count
    (tmp_path / "pkg" / "data.yaml").write_text("a: 1\n")
    added = code_fingerprint.__wrapped__(tmp_path)
    assert added != before
    stat = (tmp_path / "pkg" / "mod.py").stat()
    os.utime(tmp_path / "pkg" / "mod.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert code_fingerprint.__wrapped__(tmp_path) not in (before, added)


async def test_a_damaged_or_unwritable_cache_costs_no_answer(
    tmp_path: Path, sample_policy: Policy
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'd.db'}"
    store = Store.open(url)
    try:
        await upgrade(store.engine)
        await store.policies.save(sample_policy, actor=Actor("test", "t"), action="import",
                                  summary="first", expected_version=0)
    finally:
        await store.close()
    cache = IndexCache(tmp_path / "d.db.index", "lexical")
    make = _Lexical
    expected = await _answer(url, None, make)
    key = cache.key(1, sample_policy)
    cache.folder.mkdir()
    (cache.folder / f"{key}.index").write_bytes(b"not a pickle")
    assert await _answer(url, cache, make) == expected  # built again, and replaced
    assert cache.load(key) is not None
    blocked = IndexCache(tmp_path / "a-file", "lexical")
    blocked.folder.write_text("in the way")  # the folder cannot be made
    assert await _answer(url, blocked, make) == expected


def test_only_the_newest_files_are_kept(tmp_path: Path, sample_policy: Policy) -> None:
    from bot.core.advisor import build_index

    cache = IndexCache(tmp_path / "x.index", "lexical")
    index = build_index(1, sample_policy, LexicalMatcher)
    for number in range(KEEP + 2):
        cache.save(f"key{number}", index)
        path = cache.folder / f"key{number}.index"
        os.utime(path, ns=(number * 10**9, number * 10**9))
    kept = sorted(p.name for p in cache.folder.iterdir())
    assert kept == [f"key{n}.index" for n in range(2, KEEP + 2)]
    assert cache.load("key1") is None


async def test_a_one_shot_runtime_caches_next_to_its_sqlite_file_unless_turned_off(
    hybrid_url: str, tmp_path: Path
) -> None:
    database = Path(hybrid_url.split("///", 1)[1])
    folder = database.with_name(database.name + ".index")
    off = Settings(database_url=hybrid_url, pseudonym_key="test-key",  # type: ignore[arg-type]
                   index_cache=False)
    runtime = await Runtime.start(off, lite=True)
    await runtime.opened.close()
    assert not folder.exists()
    on = Settings(database_url=hybrid_url, pseudonym_key="test-key")  # type: ignore[arg-type]
    runtime = await Runtime.start(on, lite=True)
    await runtime.opened.close()
    assert len(list(folder.glob("*.index"))) == 1
    server = await Runtime.start(on)  # a server builds its own index
    await server.opened.close()
    assert len(list(folder.glob("*.index"))) == 1
