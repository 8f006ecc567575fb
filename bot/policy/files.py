"""Load, validate and write policy files (YAML or JSON; one file or a folder).

A folder is merged section by section, so an IT team can keep `tools.yaml`,
`use_cases.yaml` and so on apart. Every error names the file it came from and
the path to the field inside that file, because "tools[37].good_for[2]" of a
merged policy means nothing to the person who has to fix it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.errors import PolicyFileError
from bot.policy.models import Policy

__all__ = [
    "PolicyProblem",
    "dump_policy",
    "load_policy",
    "parse_policy",
    "policy_to_data",
    "validate_data",
]

SECTIONS = ("data_classes", "use_cases", "tools", "red_lines")
_SUFFIXES = {".yaml", ".yml", ".json"}
_MAX_FILE_BYTES = 5 * 1024 * 1024
_LOC_RE = re.compile(r"^(?P<section>[a-z_]+)\[(?P<index>\d+)\](?P<rest>.*)$")


@dataclass(frozen=True)
class PolicyProblem:
    """One thing wrong with a policy file, located for a human."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


@dataclass
class _Merged:
    data: dict[str, Any]
    # origin[section][merged index] = (file, index inside that file)
    origin: dict[str, list[tuple[str, int]]]
    meta_file: str | None


def _read_one(path: Path) -> dict[str, Any]:
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise PolicyFileError([PolicyProblem(str(path), "", "file is larger than 5 MiB")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyFileError([PolicyProblem(str(path), "", "file is not UTF-8 text")]) from None
    return _parse_text(text, str(path), json_first=path.suffix == ".json")


def _parse_text(text: str, name: str, *, json_first: bool = False) -> dict[str, Any]:
    try:
        data = json.loads(text) if json_first else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        if isinstance(exc, json.JSONDecodeError):
            where = f"line {exc.lineno}, column {exc.colno}"
        reason = getattr(exc, "problem", None) or getattr(exc, "msg", None) or str(exc)
        raise PolicyFileError(
            [PolicyProblem(name, where, f"not valid YAML/JSON: {reason}")]
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyFileError(
            [PolicyProblem(name, "", "the top level must be a mapping of sections")]
        )
    unknown = sorted(set(data) - {*SECTIONS, "meta", "version", "$schema"})
    if unknown:
        raise PolicyFileError(
            [
                PolicyProblem(
                    name,
                    key,
                    f"unknown section (expected one of: meta, {', '.join(SECTIONS)})",
                )
                for key in unknown
            ]
        )
    return data


def _files_of(path: Path) -> list[Path]:
    if not path.exists():
        raise PolicyFileError([PolicyProblem(str(path), "", "no such file or folder")])
    if path.is_file():
        return [path]
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _SUFFIXES)
    files = [p for p in files if not p.name.endswith(".schema.json")]
    if not files:
        raise PolicyFileError([PolicyProblem(str(path), "", "folder holds no .yaml/.json files")])
    return files


def _merge(docs: list[tuple[str, dict[str, Any]]]) -> _Merged:
    merged: dict[str, Any] = {section: [] for section in SECTIONS}
    origin: dict[str, list[tuple[str, int]]] = {section: [] for section in SECTIONS}
    meta_file: str | None = None
    problems: list[PolicyProblem] = []
    for name, doc in docs:
        if "meta" in doc:
            if meta_file is not None:
                problems.append(PolicyProblem(name, "meta", f"meta is already set in {meta_file}"))
            meta_file = name
            merged["meta"] = doc["meta"]
        for section in SECTIONS:
            items = doc.get(section)
            if items is None:
                continue
            if not isinstance(items, list):
                problems.append(PolicyProblem(name, section, "must be a list"))
                continue
            for index, item in enumerate(items):
                merged[section].append(item)
                origin[section].append((name, index))
    if problems:
        raise PolicyFileError(problems)
    return _Merged(merged, origin, meta_file)


def _locate(merged: _Merged, loc: str, default_file: str) -> tuple[str, str]:
    """Map a path inside the merged policy back to (file, path inside the file)."""
    match = _LOC_RE.match(loc)
    if match and match["section"] in merged.origin:
        entries = merged.origin[match["section"]]
        index = int(match["index"])
        if index < len(entries):
            file, local = entries[index]
            return file, f"{match['section']}[{local}]{match['rest']}"
    if loc.startswith("meta") and merged.meta_file:
        return merged.meta_file, loc
    return default_file, loc


def _loc_to_str(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validate(merged: _Merged, default_file: str) -> Policy:
    try:
        return Policy.model_validate(merged.data)
    except ValidationError as exc:
        problems: list[PolicyProblem] = []
        for error in exc.errors(include_url=False):
            loc = _loc_to_str(tuple(error["loc"]))
            message = str(error["msg"]).removeprefix("Value error, ")
            if not loc and error["type"] == "value_error":
                # Cross-reference errors come as "path: message" lines.
                for line in message.splitlines():
                    path, _, text = line.partition(": ")
                    file, local = _locate(merged, path, default_file)
                    problems.append(PolicyProblem(file, local, text))
                continue
            if error["type"] == "missing":
                message = "required field is missing"
            elif error["type"] == "enum":
                message = f"{message}; got {error.get('input')!r}"
            file, local = _locate(merged, loc, default_file)
            problems.append(PolicyProblem(file, local, message))
        raise PolicyFileError(problems) from None


def load_policy(path: str | Path) -> Policy:
    """Load and validate a policy file or folder; raise PolicyFileError listing every problem."""
    root = Path(path)
    files = _files_of(root)
    docs: list[tuple[str, dict[str, Any]]] = []
    problems: list[PolicyProblem] = []
    for file in files:
        try:
            docs.append((str(file), _read_one(file)))
        except PolicyFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise PolicyFileError(problems)
    return _validate(_merge(docs), str(root))


def parse_policy(text: str, name: str = "<upload>") -> Policy:
    """Validate a policy given as one YAML/JSON text (chat uploads, the admin API)."""
    return _validate(_merge([(name, _parse_text(text, name))]), name)


def validate_data(data: dict[str, Any], name: str = "<edit>") -> Policy:
    """Validate policy data built in memory (admin edits) with the same located errors."""
    return _validate(_merge([(name, data)]), name)


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """The policy as plain data, in a stable order, without defaults that add noise."""
    return policy.model_dump(mode="json", exclude_none=True)


def dump_policy(policy: Policy, out: str | Path | None = None) -> str:
    """Write the policy as YAML that re-imports to an identical policy.

    With `out` a folder, one file per section is written (the same layout as the
    sample `policies/`); with no `out`, the single-document YAML is returned.
    """
    data = policy_to_data(policy)
    if out is None:
        return _yaml(data)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.yaml").write_text(_yaml({"meta": data.get("meta", {})}), encoding="utf-8")
    for section in SECTIONS:
        (folder / f"{section}.yaml").write_text(
            _yaml({section: data.get(section, [])}), encoding="utf-8"
        )
    return str(folder)


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
