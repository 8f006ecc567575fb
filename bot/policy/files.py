"""Load, validate and write policy files (YAML or JSON; one file or a folder).

A folder is merged section by section, so an IT team can keep `tools.yaml`,
`use_cases.yaml` and so on apart. Every problem names the file and line it came
from, the item's id and the field, because "tools[37].good_for[2]" of a merged
policy means nothing to the person who has to fix it. The files' text is kept
(`LoadedPolicy.files`) so an export can give IT back their comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from bot.errors import PolicyFileError
from bot.policy.fields import thin_use_cases, unknown_keys
from bot.policy.models import Policy
from bot.policy.problems import Loc, PolicyProblem, PolicyTestItem, parse_path, path_str
from bot.policy.references import did_you_mean
from bot.policy.yaml_io import comment_cut_warnings, line_of, parse_yaml, scalar_at

__all__ = [
    "SECTIONS",
    "LoadedPolicy",
    "PolicyProblem",
    "PolicyTestItem",
    "dump_policy",
    "load_policy",
    "parse_policy",
    "policy_to_data",
    "read_policy",
    "read_policy_text",
    "read_policy_texts",
    "validate_data",
]

SECTIONS = ("data_classes", "use_cases", "tools", "red_lines")
#: Top-level keys a policy file may hold besides the sections.
OTHER_KEYS = ("meta", "tests", "version", "$schema")
_SUFFIXES = {".yaml", ".yml", ".json"}
_MAX_FILE_BYTES = 5 * 1024 * 1024
_SINGULAR = {
    "data_classes": "data class",
    "use_cases": "use case",
    "tools": "tool",
    "red_lines": "red line",
}

@dataclass
class LoadedPolicy:
    """A valid policy, its warnings, its policy tests and the text of the files it came from."""

    policy: Policy
    warnings: list[PolicyProblem] = field(default_factory=list)
    tests: list[PolicyTestItem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)


@dataclass
class _Doc:
    name: str
    data: dict[str, Any]
    tree: Any = None
    text: str = ""


@dataclass
class _Merged:
    data: dict[str, Any]
    # origin[section][merged index] = (file, index inside that file)
    origin: dict[str, list[tuple[str, int]]]
    meta_file: str | None
    trees: dict[str, Any]
    texts: dict[str, str]


def _parse_text(text: str, name: str, *, is_json: bool = False) -> _Doc:
    tree: Any = None
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            where = f"column {exc.colno}: "
            raise PolicyFileError(
                [PolicyProblem(name, "", f"not valid JSON: {where}{exc.msg}", line=exc.lineno)]
            ) from None
    else:
        parsed = parse_yaml(text, name)
        data, tree = parsed.data, parsed.tree
    if data is None:
        return _Doc(name, {}, tree, text)
    if not isinstance(data, dict):
        raise PolicyFileError(
            [PolicyProblem(name, "", "the top level must be a mapping of sections", line=1)]
        )
    known = (*SECTIONS, *OTHER_KEYS)
    problems = [
        PolicyProblem(
            name,
            str(key),
            f"unknown section (expected one of: {', '.join(known[:-2])})"
            + did_you_mean(str(key), known),
            line=line_of(tree, (key,)),
        )
        for key in data
        if key not in known and not str(key).startswith("x-")
    ]
    if problems:
        raise PolicyFileError(problems)
    return _Doc(name, data, tree, text)


def _read_text(path: Path) -> str:
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise PolicyFileError([PolicyProblem(str(path), "", "file is larger than 5 MiB")])
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyFileError([PolicyProblem(str(path), "", "file is not UTF-8 text")]) from None


def policy_files(path: Path) -> list[Path]:
    """The policy files of a file or folder, in the order they are merged."""
    if not path.exists():
        raise PolicyFileError([PolicyProblem(str(path), "", "no such file or folder")])
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
    files = [p for p in files if not p.name.endswith(".schema.json")]
    if not files:
        raise PolicyFileError([PolicyProblem(str(path), "", "folder holds no .yaml/.json files")])
    return files


def _merge(docs: list[_Doc]) -> tuple[_Merged, list[PolicyTestItem]]:
    merged: dict[str, Any] = {section: [] for section in SECTIONS}
    origin: dict[str, list[tuple[str, int]]] = {section: [] for section in SECTIONS}
    meta_file: str | None = None
    problems: list[PolicyProblem] = []
    tests: list[PolicyTestItem] = []
    for doc in docs:
        if "meta" in doc.data:
            if meta_file is not None:
                problems.append(
                    PolicyProblem(doc.name, "meta", f"meta is already set in {meta_file}",
                                  line=line_of(doc.tree, ("meta",)))
                )
            meta_file = doc.name
            merged["meta"] = doc.data["meta"]
        for section in (*SECTIONS, "tests"):
            items = doc.data.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                problems.append(PolicyProblem(doc.name, section, "must be a list",
                                              line=line_of(doc.tree, (section,))))
                continue
            for index, item in enumerate(items):
                if section == "tests":
                    tests.append(PolicyTestItem(doc.name, line_of(doc.tree, (section, index)),
                                                item))
                    continue
                merged[section].append(item)
                origin[section].append((doc.name, index))
    if problems:
        raise PolicyFileError(problems)
    trees = {d.name: d.tree for d in docs}
    return _Merged(merged, origin, meta_file, trees, {d.name: d.text for d in docs}), tests


def _problem(merged: _Merged, loc: Loc, message: str, default_file: str,
             severity: Literal["error", "warning"] = "error") -> PolicyProblem:
    """A problem at `loc` of the merged policy, told in terms of the file it came from."""
    file, local = default_file, loc
    item = None
    if len(loc) >= 2 and loc[0] in merged.origin and isinstance(loc[1], int):
        entries = merged.origin[str(loc[0])]
        if loc[1] < len(entries):
            file, index = entries[loc[1]]
            local = (loc[0], index, *loc[2:])
            raw = merged.data[str(loc[0])][loc[1]]
            item_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(item_id, str | int):
                item = f"{_SINGULAR[str(loc[0])]} {item_id}"
    elif loc[:1] == ("meta",) and merged.meta_file:
        file = merged.meta_file
    tree = merged.trees.get(file)
    return PolicyProblem(file, path_str(local), message, line=line_of(tree, local),
                         item=item, severity=severity)


def _validate(merged: _Merged, default_file: str, *, check_keys: bool = True) -> Policy:
    problems: list[PolicyProblem] = []
    if check_keys:
        problems = [_problem(merged, loc, msg, default_file)
                    for loc, msg in unknown_keys(merged.data)]
    try:
        policy = Policy.model_validate(merged.data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            if not loc and error["type"] == "value_error":
                # Cross-reference errors come as "path: message" lines.
                for line in message.splitlines():
                    path, _, text = line.partition(": ")
                    problems.append(_problem(merged, parse_path(path), text, default_file))
                continue
            if error["type"] == "missing":
                message = "required field is missing"
            elif error["type"] == "enum":
                message = f"{message}; got {error.get('input')!r}"
            problems.append(_problem(merged, loc, message, default_file))
        raise PolicyFileError(problems) from None
    if problems:
        raise PolicyFileError(problems)
    return policy


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else "…" + text[-limit:]


def _tree_item(tree: Any, local: Loc) -> str | None:
    """'tool x' for a path inside an item of a section, from one file's tree."""
    if len(local) < 2 or local[0] not in _SINGULAR or not isinstance(local[1], int):
        return None
    item_id = scalar_at(tree, (*local[:2], "id"))
    return f"{_SINGULAR[str(local[0])]} {item_id}" if item_id is not None else None


def _warnings(merged: _Merged, default_file: str) -> list[PolicyProblem]:
    warnings = [_problem(merged, loc, msg, default_file, "warning")
                for loc, msg in thin_use_cases(merged.data)]
    for name, tree in merged.trees.items():
        for local, line, value, cut in comment_cut_warnings(tree, merged.texts.get(name, "")):
            shown = f"{_short(value)!r} " if value else "empty "
            warnings.append(PolicyProblem(
                name, path_str(local),
                f"value is cut short: YAML reads {cut!r} as a comment, so the value is "
                f"{shown}(put the whole value in quotes to keep it)",
                line=line, item=_tree_item(tree, local), severity="warning",
            ))
    return warnings


def read_policy(path: str | Path) -> LoadedPolicy:
    """Load and validate a policy file or folder; raise PolicyFileError listing every problem."""
    root = Path(path)
    files = policy_files(root)
    texts: dict[str, str] = {}
    problems: list[PolicyProblem] = []
    for file in files:
        try:
            texts[file.relative_to(root).as_posix() if root.is_dir() else file.name] = (
                _read_text(file)
            )
        except PolicyFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyFileError(problems)
    prefix = f"{root}/" if root.is_dir() else (f"{root.parent}/" if str(root.parent) != "." else "")
    return read_policy_texts(texts, prefix, default_name=str(root))


def read_policy_texts(
    texts: dict[str, str], prefix: str = "", *, default_name: str | None = None
) -> LoadedPolicy:
    """Validate policy files given as {relative name: text}, merged in name order."""
    docs: list[_Doc] = []
    problems: list[PolicyProblem] = []
    for name in sorted(texts):
        try:
            docs.append(_parse_text(texts[name], prefix + name, is_json=name.endswith(".json")))
        except PolicyFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyFileError(problems)
    merged, tests = _merge(docs)
    default = default_name or (prefix + next(iter(sorted(texts)), ""))
    policy = _validate(merged, default)
    return LoadedPolicy(policy, _warnings(merged, default), tests, dict(texts))


def read_policy_text(text: str, name: str = "<upload>") -> LoadedPolicy:
    """Validate a policy given as one YAML/JSON text (chat uploads, the admin API)."""
    return read_policy_texts({name: text})


def load_policy(path: str | Path) -> Policy:
    return read_policy(path).policy


def parse_policy(text: str, name: str = "<upload>") -> Policy:
    return read_policy_text(text, name).policy


def validate_data(data: dict[str, Any], name: str = "<edit>") -> Policy:
    """Validate policy data built in memory (admin edits) with the same located errors.

    Unknown keys are not re-checked: an edit must not fail on an older version's extras.
    """
    merged, _ = _merge([_Doc(name, data)])
    return _validate(merged, name, check_keys=False)


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """The policy as plain data, in a stable order, without defaults that add noise."""
    return policy.model_dump(mode="json", exclude_none=True)


def dump_policy(policy: Policy, out: str | Path | None = None) -> str:
    """Write the policy as plain YAML (no comments) that re-imports to an identical policy.

    With `out` a folder, one file per section is written (the same layout as the
    sample `policies/`); with no `out`, the single-document YAML is returned.
    `bot.policy.roundtrip` writes the files IT wrote, comments included, instead.
    """
    from bot.policy.roundtrip import fresh_files

    files = fresh_files(policy, single=out is None)
    if out is None:
        return next(iter(files.values()))
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return str(folder)
