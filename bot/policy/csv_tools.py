"""Tools from a spreadsheet: one row per tool, for IT teams that keep their list that way.

The CSV holds the `tools` section only; the rest (data classes, use cases, red
lines) comes from the live policy or a folder given with it. Every problem names
the row as the spreadsheet shows it (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from bot.errors import PolicyFileError
from bot.policy.files import PolicyProblem, policy_to_data, validate_data
from bot.policy.models import Policy
from bot.policy.references import did_you_mean

__all__ = ["COLUMNS", "policy_with_csv_tools", "tools_from_csv"]

#: Column -> how its cell is read. Lists: one item per line in the cell, or separated by ";"
#: (id lists also by ","); `not_good_for` sentences only by line breaks or " | ".
COLUMNS: dict[str, str] = {
    "id": "text",
    "name": "text",
    "aliases": "names",
    "status": "text",
    "summary": "text",
    "good_for": "ids",
    "not_good_for": "sentences",
    "max_data_class": "text",
    "access": "text",
    "access_text": "text",
    "access_url": "text",
    "alternatives": "ids",
    "owner": "text",
    "contact": "text",
}
_SPLIT = {"ids": r"[;,\n]", "names": r"[;\n]", "sentences": r"\n|\s\|\s"}
_ROW = re.compile(r"^tools\[(\d+)\]\.?(.*)$")


def _column(header: str) -> str:
    name = header.strip().lstrip("\ufeff")
    if name.lower().startswith("x-"):
        return name
    return re.sub(r"[\s-]+", "_", name.lower())


def _cell(kind: str, value: str) -> Any:
    if kind == "text":
        return value.strip()
    return [part.strip() for part in re.split(_SPLIT[kind], value) if part.strip()]


def tools_from_csv(text: str, name: str) -> list[dict[str, Any]]:
    """The rows as tool items; raise PolicyFileError naming rows and columns."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise PolicyFileError([PolicyProblem(name, "", "the file is empty; expected a header row")])
    columns = [_column(h) for h in rows[0]]
    problems = [
        PolicyProblem(name, f"column {n + 1} {header.strip()!r}",
                      "unknown column" + (did_you_mean(col, COLUMNS) or
                                          f" (known: {', '.join(COLUMNS)}, or x-... of your own)"),
                      line=1)
        for n, (header, col) in enumerate(zip(rows[0], columns, strict=True))
        if col and col not in COLUMNS and not col.startswith("x-")
    ]
    for required in ("id", "name", "status", "summary"):
        if required not in columns:
            problems.append(PolicyProblem(name, "header", f"missing column {required!r}", line=1))
    if problems:
        raise PolicyFileError(problems)
    tools: list[dict[str, Any]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        tool: dict[str, Any] = {"x-row": number}
        for col, value in zip(columns, row, strict=False):
            if not col or not value.strip():
                continue
            tool[col] = value.strip() if col.startswith("x-") else _cell(COLUMNS[col], value)
        text_, url = tool.pop("access_text", None), tool.pop("access_url", None)
        if text_ or url:
            tool["access"] = {k: v for k, v in (("text", text_), ("url", url)) if v}
        tools.append(tool)
    return tools


def policy_with_csv_tools(base: Policy, text: str, name: str) -> Policy:
    """`base` with its tools replaced by the CSV's rows, validated as a whole."""
    tools = tools_from_csv(text, name)
    rows = [t.pop("x-row") for t in tools]
    data = {**policy_to_data(base), "tools": tools}
    try:
        return validate_data(data, name)
    except PolicyFileError as exc:
        raise PolicyFileError([_as_row(p, rows, name) for p in exc.problems]) from None


def _as_row(problem: PolicyProblem, rows: list[int], name: str) -> PolicyProblem:
    match = _ROW.match(problem.path)
    if problem.file != name or not match or int(match[1]) >= len(rows):
        return problem
    column = match[2].split("[")[0].split(".")[0]
    where = f"row {rows[int(match[1])]}" + (f", column {column}" if column else "")
    return PolicyProblem(name, where, problem.message, item=problem.item)
