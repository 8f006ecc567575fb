"""What a cold `ask` does to start fast, checked in real `python app.py` processes."""

from __future__ import annotations

import gc
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.startup import _model_chosen, quiet_collector
from bot.settings import ROOT

#: Runs app.py in this interpreter, then reports what the process was left with.
_PROBE = (
    "import gc, sys, runpy; sys.argv = ['app.py', *sys.argv[1:]]\n"
    f"try:\n    runpy.run_path({str(ROOT / 'app.py')!r}, run_name='__main__')\n"
    "except SystemExit as exc:\n    status = exc.code\n"
    "import os\n"
    "print('probe', status, gc.isenabled(), gc.get_freeze_count(),"
    " 'prometheus_client' in sys.modules, 'bot.core.insights.clustering' in sys.modules,"
    " os.environ.get('OPENBLAS_NUM_THREADS'), 'phonenumbers' in sys.modules,"
    " 'sqlalchemy.dialects.postgresql' in sys.modules, 'bot.store.insights' in sys.modules,"
    " 'onnxruntime' in sys.modules,"
    " ' '.join(SEEN))\n"
    "print('modules', ' '.join(sorted(sys.modules)))\n"
)
#: Installed before app.py runs: which threads were alive when the settings' library was
#: first imported (the settings are read after the model's load has started).
_WATCH = (
    "import sys, threading\nSEEN = []\n"
    "class Watch:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'pydantic_settings' and not SEEN:\n"
    "            SEEN.extend(t.name for t in threading.enumerate())\n"
    "        return None\n"
    "sys.meta_path.insert(0, Watch())\n"
)


def _probe(tmp_path: Path, *args: str, **extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "DATABASE_URL", "OMP_", "OPENBLAS_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'cold.db'}", PSEUDONYM_KEY="t")
    env.update(extra)
    out = subprocess.run([sys.executable, "-c", _WATCH + _PROBE, *args], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=180)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()


def test_ask_freezes_its_start_up_and_collects_afterwards(tmp_path: Path) -> None:
    _probe(tmp_path, "ask", "hello")  # the first start migrates and imports the policy
    lines = _probe(tmp_path, "ask", "What can I use to summarize a 40-page PDF?")
    assert "Microsoft 365 Copilot" in "\n".join(lines)
    modules = set(lines.pop().split()[1:])
    # One question needs no worker processes: the answer pool's multiprocessing is the
    # server's.
    assert not modules & {"multiprocessing", "concurrent.futures.process"}
    # An imported SQLite database is read and logged to without SQLAlchemy (bot.store.lite)
    # or the ORM tables, and the question was logged.
    assert not {m for m in modules if m.startswith(("sqlalchemy", "aiosqlite", "alembic"))}
    assert not modules & {"bot.store.tables", "bot.store.repositories"}
    with sqlite3.connect(tmp_path / "cold.db") as db:
        logged = db.execute("SELECT question FROM query_log ORDER BY id DESC LIMIT 1").fetchone()
    assert logged == ("What can I use to summarize a 40-page PDF?",)
    # The answering code's regular expressions are kept, compiled, for the next process
    # (bot.cli.kept_patterns), beside the kept policy index.
    assert len(list((tmp_path / "cold.db.index").glob("patterns-*.marshal"))) == 1
    _, status, enabled, frozen, metrics, clustering, blas, phones, postgres, insights, onnx, \
        *alive = lines[-1].split()
    assert status == "0"
    # The collector runs again after start-up (a long `ask -` or `chat` collects its own
    # garbage), and what start-up created is frozen out of its sight.
    assert enabled == "True"
    assert int(frozen) > 50_000
    # A terminal process has no /metrics: prometheus_client is not imported for it.
    assert metrics == "False"
    # Logging a request needs its vector, not the clustering code (grouping, labels).
    assert clustering == "False"
    # One BLAS thread (none spinning on the core the model loads on)...
    assert blas == "1"
    # No libphonenumber for a question without digits (nor for the default PHONE_REGION),
    # no PostgreSQL dialect on SQLite.
    assert (phones, postgres) == ("False", "False")
    # The unmet requests' insight store is for unmet requests (and the digest) only.
    assert insights == "False"
    # The model was loading before the settings were read (nothing set chooses another).
    assert onnx == "True"
    assert "embedder-preload" in alive


def test_a_model_setting_in_dotenv_is_honoured_before_the_settings_are_read(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("# words only\nMATCHER=lexical\n", encoding="utf-8")
    lines = _probe(tmp_path, "ask", "hello")
    *_, onnx, alive = lines[-2].split(maxsplit=11)
    assert onnx == "False"  # no model loaded on a guess: the settings chose none
    assert "embedder-preload" not in alive


def test_the_bundled_model_is_guessed_only_when_nothing_chooses_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    assert not _model_chosen(env_file)  # no .env, nothing in the environment
    env_file.write_text("SLACK_BOT_TOKEN=xoxb-1\n", encoding="utf-8")
    assert not _model_chosen(env_file)
    env_file.write_text("export embedding_threads = 2\n", encoding="utf-8")
    assert _model_chosen(env_file)
    env_file.unlink()
    monkeypatch.setenv("EMBEDDING_MODEL_DIR", str(tmp_path))
    assert _model_chosen(env_file)
    monkeypatch.delenv("EMBEDDING_MODEL_DIR")
    monkeypatch.setenv("Matcher", "hybrid")
    assert _model_chosen(env_file)


def test_ask_keeps_the_operators_thread_setting(tmp_path: Path) -> None:
    lines = _probe(tmp_path, "ask", "hello", OMP_NUM_THREADS="2")
    assert lines[-2].split()[6] == "None"  # ...unless the operator chose a number


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
