"""What counts as a mention of a red line's trigger: not negated, not a mere topic.

"no customer data in it", "patient data that has been anonymized", "never to put member
info in" say the data is absent; "a lesson on password safety", "explain what a network
diagram is", "5th grade" name it without asking for it. Red-line matching
(`bot.core.redline_matcher`) asks these helpers about each span it finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.matching.text import normalize

__all__ = ["CLAUSE", "FILLER", "by_people", "drop_negated", "negated", "topic", "year_level"]

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
    "any a an the real actual our my their personal identifiable sensitive of all about "
    "regarding involving including containing with".split()
)
# A list under one cue: "no grades or test scores", "without names, emails or IDs".
_LIST_JOINS = frozenset("or and nor".split())
# Words of a list item between a cue and the data ("no grades or test scores"): not these.
_NOT_LIST_ITEM = frozenset(
    "so if but just only then can could would should will i we you he she they please "
    "need want want to use paste put".split()
)
# Said of the data just after it: "the grades are not in it", "names aren't included".
_ABSENT_AFTER = frozenset(
    "in inside included part there present involved attached needed required shared".split()
)
# Past removal just before the data: "I removed the names", "took out all student IDs".
_REMOVED = frozenset(
    "removed deleted stripped scrubbed erased omitted excluded blanked blurred".split()
)
_OUT_VERBS = frozenset("took taken cut left pulled blacked stripped cleaned".split())
# ...or just after it ("patient data that has been anonymized").
_NEGATE_AFTER = frozenset(
    "anonymized anonymised redacted removed stripped deidentified de-identified masked "
    "pseudonymized pseudonymised deleted scrubbed erased omitted excluded blanked".split()
)
_AFTER_SPAN = 4
# Cues that negate the verb after them ("never to put", "not recording it").
_NEGATE_VERB = frozenset("no not never without dont nothing".split())
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
    "reminder reminders awareness presentation webinar handout brochure seminar seminars "
    "session sessions lunch-and-learn one-pager primer refresher orientation article "
    "articles news story stories guideline guidelines".split()
)
_TOPIC_LINKS = frozenset("on about regarding covering around".split())
_TOPIC_VERBS = frozenset(
    "explain explaining teach teaching respect respecting protect protecting avoid avoiding "
    "spot spotting recognize recognizing prevent preventing".split()
)
# Verbs whose object is what is fought, caught or warned about, never what is asked
# for: "debunking misleading claims", "correcting the misleading rumors", "warn staff
# about scams that impersonate the mayor".
_COUNTER_VERBS = frozenset(
    "debunk debunking correct correcting counter countering refute refuting rebut "
    "rebutting combat combating combatting fight fighting spot spotting recognize "
    "recognizing recognise recognising prevent preventing avoid avoiding guard guarding "
    "warn warning warns".split()
)
# After a mention an explaining verb governs, what makes it a rule being explained
# ("explaining why payroll data must stay out of AI"), not data being explained
# ("explain why the test scores dropped").
_RULE_AFTER = frozenset("must should never not cannot may stay stays kept".split())
# Between a topic or counter verb and the mention, words that keep the mention its
# object: "explaining why payroll data ...", "spotting emails that impersonate ...".
_TOPIC_BRIDGE = frozenset(
    "why how what when whether about on against that which who whose".split()
)
# Where such a verb's reach ends: a new clause or request.
_TOPIC_STOP = frozenset(
    "so but then just please i we can could would should will also plus and".split()
)
# A past act asked about ("what was decided", "what did the council decide", "what they
# decided"): a report of what people did, not a request to do it.
_WH = frozenset("what which how when why".split())
_MODAL_WORDS = frozenset("will can could would should must shall may might to".split())
# ...or a topic word right after it ("password safety", "copyright law").
_TOPIC_AFTER = frozenset(
    "safety hygiene awareness basics etiquette laws law rules policy policies calendar "
    "calendars schedule schedules deadline deadlines office department process procedure "
    "procedures training trainings course courses workshop workshops seminar seminars "
    "webinar webinars module modules team teams unit division committee".split()
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
    if any(
        before[k] in _TOPIC_NOUNS and before[k + 1] in _TOPIC_LINKS
        for k in range(len(before) - 1)
    ):
        return True
    return _governed(words, start, end) or _reported(words, start, end)


def _governed(words: list[str], start: int, end: int) -> bool:
    """Whether a topic or counter verb earlier in the clause has the mention as its
    object: "explaining why payroll data must stay out", "a module on spotting emails
    that impersonate vendors", "correcting the misleading rumors"."""
    for k in range(start - 1, max(-1, start - 9), -1):
        word = words[k]
        if word in _TOPIC_STOP:
            return False
        between = words[k + 1 : start]
        bridged = any(w in _TOPIC_BRIDGE for w in between)
        if word in _COUNTER_VERBS:
            # "correcting the misleading rumors": a counter verb's object directly
            return bridged or all(w in ("a", "an", "the") for w in between)
        if word in _TOPIC_VERBS:
            rule = any(w in _RULE_AFTER for w in words[end + 1 : end + 4])
            return bridged and rule
    return False


def _reported(words: list[str], start: int, end: int) -> bool:
    """Whether the mention is a past act asked about: "what was decided", "what did the
    council decide", "a recap of what they decided"."""
    before = words[max(0, start - 4) : start]
    for k, word in enumerate(before):
        if word in _WH and k + 1 < len(before):
            if before[k + 1] == "did":
                return True
            # "what the board decided", "what was decided"; not "which should be denied"
            if words[start].endswith("ed") and not _MODAL_WORDS & set(before[k + 1 :]):
                return True
    return False


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


def _cue_before(words: list[str], start: int) -> int:
    """Where the word that may negate the mention is: before any words a cue may reach
    over ("without any real patient names") and the earlier items of a list under the
    same cue ("no grades or test scores", "without names, emails or IDs")."""
    i = start - 1
    while i >= 0 and words[i] in _BETWEEN:
        i -= 1
    reach = 0
    while i >= 1 and words[i] in _LIST_JOINS and reach < 2:
        j = i - 1
        items = 0
        while j >= 0 and items < 3 and words[j] not in _NOT_LIST_ITEM and (
            words[j] not in _NEGATE_BEFORE
        ):
            j -= 1
            items += 1
        if j < 0 or words[j] not in _NEGATE_BEFORE or items == 0:
            break
        return j
    return i


# A rule stated, not a request: "why we never use AI to alter photos", "reminding them
# not to copy-paste AI text into ...", "staff must not paste ...": a cue a few words
# before, in the same clause ("why can't I paste" is a request: "i" starts a clause).
_RULE_NOT = frozenset("should must do does shall will".split())
_SCOPE = 8
_SCOPE_STOP = CLAUSE - FILLER - frozenset("is".split())
# People doing the act themselves: "so they can decide", "I'll make the decision myself"
# (see `by_people`).
_PEOPLE = frozenset("i we they he she".split())
_MODAL = frozenset("will can could would should must shall may might".split())
_THEMSELVES = frozenset("myself ourselves themselves himself herself".split())


def _rule_stated(words: list[str], start: int) -> bool:
    for k in range(start - 1, max(-1, start - 1 - _SCOPE), -1):
        word = words[k]
        if word == "never" or (word == "not" and (
            words[k + 1 : k + 2] == ["to"] or (k >= 1 and words[k - 1] in _RULE_NOT)
        )):
            return True
        if word in _SCOPE_STOP:
            return False
    return False


def by_people(words: list[str], start: int, end: int) -> bool:
    """Whether the act is one the people do themselves ("so they can decide", "I will
    decide myself"): no mention of a red line that AI must not do it; one about what
    people do when they act ("say when AI wrote what you publish") still applies."""
    before = words[max(0, start - 2) : start]
    return (len(before) == 2 and before[0] in _PEOPLE and before[1] in _MODAL) or (
        end + 1 < len(words) and words[end + 1] in _THEMSELVES
    )


def negated(words: list[str], start: int, end: int, span: Sequence[int] = ()) -> bool:
    """Whether the mention says the data is absent or the act is not done: see the
    module's examples; also a rule stated ("why we never use AI to ...")."""
    if _rule_stated(words, start):
        return True
    i = start - 1
    while i >= 0 and words[i] in _BETWEEN:
        i -= 1
    if i >= 0 and words[i] in _NEGATE_BEFORE and start - i <= 4:
        return True
    cue = _cue_before(words, start)
    if cue >= 0 and cue != i and words[cue] in _NEGATE_BEFORE and start - cue <= 7:
        return True
    # "I removed the student names", "took out all the IDs": data taken out beforehand.
    if i >= 0 and (words[i] in _REMOVED or (
        words[i] == "out" and i >= 1 and words[i - 1] in _OUT_VERBS
    )):
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
    # "the grades are not in it", "names are not included", "IDs are left out"
    absent = any(
        w in ("not", "never") and after[k + 1 : k + 2] and after[k + 1] in _ABSENT_AFTER
        for k, w in enumerate(after)
    ) or any(
        w == "out" and k >= 1 and after[k - 1] in _OUT_VERBS for k, w in enumerate(after)
    )
    return absent or any(w in _NEGATE_AFTER for w in after) or (
        end + 1 < len(words) and words[end + 1] == "free"
    )


