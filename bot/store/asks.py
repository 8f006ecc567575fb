"""Logged asks for what-if replay: redacted question, asker pseudonym, candidate, and
the vectors their answers embedded.

Read in one streaming query (100,000 rows in about a second): the replay needs every
ask of the period, but only these few columns. Questions were redacted before they
were stored, so nothing here is raw text; the vectors are of texts read from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.embedding_tables import AskVectors
from bot.store.records import MessageVector, ask_vector_rows, question_key
from bot.store.tables import QueryEntry, UnmetRequest

__all__ = ["LoggedAsk", "MessageVector", "logged_asks", "question_key", "save_ask_vectors",
           "stored_ask_vectors"]

_IN_CHUNK = 500


@dataclass(frozen=True, slots=True)
class LoggedAsk:
    """One logged ask: the redacted question, who asked (pseudonym), its candidate if any."""

    question: str
    asker: str
    candidate_id: int | None = None


async def logged_asks(
    sessions: async_sessionmaker[AsyncSession], *, since: datetime, until: datetime
) -> list[LoggedAsk]:
    """Every ask logged in [since, until), oldest first, with the candidate of its unmet request.

    A query can have two unmet requests (the answer was unmet, and later "not what I
    needed"); either's candidate will do, so the highest id is taken.
    """
    candidate = (
        select(UnmetRequest.query_id, func.max(UnmetRequest.candidate_id).label("candidate_id"))
        .where(UnmetRequest.query_id.is_not(None))
        .group_by(UnmetRequest.query_id)
        .subquery()
    )
    query = (
        select(QueryEntry.question, QueryEntry.asker, candidate.c.candidate_id)
        .outerjoin(candidate, candidate.c.query_id == QueryEntry.id)
        .where(QueryEntry.at >= since, QueryEntry.at < until)
        .order_by(QueryEntry.id)
    )
    async with sessions() as session:
        result = await session.stream(query.execution_options(yield_per=5000))
        return [
            LoggedAsk(str(q), str(a), int(c) if c is not None else None)
            async for q, a, c in result
        ]


async def save_ask_vectors(
    session: AsyncSession, asked: Iterable[tuple[str, Sequence[MessageVector]]]
) -> None:
    """Store what answering each (redacted) question embedded, once per question and model
    (a question asked again is already stored). Part of the caller's transaction."""
    rows = ask_vector_rows(asked)
    if not rows:
        return
    # Imported here, and only the one in use: PostgreSQL's costs a cold `ask` on SQLite.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    await session.execute(
        insert(AskVectors).values(rows)
        .on_conflict_do_nothing(index_elements=["model_id", "question_key"]))


async def stored_ask_vectors(
    sessions: async_sessionmaker[AsyncSession], model_id: str, questions: Sequence[str]
) -> dict[str, list[tuple[str, bytes]]]:
    """The stored vectors of each question that has some: {question: [(text, float32
    bytes), ...]}, for `model_id` only."""
    keys = {question_key(q): q for q in questions}
    out: dict[str, list[tuple[str, bytes]]] = {}
    wanted = list(keys)
    async with sessions() as session:
        for start in range(0, len(wanted), _IN_CHUNK):
            result = await session.execute(
                select(AskVectors.question_key, AskVectors.dim, AskVectors.texts,
                       AskVectors.vectors)
                .where(AskVectors.model_id == model_id,
                       AskVectors.question_key.in_(wanted[start : start + _IN_CHUNK])))
            for key, dim, texts, blob in result:
                size = 4 * int(dim)
                out[keys[key]] = [(str(t), bytes(blob[i * size : (i + 1) * size]))
                                  for i, t in enumerate(texts)]
    return out
