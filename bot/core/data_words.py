"""Which words of a message name its data, and which tool "the AI" means.

The message reader's helpers for a data check's phrase: the data as the message
names it ("incident report details"), in full when it is someone's personal data,
and the policy's one approved tool when data goes "into AI".
"""

from __future__ import annotations

from bot.core.data_patterns import BARE_DATA
from bot.core.data_shapes import means_ai, without_permission_tag
from bot.core.lexicon import STOP, PolicyLexicon
from bot.core.matching.text import normalize

__all__ = ["bare_data", "data_like", "data_words", "in_full", "sole_approved"]


def sole_approved(target: str, lexicon: PolicyLexicon) -> list[str]:
    """The policy's only recommendable tool, when data goes "into AI" and there is just
    one it can mean ("upload the staff salary file to the approved tool")."""
    sole = lexicon.sole_approved if means_ai(target) else None
    return [sole] if sole else []


_NOT_DATA = frozenset(
    "what how is are can could does do who why where when which should would will i we you "
    "it its any anything something there this that use using".split()
)


# Words a job or a question starts with, not data: "write a job aid on how to sign in to
# the district AI tool", "new hire here ... ok to use chatgpt".
_NOT_DATA_START = frozenset(
    "write draft make create help explain show tell sign log get find set build ask".split()
)
_NOT_DATA_END = frozenset("ok okay fine allowed able how want need going alright".split())


# Words a name of data may start with ("the board's growth plan", "our rota").
_DETERMINERS = frozenset("the a an our my their his her your this these those".split())


def data_like(phrase: str) -> bool:
    """Whether the words before "in <tool>" could name data, not a job or a question
    (after a determiner: "the firewall rule export" is data, "the" alone is not)."""
    words = normalize(phrase).split()
    while len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    if not words or words[0] in _NOT_DATA or words[0] in STOP or words[0] in _NOT_DATA_START:
        return False
    return words[-1] not in _NOT_DATA_END and "how to" not in " ".join(words)


def bare_data(text: str, lexicon: PolicyLexicon) -> str | None:
    """The data of "incident report details into copilot?" or "unpublished press figures
    in GCS Assist, allowed?", if the message is just that."""
    match = BARE_DATA.match(without_permission_tag(text))
    if not match or not lexicon.find_tools(match["tool"]) or lexicon.find_tools(match["data"]):
        return None
    return match["data"].strip() if data_like(match["data"]) else None


def in_full(phrase: str | None, people: str | None) -> str | None:
    """The personal data as named ("employees fmla medical paperwork") rather than the
    one word of it that names a class ("fmla")."""
    if people and (phrase is None or f" {phrase} " in f" {people} "):
        return people
    return phrase


def data_words(text: str, lexicon: PolicyLexicon) -> str | None:
    """The shortest run of words that still names the data class ("customer emails")."""
    words = text.split()
    wanted = lexicon.data_class_of(text, strict=True)
    if wanted is None:  # no words name a class: any single word would "match" (“my”)
        return None
    # Words that name an example in full first ("social security number", not the
    # "security number" a loose match would settle for).
    for loose in (False, True):
        for size in range(1, min(len(words), 6) + 1):
            for i in range(len(words) - size + 1):
                part = " ".join(words[i : i + size])
                if lexicon.data_class_of(part, strict=True, loose=loose) == wanted:
                    # "anonymous", "no names": what the data is not, not what it is
                    return (
                        "the de-identified data" if lexicon.data.says_deidentified(part) else part
                    )
    return None
