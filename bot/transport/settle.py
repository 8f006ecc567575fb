"""When a handed-over request's work has ended: every task it started, however deep.

A Slack event is dispatched and acked at once; its listener runs in a task Bolt
starts, which may start more (a follow-up post, a retried send). The front keeps the
request in its spool until all of that has ended, so `settle` marks the request in a
context variable, and a task factory counts each task created under that mark (the
task copies the context, so its own tasks are counted too). When the request's own
coroutine and every counted task are done, `on_done` runs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

__all__ = ["Work", "install", "settle"]

_CURRENT: contextvars.ContextVar[Work | None] = contextvars.ContextVar("work", default=None)


class Work:
    """One request's open tasks; `on_done` once none is left."""

    __slots__ = ("_on_done", "_open")

    def __init__(self, on_done: Callable[[], None]) -> None:
        self._on_done = on_done
        self._open = 1  # the request's own coroutine, until `settle` exits

    def add(self, task: asyncio.Future[Any]) -> None:
        self._open += 1
        task.add_done_callback(self._release)

    def _release(self, _: Any = None) -> None:
        self._open -= 1
        if self._open == 0:
            on_done, self._on_done = self._on_done, _nothing
            on_done()


def _nothing() -> None:
    return None


@contextlib.contextmanager
def settle(on_done: Callable[[], None]) -> Iterator[Work]:
    """Run the block as one request's work: `on_done` when it and all it started ended."""
    work = Work(on_done)
    token = _CURRENT.set(work)
    try:
        yield work
    finally:
        _CURRENT.reset(token)
        work._release()


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Count the tasks created under `settle` on this loop (keeps any factory it had)."""
    previous = loop.get_task_factory()
    if getattr(previous, "counts_work", False):
        return

    def factory(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any],
                **kwargs: Any) -> asyncio.Future[Any]:
        task = previous(loop, coro, **kwargs) if previous is not None \
            else asyncio.Task(coro, loop=loop, **kwargs)
        context = kwargs.get("context")
        work = context.get(_CURRENT) if context is not None else _CURRENT.get()
        if work is not None:
            work.add(task)
        return task

    factory.counts_work = True  # type: ignore[attr-defined]
    loop.set_task_factory(factory)  # type: ignore[arg-type]
