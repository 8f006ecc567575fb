"""What both adapters share (bot.transport, bot.render.clicks), checked directly."""

from __future__ import annotations

import logging

import pytest

from bot.core.conversation import Clicked, Submitted, Typed
from bot.render.clicks import read_button, read_click
from bot.store import Store
from bot.transport.backoff import Backoff
from bot.transport.cache import TTLCache
from bot.transport.claims import EventClaims
from bot.transport.retry import GaveUp, Transient, with_retries
from bot.transport.retry_after import retry_after_in
from bot.transport.shapes import ids, lists_of_objects, strings

_log = logging.getLogger("tests.transport")


async def test_a_failed_look_up_uses_the_last_value_then_the_default() -> None:
    cache: TTLCache[str, str] = TTLCache(0.0)  # every look-up is stale at once
    failures: list[str] = []

    async def ok() -> str:
        return "fresh"

    async def down() -> str:
        raise TimeoutError

    def note(exc: BaseException) -> None:
        failures.append(type(exc).__name__)

    assert await cache.get("k", ok, default="none", errors=(TimeoutError,), on_error=note) \
        == "fresh"
    assert await cache.get("k", down, default="none", errors=(TimeoutError,), on_error=note) \
        == "fresh"  # the last value known
    assert failures == ["TimeoutError"]
    other: TTLCache[str, str] = TTLCache(60.0)
    assert await other.get("k", down, default="none", errors=(TimeoutError,),
                           on_error=lambda exc: None, keep_failures=False) == "none"
    assert await other.get("k", ok, default="none", errors=(TimeoutError,),
                           on_error=lambda exc: None) == "fresh"  # a failure was not kept


async def test_event_claims_answer_each_key_once(store: Store) -> None:
    claims = EventClaims(store.events, 60.0, remember=10)
    async with claims.once("slack:Ev1") as first:
        assert first
    assert claims.seen_here("slack:Ev1")
    async with claims.once("slack:Ev1") as again:
        assert not again
    other_replica = EventClaims(store.events, 60.0)  # no memory: the ledger decides
    async with other_replica.once("slack:Ev1") as there:
        assert not there
    async with claims.once(None) as no_key:
        assert no_key


async def test_retries_wait_as_told_and_give_up_on_a_long_retry_after() -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    attempts = iter([Transient("HTTP 503", 2.0), Transient("HTTP 502"), "done"])

    async def flaky() -> str:
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    policy = Backoff(attempts=5, base_delay=0.5, max_delay=4.0)
    assert await with_retries(flaky, policy, what="post", log=_log, sleep=sleep,
                              jitter=lambda low, high: low) == "done"
    assert waits == [2.0, 0.0]

    async def throttled() -> str:
        raise Transient("HTTP 429", 120.0)

    with pytest.raises(GaveUp):
        await with_retries(throttled, policy, what="post", log=_log, sleep=sleep)
    assert waits == [2.0, 0.0]  # never slept on a Retry-After longer than max_retry_after


def test_backoff_is_capped_jittered_and_honours_retry_after() -> None:
    policy = Backoff(base_delay=0.5, max_delay=4.0)

    def highest(low: float, high: float) -> float:
        return high

    def lowest(low: float, high: float) -> float:
        return low

    assert [policy.delay(n, None, highest) for n in range(1, 6)] == [0.5, 1.0, 2.0, 4.0, 4.0]
    assert policy.delay(3, None, lowest) == 0.0
    assert policy.delay(1, 2.0, lowest) == 2.0
    # Retry-After is honoured beyond the backoff cap: never sooner than asked.
    assert policy.delay(1, 10.0, lowest) == 10.0
    assert 10.0 <= policy.delay(4, 10.0, highest) <= 10.25
    assert all(0.0 <= policy.delay(4) <= 4.0 for _ in range(100))


def test_retry_after_is_read_from_any_headers() -> None:
    assert retry_after_in({"Retry-After": "3"}) == 3.0
    assert retry_after_in({"retry-after": ["7"]}) == 7.0
    assert retry_after_in({"Content-Type": "text/plain"}) is None
    assert retry_after_in(None) is None


def test_shapes_name_the_first_key_of_the_wrong_kind() -> None:
    assert strings({"text": 3}, ("user", "text")) == "text must be a string"
    assert strings({"user": ""}, ("user",), required=True) == "user is required"
    assert strings({}, ("user",)) is None
    assert ids({"user": {"id": "U1"}, "team": "T1"}, ("user", "team")) == \
        "team must be an object with an id"
    assert ids({}, ("user",), required=True) == "user must be an object with an id"
    assert lists_of_objects({"actions": []}, "actions", non_empty=True) is not None
    assert lists_of_objects({"actions": [{"action_id": "a"}]}, "actions",
                            required="action_id") is None


def test_a_rendered_button_reads_back_as_the_same_request() -> None:
    assert read_button('{"c": "list"}') == Typed("list")
    assert read_button('{"a": "feedback", "query_id": "4", "helpful": "true"}') == Clicked(
        "feedback", {"query_id": "4", "helpful": "true"})
    # Values typed in a form join the click; they never override the button's own value.
    assert read_button('{"a": "check_impact", "form": "tool"}',
                       {"form": "other", "tags": ["a", "b"]}) == Clicked(
        "check_impact", {"form": "tool", "tags": "a,b"})
    assert read_click({"form": "tool", "state": {"item": "x"}}, {"name": "X"}) == Submitted(
        "tool", {"item": "x"}, {"name": "X"})
    assert read_button("") is None  # a link button
    assert read_button("not json") is None
    assert read_click({"mystery": 1}) is None
