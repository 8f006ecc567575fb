"""The neutral answer: the only thing the core hands to adapters and renderers.

No platform syntax lives here. Renderers turn an Answer into Block Kit, an
Adaptive Card or terminal text; `text` is always a complete plain fallback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

__all__ = [
    "Answer",
    "AskedTool",
    "DataVerdict",
    "Outcome",
    "RedLineNote",
    "ToolAdvice",
    "UseCaseRef",
]

#: `blocked`: a red line forbids the request; the answer carries the red line and its why.
#: `language`: the message is in a language the configured model does not understand;
#: the answer says so, in English, and names the languages it does understand.
Outcome = Literal[
    "answered", "unmet", "tool_status", "data_check", "help", "blocked", "language"
]


@dataclass(frozen=True)
class ToolAdvice:
    """A tool as the answer presents it: what it is, why it fits, limits, how to get it."""

    id: str
    name: str
    status: str
    why: str
    summary: str
    data_limit: str
    max_data_class: str | None
    access_text: str | None = None
    access_url: str | None = None
    caveats: tuple[str, ...] = ()
    contact: str | None = None


@dataclass(frozen=True)
class RedLineNote:
    id: str
    title: str
    rule: str
    why: str


@dataclass(frozen=True)
class UseCaseRef:
    id: str
    name: str
    score: float


@dataclass(frozen=True)
class AskedTool:
    """The tool a "can I use Y?" question was about; `id` is None when the policy lacks it."""

    name: str
    id: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class DataVerdict:
    """Whether some data may go into a tool; `allowed` is None when the policy does not say."""

    tool_id: str
    data_class: str | None
    data_label: str | None
    allowed: bool | None
    reason: str


@dataclass(frozen=True)
class Answer:
    outcome: Outcome
    headline: str
    text: str
    tools: tuple[ToolAdvice, ...] = ()
    alternatives: tuple[ToolAdvice, ...] = ()
    red_lines: tuple[RedLineNote, ...] = ()
    use_case: UseCaseRef | None = None
    asked_tool: AskedTool | None = None
    data_check: DataVerdict | None = None
    notes: tuple[str, ...] = ()
    logged_unmet: bool = False
    query_id: int | None = None
    unmet_id: int | None = None
    policy_version: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: What the answer embedded, (model id, text, float32 bytes): logged with the question
    #: so a what-if replay need not embed it again. Not part of the JSON contract.
    vectors: tuple[tuple[str, str, bytes], ...] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: outcome, tools, red_lines and text, plus every other field."""
        data = asdict(replace(self, vectors=()))
        del data["vectors"]
        data["tools"] = [asdict(t) for t in self.tools]
        data["alternatives"] = [asdict(t) for t in self.alternatives]
        data["red_lines"] = [asdict(r) for r in self.red_lines]
        return data
