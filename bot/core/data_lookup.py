"""Which of a policy's data classes the data a message names belongs to.

Two sources, the more sensitive answer winning: the classes' own example phrases
(split into parts, stemmed, any order, a modifier of a long example may be left out:
"a published paper" is "a published research paper"), and the built-in bank of personal
data (`bot.core.people_data`: "a resident's medical info" is personal data, whatever
words the policy's classes use for it). Built once per policy version.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.data_class_lines import classes_named, only_lines
from bot.core.data_keys import (
    QUARTER,
    SPLIT,
    data_key,
    description_parts,
    id_key,
    level_keys,
    loose_keys,
    public_rank,
    stem_words,
)
from bot.core.pasted import spell_out
from bot.core.people_data import Mention, PeopleData, people_bank
from bot.core.redline_mentions import drop_negated
from bot.core.redline_themes import names_an_act
from bot.policy.models import Policy

__all__ = ["DataLookup"]


# Data said not to be public yet: "unpublished press figures", "it isnt public yet", "an
# item we havent launched", "not out yet". It is of the least sensitive class above the one
# the policy gives public data (other words may name a more sensitive one).
_NOT = r"(?:not|never|(?:is|are|was|were|has|have|had|does|do|did)n'?t)"
_NOT_PUBLIC = re.compile(
    r"\b(?:unpublished|unreleased|unannounced|embargoed|non-?public|pre-?release|"
    rf"{_NOT}\s+(?:yet\s+|been\s+|officially\s+|yet\s+been\s+)?(?:public|published|"
    r"released|announced|launched)|(?:haven'?t|hasn'?t|have not|has not)\s+(?:yet\s+)?"
    rf"(?:launched|released|announced|published|gone public)|{_NOT}\s+out\s+yet)\b",
    re.I,
)



# A class's texts saying it holds data about no one: "de-identified scenarios",
# "anonymised programme update", "a project budget with no names", "with no personal
# or confidential information".
_DEID = (
    r"anonymi[sz]ed|anonymous|de-?identified|pseudonymi[sz]ed|aggregated?|scrubbed|"
    r"(?:no|without)\s+(?:\w+\s+)?(?:names?|identifiers?|individuals?|personal|identifiable|pii)"
)
_DEIDENTIFIED = re.compile(rf"\b(?:{_DEID})\b", re.I)
# A message saying so of its data, also in its own words: "I took out all the names".
_DEIDENTIFIED_HERE = re.compile(
    rf"\b(?:{_DEID}|made-?up|fictional|fictitious|dummy|synthetic|invented|hypothetical|"
    rf"(?:took|taken|take|stripped|strip|removed?|cut)\s+(?:out\s+)?"
    r"(?:\w+\s+){0,2}?(?:names?|identifiers?|personal information|identifying|"
    r"identifiable)|"
    # "no patient stuff in them", "none of the updates have children's names in"
    r"(?:no|without)\s+(?:\w+\s+)?(?:patient|client|customer|student|staff|employee|"
    r"personal|private|identifying)\s+(?:data|info|information|details|stuff)|"
    r"none of (?:\w+\s+){0,3}?(?:have|has|contain|contains|include|includes|mention|"
    r"mentions|name|names|show|shows)\s+(?:\w+(?:'s)?\s+){0,2}?(?:names?|faces?|details))\b",
    re.I,
)

# "... but kept age, school and diagnosis", "still has their dates of birth": some of it
# is left in.
_KEPT_IN = re.compile(
    r"\b(?:but|still|except)\b[^.?!]{0,20}?\b(?:kept|keep|left|leave|has|have|had|"
    r"includes?|included|contains?|contained|shows?)\b",
    re.I,
)


class DataLookup:
    """The data classes of one policy version, ready to be looked up in messages."""

    def __init__(self, policy: Policy, red_lines: Callable[[str], list[str]]) -> None:
        """`red_lines`: the policy's red-line reader (text -> triggered ids)."""
        self.policy = policy
        self._red_lines = red_lines
        self._data: list[tuple[int, str, list[frozenset[str]]]] = []
        self._strict: list[tuple[int, str, list[frozenset[str]]]] = []
        self._loose: list[tuple[int, str, list[frozenset[str]]]] = []  # strict, one word out
        for rank, item in enumerate(policy.data_classes):
            parts = [
                p for e in item.examples for p in SPLIT.split(spell_out(e)) if p and p.strip()
            ]
            keys = {data_key(p) for p in (item.label, *parts)} | {id_key(item.id)}
            keys.update(k for p in parts for k in loose_keys(p, data_key(p)))
            # the description's own short names of data, whole ("discipline records")
            keys.update(
                data_key(p, strict=True) for p in description_parts(item.description)
            )
            self._data.append((rank, item.id, [k for k in keys if k]))
            strict = {data_key(p, strict=True) for p in parts} | {id_key(item.id)}
            strict.add(data_key(item.label, strict=True) | {"data"})
            self._strict.append((rank, item.id, [k for k in strict if k]))
            loose = {k for p in parts for k in loose_keys(p, data_key(p, strict=True))}
            self._loose.append((rank, item.id, [k for k in loose if k]))
        levels = level_keys(policy)
        self._data.extend(levels)
        #: the rank of the class that holds public data, if one says so
        self.public_rank = public = public_rank(levels)
        #: the class of data said not to be public yet (`_NOT_PUBLIC`)
        self._not_public = (
            policy.data_classes[public + 1].id
            if public is not None and public + 1 < len(policy.data_classes)
            else None
        )
        self._rank = {item.id: rank for rank, item in enumerate(policy.data_classes)}
        self._texts = {c.id: [c.label, c.description, *c.examples] for c in policy.data_classes}
        self.people = PeopleData([(c, texts) for c, texts in self._texts.items()])
        self._kind_lines: dict[tuple[str, str], tuple[str, ...]] = {}
        self._only_lines = only_lines(policy)
        self._deidentified = next(
            (
                c.id for c in policy.data_classes
                if any(_DEIDENTIFIED.search(t) for t in (c.label, c.description, *c.examples))
            ),
            None,
        )
        #: red line id -> the class of the data it keeps out, by the class it names
        #: ("... is Red data") or the data its title names ("No customer account details")
        self.class_of_line = classes_named(policy)
        for line in policy.red_lines:
            if line.id not in self.class_of_line and line.id not in self._only_lines:
                found = [self._example_class(t, strict=True) for t in line.triggers]
                ranked = [(self._rank[c], c) for c in found if c is not None]
                if ranked and max(ranked)[0] > 0:
                    self.class_of_line[line.id] = max(ranked)[1]

    def class_of(self, text: str, *, strict: bool = False, loose: bool = True) -> str | None:
        """The most sensitive class the text names data of (see `PolicyLexicon.data_class_of`)."""
        found = self._example_class(text, strict=strict, loose=loose)
        best = (self._rank[found], found) if found is not None else None
        # "anonymized", "no names in it", "I took the names out": the data is of the class
        # the policy gives such data, unless other data it names is more sensitive
        deidentified = [self._deidentified] if self._deidentified else []
        if deidentified and not _DEIDENTIFIED_HERE.search(text):
            deidentified = []
        not_public = [self._not_public] if self._not_public and _NOT_PUBLIC.search(text) else []
        for class_id in [*self._people_classes(text), *deidentified, *not_public]:
            if best is None or self._rank[class_id] > best[0]:
                best = (self._rank[class_id], class_id)
        return best[1] if best else None

    def class_by_lines(self, text: str) -> str | None:
        """The class of the data the text names, by the data red lines it triggers: data
        a line keeps out is of the class that line names ("the deli price list" fires
        "No company, customer or personnel data ... pricing", so it is company data),
        the most sensitive when several fire."""
        ranked = [
            (self._rank[c], c)
            for c in (self.class_of_line.get(i) for i in self._red_lines(drop_negated(text)))
            if c is not None
        ]
        return max(ranked)[1] if ranked else None

    def says_deidentified(self, text: str) -> bool:
        """Whether the text says its data identifies no one ("anonymous", "no names")."""
        return bool(_DEIDENTIFIED_HERE.search(text))

    def says_none_left(self, text: str) -> bool:
        """Whether the text says its data identifies no one and keeps nothing back in: "no
        patient stuff in them", not "I took the names out but kept age and diagnosis"."""
        return self.says_deidentified(text) and not _KEPT_IN.search(text)

    def spares_deidentified(self, text: str, class_id: str | None, line_id: str) -> bool:
        """Whether data said to identify no one, of the class the policy gives such data,
        is not what a red line keeps out: the line's data is more sensitive ("Never enter
        real client data; anonymise first" and "an anonymised scenario, no names")."""
        kept_out = self.class_of_line.get(line_id)
        if class_id is None or class_id != self._deidentified or kept_out is None:
            return False
        return self.says_deidentified(text) and self._rank[kept_out] > self._rank[class_id]

    def _example_class(
        self, text: str, *, strict: bool = False, loose: bool = True
    ) -> str | None:
        """The most sensitive class one of whose own example phrases the text mentions;
        `loose` lets a long example miss one modifier (strict lookups only: the plain
        keys always allow it)."""
        stems = frozenset(stem_words(QUARTER.sub("quarterly", drop_negated(text))))
        found: list[tuple[int, str, frozenset[str]]] = []
        tables = [self._strict, self._loose] if strict and loose else [self._strict]
        for table in tables if strict else [self._data]:
            for rank, class_id, keys in table:
                found.extend((rank, class_id, key) for key in keys if key <= stems)
        # The fullest name wins over the part of it another class's example is: "the
        # public court calendar" is a "public court calendar", not "court [filings]".
        kept = [
            (rank, class_id) for rank, class_id, key in found
            if not any(key < other and cid != class_id for _, cid, other in found)
        ]
        return max(kept)[1] if kept else None

    def _people_classes(self, text: str) -> list[str]:
        """Classes of the personal data the text names: the class the policy's own
        examples give those very words, else the one that holds that kind of data."""
        words, mentions = PeopleData.mentions(text)
        found = []
        for mention in mentions:
            class_id = self._mention_class(words, mention)
            if class_id is not None:
                found.append(class_id)
        return found

    def _mention_class(self, words: list[str], mention: Mention) -> str | None:
        span = " ".join(words[mention.start : mention.end])
        return self._example_class(span) or self.people.class_of_kind.get(mention.kind)

    def people_phrase(self, text: str) -> str | None:
        """The words naming personal data in the text, even where no class holds it."""
        words, mentions = PeopleData.mentions(text)
        if not mentions:
            return None
        start, end = people_bank().extent(words, mentions[0])
        return " ".join(words[start:end])

    def red_lines_for(self, text: str, class_id: str) -> tuple[str, ...]:
        """Red lines about the data the text names: a line saying only less sensitive data
        may go in, and for personal data, as its class describes it, those the class's
        own texts about that kind of data trigger ("someone's health information" for "a
        resident's medical info"), else its texts about people."""
        found: dict[str, None] = dict.fromkeys(self.kept_out_by(class_id))
        _, mentions = PeopleData.mentions(text)
        kinds = list(dict.fromkeys(m.kind for m in mentions))
        if len(kinds) > 1:  # "an employee's medical paperwork" is health data above all
            kinds = [k for k in kinds if k != "people"]
        for kind in kinds:
            found.update(dict.fromkeys(self._lines_of(class_id, kind)))
        return tuple(found)

    def kept_out_by(self, class_id: str | None) -> tuple[str, ...]:
        """Red lines saying only a less sensitive class may go in ("Only public data may
        be entered"): they keep data of this class out."""
        rank = self._rank.get(class_id) if class_id else None
        if rank is None:
            return ()
        return tuple(i for i, below in self._only_lines.items() if rank > below)

    def _lines_of(self, class_id: str, kind: str) -> tuple[str, ...]:
        cached = self._kind_lines.get((class_id, kind))
        if cached is None:
            # each part on its own: "SSNs, personal health data, or credentials" holds
            # health data, but the credentials red line is not about it
            texts = [
                p.strip()
                for t in self._texts.get(class_id, [])
                for p in SPLIT.split(spell_out(t))
                if p and p.strip()
            ]
            about = [t for t in texts if kind in self.people.kinds_in(t)]
            if not about:
                about = [t for t in texts if self.people.about_people(t)]
            fired = {i for t in about for i in self._red_lines(t)}
            cached = tuple(
                r.id for r in self.policy.red_lines if r.id in fired and not names_an_act(r)
            )
            self._kind_lines[(class_id, kind)] = cached
        return cached
