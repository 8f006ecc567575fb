"""The front's spool on real files: kept until done, adopted after a crash, never torn."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.transport import spool as spool_module
from bot.transport.settle import install, settle
from bot.transport.spool import Spool, pending_in


def _files(directory: Path) -> list[Path]:
    return list(directory.iterdir())


async def test_entries_are_kept_until_done_and_handed_over_in_order(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    first = await spool.add("slack", ("body-1", {"h": ["1"]}, ""))
    second = await spool.add("teams", ({"text": "two"}, "Bearer x"))
    third = await spool.add("slack", ("body-3", {}, ""))
    spool.done(second)
    spool.done(second)  # twice: no harm
    assert [(seq, kind) for seq, kind, _ in spool.entries()] == [(first, "slack"), (third, "slack")]
    assert spool.entries()[0][2] == ("body-1", {"h": ["1"]}, "")
    assert len(pending_in(spool.path.read_bytes())) == 2
    spool.done(first)
    spool.done(third)
    spool.close()
    assert _files(tmp_path) == []  # nothing pending at a clean stop: no files left


async def test_a_dead_fronts_undone_entries_are_adopted_by_the_next_one(tmp_path: Path) -> None:
    dead = Spool(tmp_path)
    kept = await dead.add("slack", ("acked, never answered", {}, ""))
    answered = await dead.add("slack", ("answered", {}, ""))
    dead.done(answered)
    # The process dies: its lock is released without a clean close, its files stay.
    os.close(dead._lock)
    os.close(dead._fd)
    alive = Spool(tmp_path)  # a live front's spool is never taken
    assert [payload for _, _, payload in alive.entries()] == [("acked, never answered", {}, "")]
    assert kept
    assert not dead.path.exists()
    other = Spool(tmp_path)
    assert other.entries() == []  # the adopted entries belong to `alive` alone
    other.close()
    alive.close()
    assert len(pending_in(alive.path.read_bytes())) == 1  # still undone: left for the next


async def test_a_torn_last_record_is_ignored_and_the_rest_read(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    await spool.add("slack", ("whole", {}, ""))
    await spool.add("slack", ("torn", {}, ""))
    data = spool.path.read_bytes()
    os.close(spool._lock)
    os.close(spool._fd)
    spool.path.write_bytes(data[:-3])  # the crash came mid-write, before that ack
    adopted = Spool(tmp_path)
    assert [payload[0] for _, _, payload in adopted.entries()] == ["whole"]
    adopted.close()


async def test_a_full_disk_refuses_the_request_instead_of_acking_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool = Spool(tmp_path)
    await spool.add("slack", ("before", {}, ""))
    size = spool.path.stat().st_size
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        return real_write(fd, data[: len(data) // 2]) if fd == spool._fd else real_write(fd, data)

    monkeypatch.setattr(spool_module.os, "write", full)
    with pytest.raises(spool_module.SpoolError):
        await spool.add("slack", ("after", {}, ""))
    monkeypatch.undo()
    assert spool.path.stat().st_size == size  # no half record left behind
    assert [payload[0] for _, _, payload in spool.entries()] == ["before"]
    spool.close()


async def test_compaction_keeps_only_what_is_pending(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spool_module, "COMPACT_BYTES", 4096)
    spool = Spool(tmp_path)
    seqs = [await spool.add("slack", ("x" * 300, {}, str(i))) for i in range(40)]
    for seq in seqs[:-2]:
        spool.done(seq)
    assert spool.path.stat().st_size < 4096
    assert [payload[2] for _, _, payload in spool.entries()] == ["38", "39"]
    assert len(pending_in(spool.path.read_bytes())) == 2
    seq = await spool.add("slack", ("after", {}, ""))
    assert spool.entries()[-1][0] == seq
    spool.close()


async def test_concurrent_adds_share_fdatasyncs(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = os.fdatasync

    def counted(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(spool_module.os, "fdatasync", counted)
    spool = Spool(tmp_path, fsync=True)
    await asyncio.gather(*(spool.add("slack", (str(i), {}, "")) for i in range(50)))
    assert 1 <= len(calls) < 50
    assert len(spool.entries()) == 50
    spool.close()


async def test_settle_waits_for_every_task_the_work_started() -> None:
    install(asyncio.get_running_loop())
    finished: list[str] = []
    release = asyncio.Event()

    async def follow_up() -> None:
        await release.wait()
        finished.append("follow-up")

    started: list[asyncio.Future[None]] = []

    async def listener() -> None:
        await asyncio.sleep(0)
        started.append(asyncio.ensure_future(follow_up()))  # not awaited, as Bolt's listeners
        finished.append("listener")

    with settle(lambda: finished.append("done")):
        asyncio.get_running_loop().create_task(listener())
    await asyncio.sleep(0.05)
    assert finished == ["listener"]  # the follow-up still runs: not done
    release.set()
    await asyncio.sleep(0.05)
    assert finished == ["listener", "follow-up", "done"]
