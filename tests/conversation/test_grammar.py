"""The one grammar: the same words give the same command on every platform."""

from __future__ import annotations

import pytest

from bot.core.commands.grammar import Command, parse

CASES: list[tuple[str, Command]] = [
    ("", Command("help")),
    ("help", Command("help")),
    ("Hi", Command("help")),
    ("?", Command("help")),
    ("help me summarize a PDF", Command("ask", text="help me summarize a PDF")),
    ("list", Command("list")),
    ("tools", Command("list")),
    ("redlines", Command("redlines")),
    ("red-lines", Command("redlines")),
    ("red lines", Command("redlines")),
    ("tool ChatGPT Enterprise", Command("tool", target="ChatGPT Enterprise")),
    ("tool", Command("usage", topic="ask_tool")),
    ("share is Copilot approved?", Command("share", text="is Copilot approved?")),
    ("share", Command("usage", topic="share")),
    ("ask it can I use Otter?", Command("ask_it", text="can I use Otter?")),
    ("Can I use   ChatGPT\u00a0for code?", Command("ask", text="Can I use ChatGPT for code?")),
    ("admin", Command("admin_help")),
    ("admin help", Command("admin_help")),
    ("admin tool", Command("admin_form", kind="tool", value="")),
    ("admin tool add", Command("admin_form", kind="tool", value="add")),
    ("admin add redline", Command("admin_form", kind="red_line", value="add")),
    ("admin add", Command("admin_form", kind="tool", value="add")),
    ("admin use case add", Command("admin_form", kind="use_case", value="add")),
    ("admin tool deepl-pro", Command("admin_form", kind="tool", target="deepl-pro")),
    ("admin tool edit ChatGPT Enterprise",
     Command("admin_form", kind="tool", target="ChatGPT Enterprise")),
    ("admin edit tool synthesia", Command("admin_form", kind="tool", target="synthesia")),
    ("admin usecase edit summarize-documents",
     Command("admin_form", kind="use_case", target="summarize-documents")),
    ("admin red-line no-deepfakes", Command("admin_form", kind="red_line",
                                            target="no-deepfakes")),
    ("admin tool edit", Command("usage", topic="tool")),
    ("admin redline remove no-deepfakes",
     Command("admin_remove", kind="red_line", target="no-deepfakes")),
    ("admin remove usecase Summarize documents",
     Command("admin_remove", kind="use_case", target="Summarize documents")),
    ("admin remove redline", Command("usage", topic="remove")),
    ("admin tool remove Synthesia", Command("admin_retire", target="Synthesia")),
    ("admin status chatgpt enterprise prohibited",
     Command("admin_status", target="chatgpt enterprise", value="prohibited")),
    ("admin status deepl-pro Pilot", Command("admin_status", target="deepl-pro", value="pilot")),
    ("admin status Otter under review", Command("admin_status", target="Otter",
                                                value="under_review")),
    ("admin status otter under-review", Command("admin_status", target="otter",
                                                value="under_review")),
    ("admin status synthesia", Command("usage", topic="status")),
    ("admin status DeepL approved.", Command("admin_status", target="DeepL", value="approved")),
    ("admin retire synthesia", Command("admin_retire", target="synthesia")),
    ("admin retire", Command("usage", topic="retire")),
    ("admin history", Command("admin_history")),
    ("admin rollback 3", Command("admin_rollback", number=3)),
    ("admin rollback v3", Command("admin_rollback", number=3)),
    ("admin rollback latest", Command("usage", topic="rollback")),
    ("admin unmet", Command("admin_unmet")),
    ("admin unmet 12 planned", Command("admin_unmet_set", number=12, value="planned")),
    ("admin unmet 12 maybe", Command("usage", topic="unmet")),
    ("admin candidates", Command("candidates", value="open")),
    ("admin candidate list", Command("candidates", value="open")),
    ("admin candidates all", Command("candidates", value="all")),
    ("admin candidates list declined", Command("candidates", value="declined")),
    ("admin candidates accept 3 worth a look",
     Command("candidate_accept", number=3, text="worth a look")),
    ("admin candidates accept #3", Command("candidate_accept", number=3)),
    ("admin accept 3", Command("candidate_accept", number=3)),
    ("admin candidates decline 4 Legal said no",
     Command("candidate_decline", number=4, text="Legal said no")),
    ("admin candidates decline 4", Command("candidate_form", number=4, value="decline")),
    ("admin candidates merge 4 into 5", Command("candidate_merge", number=4, other=5)),
    ("admin candidates merge 4 5", Command("candidate_merge", number=4, other=5)),
    ("admin candidates merge 4", Command("candidate_form", number=4, value="merge")),
    ("admin candidates merge 4 with five", Command("usage", topic="candidates")),
    ("admin candidates cover 4 tool adobe-firefly",
     Command("candidate_cover", number=4, kind="tool", target="adobe-firefly")),
    ("admin candidates cover 4 usecase Summarize documents",
     Command("candidate_cover", number=4, kind="use_case", target="Summarize documents")),
    ("admin candidates cover 4", Command("candidate_form", number=4, value="cover")),
    ("admin candidates cover 4 team x", Command("usage", topic="candidates")),
    ("admin candidates accept", Command("usage", topic="candidates")),
    ("admin candidates frobnicate", Command("usage", topic="candidates")),
    ("admin export", Command("admin_export")),
    ("admin import", Command("admin_import")),
    ("admin import force", Command("admin_import", value="force")),
    ("admin whatif", Command("admin_whatif")),
    ("admin whatif 60", Command("admin_whatif", number=60)),
    ("admin what-if 30", Command("admin_whatif", number=30)),
    ("admin whatif soon", Command("usage", topic="whatif")),
    ("admin frobnicate", Command("usage", topic="admin")),
    ("ADMIN STATUS DeepL-Pro APPROVED", Command("admin_status", target="DeepL-Pro",
                                                value="approved")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] or "<empty>" for c in CASES])
def test_parse(text: str, expected: Command) -> None:
    assert parse(text) == expected


def test_every_verb_is_reachable_from_text() -> None:
    """No verb of the grammar is dead: each comes out of some sentence above."""
    from typing import get_args

    from bot.core.commands.grammar import Verb

    assert {c.verb for _, c in CASES} == set(get_args(Verb))
