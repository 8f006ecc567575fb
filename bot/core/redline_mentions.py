"""What counts as a mention of a red line's trigger: not negated, not a mere topic.

"no customer data in it", "patient data that has been anonymized", "never to put member
info in" say the data is absent; "a lesson on password safety", "explain what a network
diagram is", "5th grade" name it without asking for it. Red-line matching
(`bot.core.redlines`) asks these helpers about each span it finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.matching.text import normalize

__all__ = ["CLAUSE", "FILLER", "drop_negated", "negated", "topic", "year_level"]

# Function words a trigger may skip: "customer data" is still "customer's data".
FILLER = frozenset(
    "a an the of for to in on with and or my our your their its is are be about from at by "
    "as this that these those some any all".split()
)
# Words that say the data is absent, not real or about no one ("average test scores"),
# just before the trigger...
_NEGATE_BEFORE = frozenset(
    "no not without none zero never non nothing anonymized anonymous deidentified "
    "de-identified redacted fake dummy synthetic fictional fictitious mock pseudonymized "
    "pseudonymised masked average averages aggregate aggregated schoolwide school-wide "
    "districtwide district-wide companywide company-wide".split()
)
# The cues among them that say the data is not about anyone real.
_NOT_REAL = _NEGATE_BEFORE - frozenset("no not without none zero never non nothing".split())
# ...with only these between the cue and the trigger ("without any real patient names").
_BETWEEN = frozenset(
    "any a an the real actual our my their personal identifiable sensitive of all".split()
)
# ...or just after it ("patient data that has been anonymized").
_NEGATE_AFTER = frozenset(
    "anonymized anonymised redacted removed stripped deidentified de-identified masked "
    "pseudonymized pseudonymised".split()
)
_AFTER_SPAN = 4
# Cues that negate the verb after them ("never to put", "not recording it").
_NEGATE_VERB = frozenset("no not never without dont".split())
# Verbs of putting data in, as a negation cue may precede them.
_PUT_VERBS = frozenset(
    "put paste enter input upload share include type submit give feed send use copy "
    "putting pasting entering inputting uploading sharing including typing submitting "
    "giving feeding sending using copying".split()
)
# What makes a mention a topic, not a request: "a lesson on password safety", "explain
# what a network diagram is", "a tip sheet on respecting copyright". Material to teach or
# warn about the thing, before it...
_TOPIC_NOUNS = frozenset(
    "lesson lessons explainer explainers tip tips sheet guide guidance workshop workshops "
    "training trainings course module class quiz poster posters infographic faq faqs "
    "reminder reminders awareness presentation webinar handout brochure".split()
)
_TOPIC_LINKS = frozenset("on about regarding covering around".split())
_TOPIC_VERBS = frozenset(
    "explain explaining teach teaching respect respecting protect protecting avoid avoiding "
    "spot spotting recognize recognizing prevent preventing".split()
)
# ...or a topic word right after it ("password safety", "copyright law").
_TOPIC_AFTER = frozenset(
    "safety hygiene awareness basics etiquette laws law rules policy policies calendar "
    "calendars schedule schedules deadline deadlines office department process procedure "
    "procedures".split()
)
# Where what a negation covers ends: "no passwords | in it, just the config".
CLAUSE = FILLER | frozenset(
    "so if just only but can could would should i we you he she they is was were mean sure "
    "really think know please pls".split()
)


_ORDINAL = re.compile(
    r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth"
)


def year_level(words: list[str], i: int) -> bool:
    """ "5th grade", "4th graders", "grade 7", "grade level": a school year, not a mark."""
    if not words[i].startswith("grade"):
        return False
    after = words[i + 1] if i + 1 < len(words) else ""
    return bool(
        (i > 0 and _ORDINAL.fullmatch(words[i - 1]))
        or after.isdigit() or after.startswith("level")
    )


def topic(words: list[str], start: int, end: int) -> bool:
    """Whether the mention is what something teaches or warns about, not a request that
    involves it: "a lesson on password safety", "what a grievance is", "a tip sheet on
    respecting copyright", "explain what a network diagram is"."""
    if end + 1 < len(words) and words[end + 1] in _TOPIC_AFTER:
        return True
    before = words[max(0, start - 5) : start]
    if not before:
        return False
    if before[-1] in _TOPIC_VERBS or before[-2:] in (["what", "a"], ["what", "an"]) or (
        before[-2:] in (["what", "is"], ["what", "are"])
    ):
        return True
    return any(
        before[k] in _TOPIC_NOUNS and before[k + 1] in _TOPIC_LINKS
        for k in range(len(before) - 1)
    )


def drop_negated(text: str) -> str:
    """The normalized text without what it says is absent: "no passwords in it" -> "in it".

    Used before looking for data classes, as red lines do their own negation check.
    """
    words = normalize(text).split()
    kept: list[str] = []
    i = 0
    while i < len(words):
        if words[i] in _NEGATE_BEFORE or (words[i] == "free" and words[i + 1 : i + 2] == ["of"]):
            i += 2 if words[i] == "free" else 1
            while i < len(words) and words[i] in _BETWEEN:
                i += 1
            dropped = 0
            while i < len(words) and dropped < 3 and words[i] not in CLAUSE:
                i += 1
                dropped += 1
            continue
        kept.append(words[i])
        i += 1
    return " ".join(kept)


def negated(words: list[str], start: int, end: int, span: Sequence[int] = ()) -> bool:
    i = start - 1
    while i >= 0 and words[i] in _BETWEEN:
        i -= 1
    if i >= 0 and words[i] in _NEGATE_BEFORE and start - i <= 4:
        return True
    # "de-identified class reading scores", "anonymized survey comments": a word saying
    # the data is not about anyone real also covers a couple of words before the data.
    near = words[max(0, start - 3) : start]
    if any(w in _NOT_REAL for w in near) and not any(w in CLAUSE - FILLER for w in near):
        return True
    # "never to put member info in", "don't paste passwords": the act of putting it in
    # is what is negated.
    if i >= 1 and words[i] in _PUT_VERBS:
        cue = i - 2 if words[i - 1] == "to" and i >= 2 else i - 1
        if words[cue] in _NEGATE_VERB:
            return True
    # "meeting (not recording it)": a cue inside the span, before one of its words.
    if any(
        words[p - 1] in _NEGATE_VERB and p - 1 not in span for p in range(start + 1, end + 1)
    ):
        return True
    if i >= 1 and words[i - 1] == "free" and words[i] == "of":
        return True
    after = words[end + 1 : end + 1 + _AFTER_SPAN]
    return any(w in _NEGATE_AFTER for w in after) or (
        end + 1 < len(words) and words[end + 1] == "free"
    )


