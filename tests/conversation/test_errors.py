"""One place turns a failure into a sentence: by the error's class, never by its text."""

from __future__ import annotations

import logging

import pytest

from bot.core.answer_pool import BUSY_MESSAGE, Busy
from bot.core.conversation import Conversation, error_reply
from bot.core.conversation.surface import SLACK
from bot.core.errors import (
    GENERIC,
    UNAVAILABLE,
    InputError,
    NotAuthorized,
    PolicyFileError,
    StoreUnavailable,
    should_log,
    user_message,
)
from bot.policy.problems import PolicyProblem
from tests.conversation.conftest import ADMIN


def test_each_kind_of_failure_has_its_sentence() -> None:
    assert user_message(InputError("Please ask a shorter question.")) == \
        "Please ask a shorter question."
    assert user_message(StoreUnavailable("postgres at 10.0.0.3 refused")) == UNAVAILABLE
    assert user_message(Busy("internal queue detail")) == BUSY_MESSAGE
    # A bug's message may hold anything (paths, SQL, data): never shown.
    assert user_message(RuntimeError("only AI policy admins")) == GENERIC
    assert user_message(KeyError("secret")) == GENERIC
    problem = PolicyProblem("p.yaml", "tools[2].status", "not a status", line=12,
                            item="tool otter")
    assert user_message(PolicyFileError([problem])) == \
        "Nothing was changed:\n• line 12, tools[2].status (tool otter): not a status"


def test_only_unexpected_failures_are_logged() -> None:
    assert should_log(RuntimeError())
    assert should_log(StoreUnavailable())
    assert not should_log(NotAuthorized("no"))
    assert not should_log(InputError("no"))


def test_error_replies() -> None:
    refused = error_reply(NotAuthorized("Sorry, only AI policy admins can change the policy."))
    assert refused.title == "Not allowed"
    assert refused.tone == "attention"
    invalid = error_reply(PolicyFileError([PolicyProblem("<edit>", "tools[0].name", "empty")]))
    assert invalid.title == "Nothing was changed"
    assert invalid.sections[0].text == "• tools[0].name: empty"


async def test_a_bug_is_logged_once_and_answered_with_the_apology(
        conversation: Conversation, caplog: pytest.LogCaptureFixture) -> None:
    """A file whose bytes are not bytes breaks inside the core: apology, one log record."""
    with caplog.at_level(logging.ERROR, logger="bot.core.conversation.core"):
        reply = await conversation.on_file(ADMIN, "import", "p.yaml",
                                           None, "", SLACK)  # type: ignore[arg-type]
    assert reply.title == GENERIC
    assert reply.kind == "error"
    assert len([r for r in caplog.records if r.exc_info]) == 1
