"""A message that states one of the policy's rules is about the rule, not a request to break it.

"draft a training slide on why staff must never put non-public data into GenAI", "a
staff reminder that we only use Copilot and never paste customer details into other AI
tools", "the email telling the team their personal phones are not to be used for work
AI": the message says, in the third person as a red line does, that something must not
happen ("must never", "are not to be used", "is banned", "we only use"), and the words the
rule governs are the red line's own (a content word of its title, rule or examples). Such
a message writes, explains or reminds about the rule; it does not ask for the act. A
message that says it breaks the rule anyway ("I know it's banned but ...") still asks.

Imperatives ("don't tell them", "never mind") are no rule statements: "do it and don't
tell them why" asks to hide something.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.matching.text import normalize, stem_tokens
from bot.core.redline_mentions import FILLER
from bot.policy.models import RedLine

__all__ = ["restated", "restated_lines", "states_a_rule"]

#: A rule stated about others, as a policy states it (not an imperative to the assistant).
_RULE = re.compile(
    r"\b(?:must never|must not|mustn't|should never|shall not|never to|"
    r"(?:is|are|be) not to|not to be|(?:is|are|be) not allowed|(?:is|are|be) never|"
    r"(?:is|are|be) (?:banned|prohibited|forbidden|not permitted|off limits)|"
    r"(?:we|staff|you|everyone|employees|they) only use|may only|can only be)\b"
)
#: ... and a message that breaks it anyway.
_ANYWAY = re.compile(r"\b(?:but|anyway|even though|regardless|still|though)\b")
#: How far a rule statement reaches: the words it governs, before its clause ends.
_REACH = 12
_CLAUSE_END = re.compile(r"[.?!;]")
#: What every AI-use rule says, whatever it is about (stems): "not to be used with AI".
_GENERIC = frozenset(stem_tokens(
    "use used using ai genai generative tool tools staff employee employees work".split()))
#: A stem in more than half of a policy's lines, and in this many, says nothing of which.
_COMMON = 3
#: ... and the words before it that may be its subject.
_SUBJECT = 4


def _words(text: str) -> list[str]:
    return normalize(text).replace("-", " ").split()


def states_a_rule(text: str) -> bool:
    """Whether the message states some rule (and does not say it breaks it anyway)."""
    low = text.lower()
    return any(not _ANYWAY.search(_CLAUSE_END.split(low[found.end():], maxsplit=1)[0])
               for found in _RULE.finditer(low))


def restated(text: str, line_words: Sequence[frozenset[str]]) -> list[bool]:
    """For each red line of a policy (its stemmed content words), whether the message
    states a rule about what the line is about: a rule statement whose words (its
    subject, and what follows it to the sentence's end) share a stem with the line that
    most of the policy's lines do not use ("AI", "tool" and "data" are in every line of
    some policies; two lines of three may share a word), with no "but ... anyway" after it."""
    low = text.lower()
    stems: set[str] = set()
    for found in _RULE.finditer(low):
        rest = _CLAUSE_END.split(low[found.end():], maxsplit=1)[0]
        if _ANYWAY.search(rest):
            continue
        # what it governs: the words after it, and the subject of a passive one before it
        # ("why social scoring is banned")
        before = _CLAUSE_END.split(low[:found.start()])[-1]
        words = [*_words(before)[-_SUBJECT:], *_words(rest)[:_REACH]]
        stems.update(stem_tokens(words))
    if not stems:
        return [False] * len(line_words)
    stems -= _GENERIC
    uses = {w: sum(w in words for words in line_words) for w in stems}
    common = {w for w, n in uses.items() if n >= _COMMON and 2 * n > len(line_words)}
    return [bool((stems - common) & words) for words in line_words]


def restated_lines(text: str, lines: Sequence[RedLine]) -> list[str]:
    """The red lines (all of a policy's) whose rule the message states (`restated`), read
    from each line's title, rule and triggers; [] at once without a rule statement."""
    if not _RULE.search(text.lower()):
        return []
    words = [frozenset(w for w in stem_tokens(_words(f"{r.title} {r.rule} {' '.join(r.triggers)}"))
                       if w not in FILLER) for r in lines]
    return [r.id for r, said in zip(lines, restated(text, words), strict=True) if said]
