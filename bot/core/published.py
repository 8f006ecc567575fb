"""A request to read a published document: its description says what the document is about.

"summarise the published EU AI Act list of prohibited practices", "summarize the public
department notice about annual CLETS testing for the new hires", "help me summarise a
published DfT policy paper on rail reform": the words after "published" or "public" up to
the end of the phrase describe a document anyone may read, and a red line's words among
them (prohibited practices, CLETS, policy paper, decision) name its subject, not an act
the message asks AI to do or data it puts in. So a red line's triggers are read outside
that description (`outside_published`), and the learned decision does not weigh such a
request (`reads_published`), as it does not weigh a topic.

Only with a verb of reading (summarise, key points, shorten, translate, explain ...), and
not when the message says the document is not published ("isn't published yet", "not
officially published", "non-public", "not public yet"): "the motion papers are public
record anyway, so I can drop them into chatgpt" reads nothing, it argues.
"""

from __future__ import annotations

import re

from bot.core.matching.text import normalize

__all__ = ["outside_published", "reads_published"]

#: Asking to read, condense or restate a document.
_READS = re.compile(
    r"\b(?:summar\w*|sumar\w*|summer\w*|tl ?dr|key points|main points|key figures|highlights|"
    r"gist|overview|shorten\w*|condense\w*|explain\w*|translat\w*|plain (?:words|english|"
    r"language|summary)|pull out|bullet points|crib sheet|one pager|one page)\b"
)
#: A document described as published ("the published report", "the public notice",
#: "the regulation as published in").
_PUBLISHED = re.compile(r"\b(?:published|public)\b")
#: Said of it before: it is not, or not yet, published.
_NOT_BEFORE = frozenset("not non isnt isn't hasnt hasn't havent haven't wasnt wasn't never yet "
                        "un leaked".split())
#: ... or after, in the same phrase: "not public yet", "published yet?".
_NOT_AFTER = frozenset("yet".split())
#: Where the description ends: a clause or what the request does with the document.
_PHRASE_END = frozenset(
    "and then so because but for into to in with from which that who when where while "
    "and or if".split()
)
#: How many words before "published" may say it is not (`_NOT_BEFORE`): "not officially".
_LOOK_BACK = 3


def _descriptions(words: list[str]) -> list[tuple[int, int]]:
    """(start, end) word spans of the published documents the words describe."""
    spans = []
    for i, word in enumerate(words):
        if not _PUBLISHED.fullmatch(word):
            continue
        before = words[max(0, i - _LOOK_BACK):i]
        if any(w in _NOT_BEFORE for w in before) or (before and before[-1].endswith("non")):
            continue
        end = i + 1
        while end < len(words) and words[end] not in _PHRASE_END:
            end += 1
        if any(w in _NOT_AFTER for w in words[i + 1:end + 2]):
            continue
        spans.append((i, end))
    return spans


def _words(text: str) -> list[str]:
    # Clause punctuation ends a description too ("a published report, then email it"),
    # not punctuation inside a word ("tl;dr", "v1.2").
    return normalize(re.sub(r"[,;:.?!()](?=\s|$)", " and ", text)).split()


def reads_published(text: str) -> bool:
    """Whether the message asks to read (summarise, explain, translate ...) a document
    it describes as published or public."""
    low = normalize(text)
    if not _READS.search(low) or not _PUBLISHED.search(low):
        return False
    return bool(_descriptions(_words(text)))


def outside_published(text: str) -> str:
    """The message without the descriptions of the published documents it asks to read
    (the whole message when it reads none)."""
    if not reads_published(text):
        return text
    words = _words(text)
    blank = {k for start, end in _descriptions(words) for k in range(start, end)}
    return " ".join(w for k, w in enumerate(words) if k not in blank)
