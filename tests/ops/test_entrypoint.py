"""The container entrypoint script itself: migrations run first, failures stop the container.

`docker/entrypoint.sh` runs here with /bin/sh against a real database; the
server command is replaced (SERVE_COMMAND) by a probe that reports the schema
revision it finds, so the test proves the order: migrate, then exec.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import subprocess
from pathlib import Path

from alembic.script import ScriptDirectory

from bot.settings import ROOT
from bot.store.db import alembic_config
from tests.ops.conftest import PYTHON, free_port

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
# Prints the schema revision the "server" sees when it starts.
PROBE = """
import asyncio, os, sys
from alembic.runtime.migration import MigrationContext
from bot.store import Store
async def main():
    store = Store.open(os.environ["DATABASE_URL"])
    async with store.engine.connect() as c:
        rev = await c.run_sync(lambda s: MigrationContext.configure(s).get_current_revision())
    await store.close()
    print("serving on revision", rev)
asyncio.run(main())
"""


def _run(db_url: str, tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE)
    full_env = {**os.environ, "APP_DIR": str(ROOT), "PYTHON": PYTHON, "DATABASE_URL": db_url,
                "PSEUDONYM_KEY": "test-key", "DB_WAIT_SECONDS": "0",
                "SERVE_COMMAND": f"{shlex.quote(PYTHON)} {shlex.quote(str(probe))}", **env}
    return subprocess.run(["/bin/sh", str(ENTRYPOINT), *args], env=full_env, cwd="/",
                          capture_output=True, text=True, timeout=180)


def test_migrates_then_execs_the_server_command(db_url: str, tmp_path: Path) -> None:
    result = _run(db_url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"serving on revision {HEAD}" in result.stdout


def test_is_idempotent_on_an_up_to_date_database(db_url: str, tmp_path: Path) -> None:
    _run(db_url, tmp_path)
    again = _run(db_url, tmp_path)
    assert (again.returncode, f"serving on revision {HEAD}" in again.stdout) == (0, True), \
        again.stderr


def test_arguments_run_instead_of_serve_after_migrating(db_url: str, tmp_path: Path) -> None:
    result = _run(db_url, tmp_path, PYTHON, "app.py", "policies", "history")
    assert result.returncode == 0, result.stderr
    assert "v1" in result.stdout  # the sample policy imported on first use of the database


def test_unreachable_database_stops_the_container(tmp_path: Path) -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/concierge"
    result = _run(url, tmp_path, DB_WAIT_ATTEMPTS="2")
    assert result.returncode == 1
    assert "serving on revision" not in result.stdout
    assert "migration failed after 2 attempt(s); not starting" in result.stderr


def test_invalid_settings_stop_the_container(db_url: str, tmp_path: Path) -> None:
    result = _run(db_url, tmp_path, DB_WAIT_ATTEMPTS="1", PORT="not-a-port")
    assert result.returncode == 1
    assert "serving on revision" not in result.stdout
    assert "PORT" in result.stderr


async def test_replicas_starting_together_both_migrate_and_serve(
        db_url: str, tmp_path: Path) -> None:
    """Two containers migrating one fresh database at once: the retry makes both converge."""
    results = await asyncio.gather(*(asyncio.to_thread(_run, db_url, tmp_path / str(i))
                                     for i in range(2) if not (tmp_path / str(i)).mkdir()))
    assert [r.returncode for r in results] == [0, 0], [r.stderr[-2000:] for r in results]
    assert all(f"serving on revision {HEAD}" in r.stdout for r in results)
