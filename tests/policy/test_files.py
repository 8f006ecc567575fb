"""Policy files: loading a folder or a file, precise errors, round-trip export, the schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from bot.errors import PolicyFileError
from bot.policy import Policy, Status, dump_policy, load_policy, parse_policy
from bot.policy.files import policy_to_data
from bot.policy.schema import SCHEMA_PATH, schema_text
from bot.settings import ROOT

SAMPLE_POLICY = ROOT / "policies"

MINIMAL = {
    "data_classes": [
        {
            "id": "public",
            "label": "Public",
            "description": "Published.",
            "examples": ["press release"],
        },
        {"id": "internal", "label": "Internal", "description": "Staff only.", "examples": ["wiki"]},
    ],
    "use_cases": [
        {
            "id": "summarize",
            "name": "Summarize",
            "description": "Shorten documents.",
            "examples": ["summarize a pdf", "tl;dr this", "shorten this report"],
        },
    ],
    "tools": [
        {
            "id": "copilot",
            "name": "Copilot",
            "aliases": ["m365 copilot"],
            "status": "standard",
            "summary": "Chat assistant.",
            "good_for": ["summarize"],
            "max_data_class": "internal",
            "access": "https://it.example/copilot",
        },
    ],
    "red_lines": [
        {
            "id": "secrets",
            "title": "No secrets",
            "rule": "Never paste secrets.",
            "why": "Leaks.",
            "triggers": ["password"],
        },
    ],
}


def _write(folder: Path, name: str, data: object) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _problems(exc: pytest.ExceptionInfo[PolicyFileError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_sample_policy_meets_the_brief(sample_policy: Policy) -> None:
    statuses = {t.status for t in sample_policy.tools}
    assert statuses == set(Status)
    assert len(sample_policy.tools) >= 12
    assert len(sample_policy.use_cases) >= 15
    assert len(sample_policy.data_classes) == 4
    assert len(sample_policy.red_lines) >= 5
    prohibited = [t for t in sample_policy.tools if t.status is Status.PROHIBITED]
    assert all(t.alternatives for t in prohibited)
    assert all(len(u.examples) >= 3 for u in sample_policy.use_cases)


def test_single_file_and_json_load(tmp_path: Path) -> None:
    path = _write(tmp_path, "policy.yaml", MINIMAL)
    assert load_policy(path).tool("copilot").access.url is not None  # type: ignore[union-attr]
    json_path = tmp_path / "policy.json"
    json_path.write_text(json.dumps(MINIMAL), encoding="utf-8")
    assert load_policy(json_path) == load_policy(path)


def test_folder_errors_name_the_file_and_local_path(tmp_path: Path) -> None:
    _write(tmp_path, "a_base.yaml", {k: v for k, v in MINIMAL.items() if k != "tools"})
    bad_tool = {**MINIMAL["tools"][0], "good_for": ["summarize", "astrology"]}  # type: ignore[dict-item]
    _write(tmp_path, "b_tools.yaml", {"tools": [bad_tool]})
    with pytest.raises(PolicyFileError) as exc:
        load_policy(tmp_path)
    assert _problems(exc) == [
        f"{tmp_path / 'b_tools.yaml'}:7: tools[0].good_for[1] (tool copilot): "
        "unknown use case 'astrology'"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tools"][0].update(status="maybe"), "tools[0].status"),
        (lambda d: d["tools"][0].update(max_data_class="secret"), "unknown data class 'secret'"),
        (lambda d: d["tools"].append(dict(d["tools"][0])), "duplicate id 'copilot'"),
        (
            lambda d: d["tools"].append(
                {**d["tools"][0], "id": "other", "name": "Other", "aliases": ["M365 Copilot"]}
            ),
            "is already a name or alias of tool 'copilot'",
        ),
        (lambda d: d["use_cases"][0].update(examples="one"), "use_cases[0].examples"),
        (
            lambda d: d["tools"][0].pop("status"),
            "tools[0].status (tool copilot): required field is missing",
        ),
        (lambda d: d["tools"][0].update(alternatives=["ghost"]), "unknown tool 'ghost'"),
        (
            lambda d: d["red_lines"][0].update(applies_to=["nobody"]),
            "neither a tool id nor a status",
        ),
        (lambda d: d["tools"][0].update(id="Bad Id!"), "tools[0].id"),
    ],
)
def test_each_mistake_is_reported_precisely(change: object, expected: str) -> None:
    data = json.loads(json.dumps(MINIMAL))
    change(data)  # type: ignore[operator]
    with pytest.raises(PolicyFileError) as exc:
        parse_policy(yaml.safe_dump(data), "upload.yaml")
    problems = _problems(exc)
    assert any(expected in p and re.match(r"upload\.yaml:\d+: ", p) for p in problems), problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tools: [\n  - id: x\n", "bad.yaml:2: not valid YAML"),
        ("- just\n- a list\n", "top level must be a mapping"),
        ("tols: []\n", "unknown section"),
    ],
)
def test_malformed_files(text: str, expected: str) -> None:
    with pytest.raises(PolicyFileError) as exc:
        parse_policy(text, "bad.yaml")
    assert expected in str(exc.value)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="no such file"):
        load_policy(tmp_path / "nope")
    with pytest.raises(PolicyFileError, match=r"no \.yaml/\.json files"):
        load_policy(tmp_path)


def test_export_reimports_to_the_identical_policy(sample_policy: Policy, tmp_path: Path) -> None:
    assert parse_policy(dump_policy(sample_policy)) == sample_policy
    dump_policy(sample_policy, tmp_path / "out")
    again = load_policy(tmp_path / "out")
    assert again == sample_policy
    assert policy_to_data(again) == policy_to_data(sample_policy)


def test_checked_in_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "policies/policy.schema.json is stale: run `python app.py policies schema`"
    )


def test_sample_files_validate_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_text())
    for path in sorted(SAMPLE_POLICY.glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_unquoted_numbers_in_word_lists_are_taken_as_written(tmp_path: Path) -> None:
    """A school writes `triggers: [IEP, 504]`: YAML reads 504 as a number, the author
    meant the word (it used to fail validation: "Input should be a valid string")."""
    data = {**MINIMAL, "red_lines": []}
    text = yaml.safe_dump(data).replace("red_lines: []\n", "").replace("m365 copilot", "365")
    text += (
        "red_lines:\n- id: student-records\n  title: No student records\n"
        "  rule: Never paste student records.\n  why: FERPA.\n  triggers: [IEP, 504]\n"
    )
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    assert policy.red_lines[0].triggers == ["IEP", "504"]
    assert policy.tool("copilot").aliases == ["365"]
