"""The format of policy tests (`tests:` in `policies/tests.yaml`): a question and what must hold.

A test is data, next to the policy it checks, so IT can pin down the facts a change
must not break ("customer emails never go into Grammarly"). bot.core.policy_tests
runs them; this module only says what a test may contain.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

__all__ = ["PolicyTest"]


def _as_list(value: Any) -> Any:
    """`first: m365-copilot` and `first: [m365-copilot, copilot-chat]` both work."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


Names = Annotated[
    list[str],
    BeforeValidator(_as_list),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]


class PolicyTest(BaseModel):
    """One question and the facts its answer must show; every check is optional."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    ask: str = Field(min_length=1, max_length=4000, description="The question, as people ask it.")
    name: str | None = Field(default=None, description="A label for the failure list.")
    outcome: Names = Field(
        default_factory=list,
        description="The kind of answer, or a list of acceptable kinds: answered, tool_status, "
        "data_check, unmet, help (and any newer outcome, e.g. blocked).",
    )
    first: Names = Field(
        default_factory=list, description="Tool ids; the first recommended tool is one of them."
    )
    tools: Names = Field(
        default_factory=list,
        description="Tool ids the answer must name (recommended, asked about or offered).",
    )
    not_tools: Names = Field(
        default_factory=list, description="Tool ids the answer must not name anywhere."
    )
    refused: Names = Field(
        default_factory=list,
        description="Tool ids the answer says no for: the data may not go into them, or the "
        "tool asked about is prohibited or under review.",
    )
    red_lines: Names = Field(default_factory=list, description="Red line ids that must be shown.")
    not_red_lines: Names = Field(
        default_factory=list, description="Red line ids that must not be shown."
    )
    use_case: str | None = Field(default=None, description="The use case id the ask must match.")
    extra: dict[str, Any] | None = Field(default=None, description="Notes of your own.")

    @model_validator(mode="before")
    @classmethod
    def _own_keys(cls, data: Any) -> Any:
        """`x-...` keys are notes of the author's, like everywhere in a policy."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not str(k).startswith("x-")}
        return data

    def label(self) -> str:
        return self.name or self.ask
