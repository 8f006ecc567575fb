"""Labels for candidate use cases, and keeping people's names out of what leadership reads.

A label is one of the group's own requests, the one most typical of the group, reduced to
its job and written as a use case ("Scanning handwritten delivery notes"). Which request:
the members nearest the group's centroid are scored by how many of the group's key terms
(class-based TF-IDF: frequent in this group, rare in the others) their label keeps, and
short, name-free labels win ties. Never a bag of words: a label is always a phrase someone
wrote, minus the frame around it.

Names: questions are redacted before they are stored (`bot.core.redact`), and a label drops
any capitalized word that is not an acronym or a term the group uses in lower case. Example
requests get `scrub_names`, which replaces what reads like a person ("Priya Raman asked",
"for Maria", "Tom's notes") with "[NAME]".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.core.insights.phrasing import job_phrase, use_case_label
from bot.core.pii.names import BUILTIN_TOOL_NAMES

__all__ = ["FALLBACK_LABEL", "choose_label", "key_terms", "scrub_names", "shown_examples"]

FALLBACK_LABEL = "Unclassified request"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
_STOP = frozenset("""a an and are as at be by can could do for from get have help how i in into
is it its me my need of on or our please so some that the their them there this to tool tools ai
use using want way we what which will with would you your""".split())
_CANDIDATES = 8
# Words after which a capitalized word is a person ("ask Maria", "my manager Tom").
_CUES = ("colleague", "manager", "boss", "coworker", "co-worker", "team lead", "lead",
         "director", "assistant", "intern", "client", "customer", "mr", "mrs", "ms", "dr",
         "prof", "for", "from", "to", "with", "ask", "asked", "tell", "told", "email", "cc",
         "by", "and", "call", "meet", "help", "send", "forward", "like", "about", "of", "on")
_CAP = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_NAME_PATTERNS = (
    # First Last (two capitalized words in a row, not at the very start of the text).
    re.compile(rf"(?<=[a-z,;:] )({_CAP}(?: {_CAP})+)(?:'s)?\b"),
    re.compile(rf"(?:^|(?<=[.?!] ))({_CAP}(?: {_CAP})?)(?= (?:asked|wants|needs|says|said|told|"
               r"would like|was asking|is asking)\b)"),
    # A capitalized word after a person cue, or before "asked / wants / says".
    re.compile(rf"(?i:\b(?:{'|'.join(_CUES)})\.?) ({_CAP})\b(?!-)"),
    re.compile(rf"(?<=[a-z,;:.?!] )({_CAP})(?= (?:asked|wants|needs|says|said|told)\b)"),
    # Possessive of a capitalized word mid-sentence ("summarise Sarah's notes").
    re.compile(rf"(?<=[a-z,;:] )({_CAP})'s\b"),
)


# Capitalized words in workplace requests that are products, languages or places, not people.
_NOT_PEOPLE = BUILTIN_TOOL_NAMES | frozenset("""
microsoft teams excel word outlook powerpoint sharepoint onedrive office windows azure google
sheets docs drive gmail slides workspace slack zoom webex salesforce hubspot sap oracle
workday servicenow jira confluence notion asana trello miro figma canva adobe photoshop
illustrator acrobat premiere github gitlab python java javascript sql tableau power bi
looker snowflake aws amazon apple ios android linkedin youtube instagram tiktok facebook
chatgpt openai anthropic deepl grammarly midjourney synthesia dall-e pdf csv english german
french spanish italian dutch portuguese chinese japanese korean arabic hindi europe america
monday tuesday wednesday thursday friday saturday sunday january february march april june
july august september october november december
""".split())


def scrub_names(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Replace what reads like a person's name with "[NAME]" (known products and the
    words in `keep` stay)."""
    keep = keep | _NOT_PEOPLE
    for pattern in _NAME_PATTERNS:
        def swap(match: re.Match[str]) -> str:
            name = match.group(1)
            if all(part.lower() in keep for part in name.split()):
                return match.group(0)
            return match.group(0).replace(name, "[NAME]")

        text = pattern.sub(swap, text)
    return text


def _terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]


def key_terms(groups: Sequence[Sequence[str]], n: int = 5) -> list[list[str]]:
    """Class-based TF-IDF: each group's terms, frequent in it and rare in the others."""
    counts = [Counter(t for text in texts for t in _terms(job_phrase(text) or text))
              for texts in groups]
    spread = Counter(t for c in counts for t in c)
    total = len(groups)
    out = []
    for c in counts:
        size = sum(c.values()) or 1
        scored = {t: (k / size) * math.log(1 + (total + 1) / spread[t]) for t, k in c.items()}
        out.append(sorted(scored, key=lambda t: (-scored[t], t))[:n])
    return out


def _keep(texts: Sequence[str], extra: frozenset[str]) -> frozenset[str]:
    """Words the group writes in lower case somewhere: common words, not names."""
    lower = {w for text in texts for w in _WORD.findall(text) if w.islower()}
    return frozenset(lower) | extra


def choose_label(
    texts: Sequence[str],
    vectors: np.ndarray | None,
    terms: Sequence[str],
    *,
    keep: frozenset[str] = frozenset(),
) -> str:
    """The group's most typical request, as a short use case; `FALLBACK_LABEL` if none."""
    if not texts:
        return FALLBACK_LABEL
    if vectors is not None and len(vectors) == len(texts):
        centroid = vectors.sum(axis=0)
        centrality = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
    else:
        centrality = np.zeros(len(texts))
    order = np.argsort(-centrality, kind="stable")[:_CANDIDATES]
    allowed = _keep(texts, keep)
    best: tuple[float, str] | None = None
    top = [t.lower() for t in terms[:3]]
    for rank, i in enumerate(order):
        label = use_case_label(job_phrase(texts[i]), keep=allowed)
        words = label.lower().split()
        if len(words) < 2 or "[" in label:
            continue
        covered = sum(any(w.startswith(t[:5]) for w in words) for t in top)
        score = covered - 0.15 * rank - 0.05 * max(len(words) - 5, 0)
        if best is None or score > best[0]:
            best = (score, label)
    if best is None:
        phrase = use_case_label(job_phrase(texts[int(order[0])]), keep=allowed)
        return phrase or FALLBACK_LABEL
    return best[1]


def shown_examples(
    examples: Sequence[str], askers: int, min_group_size: int, *, limit: int = 3
) -> tuple[str, ...]:
    """The one small-group rule for every surface: a candidate asked by fewer than
    `min_group_size` distinct people is counted but shows no verbatim request (a lone
    asker's words can identify them); larger ones show up to `limit`, names scrubbed."""
    if askers < min_group_size:
        return ()
    return tuple(scrub_names(e) for e in examples[:limit])
