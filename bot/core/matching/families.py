"""Common AI jobs a sparse use case lends itself: the policy's few texts reach further.

Why: real policies give a use case a name, a description and about three examples. "Code
quality: review my pull request, debug this python error, refactor this function" is
plainly about programming, yet a sentence model puts "write a SQL query" or "fix my
shell script" far from all five of its texts, so the request reads as "nothing fits".
A built-in bank of jobs people commonly ask an AI tool for (`data/common_ai_jobs.txt`),
in families of one kind of work (writing, email, summarizing, code, spreadsheets,
images ...), fills that gap: a use case plainly about a family (the mean of the family's
FAMILY_TOP best nearness to the use case's own texts reaches LEND_FROM) gets the family's
phrasings as extra texts. A family no use case is about lends nothing, so a policy that
covers no images or translation does not start answering those; a family about as near
two use cases (within TIE) goes to both, and the use cases' own texts rank them.

The lent texts are the policy's in every way but one: calibration does not leave them
out as if they were employees' questions (they are not the policy's examples).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

import numpy as np

__all__ = [
    "FAMILY_TOP", "LEND_FROM", "TIE", "common_jobs", "family_nearness", "lent_families",
    "lent_from",
]

#: A family's nearness to a use case: the mean of its FAMILY_TOP phrasings' best cosine
#: to the use case's own texts (a family's phrasings vary; its closest few say what it is).
FAMILY_TOP = 3
#: ... and from this nearness a use case is plainly about the family.
LEND_FROM = 0.55
#: A family this close to the nearest use case's nearness is lent to that use case too.
TIE = 0.05
_HEADER = re.compile(r"^\[([\w -]+)\]$")


@lru_cache(maxsize=1)
def common_jobs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The bank as (family, phrasings) pairs, in file order."""
    text = files("bot.core.matching").joinpath("data/common_ai_jobs.txt").read_text("utf-8")
    families: list[tuple[str, list[str]]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER.match(line)
        if header:
            families.append((header.group(1), []))
        elif families:
            families[-1][1].append(line)
    return tuple((name, tuple(phrases)) for name, phrases in families if phrases)


def lent_families(
    phrase_vecs: np.ndarray, family_of: np.ndarray, pos: np.ndarray, starts: np.ndarray
) -> list[list[int]]:
    """For each use case, the families (indexes into `common_jobs()`) it is plainly about.

    `phrase_vecs`: every phrasing's vector, `family_of`: each phrasing's family index,
    `pos` / `starts`: the use cases' own text vectors, grouped, and each group's first row.
    """
    return lent_from(family_nearness(phrase_vecs, family_of, pos, starts))


def family_nearness(
    phrase_vecs: np.ndarray, family_of: np.ndarray, pos: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """(families, use cases): how plainly each use case is about each family, the mean of
    the family's FAMILY_TOP phrasings' best cosine to the use case's own texts (arguments
    as for `lent_families`; families are indexed as in `common_jobs()`)."""
    n_families = int(family_of.max()) + 1 if len(family_of) else 0
    out = np.zeros((n_families, len(starts)), dtype=np.float32)
    if len(starts) == 0 or len(phrase_vecs) == 0:
        return out
    nearest = np.maximum.reduceat(phrase_vecs @ pos.T, starts, axis=1)  # (phrases, cases)
    # With `return_index`, np.unique skips its masked-array check, whose first use imports
    # numpy.ma (about 30 ms of a cold `ask`); the families are the same, sorted.
    for family in np.unique(family_of, return_index=True)[0]:
        rows = np.sort(nearest[family_of == family], axis=0)[-FAMILY_TOP:]
        out[family] = rows.mean(axis=0)
    return out


def lent_from(nearness: np.ndarray) -> list[list[int]]:
    """Each use case's lent families from `family_nearness`: the nearest use case of a
    family from LEND_FROM, and any other within TIE of it."""
    lent: list[list[int]] = [[] for _ in range(nearness.shape[1])]
    if not nearness.size:
        return lent
    for family, row in enumerate(nearness):
        best = float(row.max())
        if best < LEND_FROM:
            continue
        for case in np.flatnonzero(row >= best - TIE):
            lent[int(case)].append(int(family))
    return lent
