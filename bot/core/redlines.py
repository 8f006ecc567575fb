"""A policy's red lines read from messages: their own triggers and those derived from
their wording (`bot.core.redline_themes`).

The trigger matching lives in `bot.core.redline_matcher`, whether a line forbids and
which tools it holds for in `bot.core.redline_forbids` (`forbids` and `holds_for` stay
importable from here for `advice.blocking`).
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.matching.text import normalize
from bot.core.redline_forbids import forbids, holds_for
from bot.core.redline_matcher import RedLineMatcher
from bot.core.redline_themes import derive_triggers, names_an_act, puts_data_in
from bot.policy.models import Policy

__all__ = ["RedLineReader", "forbids", "holds_for"]

# "who decides which tools get approved?" asks about deciding; it does not ask AI to decide.
_ASKING_ABOUT = frozenset("who whoever".split())


class RedLineReader:
    """A policy's red lines as written, plus the triggers derived from their wording
    (`bot.core.redline_themes`): what `read_message` and the advisor consult."""

    def __init__(self, policy: Policy, spell_out: Callable[[str], str] = lambda t: t) -> None:
        derived = derive_triggers(policy, spell_out)
        self._order = [line.id for line in policy.red_lines]
        ai_acts = frozenset(line.id for line in policy.red_lines if forbids(line))
        self.own = RedLineMatcher(policy.red_lines, spell_out, ai_acts=ai_acts)
        self.acts = RedLineMatcher(derived.acts, spell_out, not_after=_ASKING_ABOUT, gaps=True,
                                   ai_acts=ai_acts)
        self.data = RedLineMatcher(derived.data, spell_out, gaps=True)
        # Red lines about data going in (their rule names data, no act): mentioning the
        # data ("how long until my new credit card arrives?") does not break them.
        # A red line whose title forbids an act is never one of these.
        acts = {i for i, _ in derived.acts} | {r.id for r in policy.red_lines if names_an_act(r)}
        self.data_lines = frozenset(i for i, _ in derived.data) - acts

    def triggered(self, text: str, *, literal: bool = False) -> list[str]:
        """Ids of red lines the text triggers, by their own or derived triggers, in
        policy order."""
        words = normalize(text).split()
        found = {
            *self.own.triggered_words(words, literal=literal),
            *self.acts.triggered_words(words, literal=literal),
            *self.data.triggered_words(words, literal=literal, mine=puts_data_in(text)),
        }
        return [i for i in self._order if i in found]
