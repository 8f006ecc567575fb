"""The per-version index a message is answered against, and what its matcher offers.

Built once per policy version (fitting the matcher is the costly part), then shared by
every message answered against that version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.core.data_meaning import DataMeaning, floor_of
from bot.core.forbidden_uses import ForbiddenUses, act_lines
from bot.core.lexicon import PolicyLexicon
from bot.core.matching.base import Intent, MatcherBackend, SavedVectors
from bot.core.red_line_scope import RedLineScope
from bot.core.smalltalk import Embed
from bot.core.unlisted_rules import PolicyVectors
from bot.policy.models import Policy


@dataclass(frozen=True)
class PolicyIndex:
    """Everything needed to answer against one policy version, built once per version."""

    version: int
    policy: Policy
    lexicon: PolicyLexicon
    matcher: MatcherBackend
    threshold: float
    #: which red lines concern which answers (the rule for unlisted tools, a tool's own)
    scope: RedLineScope = field(default_factory=RedLineScope)
    #: The operator (MATCH_THRESHOLD) or the policy (`meta.match_threshold`) set the
    #: threshold: it decides, not the matcher's own learned decision (`lookups.fits`).
    threshold_set: bool = False
    #: red lines that forbid an act, embedded: requests in other words are blocked by meaning
    forbidden: ForbiddenUses = field(default_factory=ForbiddenUses)
    #: the data classes embedded: data described in other words is placed by meaning
    meaning: DataMeaning = field(default_factory=DataMeaning)


def policy_intents(policy: Policy) -> list[Intent]:
    """The use cases as matcher intents; negatives are the use case's counter-examples and
    what the tools doing it are not good for ("compose music" is not "transcribe audio")."""
    intents = []
    for use_case in policy.use_cases:
        negatives = list(use_case.counter_examples)
        for tool in policy.tools:
            if use_case.id in tool.good_for:
                negatives.extend(n for n in tool.not_good_for if n not in negatives)
        intents.append(
            Intent(
                use_case.id, use_case.name, use_case.description, tuple(use_case.examples),
                tuple(negatives),
            )
        )
    return intents


def build_index(
    version: int,
    policy: Policy,
    make_matcher: Callable[[], MatcherBackend],
    threshold: float | None = None,
    saved: SavedVectors | None = None,
) -> PolicyIndex:
    """Fit a fresh matcher on the policy. The threshold is, in order: the operator's
    MATCH_THRESHOLD (`threshold`), the policy's `meta.match_threshold`, the matcher's own
    (calibrated per policy by the hybrid). `saved`: vectors stored for this policy."""
    matcher = make_matcher()
    intents = policy_intents(policy)
    if saved is not None and hasattr(matcher, "saved"):
        matcher.fit(intents, saved)  # type: ignore[call-arg]
    else:
        matcher.fit(intents)
    if threshold is None:
        threshold = policy.meta.match_threshold
    lexicon = PolicyLexicon(policy)
    return PolicyIndex(
        version=version,
        policy=policy,
        lexicon=lexicon,
        matcher=matcher,
        threshold=matcher.default_threshold if threshold is None else threshold,
        scope=RedLineScope.build(
            policy, lexicon.find_tools, policy_embedding(matcher),
            data_lines=lexicon.red_line_matcher.data_lines,
        ),
        threshold_set=threshold is not None,
        forbidden=ForbiddenUses.build(
            policy.red_lines, policy_embedding(matcher),
            acts=frozenset(r.id for r in act_lines(policy, lexicon.red_line_matcher)),
        ),
        meaning=DataMeaning.build(
            policy, policy_embedding(matcher), floor_of(policy, lexicon.data.public_rank)
        ),
    )


def policy_embedding(matcher: MatcherBackend) -> tuple[PolicyVectors, str] | None:
    """The matcher's embedder for policy texts, cached and stored with the version's
    vectors (the hybrid's), with its model id; None for a matcher without one."""
    vectors = getattr(matcher, "policy_vectors", None)
    model_id = getattr(matcher, "model_id", None)
    if vectors is None or not isinstance(model_id, str):
        return None
    return vectors, model_id


def matcher_languages(matcher: MatcherBackend) -> tuple[str, ...]:
    """ISO codes of the languages the matcher's model reads (its manifest's `languages`)."""
    declared = getattr(matcher, "languages", None)
    if declared is None:
        model = getattr(matcher, "_model", None)  # the embedding backends' embedder
        try:
            declared = getattr(model(), "languages", None) if model is not None else None
        except Exception:  # the model failed to load: the matcher reports that itself
            declared = None
    return tuple(declared or ("en",))


def matcher_embedding(matcher: MatcherBackend) -> tuple[Embed, str] | None:
    """The matcher's sentence embedder (embed function, model id), if it has one."""
    embed = getattr(matcher, "embed", None)
    model_id = getattr(matcher, "model_id", None)
    if embed is None:
        return None
    if model_id is None:
        model = getattr(matcher, "_model", None)  # SemanticMatcher's embedder
        try:
            model_id = model().model_id if model is not None else None
        except Exception:  # the model failed to load: the matcher reports that itself
            return None
    if not isinstance(model_id, str):
        return None
    return (lambda texts: embed(texts, cache=False)), model_id
