"""Pydantic models of an organization's AI-tool policy.

The policy is data written by an IT team, so the models are strict about
cross-references (an unknown use-case id or data class is a typo that would
silently hide a tool). Ids are taken as written (`P3`, `RED`, `C3`) and compared
case-insensitively: a reference is rewritten to the spelling of the item it names,
so the rest of the code can compare ids exactly. Deliberate extra data lives under
`x-...` keys or `extra:` and is kept verbatim; other unknown keys are rejected by
the file loader (bot/policy/fields.py), because a misspelt `max_data_clas` would
otherwise silently drop a tool's data limit.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    model_validator,
)

from bot.policy.references import canonicalize, did_you_mean

__all__ = [
    "RECOMMENDABLE",
    "STATUS_RANK",
    "Access",
    "DataClass",
    "Policy",
    "PolicyMeta",
    "RedLine",
    "Status",
    "Tool",
    "UseCase",
]

_T = TypeVar("_T", "DataClass", "UseCase", "Tool")
# Ids as organizations write them: `P3`, `GREEN`, `C3`, `OFFICIAL: Sensitive`, `m365-copilot`.
_ID_RE = re.compile(r"^[^\W_][\w .:/()&'+-]{0,62}$")


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            "must start with a letter or digit and use letters, digits, spaces or "
            f"- _ . : / ( ) & ' + (at most 63 characters), got {value!r}"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


def _number_as_text(value: Any) -> Any:
    """YAML reads an unquoted `504` or `365` in a list as a number; in a list of words
    (triggers, examples, aliases) the author meant the word."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


#: A word or phrase in a list (trigger, example, alias): numbers are taken as written.
Phrase = Annotated[str, BeforeValidator(_number_as_text), Field(min_length=1, max_length=4000)]


class Status(StrEnum):
    """Lifecycle of a tool; order matters: earlier statuses are recommended first."""

    STANDARD = "standard"
    APPROVED = "approved"
    PILOT = "pilot"
    UNDER_REVIEW = "under_review"
    PROHIBITED = "prohibited"


#: Statuses the concierge may recommend as a fit for a use case.
RECOMMENDABLE = frozenset({Status.STANDARD, Status.APPROVED, Status.PILOT})
STATUS_RANK = {status: rank for rank, status in enumerate(Status)}


class _Model(BaseModel):
    # Extra keys are allowed here so stored versions always load; files are checked
    # for unknown keys (anything but `x-...`) before they get here.
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, frozen=True)

    extra: dict[str, Any] | None = Field(
        default=None,
        description="Free-form data of your own (owner notes, ticket numbers); kept, "
        "never interpreted. Keys starting with `x-` are kept the same way.",
    )


class DataClass(_Model):
    """A data classification level, e.g. public < internal < confidential < restricted."""

    id: Id
    label: Text
    description: Text
    examples: list[Phrase] = Field(default_factory=list)


class UseCase(_Model):
    """A job employees want done, with the phrasings they use for it."""

    id: Id
    name: Text
    description: Text
    examples: list[Phrase] = Field(
        default_factory=list,
        description="Phrasings employees use; the name and description count as two more. "
        "Fewer than three examples is allowed, with a warning.",
    )
    counter_examples: list[Phrase] = Field(
        default_factory=list,
        description="Requests that look similar but must NOT match this use case "
        "(e.g. 'compose music' for a 'Transcribe audio' use case).",
    )


class Access(_Model):
    """How an employee gets a tool: a sentence, a link, or both."""

    text: str | None = None
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Access:
        if not self.text and not self.url:
            raise ValueError("give at least 'text' or 'url'")
        return self


class Tool(_Model):
    """An AI tool and what the organization says about it."""

    id: Id
    name: Text
    aliases: list[Phrase] = Field(default_factory=list)
    status: Status
    summary: Text
    good_for: list[Id] = Field(default_factory=list)
    not_good_for: list[Text] = Field(default_factory=list)
    max_data_class: Id | None = Field(
        default=None,
        description="Most sensitive data class allowed; null means no company data "
        "at all or not stated.",
    )
    access: Access | None = None
    alternatives: list[Id] = Field(default_factory=list)
    owner: str | None = None
    contact: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _access_shorthand(cls, data: Any) -> Any:
        """Accept `access: "text or URL"` as a shorthand for the full object."""
        if isinstance(data, dict) and isinstance(data.get("access"), str):
            value = data["access"].strip()
            key = "url" if value.startswith(("http://", "https://")) else "text"
            data = {**data, "access": {key: value}}
        return data


class RedLine(_Model):
    """A rule that is never crossed, shown with its reason whenever it is triggered."""

    id: Id
    title: Text
    rule: Text
    why: Text
    triggers: list[Phrase] = Field(min_length=1)
    applies_to: list[str] = Field(
        default_factory=list,
        description="Tool ids or statuses this red line is about; empty means all.",
    )
    blocks: bool | None = Field(
        default=None,
        description="Whether a request that triggers this red line is refused (outcome "
        "`blocked`); default: read from the title and rule ('never', 'do not', ...).",
    )


class PolicyMeta(_Model):
    """Who the policy belongs to and whom to ask about it."""

    organization: str = "Your organization"
    contact: str | None = None
    admins: list[str] = Field(
        default_factory=list,
        description="Chat user ids (Slack, Teams AAD object ids or emails) allowed to "
        "edit the policy, in addition to the ADMINS setting.",
    )
    unlisted_tools: str | None = Field(
        default=None,
        max_length=4000,
        description="What applies to any AI tool this policy does not list, shown when "
        "someone asks about one (e.g. 'public information only').",
    )
    match_threshold: float | None = Field(
        default=None,
        ge=0.0,
        le=1.0,
        description="Score below which a request counts as 'nothing approved fits'. "
        "Leave unset: the concierge calibrates it for each policy version from the "
        "policy's own examples. The MATCH_THRESHOLD setting overrides both.",
    )

    @property
    def reach(self) -> str:
        """Whom to ask, ready to sit inside a sentence the answer ends itself: IT often
        write the contact as a sentence ("... just ask."), which would end in "..", so
        the closing full stop goes; with no contact, "your IT team"."""
        return (self.contact or "").strip().rstrip(".").rstrip() or "your IT team"


class Policy(_Model):
    """A whole policy; validation checks every cross-reference between sections."""

    meta: PolicyMeta = Field(default_factory=PolicyMeta)
    #: Optional: some organizations publish no data classification (a newsroom's policy);
    #: then data checks say the policy is silent about data instead of refusing the import.
    data_classes: list[DataClass] = Field(default_factory=list)
    use_cases: list[UseCase] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _canonical_references(cls, data: Any) -> Any:
        """Rewrite references (`max_data_class: p3`) to the referenced id as its author wrote it."""
        if not isinstance(data, dict):
            return data
        return canonicalize(data, {s.value for s in Status})

    @model_validator(mode="after")
    def _cross_references(self) -> Policy:
        errors: list[str] = []
        for section in ("data_classes", "use_cases", "tools", "red_lines"):
            seen: dict[str, int] = {}
            for index, item in enumerate(getattr(self, section)):
                key = item.id.casefold()
                if key in seen:
                    first = getattr(self, section)[seen[key]].id
                    errors.append(
                        f"{section}[{index}].id: duplicate id {item.id!r} "
                        f"(first used as {first!r} at {section}[{seen[key]}]; "
                        "ids are compared ignoring case)"
                    )
                seen.setdefault(key, index)
        data_ids = [d.id for d in self.data_classes]
        use_case_ids = {u.id for u in self.use_cases}
        tool_ids = {t.id for t in self.tools}
        statuses = {s.value for s in Status}
        claimed: dict[str, str] = {}
        for i, tool in enumerate(self.tools):
            where = f"tools[{i}]"
            for j, uc in enumerate(tool.good_for):
                if uc not in use_case_ids:
                    errors.append(
                        f"{where}.good_for[{j}]: unknown use case {uc!r}"
                        + did_you_mean(uc, use_case_ids)
                    )
            if tool.max_data_class is not None and tool.max_data_class not in data_ids:
                errors.append(
                    f"{where}.max_data_class: unknown data class {tool.max_data_class!r}"
                    f" (known: {', '.join(data_ids)})" + did_you_mean(tool.max_data_class, data_ids)
                )
            for j, alt in enumerate(tool.alternatives):
                if alt not in tool_ids:
                    errors.append(
                        f"{where}.alternatives[{j}]: unknown tool {alt!r}"
                        + did_you_mean(alt, tool_ids)
                    )
                elif alt == tool.id:
                    errors.append(
                        f"{where}.alternatives[{j}]: a tool cannot be its own alternative"
                    )
            for j, name in enumerate([tool.name, *tool.aliases]):
                key = name.casefold()
                owner = claimed.get(key)
                if owner is not None and owner != tool.id:
                    field = "name" if j == 0 else f"aliases[{j - 1}]"
                    errors.append(
                        f"{where}.{field}: {name!r} is already a name or alias of tool {owner!r}"
                    )
                claimed.setdefault(key, tool.id)
        for i, line in enumerate(self.red_lines):
            for j, target in enumerate(line.applies_to):
                if target not in tool_ids and target not in statuses:
                    errors.append(
                        f"red_lines[{i}].applies_to[{j}]: {target!r} is neither a tool id "
                        "nor a status" + did_you_mean(target, tool_ids | statuses)
                    )
        if errors:
            raise ValueError("\n".join(errors))
        return self

    @cached_property
    def recommendable(self) -> dict[str, list[tuple[int, Tool]]]:
        """Each use case's standard, approved and pilot tools as (position in the policy,
        tool), in policy order. Built once per policy: scanning a thousand tools for every
        answer cost more than phrasing the few shown. A policy is never changed in place
        (nothing in bot/ does; `model_copy(update=...)` would keep a stale map)."""
        by_use_case: dict[str, list[tuple[int, Tool]]] = {}
        for position, tool in enumerate(self.tools):
            if tool.status in RECOMMENDABLE:
                for job in dict.fromkeys(tool.good_for):
                    by_use_case.setdefault(job, []).append((position, tool))
        return by_use_case

    @cached_property
    def tools_by_id(self) -> dict[str, Tool]:
        """Tools by exact id (the first of a spelling): an answer looks up several tools,
        and scanning a thousand of them took longer than the rest of phrasing it."""
        return _by_id(self.tools)

    @cached_property
    def use_cases_by_id(self) -> dict[str, UseCase]:
        return _by_id(self.use_cases)

    # Lookups used on the answer path and by adapters, which may pass ids typed by people.
    def tool(self, tool_id: str) -> Tool | None:
        return self.tools_by_id.get(tool_id) or _find(self.tools, tool_id)

    def use_case(self, use_case_id: str) -> UseCase | None:
        return self.use_cases_by_id.get(use_case_id) or _find(self.use_cases, use_case_id)

    def data_class(self, data_class_id: str | None) -> DataClass | None:
        return _find(self.data_classes, data_class_id) if data_class_id else None

    def data_rank(self, data_class_id: str | None) -> int | None:
        """Position of a data class from least (0) to most sensitive."""
        if not data_class_id:
            return None
        for rank, item in enumerate(self.data_classes):
            if item.id == data_class_id:
                return rank
        key = data_class_id.casefold()
        for rank, item in enumerate(self.data_classes):
            if item.id.casefold() == key:
                return rank
        return None


def _by_id(items: list[_T]) -> dict[str, _T]:
    by_id: dict[str, _T] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    return by_id


def _find(items: list[_T], item_id: str | None) -> _T | None:
    """Exact match first (the common case on the answer path), then ignoring case."""
    if item_id is None:
        return None
    for item in items:
        if item.id == item_id:
            return item
    key = item_id.casefold()
    return next((i for i in items if i.id.casefold() == key), None)
