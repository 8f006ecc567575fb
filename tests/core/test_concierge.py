"""The concierge service end to end on a real database: answers, logs, privacy, faults."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.core.admin import PolicyAdmin
from bot.core.concierge import Concierge, Message
from bot.errors import InputError, StoreUnavailable
from bot.policy import Status
from bot.runtime import matcher_factory
from bot.settings import ROOT, Settings
from bot.store import Actor, Store
from bot.store.tables import QueryEntry, UnmetRequest

SAMPLE_POLICY = ROOT / "policies"


def _msg(text: str, asker: str = "U123") -> Message:
    return Message(text=text, asker=asker, platform="slack", department="Ops")


async def _rows(store: Store, table: type) -> list:
    async with store.sessions() as session:
        return list(await session.scalars(select(table).order_by(table.id)))


async def test_answer_is_logged_redacted_and_pseudonymized(
    concierge: Concierge, store: Store
) -> None:
    answer = await concierge.answer(
        _msg("summarize the pdf jane.doe@corp.example sent, call me on +44 20 7946 0958")
    )
    assert answer.outcome == "answered"
    assert answer.query_id is not None
    [row] = await _rows(store, QueryEntry)
    assert "jane.doe" not in row.question
    assert "7946" not in row.question
    assert "[EMAIL]" in row.question
    assert "[PHONE]" in row.question
    assert row.asker != "U123"
    assert len(row.asker) == 32
    assert row.asker == concierge.pseudonym("U123")
    assert row.tools == [t.id for t in answer.tools]
    assert row.use_case == answer.use_case.id  # type: ignore[union-attr]
    assert (row.outcome, row.department, row.platform) == ("answered", "Ops", "slack")


async def test_unmet_is_logged_and_votes_count_once(concierge: Concierge, store: Store) -> None:
    answer = await concierge.answer(_msg("an AI to book my dentist appointment"))
    assert answer.outcome == "unmet"
    assert answer.logged_unmet
    assert answer.unmet_id is not None
    assert all(t.status in {"standard", "approved", "pilot"} for t in answer.alternatives)
    assert "logged" in answer.text
    assert await concierge.vote(answer.unmet_id, asker="U999")
    assert not await concierge.vote(answer.unmet_id, asker="U999")
    [listed] = await store.unmet.list()
    assert listed.votes == 1
    assert listed.question == "an AI to book my dentist appointment"


async def test_feedback_not_helpful_files_an_unmet_request(
    concierge: Concierge, store: Store
) -> None:
    answer = await concierge.answer(_msg("summarize a long report"))
    assert answer.query_id is not None
    assert not await concierge.feedback(answer.query_id, asker="someone-else", helpful=False)
    assert await concierge.feedback(answer.query_id, asker="U123", helpful=False)
    assert not await concierge.feedback(answer.query_id, asker="U123", helpful=False)
    [unmet] = await _rows(store, UnmetRequest)
    assert (unmet.reason, unmet.query_id) == ("feedback", answer.query_id)


@pytest.mark.parametrize("text", ["", "   ", "\u202e\u200b", "x" * 4001])
async def test_bad_input_is_refused_politely_and_not_logged(
    concierge: Concierge, store: Store, text: str
) -> None:
    with pytest.raises(InputError) as exc:
        await concierge.answer(_msg(text))
    assert "Please" in str(exc.value)
    assert await store.queries.count() == 0


async def test_hostile_characters_are_cleaned(concierge: Concierge) -> None:
    answer = await concierge.answer(_msg("summarize\x00 a\u202e pdf\r\nplease"))
    assert answer.outcome == "answered"


async def test_secrets_trigger_the_red_line_and_never_reach_the_log(
    concierge: Concierge, store: Store
) -> None:
    token = "xoxb-" + "1" * 12 + "-" + "2" * 12 + "-" + "a" * 24
    answer = await concierge.answer(
        _msg(f"can I paste my api key {token} into github copilot to debug?")
    )
    assert "no-secrets" in {r.id for r in answer.red_lines}
    [row] = await _rows(store, QueryEntry)
    assert token not in row.question
    assert "[SECRET]" in row.question


async def test_a_change_on_another_replica_is_served(
    store: Store, settings: Settings, concierge: Concierge, sample_policy
) -> None:
    """Two concierges on one database stand for two replicas."""
    other = Concierge(store, make_matcher=matcher_factory(settings), pseudonym_key=b"k",
                      refresh_seconds=0.0)
    await other.start()
    before = await other.answer(_msg("Is Perplexity approved?"))
    assert before.asked_tool.status == "under_review"  # type: ignore[union-attr]
    await PolicyAdmin(store, admins=["U_IT"]).set_status(
        "perplexity-pro", Status.APPROVED, actor=Actor("U_IT", "slack")
    )
    after = await other.answer(_msg("Is Perplexity approved?"))
    assert after.asked_tool.status == "approved"  # type: ignore[union-attr]
    assert after.policy_version == before.policy_version + 1  # type: ignore[operator]


async def test_database_down_serves_cached_policy_and_keeps_the_log(
    concierge: Concierge, store: Store, db_url: str
) -> None:
    await concierge.answer(_msg("summarize a pdf"))
    await store.engine.dispose()
    broken = Store.open("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    concierge.store = broken
    answer = await concierge.answer(_msg("translate an email to German"))
    assert answer.outcome == "answered"
    assert answer.query_id is None
    assert concierge.pending == 1
    concierge.store = store  # the database is back
    await concierge.answer(_msg("summarize a pdf"))
    assert concierge.pending == 0
    assert await store.queries.count() == 3
    await broken.close()


async def test_database_down_before_any_policy_is_a_clear_error(settings: Settings) -> None:
    broken = Store.open("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    fresh = Concierge(broken, make_matcher=matcher_factory(settings), pseudonym_key=b"k")
    with pytest.raises(StoreUnavailable):
        await fresh.answer(_msg("summarize a pdf"))
    await broken.close()


async def test_replicas_starting_together_import_the_default_once(
    store: Store, settings: Settings
) -> None:
    replicas = [
        Concierge(store, make_matcher=matcher_factory(settings), pseudonym_key=b"k")
        for _ in range(3)
    ]
    await asyncio.gather(*(r.start(SAMPLE_POLICY) for r in replicas))
    assert await store.policies.head_version() == 1
    for replica in replicas:
        assert (await replica.index()).version == 1


async def test_answers_keep_flowing_while_a_new_version_is_built(
    store: Store, concierge: Concierge
) -> None:
    before = (await concierge.index()).version
    await PolicyAdmin(store, admins=["U_IT"]).set_status(
        "perplexity-pro", Status.APPROVED, actor=Actor("U_IT", "slack")
    )
    rebuild = asyncio.create_task(concierge.index())
    await asyncio.sleep(0)  # the rebuild holds the lock now
    served = await concierge.answer(_msg("Is Perplexity approved?"))
    assert served.policy_version == before
    assert (await rebuild).version == before + 1
