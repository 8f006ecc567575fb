"""Colloquial ways of putting data into a tool, read as "put".

"stick the business plan into DeepSeek", "chuck the rota in ChatGPT", "dump the customer
database into a free AI tool": every reading of data going in (data checks, red lines,
described data, the refusals) knows "put", "paste", "upload" and their kin, not the
everyday verbs people type. Rewriting those few verbs once, before the message is read,
keeps that vocabulary in one place rather than in each pattern. Only a verb with an object
and then "in", "into", "onto" or "through" is rewritten: "stick to the plan", "pop into the
office" and "a data dump" are left alone.
"""

from __future__ import annotations

import re

__all__ = ["plain_put_verbs"]

_PUT = re.compile(
    r"\b(?:stick|stuck|sticking|sticks|chuck(?:s|ed|ing)?|dump(?:s|ed|ing)?|"
    r"shove[sd]?|shoving|pop(?:s|ped|ping)?|bung(?:s|ed|ing)?|plonk(?:s|ed|ing)?|"
    r"toss(?:es|ed|ing)?|throw(?:s|ing)?|threw)\b"
    # an object first, then where it goes, in the same clause
    r"(?=\s+(?!(?:in|into|onto|on|through|to|up|out|off|away|around|by|over)\b)"
    r"[^.?!;,]{1,80}?\b(?:in|into|onto|through)\b)",
    re.IGNORECASE,
)


def plain_put_verbs(text: str) -> str:
    """`text` with colloquial verbs of putting data into a tool written as "put"."""
    return _PUT.sub("put", text)
