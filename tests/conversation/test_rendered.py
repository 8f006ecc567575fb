"""Every admin reply and form the core builds renders within Slack's limits and as a valid
Adaptive Card 1.5, on a realistic session (candidates, unmet requests, history, forms)."""

from __future__ import annotations

from bot.core.conversation import SLACK, TEAMS, Conversation, Surface
from bot.core.reply import Reply
from bot.core.services import Services
from bot.render.adaptive import to_card
from bot.render.adaptive_dialog import to_dialog
from bot.render.blockkit import to_blocks, to_home
from bot.render.blockkit_forms import to_modal
from bot.store import Actor
from tests.conversation.conftest import ADMIN, EMPLOYEE
from tests.render.cardcheck import schema_errors
from tests.render.test_blockkit import _limits

ASKS = ["Can I generate background music for a marketing video?",
        "Is there a tool to compose background music for videos?",
        "Can I use AI to create background music for a video?",
        "Can I build 3D models of our products with AI?"]
TEXTS = ["admin", "admin frobnicate", "admin history", "admin unmet", "admin candidates",
         "admin candidates all", "admin export", "admin import", "admin whatif",
         "admin status synthesia pilot", "admin status synthesia banned",
         "admin retire nosuchtool", "admin tool add", "admin tool edit ChatGPT Enterprise",
         "admin redline edit no-secrets", "admin usecase add", "admin candidates decline 1",
         "admin candidates merge 1", "admin candidates cover 1", "admin rollback 1",
         "admin history"]


async def _session(conversation: Conversation, surface: Surface) -> dict[str, Reply]:
    for i, question in enumerate(ASKS):
        await conversation.on_text(Actor(f"UASK{i % 3}", "slack"), question, surface)
    out = {text: await conversation.on_text(ADMIN, text, surface) for text in TEXTS}
    out["home (admin)"] = await conversation.home(ADMIN, surface)
    out["refused"] = await conversation.on_text(EMPLOYEE, "admin history", surface)
    edit = out["admin tool edit ChatGPT Enterprise"]
    assert edit.form is not None
    out["form errors"] = await conversation.on_submit(
        ADMIN, "tool", edit.form.state, {"name": "", "status": "approved"}, surface)
    return out


async def test_admin_replies_fit_slack(services: Services) -> None:
    replies = await _session(Conversation(services), SLACK)
    problems = {}
    for name, reply in replies.items():
        blocks, fallback = to_blocks(reply)
        found = _limits(blocks, 50) + _limits(to_home(reply)["blocks"], 100)
        if reply.form is not None:
            modal = to_modal(reply.form)
            found += _limits(modal["blocks"], 100)
            found += [f"title {modal['title']['text']!r} > 24"
                      for _ in [0] if len(modal["title"]["text"]) > 24]
        if not fallback.strip():
            found.append("empty fallback")
        if found:
            problems[name] = found
    assert not problems, problems
    assert replies["admin candidates decline 1"].form is not None


async def test_admin_replies_are_valid_adaptive_cards(services: Services) -> None:
    replies = await _session(Conversation(services), TEAMS)
    problems = {}
    for name, reply in replies.items():
        found = schema_errors(to_card(reply))
        if reply.form is not None:
            dialog = to_dialog(reply.form)["task"]["value"]["card"]["content"]
            found += schema_errors(dialog)
        if found:
            problems[name] = found
    assert not problems, problems
    assert replies["admin candidates"].sections
