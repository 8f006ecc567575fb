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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.core.catalogue import catalogue
from bot.core.harmless_data import said_harmless
from bot.core.pasted import has_pasted_data
from bot.core.redline_themes import puts_data_in
from bot.core.situation_lines import SituationLines
from bot.core.unlisted_rules import PolicyVectors, lexical_rule, rule_scores, rule_sentences
from bot.policy.models import RECOMMENDABLE, Policy, RedLine, Tool

__all__ = ["RedLineScope", "personal_entries"]

#: At most this many red lines are shown as the rule for unlisted tools: the clearest.
MAX_UNLISTED = 2
#: How much less clear than the clearest a line may be to be shown beside it.
_CLEARER = 0.5
#: Edition words of an individual's account ("personal ChatGPT", "ChatGPT Free").
_PERSONAL = re.compile(
    r"\b(?:personal|free|consumer|private|own|home|individual|public|plus|"
    r"unapproved|unlisted|non-?approved|third[- ]party|other)\b",
    re.I,
)


def _vendor_words(policy: Policy) -> dict[str, str]:
    """Each tool's vendor as the catalogue spells it ("Google" for Gemini), one word only,
    matched as written (capitalized) so "meta data" is not Meta."""
    out = {}
    for tool in policy.tools:
        for spelling in (tool.name, *tool.aliases):
            product = catalogue().find(spelling, asked=spelling)
            if product is not None:
                if product.vendor and " " not in product.vendor:
                    out[tool.id] = product.vendor
                break
    return out


# "any AI tool", "all AI tools", "every tool": a rule for every tool, whatever it names.
_ANY_TOOL = re.compile(
    r"\b(?:any|all|every|each)\s+(?:\w+\s+){0,2}?(?:ai|genai|tools?|systems?|"
    r"applications?|products?|programs?|assistants?)\b",
    re.I,
)
#: A rule naming more tools than this lists examples; it is not about each of them.
_MAX_NAMED = 2


# After a one-word class name, what makes it the class: "sensitive data", "P3 information".
_CLASS_NOUN = r"(?:data|information|info|class|classification|level|risk|material|records?)"


def _by_class(policy: Policy) -> dict[str, tuple[str, ...]]:
    """Red lines whose title or first sentence name a data class (its id, or a short label
    as written): they concern data checks on that class. Not the least sensitive class,
    and not a class three or more lines name (the message's own triggers tell those apart).
    """
    out: dict[str, tuple[str, ...]] = {}
    for cls in policy.data_classes[1:]:
        keys = {cls.id.replace("-", " ").replace("_", " ")}
        label = re.split(r"[(,;:]", cls.label)[0].strip()
        if 0 < len(label.split()) <= 4:
            keys.add(label)
        # "non-public" as written in the rule is the class "non_public" / "Non public".
        spelt = {k: r"[\s_-]+".join(map(re.escape, k.split())) for k in keys}
        patterns = [
            rf"\b{spelt[k]}\b" if " " in k.strip() else rf"\b{spelt[k]}\s+{_CLASS_NOUN}\b"
            for k in keys
        ]
        found = re.compile("|".join(patterns), re.I)
        lines = tuple(
            line.id for line in policy.red_lines
            if any(found.search(s) for s in rule_sentences(line))
        )
        if 0 < len(lines) <= 2:
            out[cls.id] = lines
    return out


# What a red line about data going in names: "no driver medical records in AI", "no
# confidential information", "filed court documents". A line with none of these ("Check
# RouteWise plans against road restrictions") limits the tool's use, whatever data class
# its words happen to resemble.
_DATA_NOUN = re.compile(
    r"\b(?:data|information|info|records?|pii|phi|details|documents?|files?|names?|"
    r"numbers?|addresses|content|materials?|credentials|passwords?|secrets?|"
    r"identifiers?|transcripts?|notes|minutes|images|photos|recordings?)\b",
    re.I,
)


def _about_data(line: RedLine) -> bool:
    return any(_DATA_NOUN.search(s) for s in rule_sentences(line))


def _general(policy: Policy, data_lines: frozenset[str]) -> frozenset[str]:
    """Data red lines written (`applies_to`) for more than half of the approved tools:
    "no confidential data" listed against every tool is a rule about the data, shown when
    data is asked about, not a limit of each tool shown with every answer."""
    approved = {t.id for t in policy.tools if t.status in RECOMMENDABLE}
    return frozenset(
        line.id for line in policy.red_lines
        if line.id in data_lines and _about_data(line)
        and len(approved & set(line.applies_to)) >= max(2, len(approved) // 2 + 1)
    )


def personal_entries(policy: Policy) -> list[Tool]:
    """Tool entries that stand for unapproved, personal or public tools, not one product:
    "Personal AI accounts" (prohibited), "Public or consumer AI tools", "ChatGPT
    (personal accounts)". Their status and red lines are the policy's rule for them."""
    out = []
    for tool in policy.tools:
        names = [tool.name, *tool.aliases]
        # "District-approved AI tools" reads like a rule, but an approved entry stands
        # for the approved ones: only its personal, free or public words count.
        rule_like = tool.status not in RECOMMENDABLE and any(lexical_rule(n) for n in names)
        if rule_like or any(_PERSONAL.search(n) for n in names):
            out.append(tool)
    return out


@dataclass(frozen=True)
class RedLineScope:
    """Red lines that concern an answer's subject, by subject."""

    #: red-line ids wording the rule for unlisted, personal or public tools, clearest first
    unlisted: tuple[str, ...] = ()
    #: tool id -> red lines written for it (`applies_to` its id or status) or naming it
    by_tool: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: data class id -> the red lines that name that class ("No Restricted data in AI")
    by_class: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: tool entries standing for a kind of unapproved, personal or public tool
    entries: tuple[str, ...] = ()
    #: every red line either reading finds about unlisted or personal tools
    rules: frozenset[str] = frozenset()
    #: red lines about data going in (the red-line reader's `data_lines`)
    data_lines: frozenset[str] = frozenset()
    #: the least sensitive data class's id, if the policy has classes
    lowest_class: str | None = None
    #: every tool entry standing for personal, free or public tools or editions
    personal: frozenset[str] = frozenset()
    #: data red lines written for most of the approved tools: about the data, not a tool
    general: frozenset[str] = frozenset()
    #: red lines for situations a message describes, whatever the answer (`situation_lines`)
    situations: SituationLines = field(default_factory=SituationLines)

    @classmethod
    def build(
        cls, policy: Policy, names_in: Callable[[str], Sequence[str]] | None = None,
        embedding: tuple[PolicyVectors, str] | None = None,
        data_lines: frozenset[str] = frozenset(),
    ) -> RedLineScope:
        """`names_in(text) -> tool ids` finds tools a red line names (the lexicon's);
        `embedding` reads red lines by meaning (see `unlisted_rules`)."""
        scores = rule_scores(policy, embedding)
        # A red line written for a personal or public tool entry is that entry's rule.
        found = personal_entries(policy)
        entries = {t.id for t in found}
        # Entries for a kind of tool, not one product's edition ("ChatGPT Free").
        generic = tuple(
            t.id for t in found if any(lexical_rule(n) for n in (t.name, *t.aliases))
        )
        for line in policy.red_lines:
            if entries & set(line.applies_to):
                scores[line.id] = scores.get(line.id, 0.0) + 1.0
        ranked = sorted(scores, key=lambda i: -scores[i])
        # The clearest only: a line read by meaning alone does not join one both readings
        # found (a lexical match scores 1 more).
        ranked = [i for i in ranked if scores[i] >= scores[ranked[0]] - _CLEARER][:MAX_UNLISTED]
        by_tool: dict[str, list[str]] = {t.id: [] for t in policy.tools}
        vendors = _vendor_words(policy) if policy.red_lines else {}
        for line in policy.red_lines:
            targets = set(line.applies_to)
            # A rule naming a tool in its title or first sentence concerns it ("Copilot
            # may not summarize HR cases"); the rule for unlisted tools names the approved
            # one only as the way out, and a rule for any AI tool names some only as
            # examples ("any AI tool, approved ones such as Copilot included").
            text = ". ".join(rule_sentences(line))
            named: set[str] = set()
            if line.id not in scores and not _ANY_TOOL.search(text):
                named = set(names_in(text)) if names_in is not None else set()
                # "No Google AI with pupil data": every tool of that vendor (as written).
                words = set(re.findall(r"[\w-]+", text))
                named |= {t for t, vendor in vendors.items() if vendor in words}
                if len(named) > _MAX_NAMED:
                    named = set()
            for tool in policy.tools:
                # By status ("prohibited") a line concerns answers only when triggered.
                if tool.id in targets or tool.id in named:
                    by_tool[tool.id].append(line.id)
        return cls(
            unlisted=tuple(ranked),
            rules=frozenset(scores),
            by_tool={k: tuple(v) for k, v in by_tool.items() if v},
            by_class=_by_class(policy),
            entries=generic,
            personal=frozenset(entries),
            data_lines=frozenset(
                line.id for line in policy.red_lines
                if line.id in data_lines and _about_data(line)
            ),
            general=_general(policy, data_lines),
            lowest_class=policy.data_classes[0].id if policy.data_classes else None,
            situations=SituationLines.read(policy),
        )

    def for_unlisted(
        self, text: str | None = None, data_class: str | None = None
    ) -> tuple[str, ...]:
        """The rule for tools the policy does not list (or not for this use). Given the
        message (`text`), the lines of that rule about data going in only when the message
        puts data in (names its class, pastes it, or puts it in: "paste the client's letter
        into Gemini"): "is DeepSeek allowed?" is answered by the rule on unapproved tools,
        not by "no identifiable data in public AI" (15 dev sets: 27 such lines shown, none
        expected)."""
        if text is None or data_class is not None or has_pasted_data(text) or puts_data_in(text):
            return self.unlisted
        return tuple(i for i in self.unlisted if i not in self.data_lines)

    def for_tools(self, tools: list[Tool] | tuple[Tool, ...]) -> tuple[str, ...]:
        """Red lines that concern any of these tools."""
        return tuple(dict.fromkeys(i for t in tools for i in self.by_tool.get(t.id, ())))

    def for_data(
        self, policy: Policy, data_class: str | None, tool: Tool | None = None
    ) -> tuple[str, ...]:
        """Red lines that name the class of the data asked about (those written for
        other tools only when no tool is asked about)."""
        ids = set(self.by_class.get(data_class, ()) if data_class else ())
        return tuple(
            line.id for line in policy.red_lines
            if line.id in ids and (
                tool is None or not line.applies_to
                or bool({tool.id, tool.status.value} & set(line.applies_to))
            )
        )

    def for_personal_edition(self, tool: Tool) -> tuple[str, ...]:
        """The rule for a personal or free account of a listed tool: the tool's own red
        line about such accounts if it has one ("with your enterprise account, not a
        personal licence"), else the rule for unlisted tools."""
        own = [i for i in self.by_tool.get(tool.id, ()) if i in self.rules]
        return tuple(own) or self.unlisted

    def for_personal(self, tools: list[Tool] | tuple[Tool, ...]) -> tuple[str, ...]:
        """The rule for unlisted tools when an answer involves a tool not approved for use
        (a prohibited or personal edition)."""
        if any(t.status not in RECOMMENDABLE for t in tools):
            return self.unlisted
        return ()

    def unasked(
        self, text: str, data_class: str | None, tool: Tool | None = None, *,
        data_check: bool = False, personal: bool = False,
    ) -> frozenset[str]:
        """The red lines an answer about `tool` leaves out unless the message triggers
        them: those that would concern it only by a loose path.

        - Data red lines written for most approved tools ("no confidential data" against
          each), or for or naming the approved tool answered about ("never customer data
          into Grammarly"), when the message puts no data in: not a data check, no data
          class named, nothing pasted ("make slides for back to school night"); any data
          red line when the data is said to be harmless (`harmless`).
        - The rule for personal or unlisted tools written for an approved tool ("use
          Copilot with your enterprise account, not a personal licence") unless the message
          asks about a personal edition: it is the way out, not a limit on the tool (one
          that limits the data the tool takes is such a limit, and shows).
        """
        out = set(self.harmless(text, data_class))
        approved = tool is not None and tool.status in RECOMMENDABLE
        if not data_check and data_class is None and not has_pasted_data(text):
            out |= self.general
            if approved and tool is not None and tool.id not in self.personal:
                # A data line written for (or naming) the recommended tool is about data going
                # into it: with no data in the message it is noise ("make slides for back to
                # school night" under "no client data in Copilot"), the more so when the policy
                # approves one or two tools and every line names them. Triggered, it shows.
                out |= self.data_lines
            if approved and tool is not None and not puts_data_in(text):
                # Nor does any line about an approved tool (an approved free or public edition
                # too) concern a message that gives it nothing to work on ("is Copilot
                # allowed?", "brainstorm names for a chilli jam" under "only Copilot, via your
                # work account"): its triggers, or its use case's, still show it.
                out |= set(self.by_tool.get(tool.id, ()))
        if (
            tool is not None and not personal and tool.status in RECOMMENDABLE
            and tool.id not in self.personal
        ):
            out |= self.rules - self.data_lines
        return frozenset(out)

    def harmless(self, text: str, data_class: str | None) -> frozenset[str]:
        """The data red lines an answer leaves out unless triggered: all of them when the
        message's data is of the least sensitive class or said not to be sensitive
        ("anonymized figures", "nothing confidential in it"), else none."""
        if (data_class is not None and data_class == self.lowest_class) or said_harmless(text):
            return self.data_lines
        return frozenset()
