"""How a policy's data classes become keys to look data up by.

Split out of `bot.core.data_lookup` (which reads messages with these keys) so the
turning of a class's own texts into stems stays apart from the lookup: a class's example
phrases split into parts ("passwords, API keys and other credentials" has three), each
part's stems without container words ("status reports" is met by "status"), a long
example's one-modifier-short forms ("a published paper" for "a published research
paper"), the short names of data in its description, and the words of sensitivity
("published", "internal", "confidential") that name the least sensitive class using them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.matching.text import normalize, stem_tokens
from bot.core.pasted import spell_out
from bot.policy.models import Policy

__all__ = [
    "QUARTER",
    "SPLIT",
    "STOP",
    "data_key",
    "description_parts",
    "id_key",
    "level_keys",
    "loose_keys",
    "public_rank",
    "stem_words",
]

STOP = frozenset(
    "a an the of for to in into on with and or my our your their its is are be can i we you "
    "it this that these those any some data info information about from at by as do does "
    "me us all".split()
)

# Parts of a data-class example: "passwords, API keys and other credentials" has three.
SPLIT = re.compile(r",|;|/|\(|\)|\bsuch as\b|\bincluding\b|\band\b|\bor\b|\blike\b", re.I)
QUARTER = re.compile(r"\bq[1-4]\b", re.I)
# Words that name a container rather than the data itself: never required to match.
_GENERIC = frozenset(
    stem_tokens(
        "data information info details detail number numbers record records file files "
        "document documents report reports list lists other thing things stuff content "
        "contents export exports dump dumps extract extracts".split()
    )
)
# Words that tie a phrase's parts together: "minutes of the board meeting" is no plain
# run of modifiers and a head, so none of its words may be left out.
_LINKS = frozenset("of for to in into on with from at by about without".split())
_POSSESSIVE = re.compile(r"(?:'s|s')$")
# A part of a class's description that says what the class does NOT hold ("with no
# student details") names no data of it.
_NEGATION = re.compile(r"\b(?:no|not|non|without|none|never|anything|except|unless)\b", re.I)
#: Description parts longer than this are sentences, not names of data.
_MAX_PART_WORDS = 4
# Words that say how sensitive data is, whatever the document: "a published report",
# "the public calendar", "our internal network diagram", "the confidential budget
# notes". Each names the least sensitive class whose own texts use it.
_LEVELS = [
    frozenset(stem_tokens(words.split()))
    for words in (
        "public published publicly",
        "internal",
        "confidential",
        "sensitive",
        "restricted",
        "privileged",
        "proprietary",
        "classified",
    )
]



def stem_words(text: str) -> tuple[str, ...]:
    return tuple(stem_tokens(normalize(text).split()))


def id_key(class_id: str) -> frozenset[str]:
    """ "P3" alone names a class; "red" only as "red data" (it is also a colour)."""
    stems = frozenset(stem_words(class_id.replace("-", " ").replace("_", " ")))
    return stems if any(ch.isdigit() for ch in class_id) else stems | {"data"}


def data_key(phrase: str, *, strict: bool = False) -> frozenset[str]:
    """Stems that name the data; `strict` keeps container words ("status *reports*")."""
    stems = [s for s in stem_words(QUARTER.sub("quarterly", phrase)) if s not in STOP]
    specific = frozenset(s for s in stems if s not in _GENERIC)
    return frozenset(stems) if strict else specific or frozenset(stems)


def description_parts(description: str) -> list[str]:
    """The short names of data in a class's description ("Student PII; grades, test
    scores, discipline records"): parts of two to four words, up to any negation in
    their sentence ("... that hold no personal data about children, partners or staff"
    names none of them), and not a lone word ("partners", "staff": whose data, not what)."""
    parts = []
    for part in SPLIT.split(_affirmed(spell_out(description), sep=",")):
        words = [w for w in normalize(part).split() if w not in STOP]
        if 2 <= len(words) <= _MAX_PART_WORDS:
            parts.append(part.strip())
    return parts


def _affirmed(text: str, sep: str = " ") -> str:
    """What a class's text says it holds: each sentence up to a negation ("Information
    that is not confidential, private or privileged" holds none of them; "Internal,
    non-sensitive info" is internal), without "classified as" (a verb, not a level)."""
    kept = [_NEGATION.split(sentence, maxsplit=1)[0] for sentence in re.split(r"[.;:]", text)]
    return re.sub(r"\bclassified\s+as\b", " ", sep.join(kept), flags=re.I)


def level_keys(policy: Policy) -> list[tuple[int, str, list[frozenset[str]]]]:
    """Each word of sensitivity ("published", "internal", "confidential") as a key of the
    least sensitive class whose texts affirm it."""
    out = []
    stems = [
        {s for t in (c.id, c.label, c.description, *c.examples) for s in stem_words(_affirmed(t))}
        for c in policy.data_classes
    ]
    for level in _LEVELS:
        for rank, item in enumerate(policy.data_classes):
            if stems[rank] & level:
                out.append((rank, item.id, [frozenset({w}) for w in level]))
                break
    return out


def public_rank(levels: Sequence[tuple[int, str, list[frozenset[str]]]]) -> int | None:
    """The rank of the class whose own texts say it holds public data (`level_keys`), if
    any: the data lookup's "not public yet" and the data placed by meaning both start above
    it."""
    return next((rank for rank, _, keys in levels if frozenset({"public"}) in keys), None)


def loose_keys(phrase: str, key: frozenset[str]) -> list[frozenset[str]]:
    """The key with one modifier left out, for an example of three or more words that
    is a plain run of modifiers and a head ("a published research paper" is met by "a
    published paper" and "research papers"); its head (last word) and an owner ("a
    client's model results") are always required."""
    raw = phrase.replace("’", "'").split()
    if len(key) < 3 or any(w.lower() in _LINKS for w in raw):
        return []
    content = [w for w in raw if normalize(w) and normalize(w).split()[0] not in STOP]
    if len(content) != len(key) or not content:
        return []
    owners = {stem_words(w)[0] for w in content if _POSSESSIVE.search(w) and stem_words(w)}
    head = stem_words(content[-1])[-1]
    loose = [key - {s} for s in key if s != head and s not in owners]
    # what is left must still say what the data is: not "weekly reports" for "weekly
    # status reports" ("reports" says nothing)
    return [k for k in loose if len(k - _GENERIC) >= 2]

