"""Re-redact questions stored by earlier versions, whose redactor missed national ids,
names, password phrases and more (issue 12). Batched by id, so a large log is rewritten
in bounded transactions and an interrupted run can simply be started again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.tables import HandoffEntry, QueryEntry, UnmetRequest

__all__ = ["rewrite_questions"]


async def rewrite_questions(
    sessions: async_sessionmaker[AsyncSession], redact: Callable[[str], str], *,
    batch: int = 500,
) -> dict[str, int]:
    """Apply `redact` to every stored question; returns how many rows changed per table."""
    changed: dict[str, int] = {}
    tables: tuple[tuple[type[QueryEntry | UnmetRequest | HandoffEntry], str], ...] = (
        (QueryEntry, "query_log"), (UnmetRequest, "unmet_requests"), (HandoffEntry, "handoffs"))
    for table, name in tables:
        changed[name] = 0
        last = 0
        while True:
            async with sessions() as session:
                rows = (await session.execute(
                    select(table.id, table.question).where(table.id > last)
                    .order_by(table.id).limit(batch))).all()
                if not rows:
                    break
                for row_id, question in rows:
                    new = redact(question)
                    if new != question:
                        await session.execute(
                            update(table).where(table.id == row_id).values(question=new))
                        changed[name] += 1
                await session.commit()
                last = rows[-1][0]
    return changed
