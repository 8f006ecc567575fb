"""The sentence model's calls per answer: its fixed cost (about 5 ms) is most of an answer.

Small talk's check by meaning reads the message as typed and the job match reads its job
text; both go through the model in one call, with vectors identical to separate calls.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.embedder import get_embedder
from bot.core.matching.registry import make_backend
from bot.policy.models import Policy

pytestmark = pytest.mark.semantic


class _CountingSession:
    """ONNX Runtime's session, with its runs counted."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.runs = 0

    def run(self, *args: Any, **kwargs: Any) -> Any:
        self.runs += 1
        return self.session.run(*args, **kwargs)


@pytest.mark.parametrize("message", ["what is the definiton of auspicious", "yes, please"])
def test_small_talk_by_meaning_and_the_job_match_share_one_model_call(
    sample_policy: Policy, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    index = build_index(1, sample_policy, lambda: make_backend("hybrid"))
    advise_message(index, "warm up the model")
    embedder = get_embedder()
    session = _CountingSession(embedder._session)
    monkeypatch.setattr(embedder, "_session", session)

    answer = advise_message(index, message)

    embedded = {text: np.frombuffer(raw, dtype="<f4") for _, text, raw in answer.vectors}
    assert len(embedded) == 2  # the message as typed (small talk) and its job text
    assert session.runs == 1
    monkeypatch.undo()
    for text, vector in embedded.items():  # each the vector it has alone: same answer
        np.testing.assert_array_equal(vector, embedder.encode([text])[0])
