"""Does a red line forbid what the message asks? A learned decision over (message, red line).

Literal triggers are precise but only catch the words IT or the theme bank thought of; one
similarity floor on sentence vectors (`ForbiddenUses.blocks`) was fitted to the dev
policies' phrasings and blocked 14 of 62 such requests on policies nobody tuned to. So,
behind the literal triggers, each red line that forbids an act and holds for the tools
named is weighed against the message with signals that mean the same on any policy:

- how near the message's vector is to the line's forbidden use (nearest text, centroid,
  title/rule acts, triggers), to the act's object and to the bank's ordinary errands;
- how it compares with the best approved use case (and whether the matcher says that job
  fits) and with the policy's other red lines;
- which words of the line's title, rule and triggers the message shares, and whether its
  looser (stemmed, derived) triggers or themes fire;
- the request's framing: a tool's status asked with an act, a data question, a tool named,
  a line written for some tools only, the message's length, a word that names a topic
  ("the store team", `mentions_a_topic`), and whether the message says it will not do
  what the line asks ("no time to check", "without checking": `skips`, per line);
- whether the message skips what the line asks of a person, its check of AI output or its
  decision ("fire them off without me reading them", "have AI decide which finalist gets
  the offer": `situation`, read with `situation_lines` by `broken_asks`).

What stops a pair before the decision is only what no weight should overrule: a line for
other tools, a negated forbidden act, a topic by what comes before it ("a lesson on"), a
line that asks for something when the request does not say it will skip it. Nearness to
the act's object rather than the act is a feature (`object_gap`), not a veto.

A small logistic regression fitted offline (`bench/block_decision.py`) on the dev
held-out sets' labelled questions, judged by leaving one set out, weighs them; the weights
ship as data (`bot/core/data/block_decision.json`, no pickle). Without that file the
constant floor and margin decide, as before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np

from bot.core.matching.logistic import Logistic
from bot.core.matching.text import normalize, stem_tokens
from bot.core.redline_mentions import FILLER

__all__ = [
    "ALSO_SHOWN", "FEATURES", "SHORT_MESSAGE", "BlockModel", "line_features", "model", "using",
]

#: The chance at which a line the decision weighs below its cut-off is still shown beside
#: a refusal (one line at most, not another line of a refusing line's data class): on the
#: 36 dev sets it shows 8 more lines the labels expect, and a blocked answer carries 2.0
#: lines on average instead of 1.7 (at 0.2: 10 more, 2.1, and lines beside the point such
#: as personal accounts beside an admin password).
ALSO_SHOWN = 0.3

#: Words beyond which a message's length is no signal (the `length` feature is capped).
SHORT_MESSAGE = 10

FEATURES = (
    "blend", "nearest", "central", "act", "trigger", "over_use_case", "use_case", "job_fits",
    "over_next_line", "object_gap", "errand_gap", "shared", "share_of_message",
    "share_of_line", "own_hit", "theme_hit", "in_reading", "status_ask", "data_ask",
    "tool_named", "for_some_tools", "length", "forbids", "data_line", "puts_in", "topic",
    "skips", "line_topic", "situation",
)


@dataclass(frozen=True)
class BlockModel(Logistic):
    """Standardised features, weights and a cut-off on the probability that the line forbids
    the request."""

    FEATURES = FEATURES
    DECIDES = "block decision"


@lru_cache(maxsize=1)
def shipped_model() -> BlockModel | None:
    """The weights shipped with the package, or None (then the constant floor decides)."""
    path = files("bot.core").joinpath("data/block_decision.json")
    if not path.is_file():
        return None
    return BlockModel.from_dict(json.loads(path.read_text("utf-8")))


#: The bench's weights for one fold (`using`); None: the shipped ones.
_CHOSEN: ContextVar[tuple[BlockModel | None] | None] = ContextVar("block_model", default=None)
#: Where the bench collects each decision's features (`using(..., record=...)`).
_RECORD: ContextVar[list[tuple[str, tuple[str, ...], np.ndarray]] | None] = ContextVar(
    "block_record", default=None
)


def model() -> BlockModel | None:
    chosen = _CHOSEN.get()
    return chosen[0] if chosen is not None else shipped_model()


@contextmanager
def using(
    weights: BlockModel | None,
    record: list[tuple[str, tuple[str, ...], np.ndarray]] | None = None,
) -> Iterator[None]:
    """Decide with these weights (None: the constant floor) inside the block, and append
    (message, red-line ids, features) of each decision to `record` (for fitting offline)."""
    token, kept = _CHOSEN.set((weights,)), _RECORD.set(record)
    try:
        yield
    finally:
        _CHOSEN.reset(token)
        _RECORD.reset(kept)


def recording() -> bool:
    return _RECORD.get() is not None


def record(text: str, ids: tuple[str, ...], features: np.ndarray) -> None:
    recorder = _RECORD.get()
    if recorder is not None:
        recorder.append((text, ids, features))


def message_words(text: str) -> frozenset[str]:
    """The message's stemmed content words."""
    return frozenset(w for w in stem_tokens(normalize(text).replace("-", " ").split())
                     if w not in FILLER)


def line_features(
    measures: Mapping[str, np.ndarray], *, use_case: float, job_fits: bool,
    words: frozenset[str], line_words: list[frozenset[str]], own_hits: list[bool],
    theme_hits: list[bool], in_reading: list[bool], status_ask: bool, data_ask: bool,
    tool_named: bool, for_some_tools: list[bool], length: int, forbids: list[bool],
    data_lines: list[bool], puts_in: bool, topic: bool, skips: list[bool],
    line_topic: list[bool], situation: list[bool],
) -> np.ndarray:
    """(red lines, FEATURES) for one message; per-line lists are in `measures`' order."""
    blend = measures["blend"]
    n = len(blend)
    if n > 1:
        ordered = np.sort(blend)
        next_best = np.where(blend >= ordered[-1], ordered[-2], ordered[-1])
    else:
        next_best = np.zeros(n)
    shared = np.asarray([len(words & lw) for lw in line_words], float)
    per_line = np.asarray([max(len(lw), 1) for lw in line_words], float)
    ones = np.ones(n)
    return np.column_stack([
        blend, measures["nearest"], measures["central"], measures["act"], measures["trigger"],
        blend - use_case, use_case * ones, float(job_fits) * ones, blend - next_best,
        measures["object_gap"], measures["errand_gap"], np.log1p(shared),
        shared / max(len(words), 1), shared / per_line,
        np.asarray(own_hits, float), np.asarray(theme_hits, float),
        np.asarray(in_reading, float), float(status_ask) * ones, float(data_ask) * ones,
        float(tool_named) * ones, np.asarray(for_some_tools, float),
        np.log1p(length) * ones, np.asarray(forbids, float), np.asarray(data_lines, float),
        float(puts_in) * ones, float(topic) * ones, np.asarray(skips, float),
        np.asarray(line_topic, float), np.asarray(situation, float),
    ]).astype(np.float64)
