"""One grammar for everything a person types, on every platform.

Slack's `/aitools …` and a Teams message pass the same text here, so the same
words do the same thing everywhere. `parse` is pure: it only reads words and
never looks at the policy (names are resolved later by `lookup`). Anything that
is not a command is a question. A malformed admin command becomes a `usage`
command naming the topic, so the person is shown how to write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["CANDIDATE_LISTS", "KINDS", "STATUSES", "Command", "Verb", "parse"]

Verb = Literal[
    "ask", "help", "list", "tool", "redlines", "share", "ask_it",
    "admin_help", "admin_form", "admin_remove", "admin_status", "admin_retire",
    "admin_history", "admin_rollback", "admin_unmet", "admin_unmet_set",
    "candidates", "candidate_accept", "candidate_decline", "candidate_merge",
    "candidate_cover", "candidate_form", "admin_export", "admin_import", "admin_whatif",
    "usage",
]

#: The words for a policy item kind, to its canonical kind.
KINDS = {"tool": "tool", "tools": "tool",
         "redline": "red_line", "red_line": "red_line", "red-line": "red_line",
         "redlines": "red_line",
         "usecase": "use_case", "use_case": "use_case", "use-case": "use_case",
         "usecases": "use_case"}
STATUSES = ("standard", "approved", "pilot", "under_review", "prohibited")
CANDIDATE_LISTS = ("open", "accepted", "declined", "merged", "covered", "all")
UNMET_STATUSES = ("planned", "declined", "done")
_COVER_KINDS = {"tool": "tool", "--tool": "tool", **{k: "use_case" for k in (
    "usecase", "use_case", "use-case", "--use-case")}}
_HELP = {"help", "?", "hi", "hello", "start", "commands"}
_NUMBER = re.compile(r"^[#v]?(\d{1,18})$", re.IGNORECASE)


@dataclass(frozen=True)
class Command:
    """What the person asked for. Only the fields its verb uses are set.

    target: a tool / red line / use case name or id as typed (may be several words);
    kind: tool | red_line | use_case (forms, remove) or tool | use_case (cover);
    number: a version, candidate id, unmet id or number of days;
    other: a second number (merge into);
    text: the question, a note or a reason; value: a status or list filter;
    topic: for `usage`, which help to show.
    """

    verb: Verb
    text: str = ""
    target: str = ""
    kind: str = ""
    value: str = ""
    number: int | None = None
    other: int | None = None
    topic: str = ""


def _number(word: str) -> int | None:
    match = _NUMBER.match(word.strip())
    return int(match[1]) if match else None


def parse(text: str) -> Command:
    """The command `text` asks for; a question when it is none."""
    clean = " ".join(text.replace("\u00a0", " ").split())
    words = clean.split(" ") if clean else []
    head = words[0].lower().rstrip(":,") if words else ""
    rest = words[1:]
    if not words or (head in _HELP and not rest):
        return Command("help")
    if head in {"list", "tools", "catalogue", "catalog"} and not rest:
        return Command("list")
    if head in {"redlines", "red-lines", "red_lines"} and not rest:
        return Command("redlines")
    if head == "red" and [w.lower() for w in rest] == ["lines"]:
        return Command("redlines")
    if head == "tool":
        if not rest:
            return Command("usage", topic="ask_tool")
        return Command("tool", target=" ".join(rest))
    if head == "share":
        return Command("share", text=" ".join(rest)) if rest else Command("usage", topic="share")
    if head == "ask" and rest and rest[0].lower() == "it":
        return Command("ask_it", text=" ".join(rest[1:]))
    if head == "admin":
        return _admin([w for w in rest])
    return Command("ask", text=clean)


def _admin(words: list[str]) -> Command:
    if not words:
        return Command("admin_help")
    verb, args = words[0].lower(), words[1:]
    low = [a.lower() for a in args]
    if verb in {"help", "?"}:
        return Command("admin_help")
    if verb in {"add", "edit", "new"}:  # "admin add redline", "admin edit tool chatgpt"
        if not args:
            return Command("admin_form", kind="tool", value="add")
        if low[0] in KINDS:
            return _item([args[0], verb, *args[1:]])
        return _item(["tool", verb, *args])
    if verb in {"remove", "delete"}:
        if low and low[0] in KINDS and args[1:]:
            return Command("admin_remove", kind=KINDS[low[0]], target=" ".join(args[1:]))
        return Command("usage", topic="remove")
    if verb == "use" and low[:1] == ["case"]:  # "admin use case add"
        return _item(["usecase", *args[1:]])
    if verb == "red" and low[:1] == ["line"]:
        return _item(["redline", *args[1:]])
    if verb in KINDS:
        return _item(words)
    if verb == "status":
        return _status(args)
    if verb == "retire":
        return Command("admin_retire", target=" ".join(args)) if args else \
            Command("usage", topic="retire")
    if verb == "history":
        return Command("admin_history")
    if verb == "rollback":
        version = _number(args[0]) if len(args) == 1 else None
        return Command("admin_rollback", number=version) if version is not None else \
            Command("usage", topic="rollback")
    if verb == "unmet":
        return _unmet(low)
    if verb in {"candidates", "candidate"}:
        return _candidates(args)
    if verb in {"accept", "decline", "merge", "cover"}:  # "admin accept 12"
        return _candidates(words)
    if verb == "export":
        return Command("admin_export")
    if verb == "import":
        return Command("admin_import", value="force" if "force" in low else "")
    if verb in {"whatif", "what-if"}:
        days = _number(args[0]) if args else None
        if args and days is None:
            return Command("usage", topic="whatif")
        return Command("admin_whatif", number=days)
    return Command("usage", topic="admin")


def _item(words: list[str]) -> Command:
    """`tool|redline|usecase [add|edit|remove|retire] [name…]`."""
    kind = KINDS[words[0].lower()]
    args = words[1:]
    action = args[0].lower() if args else ""
    if action in {"add", "new"}:
        return Command("admin_form", kind=kind, target=" ".join(args[1:]), value="add")
    if action == "edit":
        name = " ".join(args[1:])
        return Command("admin_form", kind=kind, target=name) if name else \
            Command("usage", topic=kind)
    if action in {"remove", "delete", "retire"}:
        name = " ".join(args[1:])
        if not name:
            return Command("usage", topic=kind)
        if kind == "tool":
            return Command("admin_retire", target=name)
        return Command("admin_remove", kind=kind, target=name)
    return Command("admin_form", kind=kind, target=" ".join(args))


def _status(args: list[str]) -> Command:
    """`status <tool name or id, several words ok> <status>`; "under review" is two words."""
    low = [a.lower().replace("-", "_").rstrip(".!") for a in args]
    if len(low) >= 3 and low[-2:] == ["under", "review"]:
        name, status = args[:-2], "under_review"
    elif len(low) >= 2:
        name, status = args[:-1], low[-1]
    else:
        return Command("usage", topic="status")
    return Command("admin_status", target=" ".join(name), value=status)


def _unmet(low: list[str]) -> Command:
    """`unmet` lists; `unmet <id> planned|declined|done` sets one request's status."""
    if not low:
        return Command("admin_unmet")
    number = _number(low[0])
    if len(low) == 2 and number is not None and low[1] in UNMET_STATUSES:
        return Command("admin_unmet_set", number=number, value=low[1])
    return Command("usage", topic="unmet")


def _candidates(args: list[str]) -> Command:
    low = [a.lower() for a in args]
    if not low or low == ["list"]:
        return Command("candidates", value="open")
    if low[0] == "list":
        low, args = low[1:], args[1:]
    if len(low) == 1 and low[0] in CANDIDATE_LISTS:
        return Command("candidates", value=low[0])
    op = low[0]
    number = _number(low[1]) if len(low) > 1 else None
    if op not in {"accept", "decline", "merge", "cover"} or number is None:
        return Command("usage", topic="candidates")
    rest, rest_low = args[2:], low[2:]
    if op == "accept":
        return Command("candidate_accept", number=number, text=" ".join(rest))
    if op == "decline":  # no reason: the form asks for one
        if not rest:
            return Command("candidate_form", number=number, value="decline")
        return Command("candidate_decline", number=number, text=" ".join(rest))
    if op == "merge":
        into = _number(rest_low[-1]) if rest_low else None
        if not rest_low:
            return Command("candidate_form", number=number, value="merge")
        if into is None or rest_low[:-1] not in ([], ["into"], ["to"]):
            return Command("usage", topic="candidates")
        return Command("candidate_merge", number=number, other=into)
    if not rest_low:
        return Command("candidate_form", number=number, value="cover")
    kind = _COVER_KINDS.get(rest_low[0])
    if kind is None or len(rest) < 2:
        return Command("usage", topic="candidates")
    return Command("candidate_cover", number=number, kind=kind, target=" ".join(rest[1:]))
