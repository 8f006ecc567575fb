"""A policy as IT writes it: ids as written, typos caught with a did-you-mean, lines, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import PolicyFileError
from bot.policy.files import read_policy, read_policy_text
from bot.settings import ROOT

REAL_WORLD = """\
data_classes:
  - id: P1
    label: Public
    description: Published.
  - id: P2
    label: Internal
    description: Staff only.
  - id: P3
    label: Confidential
    description: Customer data.
use_cases:
  - id: Summarize
    name: Summarize documents
    description: Shorten long documents.
    examples: [summarize a pdf]
tools:
  - id: Copilot
    name: Copilot
    status: Approved
    summary: The assistant.
    good_for: [summarize]
    max_data_class: p3
    x-ticket: IT-42
    extra:
      reviewed: 2026-01-01
  - id: ChatGPT-Free
    name: ChatGPT free
    status: prohibited
    summary: Personal accounts.
    alternatives: [COPILOT]
red_lines:
  - id: RED
    title: Secrets
    rule: No secrets.
    why: Leaks.
    triggers: [password]
    applies_to: [Prohibited, copilot]
"""


def _problems(exc: pytest.ExceptionInfo[PolicyFileError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_ids_as_written_are_accepted_and_references_ignore_case() -> None:
    loaded = read_policy_text(REAL_WORLD, "policy.yaml")
    policy = loaded.policy
    copilot = policy.tool("copilot")
    assert copilot is not None
    assert copilot.id == "Copilot"
    assert copilot.max_data_class == "P3"  # the reference takes the data class's spelling
    assert copilot.good_for == ["Summarize"]
    assert copilot.status.value == "approved"
    assert policy.tool("chatgpt-free").alternatives == ["Copilot"]  # type: ignore[union-attr]
    assert policy.red_lines[0].applies_to == ["prohibited", "Copilot"]
    assert policy.data_rank("p3") == 2
    assert policy.data_class("P2").label == "Internal"
    # Deliberate extra data is kept under the documented keys.
    assert copilot.model_extra == {"x-ticket": "IT-42"}
    assert copilot.extra == {"reviewed": "2026-01-01"}


def test_ids_differing_only_in_case_are_duplicates() -> None:
    text = REAL_WORLD.replace("  - id: P2\n", "  - id: p1\n")
    with pytest.raises(PolicyFileError) as exc:
        read_policy_text(text, "policy.yaml")
    assert any("duplicate id 'p1'" in p and "ignoring case" in p for p in _problems(exc))


def test_few_examples_are_accepted_with_a_warning() -> None:
    loaded = read_policy_text(REAL_WORLD, "policy.yaml")
    [warning] = [str(w) for w in loaded.warnings]
    assert warning.startswith("policy.yaml:15: use_cases[0].examples (use case Summarize): ")
    assert "only 1 example" in warning
    assert "more examples improve matching" in warning


def test_misspelt_field_is_an_error_with_id_file_line_and_did_you_mean() -> None:
    text = REAL_WORLD.replace("    max_data_class: p3\n", "    max_data_clas: p3\n")
    with pytest.raises(PolicyFileError) as exc:
        read_policy_text(text, "tools.yaml")
    assert _problems(exc) == [
        "tools.yaml:22: tools[0].max_data_clas (tool Copilot): unknown field `max_data_clas`; "
        "did you mean `max_data_class`?"
    ]


def test_unknown_field_without_a_close_name_points_to_x_keys() -> None:
    text = REAL_WORLD.replace("    x-ticket: IT-42\n", "    ticket: IT-42\n")
    with pytest.raises(PolicyFileError) as exc:
        read_policy_text(text, "tools.yaml")
    [problem] = _problems(exc)
    assert "unknown field `ticket`" in problem
    assert "`x-`" in problem
    assert "`extra:`" in problem


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("good_for: [summarize]", "good_for: [sumarize]",
         "tools[0].good_for[0] (tool Copilot): unknown use case 'sumarize'; "
         "did you mean `Summarize`?"),
        ("alternatives: [COPILOT]", "alternatives: [copilt]",
         "unknown tool 'copilt'; did you mean `Copilot`?"),
        ("applies_to: [Prohibited, copilot]", "applies_to: [prohibted]",
         "neither a tool id nor a status; did you mean `prohibited`?"),
        ("max_data_class: p3", "max_data_class: P33",
         "unknown data class 'P33' (known: P1, P2, P3); did you mean `P3`?"),
    ],
)
def test_unknown_references_get_a_did_you_mean(old: str, new: str, expected: str) -> None:
    with pytest.raises(PolicyFileError) as exc:
        read_policy_text(REAL_WORLD.replace(old, new), "p.yaml")
    assert any(expected in p for p in _problems(exc)), _problems(exc)


def test_a_value_cut_short_by_a_hash_is_warned_about() -> None:
    text = REAL_WORLD.replace(
        "    summary: The assistant.\n",
        "    summary: The assistant. # approved in 2026\n"
        "    access:\n      text: Ask in #it-help for a seat.\n",
    )
    loaded = read_policy_text(text, "tools.yaml")
    cut = [str(w) for w in loaded.warnings if "cut short" in w.message]
    assert cut == [
        "tools.yaml:22: tools[0].access.text (tool Copilot): value is cut short: YAML reads "
        "'#it-help for a seat.' as a comment, so the value is 'Ask in' (put the whole value "
        "in quotes to keep it)"
    ]  # the ordinary "# comment" with a space is not warned about


def test_the_sample_policy_has_no_warnings_and_no_cut_values() -> None:
    loaded = read_policy(ROOT / "policies")
    assert loaded.warnings == []
    access = loaded.policy.tool("canva-magic-studio").access  # type: ignore[union-attr]
    assert access is not None
    assert access.text is not None
    assert access.text.endswith("for a seat in the Northwind Canva workspace.")
    assert len(loaded.tests) >= 15


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        # A key without its colon: the culprit line, not the next key two lines below.
        ("tools:\n  - id: x\n    name X\n\n    status: approved\n", 3,
         "could not find expected ':'"),
        ("tools:\n  - id: x\n    summary: Note: read this\n", 3, "put the value in quotes"),
        ('tools:\n  - id: x\n    summary: "never closed\n    status: y\n', 3, "never closed"),
    ],
)
def test_yaml_syntax_errors_point_at_the_culprit_line(text: str, line: int, message: str) -> None:
    with pytest.raises(PolicyFileError) as exc:
        read_policy_text(text, "bad.yaml")
    [problem] = exc.value.problems
    assert problem.line == line
    assert message in problem.message


def test_unknown_section_gets_a_did_you_mean(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("tols: []\n", encoding="utf-8")
    with pytest.raises(PolicyFileError) as exc:
        read_policy(tmp_path)
    assert "did you mean `tools`?" in str(exc.value)
    assert f"{tmp_path}/p.yaml:1: tols" in str(exc.value)
