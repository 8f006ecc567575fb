"""Whether a message says its data is harmless: anonymized, published, nothing confidential.

Data red lines written for a tool are left out of an answer whose data is said to be safe
(`RedLineScope.harmless`). Said of data that is not yet so ("not officially published",
"the draft we haven't published yet") it is the opposite: the data is not public.
"""

from __future__ import annotations

import re

__all__ = ["said_harmless"]

# "anonymized", "de-identified", "published", "nothing confidential": data said to be safe.
_HARMLESS = re.compile(
    r"\b(?:anonymi[sz]ed|de-?identified|pseudonymi[sz]ed|aggregated?|redacted|published|"
    r"publicly available|dummy|synthetic|made-up|fictional|"
    r"(?:nothing|no|without any|not any)\s+(?:\w+\s+)?(?:confidential|sensitive|personal|"
    r"private|identifying|identifiable)\b)",
    re.I,
)


# "not officially published", "hasn't been published yet", "before it's published": the
# data is said NOT to be harmless (a few words before the harmless word).
_NOT_YET = re.compile(
    r"\b(?:not|never|isn'?t|aren'?t|wasn'?t|hasn'?t|haven'?t|has not|have not|is not|"
    r"are not|yet to be|before)\b(?:\s+[\w'’]+){0,3}\s*$",
    re.I,
)


def said_harmless(text: str) -> bool:
    """Whether the message says its data is harmless ("anonymized figures", "the
    published report", "nothing confidential in it"), not that it is not yet so."""
    return any(
        not _NOT_YET.search(text[: found.start()]) for found in _HARMLESS.finditer(text)
    )
