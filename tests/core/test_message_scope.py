"""What one answer computes once (`bot.core.matching.message_scope`), through the real
matcher and model: the message's job text, and one model call for an unlisted tool's act."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from bot.core.advisor import advise_message, build_index
from bot.core.matching.embedder import DEFAULT_MODEL_DIR, Embedder
from bot.core.matching.hybrid import HybridMatcher
from bot.core.matching.message_scope import (
    expect_texts,
    in_message_scope,
    message_jobs,
    message_scope,
    once_per_message,
)
from bot.core.matching.model_files import read_spec
from bot.policy.models import Policy

pytestmark = pytest.mark.semantic


class _Recorded(Embedder):
    """The bundled model, recording each call's texts."""

    def __init__(self) -> None:
        super().__init__(read_spec(DEFAULT_MODEL_DIR))
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts, batch_size=batch_size)


class _Matcher(HybridMatcher):
    """The hybrid backend on a recorded model, recording each job text it makes."""

    def __init__(self, model: _Recorded) -> None:
        super().__init__()
        self.model = model
        self.made: list[str] = []

    def _model(self) -> Embedder:
        return self.model

    def make_job_texts(self, texts: Sequence[str]) -> list[str]:
        self.made.extend(texts)
        return super().make_job_texts(texts)


@pytest.fixture(scope="module")
def model() -> _Recorded:
    return _Recorded()


@pytest.fixture
def matcher(model: _Recorded, sample_policy: Policy) -> _Matcher:
    matcher = _Matcher(model)
    build_index(1, sample_policy, lambda: matcher)
    return matcher


@pytest.mark.parametrize("question", [
    "summarize my meeting notes",  # short: small talk by meaning embeds it too
    "can AI screen job applicants and reject the weak CVs for me?",  # forbidden uses read it
    "What can I use to summarize a 40-page PDF?",
])
def test_one_answer_makes_the_messages_job_text_once(
    matcher: _Matcher, model: _Recorded, sample_policy: Policy, question: str
) -> None:
    # Small talk by meaning, the ranking and the forbidden uses each read the message's
    # job text (spelling repair, framing); it is made once, and embedded in one call.
    index = build_index(1, sample_policy, lambda: matcher)
    matcher.made.clear()
    model.calls.clear()
    answer = advise_message(index, question)
    assert matcher.made == [question]
    assert len(model.calls) == 1
    assert answer == advise_message(build_index(1, sample_policy, HybridMatcher), question)


@pytest.mark.parametrize("question", [
    "can I use Suno to compose a jingle for our podcast",
    "can I use ElevenLabs to voice our training videos",
])
def test_an_unlisted_tool_named_with_an_act_costs_one_model_call(
    matcher: _Matcher, model: _Recorded, sample_policy: Policy, question: str
) -> None:
    # The forbidden uses read the message's job; the approved alternatives rank the job
    # without the product's name. Both texts go through the model in one call.
    index = build_index(1, sample_policy, lambda: matcher)
    model.calls.clear()
    answer = advise_message(index, question)
    assert answer.outcome == "tool_status"
    assert answer.asked_tool is not None
    assert answer.asked_tool.id is None
    assert len(model.calls) == 1
    assert len(model.calls[0]) == 2
    assert answer == advise_message(build_index(1, sample_policy, HybridMatcher), question)


def test_job_texts_are_kept_per_maker_and_only_inside_one_answer() -> None:
    made: list[str] = []

    def upper(texts: list[str]) -> list[str]:
        made.extend(texts)
        return [t.upper() for t in texts]

    one, other = object(), object()
    assert message_jobs(one, ["a"], upper) == ["A"]  # outside a scope: made every time
    with message_scope():
        assert message_jobs(one, ["a", "b", "a"], upper) == ["A", "B", "A"]
        assert message_jobs(one, ["b"], upper) == ["B"]
        assert message_jobs(other, ["a"], upper) == ["A"]  # another policy's words
        with message_scope():  # a replay's answer inside its scope: its own jobs
            assert message_jobs(one, ["a"], upper) == ["A"]
    assert made == ["a", "a", "b", "a", "a"]
    with message_scope({}):  # a replay's outer scope keeps no job texts
        message_jobs(one, ["c"], upper)
        message_jobs(one, ["c"], upper)
    assert made[-2:] == ["c", "c"]


def test_expected_texts_ride_only_on_a_call_the_answer_makes(model: _Recorded) -> None:
    expect_texts(model.model_id, ["outside any answer"])  # ignored
    model.calls.clear()
    with message_scope() as vectors:
        expect_texts(model.model_id, ["compose a jingle"])
        assert model.calls == []  # nothing is embedded for it alone
        first = model.encode_message(["summarize my notes"])
        model.encode_message(["compose a jingle"])  # already there
        assert in_message_scope()
    assert model.calls == [["summarize my notes", "compose a jingle"]]
    assert set(vectors) == {(model.model_id, "summarize my notes"),
                            (model.model_id, "compose a jingle")}
    np.testing.assert_array_equal(first[0], model.encode(["summarize my notes"])[0])
    with message_scope():
        assert model.encode_message(["outside any answer"]).shape == (1, model.dim)
    assert model.calls[-1] == ["outside any answer"]  # the earlier expectation was dropped


def test_a_check_of_the_message_alone_runs_once_per_answer() -> None:
    read: list[str] = []

    @once_per_message
    def words(text: str) -> int:
        read.append(text)
        return len(text.split())

    assert words("a b") == 2  # outside an answer: every time
    with message_scope():
        assert [words("a b c") for _ in range(10)] == [3] * 10  # e.g. once per red line
        assert words("d") == 1
        with message_scope():  # a replay's next answer: its own
            assert words("a b c") == 3
    with message_scope({}):  # a replay's outer scope keeps nothing
        words("e")
        words("e")
    assert words.__name__ == "words"
    assert read == ["a b", "a b c", "d", "a b c", "e", "e"]
