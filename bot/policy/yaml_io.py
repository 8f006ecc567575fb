"""Policy YAML read with ruamel.yaml: plain data, plus where every item and key sits.

The round-trip loader keeps line numbers and comments, which is what lets an error
say `tools.yaml:45` and a warning spot a sentence cut short by an unquoted ` #`
(YAML reads `in #marketing-ops` as the start of a comment). ruamel is imported
lazily: answering questions never parses YAML.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.errors import PolicyFileError

if TYPE_CHECKING:
    from ruamel.yaml import YAML

__all__ = ["ParsedText", "comment_cut_warnings", "line_of", "parse_yaml", "round_trip_yaml"]

# Problems whose real cause is where the construct started, not where parsing gave up.
_CONTEXT_FIRST = ("while scanning a simple key", "while scanning a quoted scalar")


@dataclass
class ParsedText:
    """One YAML/JSON text: plain data for validation and the ruamel tree for locating."""

    data: Any
    tree: Any


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
    from bot.policy.files import PolicyProblem

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
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        tree = round_trip_yaml().load(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(exc, name) from None
    except YAMLError as exc:
        raise _syntax_error(exc, name) from None
    return ParsedText(to_plain(tree), tree)


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


def line_of(tree: Any, path: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of `path` that the tree knows."""
    node, line = tree, None
    for part in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                line = lc.key(part)[0] + 1 if lc is not None else line
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                line = lc.item(part)[0] + 1 if lc is not None else line
                node = node[part]
            else:
                break
        except (KeyError, TypeError, AttributeError, IndexError):
            break
    return line


_CUT = re.compile(r"^#\S")


def comment_cut_warnings(tree: Any) -> list[tuple[tuple[str | int, ...], int, str, str]]:
    """Unquoted values followed by `#word` on the same line: (path, line, value, cut text).

    `# a note` (with a space) is an ordinary comment; `#marketing-ops` right after a
    sentence is almost always text the author meant to keep.
    """
    found: list[tuple[tuple[str | int, ...], int, str, str]] = []

    def plain(value: Any) -> bool:
        return value is None or type(value) is str

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        ca = getattr(node, "ca", None)
        items = getattr(ca, "items", {}) if ca is not None else {}
        if isinstance(node, dict):
            for key, value in node.items():
                token = (items.get(key) or [None, None, None])[2:3]
                _check(token[0] if token else None, value, (*path, str(key)))
                walk(value, (*path, str(key)))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                token = (items.get(index) or [None])[0]
                _check(token, value, (*path, index))
                walk(value, (*path, index))

    def _check(token: Any, value: Any, path: tuple[str | int, ...]) -> None:
        text = str(getattr(token, "value", "") or "")
        if token is None or not plain(value) or not _CUT.match(text):
            return
        line = token.start_mark.line + 1 if getattr(token, "start_mark", None) else 0
        found.append((path, line, "" if value is None else value, text.splitlines()[0]))

    walk(tree, ())
    return found


def dump_tree(tree: Any) -> str:
    buffer = io.StringIO()
    round_trip_yaml().dump(tree, buffer)
    return buffer.getvalue()
