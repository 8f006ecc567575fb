"""Pydantic models of an organization's AI-tool policy.

The policy is data written by an IT team, so the models are strict about ids and
cross-references (an unknown use-case id or data class is a typo that would
silently hide a tool) and lenient about extra fields, which are kept verbatim.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    model_validator,
)

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

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            "must be lowercase letters, digits, '-' or '_' (1-63 characters, "
            f"starting with a letter or digit), got {value!r}"
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]


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
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True, frozen=True)


class DataClass(_Model):
    """A data classification level, e.g. public < internal < confidential < restricted."""

    id: Id
    label: Text
    description: Text
    examples: list[Text] = Field(default_factory=list)


class UseCase(_Model):
    """A job employees want done, with the phrasings they use for it."""

    id: Id
    name: Text
    description: Text
    examples: list[Text] = Field(min_length=3)
    counter_examples: list[Text] = Field(
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
    aliases: list[Text] = Field(default_factory=list)
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
    triggers: list[Text] = Field(min_length=1)
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


class Policy(_Model):
    """A whole policy; validation checks every cross-reference between sections."""

    meta: PolicyMeta = Field(default_factory=PolicyMeta)
    data_classes: list[DataClass] = Field(min_length=1)
    use_cases: list[UseCase] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    red_lines: list[RedLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _cross_references(self) -> Policy:
        errors: list[str] = []
        for section in ("data_classes", "use_cases", "tools", "red_lines"):
            seen: dict[str, int] = {}
            for index, item in enumerate(getattr(self, section)):
                if item.id in seen:
                    errors.append(
                        f"{section}[{index}].id: duplicate id {item.id!r} "
                        f"(first used at {section}[{seen[item.id]}])"
                    )
                seen.setdefault(item.id, index)
        data_ids = {d.id for d in self.data_classes}
        use_case_ids = {u.id for u in self.use_cases}
        tool_ids = {t.id for t in self.tools}
        statuses = {s.value for s in Status}
        claimed: dict[str, str] = {}
        for i, tool in enumerate(self.tools):
            where = f"tools[{i}]"
            for j, uc in enumerate(tool.good_for):
                if uc not in use_case_ids:
                    errors.append(f"{where}.good_for[{j}]: unknown use case {uc!r}")
            if tool.max_data_class is not None and tool.max_data_class not in data_ids:
                errors.append(
                    f"{where}.max_data_class: unknown data class {tool.max_data_class!r}"
                    f" (known: {', '.join(sorted(data_ids))})"
                )
            for j, alt in enumerate(tool.alternatives):
                if alt not in tool_ids:
                    errors.append(f"{where}.alternatives[{j}]: unknown tool {alt!r}")
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
                        "nor a status"
                    )
        if errors:
            raise ValueError("\n".join(errors))
        return self

    # Lookups used on the answer path; cheap enough to recompute on a frozen model.
    def tool(self, tool_id: str) -> Tool | None:
        return next((t for t in self.tools if t.id == tool_id), None)

    def use_case(self, use_case_id: str) -> UseCase | None:
        return next((u for u in self.use_cases if u.id == use_case_id), None)

    def data_class(self, data_class_id: str | None) -> DataClass | None:
        return next((d for d in self.data_classes if d.id == data_class_id), None)

    def data_rank(self, data_class_id: str | None) -> int | None:
        """Position of a data class from least (0) to most sensitive."""
        for rank, item in enumerate(self.data_classes):
            if item.id == data_class_id:
                return rank
        return None
