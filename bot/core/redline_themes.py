"""Triggers a red line gets from its own wording, beyond the few its author listed.

IT writes a handful of triggers ("decide the case", "confidential"); employees write
"have the AI figure out what sentence he should get" or paste a doctor's note. Two
sources widen a red line's reach without anyone editing the policy:

- themes (bot/core/data/redline_themes.yaml): a red line whose title or first rule
  sentence is about deciding, faking a real person, secrets, personal or health data,
  confidential information, skipping review or training also fires on how people ask
  for those things;
- data classes: a red line whose rule names a data class ("sensitive or City data",
  "confidential, private or privileged information") also fires on that class's
  example phrases and label parts.

Triggers come in two kinds: `act` (asking AI to do the forbidden thing: blocks when the
red line forbids) and `data` (the data is mentioned: shown, blocks only when the message
puts the data in and the red line holds for every tool).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.english import is_english_word
from bot.core.matching.text import normalize, stem_tokens
from bot.core.pasted import PLACEHOLDER_PATTERN
from bot.policy.models import Policy, RedLine

__all__ = ["DerivedTriggers", "derive_triggers", "names_an_act", "puts_data_in"]

_FILE = Path(__file__).resolve().parent / "data" / "redline_themes.yaml"
# Parts of a label or example: "Confidential, private or privileged information" has three.
_SPLIT = re.compile(r",|;|/|\(|\)|\bsuch as\b|\bincluding\b|\band\b|\bor\b|\blike\b", re.I)
_GENERIC = frozenset(
    stem_tokens(
        "data information info details detail document documents record records file files "
        "other any all".split()
    )
)
_WORD = re.compile(r"[a-z0-9]+")
# "paste", "upload", "put ... into": the message says the data goes into a tool.
_PUTS_IN = re.compile(
    r"\b(?:paste[ds]?|pasting|upload(?:s|ed|ing)?|enter(?:s|ed|ing)?|"
    r"input(?:s|ting)?|type[ds]?|typing|cop(?:y|ied|ying)(?! of\b)|feed(?:ing)?|"
    r"drop(?:s|ped|ping)?|load(?:s|ed|ing)?|attach(?:es|ed|ing)?|"
    r"includ(?:e|es|ed|ing)|run\b.*\bthrough)\b|"
    # "put" and "share" with where it goes ("put a stop on my account" is no input),
    # "give" with whom it goes to ("does the bank give cards to people like me" is none)
    r"\b(?:put(?:s|ting)?|shar(?:e|es|ed|ing))\b[^.?!]*?\b(?:in|into|inside|through|onto|with)\b|"
    r"\b(?:give|gives|giving)\s+(?:it|(?:the\s+|an?\s+)?(?:ai|bot|chatbot|model|assistant|tool|llm|"
    r"gpt|chatgpt|copilot|gemini|claude))\b",
    re.I,
)
# The data is in the message or handed over ("here's the wifi password", a pasted
# e-mail address), or is what the AI is asked to work on: "summarize her personnel
# file", "rank my students by their test scores", "draft the timeline from the claim
# documents" (not "from my bank account": people say that of their own money). A red
# line about data then concerns the request, not just the topic.
_WORKS_ON = re.compile(
    rf"{PLACEHOLDER_PATTERN}|"
    r"\b(?:here'?s|here is|here are|below|attached|as follows|"
    r"summari[sz](?:e|es|ed|ing)|rewrit(?:e|es|ing)|reword|proofread|analy[sz](?:e|es|ing)|"
    r"sort|rank|tally|tabulate|chart|plot|translate|extract|pull out|clean up|tidy|"
    r"organi[sz]e|compare|go through|read through|turn (?:it|them|this|these) into|"
    r"fill (?:in|out)|based on|from (?:the|these|those|this))\b",
    re.I,
)


@dataclass(frozen=True)
class _Theme:
    id: str
    kind: str
    about: tuple[tuple[str, ...], ...]
    phrases: tuple[str, ...]
    within: str | None = None
    not_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class DerivedTriggers:
    """(red-line id, triggers) pairs the policy did not write, by kind."""

    acts: list[tuple[str, list[str]]] = field(default_factory=list)
    data: list[tuple[str, list[str]]] = field(default_factory=list)
    themes: dict[str, list[str]] = field(default_factory=dict)  # red-line id -> theme ids


def _stems(text: str) -> frozenset[str]:
    return frozenset(_sequence(text))


@lru_cache(maxsize=4096)
def _sequence(text: str) -> tuple[str, ...]:
    return tuple(stem_tokens(normalize(text).replace("-", " ").replace("'", " ").split()))


def _says(wording: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether the wording contains the phrase, word for word (stemmed)."""
    n = len(phrase)
    if n == 0 or phrase[0] not in wording:
        return False
    if n == 1:
        return True
    return any(
        wording[i] == phrase[0] and wording[i : i + n] == phrase
        for i in range(len(wording) - n + 1)
    )


def _near(wording: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether the wording says the phrase in its order, with up to two other words
    between its words: a theme's "recording meetings" is what "recording any AMAPCEO
    meetings" is about, "personal information" what "personal or confidential
    information" is (never across the title | rule boundary)."""
    if _says(wording, phrase):
        return True
    if len(phrase) < 2 or not all(w in wording for w in phrase):
        return False
    for i, word in enumerate(wording):
        if word != phrase[0]:
            continue
        at = i
        for other in phrase[1:]:
            ahead = wording[at + 1 : at + 4]
            if other not in ahead or "|" in ahead[: ahead.index(other)]:
                break
            at += 1 + ahead.index(other)
        else:
            return True
    return False


@lru_cache(maxsize=1)
def _themes() -> tuple[_Theme, ...]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser: cold starts count
    raw = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)["themes"]
    return tuple(
        _Theme(
            t["id"],
            t["kind"],
            tuple(_sequence(a) for a in t["about"]),
            tuple(t["phrases"]),
            t.get("within"),
            tuple(t.get("not_with", ())),
        )
        for t in raw
    )


def _wording(line: RedLine) -> tuple[str, ...]:
    """The title and the rule's first sentence: what the red line is about. (Later
    sentences give reasons and exceptions, which name other things.)"""
    first = re.split(r"(?<=[.!?])\s", line.rule.strip(), maxsplit=1)[0]
    return (*_sequence(line.title), "|", *_sequence(first))


# A title that forbids doing something: "No GenAI for recording meetings", "Do not sign
# contracts", "No harassing or defaming others".
_TITLE_VERB = re.compile(
    r"\b(?:for|from|never|not|avoid|stop)\s+(\w+ing)\b|"
    r"\bno\s+(\w+ing)\b(?=\s*(?:,|or\b|and\b|on\b|with\b|about\b|to\b|$))|"
    r"^\s*(?:do not|don'?t|never)\s+(\w+)",
    re.I,
)
# Verbs of data going in: "Never paste passwords", "No GenAI for inputting member data"
# forbid the data, not an act.
_DATA_VERBS = frozenset(
    stem_tokens(
        "input inputting enter entering paste pasting put putting upload uploading share "
        "sharing include including type typing submit submitting provide providing give "
        "giving feed feeding store storing send sending use using process processing copy "
        "copying load loading attach attaching save saving go goes going expose exposing "
        "disclose disclosing place placing".split()
    )
)


def names_an_act(line: RedLine) -> bool:
    """Whether the red line's title forbids an act (recording, drafting, communicating,
    signing) rather than data going in: its own triggers then name that act ("grievances"
    for "communicating about sensitive matters such as grievances"), and a request that
    names them is for the act, whatever data the rule also mentions."""
    for match in _TITLE_VERB.finditer(line.title):
        verb = next((g for g in match.groups() if g), "").lower()
        if verb and stem_tokens([verb])[0] not in _DATA_VERBS:
            return True
    return False


def _data_phrases(policy: Policy, line: RedLine, spell_out: Callable[[str], str]) -> list[str]:
    """Example phrases of the data classes the red line's rule names, and of every more
    sensitive class (never the least sensitive class: public information is not what a
    red line protects)."""
    wording = (*_sequence(line.title), "|", *_sequence(line.rule))
    out: list[str] = []
    named = False
    for item in policy.data_classes[1:]:
        parts = [p.strip() for p in _SPLIT.split(item.label) if p and p.strip()]
        # by its label, its first part ("Confidential" of "Confidential, private or
        # privileged information"), or an id that is not an ordinary word ("P3")
        named = (
            named
            or _says(wording, _sequence(item.label))
            or bool(parts and _stems(parts[0]) - _GENERIC and _says(wording, _sequence(parts[0])))
            or (not is_english_word(item.id.lower()) and _says(wording, _sequence(item.id)))
        )
        if not named:
            continue
        for text in (*parts, *item.examples):
            for part in _SPLIT.split(spell_out(text)):
                part = part.strip()
                # "resident data", "motion papers": a lone word cut out of a list
                # ("names", "Restricted") is too common to mean the data
                if len(part.split()) >= 2 and _stems(part) - _GENERIC:
                    out.append(part)
    return list(dict.fromkeys(out))


def _plain(text: str) -> str:
    """Lower-case words between spaces: a cheap form to compare phrases by (this runs
    for every theme phrase of every red line when a cold `ask` builds the reader)."""
    return f" {' '.join(_WORD.findall(text.lower()))} "


def _contains_any(text: str, phrases: set[str]) -> bool:
    return any(p in text for p in phrases if p.strip())


def _about(line: RedLine) -> list[_Theme]:
    """Themes the red line is about. When its title names an act ("No personal AI
    accounts for school work"), data its rule names only qualifies the act ("... or with
    student data"): the red line is about the act, not about every mention of the data."""
    title = _sequence(line.title)
    in_title = [t for t in _themes() if any(_near(title, about) for about in t.about)]
    wording = _wording(line)
    themes = [t for t in _themes() if any(_near(wording, about) for about in t.about)]
    if any(t.kind == "act" for t in in_title):
        themes = [t for t in themes if t.kind == "act" or t in in_title]
    ids = {t.id for t in themes}
    return [t for t in themes if not ids.intersection(t.not_with)]


def _theme_phrases(
    mine: list[_Theme], claimed: set[str]
) -> list[tuple[_Theme, list[str]]]:
    """Each theme of a red line with its phrases, less those of a narrower theme (`within`
    it) that another red line of the policy is about and this one is not."""
    ids = {t.id for t in mine}
    out = []
    for theme in mine:
        narrower = {
            p
            for t in _themes()
            if t.within == theme.id and t.id in claimed and t.id not in ids
            for p in t.phrases
        }
        out.append((theme, [p for p in theme.phrases if p not in narrower]))
    return out


def derive_triggers(policy: Policy, spell_out: Callable[[str], str]) -> DerivedTriggers:
    """Every red line's derived triggers, worked out once per policy version.

    A phrase two themes share goes to the more specific red line: where one red line is
    about student PII and another about staff HR records, "personnel file" (personal
    data, and employee records) fires only the HR one.
    """
    derived = DerivedTriggers()
    about = {line.id: _about(line) for line in policy.red_lines}
    claimed = {t.id for themes in about.values() for t in themes}
    phrases = {line.id: _theme_phrases(about[line.id], claimed) for line in policy.red_lines}
    # Phrases a red line names as its own (triggers, theme phrases): a data class
    # example that another red line names is that red line's, not every red line's
    # that protects the class ("test scores" is the records line's, not the PII line's).
    named = {
        line.id: {
            _plain(p)
            for p in (*line.triggers, *(x for _, ps in phrases[line.id] for x in ps))
        }
        for line in policy.red_lines
    }
    for line in policy.red_lines:
        acts: list[str] = []
        others = set().union(*(v for k, v in named.items() if k != line.id))
        data = [
            p
            for p in ([] if names_an_act(line) else _data_phrases(policy, line, spell_out))
            if _contains_any(_plain(p), named[line.id]) or not _contains_any(_plain(p), others)
        ]
        themes = [t.id for t in about[line.id]]
        for theme, kept in phrases[line.id]:
            (acts if theme.kind == "act" else data).extend(kept)
        if acts:
            derived.acts.append((line.id, list(dict.fromkeys(acts))))
        if data:
            derived.data.append((line.id, list(dict.fromkeys(data))))
        derived.themes[line.id] = themes
    return derived


def puts_data_in(text: str) -> bool:
    """Whether the message puts what it names into a tool: "paste", "upload", data
    pasted or handed over in the message, or data the AI is asked to work on."""
    return bool(_PUTS_IN.search(text) or _WORKS_ON.search(text))
