"""One policy version's vocabulary: tool names, data-class phrases and red-line triggers.

Built once per policy version and used on every message, so everything is
normalized and stemmed up front; lookups are dictionary and set operations.
"""

from __future__ import annotations

import re
from functools import cached_property

from bot.core.data_keys import STOP, stem_words
from bot.core.data_lookup import DataLookup
from bot.core.matching.text import normalize
from bot.core.names import NameHit, NameIndex
from bot.core.pasted import (  # re-exported: where callers have long imported them from
    describe_placeholders,
    has_pasted_data,
    pasted_phrase,
    spell_out,
    without_placeholders,
)
from bot.core.product_lines import (
    family_heads,
    names_the_organization,
    not_outnamed,
    products_of,
)
from bot.core.redlines import RedLineReader
from bot.core.smalltalk import SmallTalk
from bot.policy.models import RECOMMENDABLE, Policy

__all__ = [
    "STOP",
    "NamedTools",
    "PolicyLexicon",
    "describe_placeholders",
    "has_pasted_data",
    "pasted_phrase",
    "spell_out",
    "stem_words",
    "without_placeholders",
]

# Words that say which edition of a product: an individual's, or the organization's.
_EDITION_KIND = {
    **dict.fromkeys(
        "free personal consumer private own home plus individual public".split(), "personal"
    ),
    **dict.fromkeys(
        "enterprise business team teams edu education work company corporate org "
        "organization organisation college university school licensed".split(),
        "organization",
    ),
}


_PER_JOB = 12
# What makes the organization's name a product's ("the Walmart LLM", "HMS AI"), not the
# place ("at HMS", "HMS IT").
_AI_PRODUCT_WORDS = frozenset(
    "ai llm llms gpt genai chatbot chatbots bot bots assistant assistants copilot model "
    "models tool tools".split()
)


class NamedTools:
    """The policy tools a message names; `family` when it named a product line, not one tool."""

    def __init__(self, ids: list[str], hits: list[NameHit], family: str | None = None) -> None:
        self.ids = ids
        self.hits = hits
        self.family = family

    def __bool__(self) -> bool:
        return bool(self.ids)


class PolicyLexicon:
    """Names, data-class phrases and red-line triggers of one policy version, pre-normalized."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        spellings: dict[str, list[str]] = {}
        for tool in policy.tools:
            for name in (tool.name, *tool.aliases, tool.id.replace("-", " ")):
                spellings.setdefault(tool.id, []).append(normalize(name))
        firsts = {s.split()[0] for forms in spellings.values() for s in forms if " " in s}
        for tool in policy.tools:
            # "ChatGPT (personal accounts)" is "ChatGPT personal", but plain "ChatGPT"
            # stays the family when other ChatGPT tools exist.
            bare = normalize(re.sub(r"\(.*?\)", " ", tool.name))
            if bare and not (" " not in bare and bare in firsts):
                spellings[tool.id].append(bare)
        self.names = NameIndex(spellings.items())
        self._products = {tool_id: products_of(forms) for tool_id, forms in spellings.items()}
        self._edition_kinds: dict[str, str] = {}
        for tool in policy.tools:
            words = {w for name in (tool.name, *tool.aliases) for w in normalize(name).split()}
            kinds = {_EDITION_KIND[w] for w in words if w in _EDITION_KIND}
            if len(kinds) == 1:
                self._edition_kinds[tool.id] = kinds.pop()
        self._named_cache: dict[str, NamedTools] = {}
        self._use_case_red_lines: dict[str, tuple[str, ...]] = {}
        self._families = family_heads(policy)
        self.families = NameIndex((h, [h]) for h in self._families)
        self._own_heads = frozenset(
            h for h in self._families if names_the_organization(h, policy.meta.organization)
        )
        self.red_line_matcher = RedLineReader(policy, spell_out)
        self.data = DataLookup(policy, self.red_line_matcher.triggered)

    @cached_property
    def tool_kinds(self) -> dict[str, str | None]:
        """Each tool's kind in the product catalogue, for "what else does that job"."""
        from bot.core.unlisted import tool_kinds

        return tool_kinds(self.policy)

    @cached_property
    def smalltalk(self) -> SmallTalk:
        """Built on first use: the policy's own job descriptions are its counter-examples."""
        # A few examples per job are enough to stand for it, and keep a policy of
        # 15,000 examples from slowing every message down.
        texts = [t for u in self.policy.use_cases for t in (u.name, *u.examples[:_PER_JOB])]
        return SmallTalk(texts, self.policy.meta.organization)

    @cached_property
    def sole_approved(self) -> str | None:
        """The one tool the policy recommends, if it recommends exactly one: what "the
        AI" means to its staff."""
        tools = [t.id for t in self.policy.tools if t.status in RECOMMENDABLE]
        return tools[0] if len(tools) == 1 else None

    def named(self, text: str) -> NamedTools:
        """Policy tools named in the text: exact, misspelt, or a whole product family."""
        cached = self._named_cache.get(text)
        if cached is None:
            cached = self._named(text)
            if len(self._named_cache) >= 512:
                self._named_cache.clear()
            self._named_cache[text] = cached
        return cached

    def _named(self, text: str) -> NamedTools:
        words = normalize(text).split()
        hits = self.names.find(words)
        ids: list[str] = []
        for hit in hits:
            if hit.key not in ids:
                ids.append(hit.key)
        taken = {i for h in hits for i in range(h.start, h.end)}
        family = None
        for hit in self.families.find(words):
            if taken & set(range(hit.start, hit.end)):
                continue
            if hit.key in self._own_heads and not (
                hit.end < len(words) and words[hit.end] in _AI_PRODUCT_WORDS
            ):
                continue  # "at HMS", "HMS IT": the organization, not its "HMS ..." tools
            members = [m for m in self._families[hit.key] if m not in ids]
            edition = self._edition(members, words)
            if edition is not None:
                ids.append(edition)
                hits.append(hit)
            elif members:
                family = hit.key if len(self._families[hit.key]) > 1 else None
                ids.extend(members)
                hits.append(hit)
        if hits:
            hits = not_outnamed(text, words, hits, self._products_of_hit)
            kept = {h.key for h in hits}
            ids = [i for i in ids if i in kept or any(i in self._families.get(k, ()) for k in kept)]
            if family is not None and family not in kept:
                family = None
        # "the free version of chatgpt" where "ChatGPT" is the company edition's alias
        for n, tool_id in enumerate(ids):
            siblings = [m for ms in self._families.values() if tool_id in ms for m in ms]
            edition = self._edition(list(dict.fromkeys(siblings)), words)
            if edition is not None and edition != tool_id and edition not in ids:
                ids[n] = edition
        return NamedTools(ids, hits, family)

    def _products_of_hit(self, key: str) -> frozenset[str]:
        """The catalogue products a tool (or a family's members) is."""
        return self._products.get(key) or frozenset(
            p for m in self._families.get(key, ()) for p in self._products.get(m, ())
        )

    def _edition(self, members: list[str], words: list[str]) -> str | None:
        """The one member of a family whose edition the message names ("free", "Enterprise")."""
        if len(members) < 2:
            return None
        asked = {_EDITION_KIND[w] for w in words if w in _EDITION_KIND}
        if len(asked) != 1:
            return None
        kind = asked.pop()
        fits = [m for m in members if self._edition_kinds.get(m) == kind]
        return fits[0] if len(fits) == 1 else None

    def siblings(self, tool_id: str, text: str) -> list[str]:
        """Other tools of a family the text names by its bare name ("ChatGPT")."""
        words = normalize(text).split()
        heads = {hit.key for hit in self.families.find(words) if not hit.fuzzy}
        heads |= {w for w in words if w in self._families}
        out = [
            m
            for head in heads
            if tool_id in self._families.get(head, [])
            for m in self._families[head]
            if m != tool_id
        ]
        return list(dict.fromkeys(out))

    def find_tools(self, text: str) -> list[str]:
        """Tool ids named in the text, longest name first, typos of long names tolerated."""
        return self.named(text).ids

    def data_class_of(
        self, text: str, *, strict: bool = False, loose: bool = True
    ) -> str | None:
        """The most sensitive data class one of whose example phrases the text mentions.

        Examples are split into their parts ("salary, bonus and payroll data" gives
        "salary", "bonus", "payroll data") and generic words ("data", "numbers") are
        not required, so "our salary spreadsheet" and "unreleased Q3 numbers" are found.
        `strict` requires whole parts ("status reports", not "status"): for messages
        that name data without saying what to do with it; `loose` lets an example of
        three or more words miss one modifier ("a published paper").
        """
        return self.data.class_of(text, strict=strict, loose=loose)

    def people_phrase(self, text: str) -> str | None:
        """The words naming personal data in the text ("medical info"), even where no
        class of the policy holds it."""
        return self.data.people_phrase(text)

    def data_red_lines(self, text: str, class_id: str) -> tuple[str, ...]:
        """Red lines about the personal data the text names, from its class's wording."""
        return self.data.red_lines_for(text, class_id)

    def without_tool_names(self, text: str) -> str:
        """The text with tool names removed, so "personal ChatGPT" is not "personal data"."""
        words = normalize(text).split()
        named = self.named(text)
        drop = {i for h in named.hits for i in range(h.start, h.end)}
        return " ".join(w for i, w in enumerate(words) if i not in drop)

    def red_lines_in(self, text: str, *, literal: bool = False) -> list[str]:
        return self.red_line_matcher.triggered(text, literal=literal)

    def warm(self) -> None:
        """Do now what the first messages would do lazily: small talk's indexes, the tool
        kinds and every use case's red lines. A server calls this off the answer path
        (answer workers after building a version's index, a replay before its workers
        start); a one-shot `ask` does not, and pays only for what its one message needs."""
        self.smalltalk.warm()
        _ = self.tool_kinds
        for use_case in self.policy.use_cases:
            self.use_case_red_lines(use_case.id)

    def use_case_red_lines(self, use_case_id: str) -> tuple[str, ...]:
        """Red lines whose triggers, as written, the use case's own texts contain: they
        concern the job.

        Worked out per use case when first asked (a one-shot `ask` needs one, not all).
        """
        cached = self._use_case_red_lines.get(use_case_id)
        if cached is None:
            use_case = self.policy.use_case(use_case_id)
            found: set[str] = set()
            if use_case is not None:
                texts = [use_case.name, use_case.description, *use_case.examples]
                # As written ("literal"): IT's own wording of the job, where "what was
                # decided in the meeting" reports a decision; it does not ask AI to decide.
                own = self.red_line_matcher.own
                found = {line for t in texts for line in own.triggered(t, literal=True)}
            cached = tuple(r.id for r in self.policy.red_lines if r.id in found)
            self._use_case_red_lines[use_case_id] = cached
        return cached
