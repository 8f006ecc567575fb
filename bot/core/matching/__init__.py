"""Matching an employee's message to the policy's use cases (or to none of them).

`base` is the interface, `registry.make_backend` builds a backend by name: "lexical"
(the default, no model) or "semantic" (optional extra, local sentence-transformers model).
Backends are imported lazily so the default does not pay for the semantic extra.
"""

from bot.core.matching.base import Intent, MatcherBackend, Scored
from bot.core.matching.registry import BACKENDS, make_backend

__all__ = ["BACKENDS", "Intent", "MatcherBackend", "Scored", "make_backend"]
