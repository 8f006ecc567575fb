"""/readyz says "not ready" whenever the database cannot store writes (issue 12).

Before, it ran `SELECT 1`: a SQLite file deleted while serving kept answering (writes
went to the unlinked file and were lost at restart). The lost PostgreSQL connection
case is `test_readyz_is_200_with_the_database_and_503_without`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.runtime import Runtime
from bot.settings import Settings
from tests.servers import serve


@pytest.fixture
async def sqlite_server(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    path = tmp_path / "data" / "concierge.db"
    runtime = await Runtime.start(Settings(database_url=f"sqlite+aiosqlite:///{path}",
                                           pseudonym_key="k" * 16))
    runner, url = await serve(runtime)
    try:
        yield url, path
    finally:
        await runner.cleanup()
        await runtime.close()


def _chattr(flag: str, path: Path) -> bool:
    """Set or clear the immutable flag (ext4, xfs...); False where that is not possible."""
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


async def _ready(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url + "/readyz") as response:
        return response.status


async def test_a_deleted_sqlite_file_is_not_ready(sqlite_server: tuple[str, Path]) -> None:
    url, path = sqlite_server
    assert await _ready(url) == 200
    path.unlink()
    assert await _ready(url) == 503


async def test_a_replaced_sqlite_file_is_not_ready(sqlite_server: tuple[str, Path]) -> None:
    url, path = sqlite_server
    copy = path.with_name("copy.db")
    shutil.copy(path, copy)
    path.unlink()
    copy.rename(path)  # same name, another file: writes would go to the old one
    assert await _ready(url) == 503


async def test_a_read_only_sqlite_file_is_not_ready(sqlite_server: tuple[str, Path]) -> None:
    url, path = sqlite_server
    assert await _ready(url) == 200
    # chmod alone does not stop root (tests run as root in CI): make the file immutable.
    if not _chattr("+i", path):
        path.chmod(0o444)
        if os.geteuid() == 0:
            pytest.skip("cannot make a file read-only for root on this filesystem")
    try:
        assert await _ready(url) == 503
    finally:
        _chattr("-i", path)
        path.chmod(0o644)
    assert await _ready(url) == 200
