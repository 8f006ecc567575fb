"""IT authoring a policy with the real `python app.py policies ...` processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.settings import ROOT
from tests.cli.test_cli import run


def test_import_into_a_brand_new_database_then_export_is_byte_stable(tmp_path: Path) -> None:
    imported = run(tmp_path, "policies", "import", str(ROOT / "policies"), db="fresh.db")
    assert imported.returncode == 0, imported.stderr
    assert "Imported as version 1." in imported.stdout
    assert "Policy tests: 20 of 20 passed." in imported.stderr
    out = tmp_path / "exported"
    assert run(tmp_path, "policies", "export", "--out", str(out), db="fresh.db").returncode == 0
    for source in sorted((ROOT / "policies").glob("*.yaml")):
        assert (out / source.name).read_bytes() == source.read_bytes(), source.name
    assert (out / "policy.schema.json").exists()
    again = run(tmp_path, "policies", "import", str(out), db="fresh.db")
    assert "No changes" in again.stdout


def test_validate_reports_typos_and_warnings(tmp_path: Path) -> None:
    policy = tmp_path / "policy"
    shutil.copytree(ROOT / "policies", policy)
    tools = policy / "tools.yaml"
    text = tools.read_text(encoding="utf-8")
    text = text.replace("    max_data_class: internal\n", "    max_data_clas: internal\n", 1)
    tools.write_text(text, encoding="utf-8")
    result = run(tmp_path, "policies", "validate", str(policy))
    assert result.returncode == 1
    assert "(tool grammarly-business): unknown field `max_data_clas`; did you mean " \
        "`max_data_class`?" in result.stderr
    assert f"{policy}/tools.yaml:" in result.stderr
    tools.write_text(text.replace("max_data_clas:", "max_data_class:").replace(
        'text: "Ask Marketing Operations in #marketing-ops for a seat in the Northwind Canva '
        'workspace."', "text: Ask Marketing Operations in #marketing-ops for a seat."),
        encoding="utf-8")
    result = run(tmp_path, "policies", "validate", str(policy))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr
    assert "value is cut short" in result.stderr
    assert "'Ask Marketing Operations in'" in result.stderr


def test_new_policy_with_tests_and_a_breaking_change(tmp_path: Path) -> None:
    starter = tmp_path / "starter"
    created = run(tmp_path, "policies", "new", str(starter), "--organization", "Acme")
    assert created.returncode == 0, created.stderr
    assert (starter / "tests.yaml").exists()
    tested = run(tmp_path, "policies", "test", str(starter))
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "3 of 3 passed" in tested.stdout
    assert run(tmp_path, "policies", "import", str(starter)).returncode == 0

    tools = starter / "tools.yaml"
    tools.write_text(tools.read_text(encoding="utf-8").replace(
        "    status: prohibited\n", "    status: approved\n"), encoding="utf-8")
    failed = run(tmp_path, "policies", "test", str(starter))
    assert failed.returncode == 1
    assert "FAIL" in failed.stdout
    assert "'is ChatGPT allowed?'" in failed.stdout
    assert "personal-chatgpt is not refused" in failed.stdout
    refused = run(tmp_path, "policies", "import", str(starter))
    assert refused.returncode == 1
    assert "--force" in refused.stderr
    forced = run(tmp_path, "policies", "import", str(starter), "--force", "-m", "approve it")
    assert forced.returncode == 0
    history = json.loads(run(tmp_path, "policies", "history", "--json").stdout)
    assert history[0]["changes"] == ["ChatGPT (personal accounts): status prohibited → approved"]
    audit = run(tmp_path, "policies", "audit").stdout
    assert "import policy v2  [FORCED past failing policy tests]" in audit
    assert "ChatGPT (personal accounts): status prohibited → approved" in audit
    assert "import policy  [REFUSED: policy tests failed]" in audit
    assert "failing test: " in audit
    live = run(tmp_path, "policies", "test")  # the live policy against its own tests
    assert live.returncode == 1
    assert "personal-chatgpt is not refused" in live.stdout


def test_tools_from_a_spreadsheet(tmp_path: Path) -> None:
    starter = tmp_path / "starter"
    assert run(tmp_path, "policies", "new", str(starter)).returncode == 0
    assert run(tmp_path, "policies", "import", str(starter)).returncode == 0
    sheet = tmp_path / "tools.csv"
    sheet.write_text(
        "id,name,aliases,status,summary,good for,max data class,access url,alternatives\n"
        "company-assistant,Company AI Assistant,assistant,standard,Our assistant.,"
        '"summarize-documents; draft-emails",confidential,https://it.example/ai,\n'
        "personal-chatgpt,ChatGPT (personal),ChatGPT,prohibited,Not for work.,,,,"
        "company-assistant\n"
        "deepl-pro,DeepL Pro,,approved,Translation.,translat-text,confidential,,\n",
        encoding="utf-8")
    bad = run(tmp_path, "policies", "import", str(sheet))
    assert bad.returncode == 1
    assert "tools.csv: row 4, column good_for (tool deepl-pro): unknown use case " \
        "'translat-text'; did you mean `translate-text`?" in bad.stderr
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("translat-text", "translate-text"),
                     encoding="utf-8")
    diff = run(tmp_path, "policies", "diff", str(sheet))
    assert "Added tool DeepL Pro (approved)" in diff.stdout
    imported = run(tmp_path, "policies", "import", str(sheet), "-m", "from the sheet")
    assert imported.returncode == 0, imported.stderr
    assert "Imported as version 2." in imported.stdout
