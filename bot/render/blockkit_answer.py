"""Legacy Block Kit for the neutral Answer (and the policy, for the catalogue and App Home).

Kept only while the Slack adapter still posts Answers directly; `bot.render.blockkit`
renders any Reply and re-exports these names until nothing imports them (then delete).

Pure functions returning plain dicts, so the Slack adapter only posts them. All
text that came from a person (questions, tool names typed by users, even policy
text written by IT) is escaped for mrkdwn, so nobody can make the bot ping
`<!channel>` or forge a link. Slack's limits are kept with graceful truncation:
50 blocks per message (100 in modals and App Home), 3,000 characters per section.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.core.compose import STATUS_LABELS
from bot.core.replies import Answer, RedLineNote, ToolAdvice
from bot.policy.models import RECOMMENDABLE, Policy, Status
from bot.render.mrkdwn import (
    MAX_FALLBACK_CHARS,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_CHARS,
    MAX_VIEW_BLOCKS,
    Block,
    escape,
    fit_blocks,
    section,
    text_blocks,
    truncate,
)
from bot.render.mrkdwn import context as _context

__all__ = [
    "FEEDBACK_HELPFUL",
    "FEEDBACK_NOT_HELPFUL",
    "MAX_MESSAGE_BLOCKS",
    "MAX_SECTION_CHARS",
    "MAX_VIEW_BLOCKS",
    "VOTE",
    "catalogue_blocks",
    "escape",
    "fit_blocks",
    "home_view",
    "red_lines_blocks",
    "section",
    "text_blocks",
    "to_blocks",
    "truncate",
]

MAX_ECHO_CHARS = 300
FEEDBACK_HELPFUL = "concierge.feedback.helpful"
FEEDBACK_NOT_HELPFUL = "concierge.feedback.not_helpful"
VOTE = "concierge.vote"
STATUS_BADGES = {
    "standard": ":large_green_circle:",
    "approved": ":large_blue_circle:",
    "pilot": ":large_yellow_circle:",
    "under_review": ":hourglass_flowing_sand:",
    "prohibited": ":no_entry:",
}


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def badge(status: str) -> str:
    return f"{STATUS_BADGES.get(status, '')} {STATUS_LABELS.get(status, escape(status))}".strip()


def _tool_block(tool: ToolAdvice) -> Block:
    lines = [f"*{escape(tool.name)}*  {badge(tool.status)}", escape(tool.why),
             f"*Data:* {escape(tool.data_limit)}"]
    if tool.access_text:
        lines.append(f"*Access:* {escape(tool.access_text)}")
    if tool.caveats:
        lines.append("_Not good for:_ " + escape("; ".join(tool.caveats)))
    if tool.contact:
        lines.append(f"*Contact:* {escape(tool.contact)}")
    accessory = None
    if tool.access_url and len(tool.access_url) <= 3000:
        accessory = {"type": "button", "text": _plain("Get access"), "url": tool.access_url,
                     "action_id": f"concierge.access.{tool.id}"[:255]}
    return section("\n".join(lines), accessory)


def _red_line_block(line: RedLineNote) -> Block:
    return section(f":no_entry: *Red line: {escape(line.title)}*\n{escape(line.rule)}\n"
                   f"_Why:_ {escape(line.why)}")


def _actions(answer: Answer) -> list[Block]:
    elements: list[Block] = []
    if answer.query_id is not None:
        elements.append({"type": "button", "text": _plain(":thumbsup: Helpful"),
                         "action_id": FEEDBACK_HELPFUL, "value": f"{answer.query_id}"})
        elements.append({"type": "button", "text": _plain("Not what I needed"),
                         "action_id": FEEDBACK_NOT_HELPFUL, "value": f"{answer.query_id}"})
    if answer.unmet_id is not None:
        elements.append({"type": "button", "text": _plain(":raised_hand: I need this too"),
                         "action_id": VOTE, "value": f"{answer.unmet_id}"})
    return [{"type": "actions", "block_id": "concierge.feedback", "elements": elements}] \
        if elements else []


def to_blocks(
    answer: Answer, *, question: str | None = None, max_blocks: int = MAX_MESSAGE_BLOCKS
) -> tuple[list[Block], str]:
    """Block Kit for one answer and its plain fallback text (always escaped).

    Args:
        answer: the core's neutral answer.
        question: the user's question to echo (slash commands, where Slack hides it).
        max_blocks: 50 for messages, 100 for modals and App Home.

    Returns:
        (blocks, fallback_text) ready for chat.postMessage or a response_url.
    """
    blocks: list[Block] = [section(f"*{escape(answer.headline)}*")]
    if question:
        blocks.append(_context(f"You asked: {escape(truncate(question, MAX_ECHO_CHARS))}"))
    body = list(answer.notes)
    if not (body or answer.tools or answer.alternatives or answer.red_lines):
        lines = answer.text.splitlines()
        body = lines[1:] if lines and lines[0] == answer.headline else lines
    if body:
        blocks.extend(text_blocks("\n".join(body)))
    blocks.extend(_tool_block(tool) for tool in answer.tools)
    if answer.alternatives:
        blocks.append(section("*Approved alternatives:*"))
        blocks.extend(_tool_block(tool) for tool in answer.alternatives)
    if answer.red_lines:
        blocks.append({"type": "divider"})
        blocks.extend(_red_line_block(line) for line in answer.red_lines)
    if answer.logged_unmet:
        blocks.append(_context(":memo: Logged for review by IT. "
                               "Others who need the same can say so with the button below."))
    fallback = escape(answer.text)
    if question:
        fallback = f"{fallback}\n(You asked: {escape(truncate(question, MAX_ECHO_CHARS))})"
    return fit_blocks(blocks, max_blocks, tail=_actions(answer)), truncate(
        fallback, MAX_FALLBACK_CHARS
    )


def _catalogue_line(policy: Policy, tool_id: str) -> str | None:
    tool = policy.tool(tool_id)
    if tool is None or tool.status not in RECOMMENDABLE:
        return None
    return f"• *{escape(tool.name)}*  {badge(tool.status.value)}"


def catalogue_blocks(policy: Policy, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    """Standard, approved and pilot tools grouped by the job they are good for."""
    blocks: list[Block] = [section(f"*AI tools approved at {escape(policy.meta.organization)}*"),
                           _context(" · ".join(badge(s.value) for s in Status
                                               if s in RECOMMENDABLE))]
    placed: set[str] = set()
    for use_case in policy.use_cases:
        ids = [t.id for t in policy.tools if use_case.id in t.good_for]
        lines = [line for line in (_catalogue_line(policy, i) for i in ids) if line]
        if lines:
            placed.update(ids)
            blocks.append(section(f"*{escape(use_case.name)}*\n" + "\n".join(lines)))
    others = [line for line in (_catalogue_line(policy, t.id) for t in policy.tools
                                if t.id not in placed) if line]
    if others:
        blocks.append(section("*Other approved tools*\n" + "\n".join(others)))
    if len(blocks) == 2:
        blocks.append(section("No tools are approved yet."))
    return fit_blocks(blocks, max_blocks)


def red_lines_blocks(policy: Policy, *, max_blocks: int = MAX_MESSAGE_BLOCKS) -> list[Block]:
    """Every red line with its why: the rules that are never crossed."""
    blocks: list[Block] = [section("*Red lines: never cross these*")]
    blocks.extend(_red_line_block(RedLineNote(r.id, r.title, r.rule, r.why))
                  for r in policy.red_lines)
    if len(blocks) == 1:
        blocks.append(section("The policy has no red lines."))
    return fit_blocks(blocks, max_blocks)


def _how_to_ask(examples: Iterable[str]) -> Block:
    sample = " or ".join(f"“{escape(e)}”" for e in examples) or "“summarize a PDF”"
    return section(
        "*How to ask*\nSend me a direct message, mention me in a channel, or use "
        f"`/aitools <question>`. For example: {sample}. Ask “Is Perplexity approved?” "
        "or “Can I paste customer emails into Copilot?” too.\n"
        "`/aitools list` shows the catalogue, `/aitools redlines` the red lines, "
        "`/aitools help` everything else."
    )


def home_view(policy: Policy, version: int | None = None) -> dict[str, Any]:
    """The App Home tab: how to ask, the catalogue and the red lines (≤100 blocks)."""
    examples = [f"What can I use to {uc.name.lower()}?" for uc in policy.use_cases[:1]]
    head = [_how_to_ask(examples), {"type": "divider"}]
    lines = red_lines_blocks(policy, max_blocks=30)
    footer = [_context(f"Policy version {version}. Questions: "
                       f"{escape(policy.meta.contact or 'ask IT')}")] if version else []
    room = MAX_VIEW_BLOCKS - len(head) - len(lines) - len(footer) - 1
    catalogue = catalogue_blocks(policy, max_blocks=max(room, 5))
    blocks = [*head, *catalogue, {"type": "divider"}, *lines, *footer]
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
