"""The data class of data a message describes in its own words, by meaning.

"the board's five-year growth plan", "the statement of work the customer sent us", "the
grievance file on one of my reports": data named by what it is, in words no data class's
examples use. The words are compared, by sentence embedding, with the policy's OWN texts
for each class (its label, its examples and the short names of data in its description),
never with English word lists.

Two things keep it honest:

- **Public needs words.** Embeddings place "a customer's complaint letter about glass in a
  jar" near "the ingredients printed on a jar": the topic, not the sensitivity. Data
  someone has at work is not public unless the message says so (which the word lookup,
  `bot.core.data_lookup`, reads: "published", "already on our website"). So meaning only
  chooses among the classes from the policy's first non-public class up (its *floor*); the
  floor is the answer when nothing else is nearer.
- **Calibrated per policy.** When the version is built, each example of a non-public class
  is placed by the policy's other texts (leave-one-out), as the floor class or one above
  it. A policy whose own examples are not told apart that way (fewer than half right)
  gets no class by meaning (`reliable`): its data check still says it cannot tell. With
  one class above public data, the data is of that class.

Out of the policy's own examples (27 dev policies, leave-one-out), the class chosen among
the non-public ones is right for 120 of 154; 11 are placed less sensitive than their class.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.policy.models import Policy

__all__ = ["DataMeaning", "class_texts", "floor_of"]

PolicyVectors = Callable[[Sequence[str]], np.ndarray]

#: The share of a policy's non-public examples leave-one-out must place right for meaning
#: to choose above the floor class.
MIN_RELIABILITY = 0.5

_SPLIT = re.compile(r",|;|/|\(|\)|\bsuch as\b|\bincluding\b|\band\b|\bor\b|\blike\b", re.I)
_NEGATION = re.compile(r"\b(?:no|not|non|without|none|never|anything|except|unless)\b", re.I)


def class_texts(label: str, description: str, examples: Sequence[str]) -> list[str]:
    """What a class says it holds: its label, its examples, and the parts of its
    description of two words or more, each sentence up to a negation ("Drafts ... that hold
    no personally identifiable information" holds none of it)."""
    affirmed = ", ".join(
        _NEGATION.split(sentence, maxsplit=1)[0] for sentence in re.split(r"[.;:]", description)
    )
    parts = [p.strip() for p in _SPLIT.split(affirmed) if p and len(p.split()) >= 2]
    return list(dict.fromkeys([label, *examples, *parts]))


def floor_of(policy: Policy, public: int | None) -> int:
    """The rank of the policy's first class that is not public data, given the rank of
    the class that holds public data (`DataLookup.public_rank`; 0 when none does)."""
    return 0 if public is None else min(public + 1, len(policy.data_classes) - 1)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)


@dataclass(frozen=True)
class DataMeaning:
    """The non-public classes of one policy version, embedded, ready to place data."""

    #: class ids from the floor up, least sensitive first
    classes: tuple[str, ...] = ()
    #: one row per text, and the index in `classes` of the class it describes
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    owners: tuple[int, ...] = ()
    #: whether the policy's own examples are told apart by meaning (leave-one-out)
    reliable: bool = False

    @classmethod
    def build(
        cls, policy: Policy, embedding: tuple[PolicyVectors, str] | None, floor: int
    ) -> DataMeaning:
        """`floor`: the rank of the policy's first class that is not public data."""
        above = policy.data_classes[floor:]
        if embedding is None or not above:
            return cls()
        texts: list[str] = []
        owners: list[int] = []
        examples: list[int] = []  # rows that are a class's own example
        for k, item in enumerate(above):
            for text in class_texts(item.label, item.description, item.examples):
                if text in item.examples:
                    examples.append(len(texts))
                texts.append(text)
                owners.append(k)
        vectors = _unit(np.asarray(embedding[0](texts), dtype=np.float32))
        # the decision that matters most: the floor class or one above it
        floor_or_above = [min(owner, 1) for owner in owners]
        reliable = len(above) == 1 or (
            _leave_one_out(vectors, floor_or_above, examples) >= MIN_RELIABILITY
        )
        return cls(tuple(c.id for c in above), vectors, tuple(owners), reliable)

    def class_of(self, vector: np.ndarray) -> str | None:
        """The class whose texts are nearest the data's vector, from the floor up; None when
        the policy's own examples are not told apart by meaning (the data check then says
        it cannot tell, as before)."""
        if not self.classes or not self.reliable:
            return None
        if len(self.classes) == 1:
            return self.classes[0]
        sims = self.vectors @ _unit(np.asarray(vector, dtype=np.float32).reshape(1, -1))[0]
        best = [-2.0] * len(self.classes)
        for sim, owner in zip(sims.tolist(), self.owners, strict=True):
            best[owner] = max(best[owner], sim)
        return self.classes[int(np.argmax(best))]


def _leave_one_out(vectors: np.ndarray, owners: Sequence[int], examples: Sequence[int]) -> float:
    """The share of the classes' own examples placed in their class by the other texts."""
    if not examples:
        return 0.0
    sims = vectors @ vectors.T
    right = 0
    for row in examples:
        best: dict[int, float] = {}
        for col, owner in enumerate(owners):
            if col != row:
                best[owner] = max(best.get(owner, -2.0), float(sims[row, col]))
        right += max(best, key=lambda k: best[k]) == owners[row]
    return right / len(examples)
