"""Which red lines go with which answers, decided once per policy version.

A red line is shown when the message triggers it, and also when it concerns what the
answer is about, asked or not: the policy's rule for unlisted or personal tools with
an answer about a tool the policy does not list (or a personal edition of one it
does), and a red line written for (`applies_to`) or naming a tool with answers about
that tool. Deciding this per message would read every red line for every question;
it is decided here, when the version is indexed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.unlisted_rules import PolicyVectors, lexical_rule, rule_scores
from bot.policy.models import RECOMMENDABLE, Policy, Tool

__all__ = ["RedLineScope", "personal_entries"]

#: At most this many red lines are shown as the rule for unlisted tools: the clearest.
MAX_UNLISTED = 2
#: Edition words of an individual's account ("personal ChatGPT", "ChatGPT Free").
_PERSONAL = re.compile(
    r"\b(?:personal|free|consumer|private|own|home|individual|public|plus|"
    r"unapproved|unlisted|non-?approved|third[- ]party|other)\b",
    re.I,
)


def personal_entries(policy: Policy) -> list[Tool]:
    """Tool entries that stand for unapproved, personal or public tools, not one product:
    "Personal AI accounts" (prohibited), "Public or consumer AI tools", "ChatGPT
    (personal accounts)". Their status and red lines are the policy's rule for them."""
    out = []
    for tool in policy.tools:
        names = [tool.name, *tool.aliases]
        if any(lexical_rule(n) or _PERSONAL.search(n) for n in names):
            out.append(tool)
    return out


@dataclass(frozen=True)
class RedLineScope:
    """Red lines that concern an answer's subject, by subject."""

    #: red-line ids wording the rule for unlisted, personal or public tools, clearest first
    unlisted: tuple[str, ...] = ()
    #: tool id -> red lines written for it (`applies_to` its id or status) or naming it
    by_tool: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(
        cls, policy: Policy, names_in: object = None,
        embedding: tuple[PolicyVectors, str] | None = None,
    ) -> RedLineScope:
        """`names_in(text) -> tool ids` finds tools a red line names (the lexicon's);
        `embedding` reads red lines by meaning (see `unlisted_rules`)."""
        scores = rule_scores(policy, embedding)
        # A red line written for a personal or public tool entry is that entry's rule.
        entries = {t.id for t in personal_entries(policy)}
        for line in policy.red_lines:
            if entries & set(line.applies_to):
                scores[line.id] = scores.get(line.id, 0.0) + 1.0
        ranked = sorted(scores, key=lambda i: -scores[i])
        by_tool: dict[str, list[str]] = {t.id: [] for t in policy.tools}
        for line in policy.red_lines:
            targets = set(line.applies_to)
            named = set(names_in(f"{line.title}. {line.rule}")) if callable(names_in) else set()
            for tool in policy.tools:
                if tool.id in targets or tool.status.value in targets or tool.id in named:
                    by_tool[tool.id].append(line.id)
        return cls(
            unlisted=tuple(ranked[:MAX_UNLISTED]),
            by_tool={k: tuple(v) for k, v in by_tool.items() if v},
        )

    def for_unlisted(self) -> tuple[str, ...]:
        """The rule for tools the policy does not list (or not for this use)."""
        return self.unlisted

    def for_tools(self, tools: list[Tool] | tuple[Tool, ...]) -> tuple[str, ...]:
        """Red lines that concern any of these tools."""
        return tuple(dict.fromkeys(i for t in tools for i in self.by_tool.get(t.id, ())))

    def for_personal(self, tools: list[Tool] | tuple[Tool, ...]) -> tuple[str, ...]:
        """The rule for unlisted tools when an answer involves a tool not approved for use
        (a prohibited or personal edition)."""
        if any(t.status not in RECOMMENDABLE for t in tools):
            return self.unlisted
        return ()
