"""Policy YAML: read fast with located nodes; written back with ruamel.yaml keeping comments.

Reading composes the document with PyYAML's C loader, whose nodes carry line and column
marks: that is what lets an error say `tools.yaml:45` and a warning spot a sentence cut
short by an unquoted ` #` (YAML reads `in #marketing-ops` as the start of a comment).
ruamel.yaml's round-trip mode, 15-20 times slower to read, is used only to rewrite a file
that changed (bot.policy.roundtrip) and is imported lazily.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from bot.errors import PolicyFileError
from bot.policy.problems import PolicyProblem

if TYPE_CHECKING:
    from ruamel.yaml import YAML

__all__ = [
    "ParsedText",
    "comment_cut_warnings",
    "dump_tree",
    "line_of",
    "parse_yaml",
    "round_trip_load",
    "round_trip_yaml",
    "scalar_at",
]

# Problems whose real cause is where the construct started, not where parsing gave up.
_CONTEXT_FIRST = ("while scanning a simple key", "while scanning a quoted scalar")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's C loader, with dates kept as the text the author wrote (policy data is JSON)."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
_LOADER = _Loader


@dataclass
class ParsedText:
    """One YAML/JSON text: plain data for validation and the node tree for locating."""

    data: Any
    tree: Any
    text: str = ""


def round_trip_yaml() -> YAML:
    """The one ruamel configuration used for reading and writing policy files."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None),
        lambda rep, _data: rep.represent_scalar("tag:yaml.org,2002:null", "null"),
    )
    return yaml


def _syntax_error(exc: Exception, name: str) -> PolicyFileError:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if context_mark is not None and context.startswith(_CONTEXT_FIRST):
        mark = context_mark
    line = mark.line + 1 if mark is not None else None
    column = f"column {mark.column + 1}: " if mark is not None else ""
    hint = ""
    if "could not find expected ':'" in problem:
        hint = " (a key without a colon, or a value that runs onto the next line?)"
    elif "mapping values are not allowed" in problem:
        hint = " (a ': ' inside an unquoted value? put the value in quotes)"
    elif context.startswith("while scanning a quoted scalar"):
        hint = " (a quote that is never closed?)"
    message = f"not valid YAML: {column}{problem}{hint}"
    return PolicyFileError([PolicyProblem(name, "", message, line=line)])


def parse_yaml(text: str, name: str) -> ParsedText:
    """Parse YAML (or JSON, which is YAML too); syntax errors point at the culprit line."""
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name) from None
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, name) from None
    finally:
        loader.dispose()
    return ParsedText(data, node, text)


def round_trip_load(text: str) -> Any:
    """The ruamel round-trip tree of a file to rewrite (comments and layout kept)."""
    return round_trip_yaml().load(text)


def to_plain(node: Any) -> Any:
    """ruamel's commented containers and scalar subclasses as plain Python values."""
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)  # dates and other tagged scalars: as their text


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    """(key or item node, value node) of `part` inside a mapping or sequence node."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    elif (
        isinstance(node, yaml.SequenceNode)
        and isinstance(part, int)
        and 0 <= part < len(node.value)
    ):
        return node.value[part], node.value[part]
    return None


def scalar_at(tree: Any, path: tuple[str | int, ...]) -> str | None:
    """The text of the scalar at `path` (e.g. an item's id), or None."""
    node = tree
    for part in path:
        found = _child(node, part)
        if found is None:
            return None
        node = found[1]
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def line_of(tree: Any, path: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of `path` that the tree knows."""
    node, line = tree, None
    for part in path:
        found = _child(node, part)
        if found is None:
            break
        line = found[0].start_mark.line + 1
        node = found[1]
    return line


_CUT = re.compile(r"^\s+(#\S.*)$")


def comment_cut_warnings(
    tree: Any, text: str
) -> list[tuple[tuple[str | int, ...], int, str, str]]:
    """Unquoted values followed by `#word` on the same line: (path, line, value, cut text).

    `# a note` (with a space) is an ordinary comment; `#marketing-ops` right after a
    sentence is almost always text the author meant to keep.
    """
    lines = text.splitlines()
    found: list[tuple[tuple[str | int, ...], int, str, str]] = []

    def check(node: Any, path: tuple[str | int, ...]) -> None:
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):
            return
        end = node.end_mark
        rest = lines[end.line][end.column:] if end.line < len(lines) else ""
        match = _CUT.match(rest)
        if match:
            found.append((path, end.line + 1, node.value, match[1]))

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                check(value, child)
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                check(value, (*path, index))
                walk(value, (*path, index))

    walk(tree, ())
    return found


def dump_tree(tree: Any) -> str:
    buffer = io.StringIO()
    round_trip_yaml().dump(tree, buffer)
    return buffer.getvalue()
