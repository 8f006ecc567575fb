"""Red lines with the reply to a message in a language the matcher does not read.

Such a message gets an honest reply (issue 9 §6) rather than a guess, but a red line can
apply whatever the language: "¿Puedo pegar los datos de los clientes en ChatGPT?" puts
data into a tool. Two things are read without a model of the language: the tools it names
(a name reads the same in any language) and whether it puts something into one (a verb
of putting in, kept per language in bot/core/data/languages.yaml). The reply then shows
what the question would get in English:

- a tool the policy does not list or does not approve, beside one it approves too ("o
  Gemini em vez do Copilot"): the policy's rule for unlisted tools (its lines about data
  going in only when the message puts something in);
- something put in: the red lines about data going in that hold for the tools named
  (those for every tool when it names none: "in ein KI-Tool kopieren");
- a red line's triggers (its own and those read from its wording), as in English: any
  order, plurals, stems, typos. A policy's words often read the same or nearly so in
  other languages ("un dossier d'enquête confidentiel", "la photo d'un enfant"), and a
  red line the message touches is shown with any answer (issue 9 §5). On the 27 dev
  sets' 90 messages in other languages they fired on 7: 5 for a line expected there,
  none for a line that must not show;
- the same triggers on the message glossed into English (`language.gloss`, the words red
  lines are about: "opiniones falsas de clientes" -> "reviews fake de customers");
- the situations the glossed message describes, read as in English (`situation_lines`):
  a skipped check ("zonder hem na te lezen" -> "without hem read"), AI deciding or
  sending alone ("mandar sozinha" -> "send on its own"), AI use not disclosed, one's own
  device ("meinem privaten Laptop" -> "my private laptop"), code, fakes, unequal
  treatment. The glossary's situation words are there for these readings only.
"""

from __future__ import annotations

from bot.core.advice.index import PolicyIndex
from bot.core.advice.tool_names import names_a_tool, names_an_unlisted_product
from bot.core.language import Language, gloss, puts_in
from bot.core.redline_forbids import holds_for
from bot.policy.models import RECOMMENDABLE

__all__ = ["foreign_red_lines"]


def foreign_red_lines(index: PolicyIndex, text: str, language: Language) -> tuple[str, ...]:
    """The ids of the red lines a message in `language` concerns, in the policy's order
    within each reason (the rule for unlisted tools first)."""
    policy = index.policy
    scope = index.scope
    tools = [t for t in map(policy.tool, index.lexicon.named(text).ids) if t]
    putting = puts_in(text, language)
    lines: list[str] = []
    not_approved = any(t.status not in RECOMMENDABLE for t in tools)
    if not_approved or names_an_unlisted_product(index, text):
        lines.extend(scope.unlisted if putting else scope.for_unlisted(text))
    if putting:
        lines.extend(
            line.id for line in policy.red_lines
            if line.id in scope.data_lines and holds_for(line, tools)
        )
    by_id = {line.id: line for line in policy.red_lines}
    reader = index.lexicon.red_line_matcher
    glossed = gloss(text, language)
    lines.extend(
        i for typed in dict.fromkeys((text, glossed))  # as typed, glossed
        for i in reader.triggered(typed)
        if holds_for(by_id[i], tools)
    )
    lines.extend(
        i for i in scope.situations.concerning(glossed, lambda word: names_a_tool(index, word))
        if holds_for(by_id[i], tools)
    )
    return tuple(dict.fromkeys(lines))

