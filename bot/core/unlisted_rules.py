"""Find the policy's rule for AI tools it does not list, however the policy words it.

"Is DeepSeek allowed?" should get the policy's own rule for unapproved, personal, free
or public tools, but every organization writes that rule differently: "only tools IT
approved may be used", "no staff use of AI that has not been through a privacy
assessment", "publicly available generative AI", "tools outside our enterprise
agreement". Two readings of a red line's title and first sentence, so neither a
vocabulary nor a model alone decides:

- lexical: a tool word ("tools", "apps", "accounts", "AI") qualified as not approved,
  personal, free, public, outside an agreement, or "only" approved ones;
- by meaning: the sentence is nearer a built-in bank of such rules
  (data/unlisted_rules.yaml) than a bank of the other kinds of rule policies write
  (data, review, decisions, harmful content), by a margin.

Only the title and first sentence are read: a data red line that ends "never paste it
into public tools" is about the data, not about unlisted tools. Worked out once per
policy version (see `advice.index.build_index`); red-line vectors come from the
matcher's policy-text cache, stored with the version, and the bank's ship with it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from bot.core.bank_vectors import bank_vectors
from bot.policy.models import RECOMMENDABLE, Policy, RedLine

__all__ = [
    "MARGIN",
    "VECTORS",
    "bank_hash",
    "bank_texts",
    "lexical_rule",
    "rule_scores",
    "rule_sentences",
]

_FILE = Path(__file__).resolve().parent / "data" / "unlisted_rules.yaml"
#: The bank embedded with the default model (scripts/build_unlisted_vectors.py).
VECTORS = _FILE.with_name("unlisted_rules_vectors.npz")
#: How much nearer the rules-about-unlisted-tools bank than the other-rules bank a
#: sentence must be (cosine difference) to be read as that rule by meaning alone.
MARGIN = 0.12
#: When at least this many red lines (and at least half) word their rule about such
#: tools, that wording is the policy's framing (see `rule_scores`).
_FRAMING = 3
#: Policy texts to vectors (unit rows), e.g. the matcher's cached policy embeddings.
PolicyVectors = Callable[[Sequence[str]], np.ndarray]

_TOOL = (
    r"(?:(?:gen(?:erative)?[ -]?)?ai|genai|llms?|chat ?bots?|tools?|apps?|applications?|"
    r"services?|products?|programs?|platforms?|accounts?|models?|software|systems?|sites?|"
    r"websites?|versions?|editions?|subscriptions?|extensions?|plug-?ins?|add-?ons?|"
    r"assistants?|solutions?|technolog(?:y|ies)|artificial intelligence)"
)
_QUALIFIER = (
    r"(?:unapproved|non-?approved|unauthori[sz]ed|unsanctioned|unvetted|unlicen[sc]ed|"
    r"unlisted|unmanaged|personal|personally[- ]owned|free|freely available|consumer|home|"
    r"public|publicly[- ](?:available|accessible)|openly available|third[- ]party|"
    r"external|non-?enterprise|non-?corporate|your own|private|individual|any other|"
    r"other|shadow)"
)
# Words that may stand between a qualifier and its tool word: "public or consumer AI
# tools", "free online chat services".
_BETWEEN = (
    r"(?:\s+(?:or|and|/|ai|gen|genai|generative|online|web|web-based|cloud|internet|"
    r"commercial|consumer|public|free|personal|third-party|versions? of|paid|chat))*"
)
# What a tool that is not approved has not been: "not been through a privacy assessment".
_NOT_APPROVED = (
    r"(?:approved|authori[sz]ed|sanctioned|vetted|assessed|reviewed|evaluated|licen[sc]ed|"
    r"procured|listed|cleared|certified|accredited|endorsed|"
    r"(?:provided|supplied|issued|managed|purchased|paid for) by|"
    r"(?:completed|passed|undergone|had|been through|gone through)(?:\s+[\w'-]+){0,3}?\s+"
    r"(?:assessments?|reviews?|approval|vetting|evaluations?|clearance))"
)
# What only some tools are: "only tools approved by IT", "only company-provided tools".
_ONLY = (
    rf"(?:{_NOT_APPROVED}|provided|supplied|issued|managed|contracted|enterprise|"
    r"corporate|company|organi[sz]ation(?:al)?|official|sanctioned)"
)
_LEXICAL = [
    # "personal AI accounts", "public or consumer AI tools", "publicly available generative AI"
    re.compile(rf"\b{_QUALIFIER}{_BETWEEN}\s+{_TOOL}\b", re.I),
    # "personal ChatGPT accounts", "free Gemini subscriptions"
    re.compile(
        rf"\b{_QUALIFIER}(?:\s+[\w.-]+){{0,2}}?\s+(?:accounts?|subscriptions?|plans?|editions?|"
        r"versions?|licen[cs]es?|logins?)\b",
        re.I,
    ),
    # "tools that have not been through an assessment", "AI that is not approved"
    re.compile(
        rf"\b{_TOOL}\b[^.;:]{{0,40}}?\b(?:not|n't|never|yet to)\b(?:\s+[\w-]+){{0,3}}?\s+"
        rf"{_NOT_APPROVED}\b",
        re.I,
    ),
    # "only tools approved by IT", "use only approved tools", "only company-provided tools"
    re.compile(
        rf"\bonly\b(?:\s+[\w'-]+){{0,4}}?\s+(?:\w+-)?{_ONLY}\b[^.;:]{{0,30}}?\b{_TOOL}\b"
        rf"|\bonly\b(?:\s+[\w'-]+){{0,3}}?\s+{_TOOL}\b[^.;:]{{0,40}}?\b{_ONLY}\b",
        re.I,
    ),
    # "tools outside the enterprise agreement", "not on the approved list"
    re.compile(
        rf"\b{_TOOL}\b[^.;:]{{0,30}}?\b(?:outside|beyond|without)\b(?:\s+[\w'’-]+){{0,4}}?\s+"
        r"(?:agreements?|contracts?|licen[cs]es?|lists?|estate|environment|tenan(?:t|cy)|"
        r"catalog(?:ue)?|portfolio)\b"
        r"|\bnot (?:on|in) (?:the|our|an?) (?:\w+ ){0,2}(?:list|register|catalog(?:ue)?|"
        r"inventory)\b",
        re.I,
    ),
    # "use the approved tools", "should use corporate AI tools", "be used only in ..."
    re.compile(
        r"\buse\s+(?:only\s+)?(?:the\s+|our\s+|your\s+)?(?:\w+-)?(?:approved|sanctioned|"
        r"authori[sz]ed|endorsed|corporate|enterprise|official|company[- ]provided)\b",
        re.I,
    ),
    # "AI tools must be authorised by the CIO", "must first be procured through IT"
    re.compile(
        rf"\b{_TOOL}\b[^.;:]{{0,30}}?\b(?:must|should|shall|need to|needs to|have to|has to)"
        r"\s+(?:first\s+)?(?:be\s+)?(?:approved|authori[sz]ed|vetted|assessed|cleared|"
        r"procured|registered|licen[sc]ed|sanctioned)\b",
        re.I,
    ),
    # "tools on the approved register", "the approved AI list"; "approval before any new AI"
    re.compile(
        r"\b(?:approved|sanctioned|authori[sz]ed|endorsed)\s+(?:\w+\s+)?(?:tools?\s+)?"
        r"(?:list|register|catalog(?:ue)?|inventory)\b"
        rf"|\b(?:approval|authori[sz]ation|permission|assessment)\b[^.;:]{{0,20}}?\bbefore\b"
        rf"[^.;:]{{0,20}}?\b(?:new|any)\b[^.;:]{{0,15}}?\b{_TOOL}\b",
        re.I,
    ),
    # "programs that do not operate on a private model"
    re.compile(
        rf"\b{_TOOL}\b[^.;:]{{0,40}}?\b(?:not|n't)\b(?:\s+[\w-]+){{0,4}}?\s+"
        r"(?:private|enterprise|secure|closed|protected|managed|internal)\s+"
        r"(?:models?|instances?|environments?|tenan(?:t|cy)|versions?|accounts?|"
        r"deployments?|platforms?)\b",
        re.I,
    ),
]


def rule_sentences(line: RedLine) -> tuple[str, str]:
    """What is read of a red line: its title and its rule's first sentence."""
    first = re.split(r"(?<=[.!?;])\s", line.rule.strip(), maxsplit=1)[0]
    return line.title.strip(), first


def lexical_rule(text: str) -> bool:
    """Whether a sentence words a rule about unapproved, personal or public tools."""
    return any(pattern.search(text) for pattern in _LEXICAL)


def _only_a_listed_tool(policy: Policy) -> re.Pattern[str] | None:
    """What says only a tool the policy approves may be used: "Only use Microsoft Copilot,
    via your work account", "Copilot is the only AI tool staff may use". Such a line is
    the rule for every other tool, though it names no kind of tool ("personal", "public").
    """
    names = {n for t in policy.tools if t.status in RECOMMENDABLE for n in (t.name, *t.aliases)}
    if not names:
        return None
    # Longest first; names of one length in one order, so every process writes the same
    # pattern (kept compiled for the next one-shot process: `bot.cli.kept_patterns`).
    named = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(
        rf"\bonly\s+(?:use\s+|using\s+)?(?:the\s+|our\s+)?"
        rf"(?:(?!in\b|on\b|for\b|with\b|via\b|through\b|to\b|by\b)[\w-]+\s+)?(?:{named})\b"
        rf"|\b(?:{named})\b[^.;:]{{0,40}}?\b(?:is|are)\s+the\s+only\b"
        rf"|\bthe\s+only\b[^.;:]{{0,50}}?\b(?:is|are)\s+(?:the\s+)?(?:{named})\b",
        re.I,
    )


@lru_cache(maxsize=1)
def _bank() -> tuple[tuple[str, ...], tuple[str, ...]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(_FILE.read_text(encoding="utf-8"), Loader=loader)
    return tuple(map(str, data["rules"])), tuple(map(str, data["other_rules"]))


def bank_texts() -> list[str]:
    """The rules about unlisted tools, then the other kinds of rule."""
    rules, others = _bank()
    return [*rules, *others]


def bank_hash() -> str:
    return hashlib.sha256("\n".join(bank_texts()).encode("utf-8")).hexdigest()


_VECTOR_CACHE: dict[str, np.ndarray] = {}


def _bank_vectors(model_id: str, vectors_of: PolicyVectors) -> np.ndarray:
    """The bank's embeddings: shipped for the default model, else computed once."""
    return bank_vectors(VECTORS, model_id, bank_hash(),
                        lambda: np.asarray(vectors_of(bank_texts())), _VECTOR_CACHE)


def rule_scores(
    policy: Policy, embedding: tuple[PolicyVectors, str] | None = None
) -> dict[str, float]:
    """Red lines that word the policy's rule for unlisted tools, with how clearly: the
    meaning margin (rules bank minus other rules bank), plus 1 for a lexical match.
    Red lines neither reading finds are left out."""
    sentences = [rule_sentences(line) for line in policy.red_lines]
    only = _only_a_listed_tool(policy)
    lexical = [[lexical_rule(s) or bool(only and only.search(s)) for s in pair]
               for pair in sentences]
    # A policy written about one kind of tool says so in most of its rules ("... into
    # publicly available generative AI tools" in every one): that is its framing, not a
    # rule for unlisted tools each time. Then only a title saying so counts.
    framing = sum(rule for _, rule in lexical)
    by_title = framing >= _FRAMING and framing * 2 >= len(lexical)
    scores = {
        line.id: 1.0 for line, (title, rule) in zip(policy.red_lines, lexical, strict=True)
        if title or (rule and not by_title)
    }
    if embedding is None or not policy.red_lines:
        return scores
    vectors_of, model_id = embedding
    bank = _bank_vectors(model_id, vectors_of)
    rules = len(_bank()[0])
    flat = [s for pair in sentences for s in pair]
    vecs = np.asarray(vectors_of(flat), dtype=np.float32)
    sims = vecs @ bank.T
    margin = sims[:, :rules].max(axis=1) - sims[:, rules:].max(axis=1)
    for n, line in enumerate(policy.red_lines):
        best = float(max(margin[2 * n], margin[2 * n + 1]))
        if best >= MARGIN or line.id in scores:
            scores[line.id] = scores.get(line.id, 0.0) + best
    return scores
