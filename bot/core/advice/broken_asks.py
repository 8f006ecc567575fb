"""Red lines that ask for a person's check or decision, and requests that skip it.

"fire the rejection emails off without me reading them", "let the bot choose which
children get sponsored first", "make it sound like I wrote it": the job may be allowed,
but the policy asks that a person check AI output or make the call, or that AI use be
said (`situation_lines` reads which lines ask that, and whether a message skips the
check, has AI decide or hides AI use). For the block decision that is a request not to
comply with those lines: a feature of each line, and a line that asks for something
rather than forbidding it is weighed at all.

A message that asks AI for a summary says it will not read the original ("no time to
read this report, summarise it"): that skips no check of AI output.

The same feature says the message does what a line forbids in the situations read in
general English: people manipulated ("plays on their fear"), deceived ("saying it's fixed
even though it isn't", "the police chief's voice"), a security control worked around, people
recorded without being told. With the shipped weights (fitted before these situations were
read) that alone makes a forbidding line block: 27 dev sets, outcome 1825 -> 1836 of 2020,
blocked 289 -> 300 of 376, no new false block; the near misses of the two situation sets
(60 messages) blocked as before (5, none for these situations).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from bot.core.advice.index import PolicyIndex
from bot.core.advice.tool_names import names_a_tool
from bot.core.situation_cues import ai_decides, hides_ai, skips_checking

__all__ = ["skipped_asks"]

# Asking for a summary (not "the AI's summary", which is output).
_DIGEST = re.compile(
    r"\b(?:summari[sz]e|summari[sz]ing|sum (?:\w+ )?up|condense|shorten|tl ?;? ?dr|"
    r"the gist|key points|main points|boil (?:\w+ )?down)\b",
    re.I,
)


def skipped_asks(index: PolicyIndex, text: str, ids: Sequence[str]) -> np.ndarray:
    """Per red line (`ids`): whether the message skips what the line asks a person to
    do (its check of AI output, its decision, or saying AI was used), or does what the
    line forbids in one of the situations read in general English."""
    situations = index.scope.situations
    def is_tool(word: str) -> bool:
        return names_a_tool(index, word)

    unchecked = skips_checking(text, is_tool) and not _DIGEST.search(text)
    decides = ai_decides(text, is_tool)
    hides = hides_ai(text)
    broken = frozenset(situations.broken_by(text))
    return np.asarray([(unchecked and i in situations.review)
                       or (decides and i in situations.decisions)
                       or (hides and i in situations.disclosure)
                       or i in broken for i in ids], dtype=bool)
