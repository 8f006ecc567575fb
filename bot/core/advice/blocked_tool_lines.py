"""The red lines that concern the tool a refused request names, shown with the refusal.

"forward the client's letter to my gmail and have Gemini read it" is refused for its
client data; Gemini is no tool of the policy, so the policy's rule for unlisted tools
concerns the answer as it does "is Gemini allowed?" (issue 9 §5: a red line that
concerns the asked tool is shown with the answer). Likewise a refusal about a listed
tool shows the other prohibitions written for or naming that tool ("Not allowed in
Copilot: confidential investigations"), as its status answer would; lines that only
guide its use ("check the output") are left to the answers they concern. Read from the
policy's scope (`RedLineScope`), decided once per policy version.
"""

from __future__ import annotations

from bot.core import compose
from bot.core.advice.index import PolicyIndex
from bot.core.redline_forbids import forbids
from bot.core.replies import Answer
from bot.core.situation_lines import with_red_lines
from bot.policy.models import RECOMMENDABLE

__all__ = ["with_tool_lines"]


def with_tool_lines(index: PolicyIndex, text: str, answer: Answer) -> Answer:
    """A `blocked` answer with the red lines that concern the tool it is about."""
    if answer.outcome != "blocked" or answer.asked_tool is None:
        return answer
    policy, scope = index.policy, index.scope
    data_class = answer.data_check.data_class if answer.data_check is not None else None
    tool = policy.tool(answer.asked_tool.id) if answer.asked_tool.id else None
    if tool is None:
        ids: list[str] = list(scope.for_unlisted(text, data_class))
    else:
        harmless = scope.harmless(text, data_class)
        ids = [*scope.for_personal([tool]), *(
            i for i in scope.by_tool.get(tool.id, ())
            if i not in harmless and tool.status in RECOMMENDABLE
            and forbids(next(r for r in policy.red_lines if r.id == i))
        )]
    if not ids:
        return answer
    lines = [line.id for line in policy.red_lines if line.id in ids]
    return with_red_lines(answer, compose.red_line_notes(policy, lines))
