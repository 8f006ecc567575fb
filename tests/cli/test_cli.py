"""The command line as IT and acceptance checks use it: real `python app.py` processes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import ROOT


def run(
    tmp_path: Path, *args: str, stdin: str | None = None, db: str = "cli.db"
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "MICROSOFT_", "TEAMS_", "DATABASE_URL"))
    }
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / db}"
    env["PSEUDONYM_KEY"] = "cli-test"
    return subprocess.run(
        [sys.executable, str(ROOT / "app.py"), *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path,
    )


def test_ask_answers_from_the_sample_policy_on_first_start(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "What can I use to summarize a 40-page PDF?")
    assert result.returncode == 0, result.stderr
    assert "Microsoft 365 Copilot" in result.stdout
    assert "Access:" in result.stdout


def test_ask_json_contract(tmp_path: Path) -> None:
    result = run(tmp_path, "ask", "--json", "Is Midjourney approved?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outcome"] == "tool_status"
    assert {"outcome", "tools", "red_lines", "text"} <= data.keys()
    assert data["asked_tool"]["status"] == "prohibited"
    for tool in data["alternatives"] + data["tools"]:
        assert {"id", "name", "status", "why"} <= tool.keys()
    for line in data["red_lines"]:
        assert {"id", "title", "why"} <= line.keys()


def test_batch_mode_one_json_object_per_line(tmp_path: Path) -> None:
    questions = "hi\nsummarise a pdf\n\nIs Grok approved?\n" + "x" * 5000 + "\n"
    result = run(tmp_path, "ask", "--json", "-", stdin=questions)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["outcome"] for line in lines] == ["help", "answered", "tool_status", None]
    assert "too long" in lines[-1]["error"]
    assert result.returncode == 1  # one question was refused


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", ""), "Please give a question"),
        (("frobnicate",), "invalid choice"),
        (("policies", "validate", "nowhere"), "no such file"),
        (("policies", "rollback", "42"), "no policy version 42"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_message(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run(tmp_path, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_policy_lifecycle(tmp_path: Path) -> None:
    assert run(tmp_path, "db", "upgrade").returncode == 0
    exported = tmp_path / "exported"
    assert run(tmp_path, "policies", "export", "--out", str(exported)).returncode == 0
    tools = yaml.safe_load((exported / "tools.yaml").read_text(encoding="utf-8"))
    perplexity = next(t for t in tools["tools"] if t["id"] == "perplexity-pro")
    perplexity["status"] = "approved"
    (exported / "tools.yaml").write_text(yaml.safe_dump(tools), encoding="utf-8")

    diff = run(tmp_path, "policies", "diff", str(exported))
    assert "Perplexity Pro: status under review → approved" in diff.stdout

    # The sample's own tests say Perplexity is under review: the import is refused...
    refused = run(tmp_path, "policies", "import", str(exported), "-m", "approve Perplexity")
    assert refused.returncode == 1
    assert "FAIL" in refused.stderr
    assert "Perplexity is still under review" in refused.stderr
    assert "perplexity-pro is not refused" in refused.stderr
    # ...unless forced, which the audit log records.
    imported = run(tmp_path, "policies", "import", str(exported), "-m", "approve Perplexity",
                   "--force")
    assert imported.returncode == 0, imported.stderr
    assert "version 2" in imported.stdout
    status = json.loads(run(tmp_path, "ask", "--json", "is perplexity approved").stdout)
    assert status["asked_tool"]["status"] == "approved"

    history = json.loads(run(tmp_path, "policies", "history", "--json").stdout)
    assert [h["version"] for h in history] == [2, 1]
    assert history[0]["summary"] == "approve Perplexity"

    assert "as version 3" in run(tmp_path, "policies", "rollback", "1").stdout
    status = json.loads(run(tmp_path, "ask", "--json", "is perplexity approved").stdout)
    assert status["asked_tool"]["status"] == "under_review"


def test_bad_policy_import_changes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(ROOT / "policies", bad)
    data = yaml.safe_load((bad / "tools.yaml").read_text(encoding="utf-8"))
    data["tools"][0]["good_for"] = ["astrology"]
    (bad / "tools.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run(tmp_path, "db", "upgrade").returncode == 0
    result = run(tmp_path, "policies", "import", str(bad))
    assert result.returncode == 1
    assert re.search(r"tools\.yaml:\d+: tools\[0\]\.good_for\[0\] \(tool m365-copilot\): "
                     r"unknown use case 'astrology'", result.stderr), result.stderr
    history = json.loads(run(tmp_path, "policies", "history", "--json").stdout)
    assert [h["version"] for h in history] == [1]


def test_unmet_list(tmp_path: Path) -> None:
    run(tmp_path, "ask", "an AI to book my dentist appointment, reach me at a.b@corp.example")
    result = run(tmp_path, "unmet", "list", "--json")
    [record] = json.loads(result.stdout)
    assert "[EMAIL]" in record["question"]
    assert "a.b@corp.example" not in result.stdout


def test_chat_session(tmp_path: Path) -> None:
    result = run(tmp_path, "chat", stdin="is grok approved?\nquit\n")
    assert result.returncode == 0
    assert "not in our AI tool policy" in result.stdout


def test_schema_check_passes_on_the_checked_in_schema(tmp_path: Path) -> None:
    assert run(tmp_path, "policies", "schema", "--check").returncode == 0


def test_help_lists_every_command_as_its_module_defines_it() -> None:
    import argparse
    import importlib

    from bot.cli.main import COMMANDS, build_parser

    for module in {m for m, _ in COMMANDS.values()}:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(module).add_commands(sub)
        helps = {a.dest: a.help for a in sub._choices_actions}
        assert helps == {n: h for n, (m, h) in COMMANDS.items() if m == module}
    full = build_parser()
    assert set(full._subparsers._group_actions[0].choices) == set(COMMANDS)  # type: ignore[union-attr]


def test_help_and_a_command_import_only_what_they_need(tmp_path: Path) -> None:
    probe = (
        "import sys, runpy; sys.argv = ['app.py', *sys.argv[1:]]\n"
        f"try:\n    runpy.run_path({str(ROOT / 'app.py')!r}, run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('sklearn', 'scipy', 'matplotlib', 'slack_bolt', 'botbuilder', 'onnxruntime',"
        " 'alembic', 'sqlalchemy')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith(heavy)}))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    out = subprocess.run([sys.executable, "-c", probe, "--help"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    out = subprocess.run([sys.executable, "-c", probe, "policies", "validate",
                          str(ROOT / "policies")], capture_output=True, text=True, env=env,
                         cwd=tmp_path, timeout=120)
    assert "OK:" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "['sqlalchemy']"  # the store, nothing heavier
    # `ask` imports the app (store, matcher) in its handler, after starting the model's
    # load: building its parser imports none of it.
    out = subprocess.run([sys.executable, "-c", probe, "ask", "--help"], capture_output=True,
                         text=True, env=env, cwd=tmp_path, timeout=120)
    assert "--json" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


_NO_DATA_CLASSES = """\
meta:
  organization: Valley Newsroom
  contact: the managing editor
use_cases:
  - id: transcribe
    name: Transcribe interviews
    description: Turn recorded interviews into text.
    examples: [transcribe an interview recording, get a transcript of my call]
tools:
  - id: otter
    name: Otter
    status: approved
    summary: Transcription service.
    good_for: [transcribe]
"""


def test_a_policy_without_data_classes_imports_and_answers_honestly(tmp_path: Path) -> None:
    """A newsroom's policy has no data classification: it imports as written, and the
    concierge says the policy is silent about data instead of inventing a limit."""
    policy = tmp_path / "newsroom.yaml"
    policy.write_text(_NO_DATA_CLASSES, encoding="utf-8")
    imported = run(tmp_path, "policies", "import", str(policy))
    assert imported.returncode == 0, imported.stderr

    levels = run(tmp_path, "ask", "what are the data levels?")
    assert "does not sort data into classes" in levels.stdout
    assert "ask the managing editor" in levels.stdout

    status = run(tmp_path, "ask", "is Otter approved?")
    assert "Data: Not stated: the policy has no data classes" in status.stdout

    check = json.loads(run(tmp_path, "ask", "--json", "can I paste a source's emails into otter?")
                       .stdout)
    assert check["outcome"] == "data_check"
    assert check["data_check"]["allowed"] is None


def test_a_pasted_value_is_named_by_its_kind_in_a_data_check(tmp_path: Path) -> None:
    """No word of the message names the data, only the redacted card number does: the
    answer calls it that, never "my" or the number."""
    policy = tmp_path / "newsroom.yaml"
    policy.write_text(_NO_DATA_CLASSES, encoding="utf-8")
    assert run(tmp_path, "policies", "import", str(policy)).returncode == 0
    result = run(tmp_path, "ask", "my card is 4111 1111 1111 1111 can otter check it")
    assert result.returncode == 0, result.stderr
    assert "the payment card number you pasted" in result.stdout
    assert "“my”" not in result.stdout
    assert "4111" not in result.stdout
