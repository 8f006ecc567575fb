"""Export keeps IT's comments, key order and schema line; changes are told in words."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.errors import PolicyFileError
from bot.policy.csv_tools import policy_with_csv_tools
from bot.policy.diff import describe_changes
from bot.policy.files import policy_to_data, read_policy, read_policy_texts, validate_data
from bot.policy.models import Policy
from bot.policy.roundtrip import SCHEMA_LINE, export_files
from bot.policy.scaffold import starter_files
from bot.settings import ROOT


def _edit(policy: Policy, change: object) -> Policy:
    data = policy_to_data(policy)
    change(data)  # type: ignore[operator]
    return validate_data(data)


def test_unchanged_export_is_byte_for_byte_the_imported_files() -> None:
    loaded = read_policy(ROOT / "policies")
    files = export_files(loaded.policy, loaded.files)
    assert files == loaded.files
    again = read_policy_texts(files)
    assert again.policy == loaded.policy
    assert export_files(again.policy, again.files) == files


def test_an_edit_rewrites_only_what_changed_and_keeps_every_comment() -> None:
    loaded = read_policy(ROOT / "policies")

    def change(data: dict) -> None:  # type: ignore[type-arg]
        tool = next(t for t in data["tools"] if t["id"] == "grammarly-business")
        tool["status"] = "prohibited"
        tool["alternatives"] = ["m365-copilot"]
        data["tools"] = [t for t in data["tools"] if t["id"] != "deepseek"]

    edited = _edit(loaded.policy, change)
    files = export_files(edited, loaded.files)
    assert {k for k in files if files[k] != loaded.files[k]} == {"tools.yaml"}
    old, new = loaded.files["tools.yaml"], files["tools.yaml"]
    assert new.startswith(SCHEMA_LINE)
    old_comments = [line for line in old.splitlines() if line.lstrip().startswith("#")]
    new_comments = [line for line in new.splitlines() if line.lstrip().startswith("#")]
    assert new_comments == old_comments  # the deepseek item had no comment of its own
    assert "id: deepseek" not in new
    assert read_policy_texts(files).policy == edited
    # Folded text the author wrote with `>-` keeps that style.
    assert "    summary: >-\n      Northwind's default AI assistant" in new


def test_reordered_data_classes_are_exported_in_the_new_order() -> None:
    loaded = read_policy(ROOT / "policies")
    edited = _edit(loaded.policy, lambda d: d["data_classes"].reverse() or [
        t.pop("max_data_class", None) for t in d["tools"]])
    files = export_files(edited, loaded.files)
    assert [c.id for c in read_policy_texts(files).policy.data_classes] == [
        "restricted", "confidential", "internal", "public"]


def test_changes_in_words() -> None:
    policy = read_policy(ROOT / "policies").policy

    def change(data: dict) -> None:  # type: ignore[type-arg]
        tool = next(t for t in data["tools"] if t["id"] == "grammarly-business")
        tool["status"] = "prohibited"
        tool["good_for"] = ["proofread-text", "translate-text"]
        data["meta"]["contact"] = "#help"
        data["red_lines"] = [r for r in data["red_lines"] if r["id"] != "no-deepfakes"]

    lines = describe_changes(policy, _edit(policy, change))
    assert "Grammarly Business: status approved → prohibited; good_for added translate-text; "\
        "removed draft-emails" in lines
    assert 'meta: contact "#ask-it or ai-governance@northwind.example" → #help' in lines
    assert any(line.startswith("Removed red line ") for line in lines)
    assert describe_changes(policy, policy) == []


def test_starter_policy_is_valid_and_commented() -> None:
    files = starter_files("Acme: Ltd")
    loaded = read_policy_texts(files)
    assert loaded.policy.meta.organization == "Acme: Ltd"
    assert len(loaded.tests) >= 3
    assert all(text.lstrip().startswith("#") for text in files.values())
    assert loaded.warnings == []


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


ROW = {"ID": "copilot-chat", "Name": "Microsoft 365 Copilot Chat", "Status": "Standard",
       "Summary": "Web chat.", "Good for": "summarize-documents; translate-text",
       "Max data class": "Confidential", "Access URL": "https://it.example/copilot",
       "x-owner-ticket": "IT-1"}


def test_tools_from_a_spreadsheet_replace_the_tools() -> None:
    base = read_policy_texts(starter_files()).policy
    text = _csv([ROW, {**ROW, "ID": "deepl-pro", "Name": "DeepL Pro", "Status": "approved",
                       "Good for": "translate-text", "Access URL": ""}])
    policy = policy_with_csv_tools(base, text, "tools.csv")
    assert [t.id for t in policy.tools] == ["copilot-chat", "deepl-pro"]
    chat = policy.tool("copilot-chat")
    assert chat is not None
    assert chat.good_for == ["summarize-documents", "translate-text"]
    assert chat.max_data_class == "confidential"
    assert chat.model_extra == {"x-owner-ticket": "IT-1"}
    # Semicolon-separated files from European spreadsheet settings work too.
    semi = text.replace(",", ";").replace("summarize-documents; translate-text",
                                          '"summarize-documents, translate-text"')
    assert policy_with_csv_tools(base, semi, "tools.csv").tools[0].good_for == chat.good_for


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"Max data clas": "confidential"}, "tools.csv:1: column 9 'Max data clas': unknown "
         "column; did you mean `max_data_class`?"),
        ({"Good for": "sumarize-documents"}, "tools.csv: row 2, column good_for (tool "
         "copilot-chat): unknown use case 'sumarize-documents'; did you mean "
         "`summarize-documents`?"),
        ({"Status": "maybe"}, "tools.csv: row 2, column status (tool copilot-chat):"),
    ],
)
def test_spreadsheet_errors_name_the_row_and_column(row: dict[str, str], expected: str) -> None:
    base = read_policy_texts(starter_files()).policy
    with pytest.raises(PolicyFileError) as exc:
        policy_with_csv_tools(base, _csv([{**ROW, **row}]), "tools.csv")
    assert any(str(p).startswith(expected) for p in exc.value.problems), exc.value.problems


def test_export_without_stored_files_writes_fresh_commented_files(tmp_path: Path) -> None:
    policy = read_policy(ROOT / "policies").policy
    files = export_files(policy, None)
    assert set(files) == {"meta.yaml", "data_classes.yaml", "use_cases.yaml", "tools.yaml",
                          "red_lines.yaml"}
    assert all(text.startswith(SCHEMA_LINE) for text in files.values())
    assert read_policy_texts(files).policy == policy
