"""What a cold `ask` does to start fast, checked in real `python app.py` processes."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

from bot.cli.startup import quiet_collector
from bot.settings import ROOT

#: Runs app.py in this interpreter, then reports what the process was left with.
_PROBE = (
    "import gc, sys, runpy; sys.argv = ['app.py', *sys.argv[1:]]\n"
    f"try:\n    runpy.run_path({str(ROOT / 'app.py')!r}, run_name='__main__')\n"
    "except SystemExit as exc:\n    status = exc.code\n"
    "import os\n"
    "print('probe', status, gc.isenabled(), gc.get_freeze_count(),"
    " 'prometheus_client' in sys.modules, 'bot.core.insights.clustering' in sys.modules,"
    " os.environ.get('OPENBLAS_NUM_THREADS'))\n"
)


def _probe(tmp_path: Path, *args: str, **extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DATABASE_URL", "OMP_", "OPENBLAS_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cold.db'}", PSEUDONYM_KEY="t")
    env.update(extra)
    out = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()


def test_ask_freezes_its_start_up_and_collects_afterwards(tmp_path: Path) -> None:
    lines = _probe(tmp_path, "ask", "What can I use to summarize a 40-page PDF?")
    assert "Microsoft 365 Copilot" in "\n".join(lines)
    _, status, enabled, frozen, metrics, clustering, blas = lines[-1].split()
    assert status == "0"
    # The collector runs again after start-up (a long `ask -` or `chat` collects its own
    # garbage), and what start-up created is frozen out of its sight.
    assert enabled == "True"
    assert int(frozen) > 100_000
    # A terminal process has no /metrics: prometheus_client is not imported for it.
    assert metrics == "False"
    # Logging a request needs its vector, not the clustering code (grouping, labels).
    assert clustering == "False"
    # One BLAS thread (none spinning on the core the model loads on)...
    assert blas == "1"


def test_ask_keeps_the_operators_thread_setting(tmp_path: Path) -> None:
    lines = _probe(tmp_path, "ask", "hello", OMP_NUM_THREADS="2")
    assert lines[-1].split()[-1] == "None"  # ...unless the operator chose a number


def test_quiet_collector_restores_the_callers_setting() -> None:
    assert gc.isenabled()
    try:
        with quiet_collector():
            assert not gc.isenabled()
            kept = [object() for _ in range(10)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)
        gc.disable()
        with quiet_collector():
            pass
        assert not gc.isenabled()  # a caller that had turned it off keeps it off
    finally:
        gc.unfreeze()
        gc.enable()
