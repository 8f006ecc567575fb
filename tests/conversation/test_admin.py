"""Admin commands and forms through the conversation core, checked in the database."""

from __future__ import annotations

import pytest

from bot.core.concierge import Concierge
from bot.core.conversation import TEAMS, Conversation, Surface
from bot.core.forms import FormErrors, parse_submission
from bot.core.reply import Reply
from bot.core.services import Services
from bot.runtime import matcher_factory
from bot.settings import Settings
from bot.store import Actor, Store
from tests.conversation.conftest import ADMIN, BY_EMAIL, EMPLOYEE, all_text


async def _version(services: Services) -> int:
    return (await services.snapshot()).version


async def test_non_admins_are_refused_and_audited(conversation: Conversation,
                                                  services: Services, surface: Surface) -> None:
    before = await _version(services)
    for text in ("admin status deepl-pro pilot", "admin tool add", "admin history",
                 "admin export", "admin candidates", "admin unmet"):
        reply = await conversation.on_text(EMPLOYEE, text, surface)
        assert reply.title == "Not allowed", text
        assert "only AI policy admins" in reply.text
    assert await _version(services) == before
    refused = [a for a in await services.store.audit.recent() if not a.allowed]
    assert len(refused) == 6
    assert {a.actor for a in refused} == {EMPLOYEE.id}


async def test_before_any_policy_non_admins_are_refused_and_audited(
        store: Store, settings: Settings, surface: Surface) -> None:
    """The admin check comes before the policy read: with nothing imported yet, an edit by
    a non-admin is a refusal, audited, not "no policy imported yet"."""
    empty = Concierge(store, make_matcher=matcher_factory(settings), pseudonym_key=b"k")
    conversation = Conversation(Services.build(empty, admins=[ADMIN.id]))
    typed = await conversation.on_text(EMPLOYEE, "admin status deepl-pro pilot", surface)
    submitted = await conversation.on_submit(EMPLOYEE, "tool", {"item": "", "version": "1"},
                                             {"id": "notion-ai", "name": "Notion AI"}, surface)
    covered = await conversation.on_text(EMPLOYEE, "admin candidates cover 1 tool Firefly",
                                         surface)
    for reply in (typed, submitted, covered):
        assert reply.title == "Not allowed", reply.text
    refused = [(a.actor, a.action, a.allowed) for a in await store.audit.recent()]
    assert sorted(refused) == [(EMPLOYEE.id, "admin_status", False),
                               (EMPLOYEE.id, "candidate.cover", False),
                               (EMPLOYEE.id, "upsert_tool", False)]
    admin = await conversation.on_text(ADMIN, "admin status deepl-pro pilot", surface)
    assert "no policy imported yet" in admin.text
    assert await store.policies.current() is None


async def test_an_alias_makes_an_admin(conversation: Conversation, services: Services) -> None:
    reply = await conversation.on_text(BY_EMAIL, "admin status DeepL pilot", TEAMS)
    assert reply.title.startswith("Saved as policy version")
    policy = (await services.snapshot()).policy
    assert policy.tool("deepl-pro").status.value == "pilot"  # type: ignore[union-attr]


async def test_status_by_multi_word_name_and_the_same_words_again(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    before = await _version(services)
    reply = await conversation.on_text(ADMIN, "admin status chatgpt enterprise prohibited",
                                       surface)
    assert reply.title == f"Saved as policy version {before + 1}"
    assert reply.text.endswith("ChatGPT Enterprise is now prohibited.")
    again = await conversation.on_text(ADMIN, "admin status ChatGPT Enterprise prohibited",
                                       surface)
    assert again.title == "Nothing changed"
    assert await _version(services) == before + 1
    bad = await conversation.on_text(ADMIN, "admin status deepl-pro banned", surface)
    assert bad.kind == "error"
    assert "“banned” is not a status" in bad.title
    missing = await conversation.on_text(ADMIN, "admin status Notion pilot", surface)
    assert missing.kind == "not_found"
    assert "Notion" in missing.title


async def test_retire_and_remove_drop_every_reference(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    reply = await conversation.on_text(ADMIN, "admin retire Copilot Chat", surface)
    assert "Retired Microsoft 365 Copilot Chat" in reply.text
    policy = (await services.snapshot()).policy
    assert policy.tool("copilot-chat") is None
    assert all("copilot-chat" not in t.alternatives for t in policy.tools)
    removed = await conversation.on_text(ADMIN, "admin redline remove no-deepfakes", surface)
    assert removed.title.startswith("Saved")
    assert "Removed the red line" in removed.text
    teams = await conversation.on_text(ADMIN, "admin remove usecase Generate videos from text "
                                       "or a script", TEAMS)
    assert "Removed the use case" in teams.text
    policy = (await services.snapshot()).policy
    assert not any(r.id == "no-deepfakes" for r in policy.red_lines)
    assert policy.use_case("generate-video") is None


async def test_history_says_who_in_words_and_rollback_restores(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    first = await _version(services)
    await conversation.on_text(ADMIN, "admin status synthesia prohibited", surface)
    history = await conversation.on_text(ADMIN, "admin history", surface)
    assert history.kind == "history"
    text = all_text(history)
    assert "By: an admin in Slack" in text
    assert ADMIN.id not in text
    assert "Synthesia" in history.sections[0].text
    assert "→" in history.sections[0].text
    back = await conversation.on_text(ADMIN, f"admin rollback {first}", surface)
    assert back.title.startswith("Saved as policy version")
    policy = (await services.snapshot()).policy
    assert policy.tool("synthesia").status.value == "under_review"  # type: ignore[union-attr]
    unknown = await conversation.on_text(ADMIN, "admin rollback 999", surface)
    assert unknown.kind == "error"
    assert "999" in unknown.title


async def test_unmet_review_sets_status_and_audits(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    await conversation.on_text(EMPLOYEE, "Can I generate background music for a video?",
                               surface)
    listed = await conversation.on_text(ADMIN, "admin unmet", surface)
    assert listed.kind == "unmet"
    assert "background music" in all_text(listed)
    planned = next(a for a in listed.sections[0].actions if a.label == "Planned")
    assert planned.command is not None
    done = await conversation.on_text(ADMIN, planned.command, surface)
    assert done.title.endswith("marked planned")
    assert (await services.store.unmet.list(status="planned"))
    assert any(a.action == "set_unmet_status" for a in await services.store.audit.recent())


async def test_export_attaches_the_policy_and_audits(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    reply = await conversation.on_text(ADMIN, "admin export", TEAMS)
    version = await _version(services)
    assert reply.attachment is not None
    assert reply.attachment.filename == f"ai-tool-policy-v{version}.yaml"
    assert "chatgpt-enterprise" in reply.attachment.content
    assert any(a.action == "export" for a in await services.store.audit.recent())


async def test_import_and_whatif_without_a_file_say_how(
        conversation: Conversation, surface: Surface) -> None:
    for text in ("admin import", "admin whatif 30"):
        reply = await conversation.on_text(ADMIN, text, surface)
        assert reply.kind == "usage"
        assert ".yaml" in reply.text


async def test_admin_help_and_usage(conversation: Conversation, surface: Surface) -> None:
    helped = await conversation.on_text(ADMIN, "admin", surface)
    assert "/aitools admin status <tool> <status>" in helped.text
    usage = await conversation.on_text(ADMIN, "admin rollback latest", surface)
    assert "admin rollback <version>" in usage.text
    odd = await conversation.on_text(ADMIN, "admin frobnicate", TEAMS)
    assert odd.title == "I didn't understand that admin command."
    assert "/aitools" not in odd.text


def _values(form_reply: Reply) -> dict[str, object]:
    assert form_reply.form is not None
    return {f.id: f.value for f in form_reply.form.fields}


async def test_edit_form_is_prefilled_and_offers_only_usable_alternatives(
        conversation: Conversation, surface: Surface) -> None:
    reply = await conversation.on_text(ADMIN, "admin tool edit Perplexity", surface)
    assert [a.id for a in reply.actions] == ["cancel"]  # no replay service here
    form = reply.form
    assert form is not None
    assert form.id == "tool"
    assert form.state["item"] == "perplexity-pro"
    values = _values(reply)
    assert values["name"] == "Perplexity Pro"
    assert values["status"] == "under_review"
    assert values["alternatives"] == ("copilot-chat", "chatgpt-enterprise")
    alternatives = next(f for f in form.fields if f.id == "alternatives")
    offered = {c.value for c in alternatives.choices}
    assert "midjourney" not in offered
    assert "chatgpt-enterprise" in offered
    assert all(c.value for f in form.fields for c in f.choices)  # never an empty value
    data = next(f for f in form.fields if f.id == "max_data_class")
    assert data.choices[0].value == "none"


async def test_a_value_no_longer_offered_stays_in_the_form(
        conversation: Conversation, surface: Surface) -> None:
    """Perplexity's alternative ChatGPT Enterprise goes under review: still shown, kept."""
    await conversation.on_text(ADMIN, "admin status chatgpt enterprise under review", surface)
    reply = await conversation.on_text(ADMIN, "admin tool edit Perplexity", surface)
    assert reply.form is not None
    alternatives = next(f for f in reply.form.fields if f.id == "alternatives")
    assert "chatgpt-enterprise" in {c.value for c in alternatives.choices}
    assert alternatives.value == ("copilot-chat", "chatgpt-enterprise")


async def test_a_valid_submission_saves_once(conversation: Conversation, services: Services,
                                             surface: Surface) -> None:
    opened = await conversation.on_text(ADMIN, "admin tool edit DeepL", surface)
    assert opened.form is not None
    values = _values(opened) | {"summary": "Translation for all staff."}
    saved = await conversation.on_submit(ADMIN, "tool", opened.form.state, values, surface)
    assert saved.title.startswith("Saved as policy version")
    assert saved.follow is None
    tool = (await services.snapshot()).policy.tool("deepl-pro")
    assert tool is not None
    assert tool.summary == "Translation for all staff."
    assert tool.aliases == ["DeepL", "DeepL Translator", "DeepL for Business"]


async def test_invalid_submissions_come_back_with_errors_by_field(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    before = await _version(services)
    opened = await conversation.on_text(ADMIN, "admin tool add", surface)
    assert opened.form is not None
    assert opened.form.fields[0].id == "id"
    state = opened.form.state
    empty = await conversation.on_submit(ADMIN, "tool", state, {"id": "Bad Id!"}, surface)
    assert empty.form is not None
    assert set(empty.form.errors) >= {"id", "name", "summary"}
    taken = await conversation.on_submit(ADMIN, "tool", state, {
        "id": "deepl-pro", "name": "X", "status": "approved", "summary": "x"}, surface)
    assert taken.form is not None
    assert "That id is taken" in taken.form.errors["id"]
    unknown = await conversation.on_submit(ADMIN, "tool", state, {
        "id": "notion-ai", "name": "Notion AI", "status": "approved", "summary": "Notes.",
        "max_data_class": "secret"}, surface)
    assert unknown.form is not None
    assert "max_data_class" in unknown.form.errors
    assert unknown.form.fields[1].value == "Notion AI"  # nothing typed is lost
    assert await _version(services) == before


async def test_a_stale_form_is_refused_as_a_conflict(
        conversation: Conversation, surface: Surface) -> None:
    opened = await conversation.on_text(ADMIN, "admin usecase edit summarize-documents", surface)
    assert opened.form is not None
    await conversation.on_text(ADMIN, "admin status synthesia pilot", surface)
    values = _values(opened) | {"description": "Summaries of long files."}
    reply = await conversation.on_submit(ADMIN, "use_case", opened.form.state, values, surface)
    assert reply.form is not None
    assert "Someone else changed the policy" in next(iter(reply.form.errors.values()))
    again = await conversation.on_submit(ADMIN, "use_case", reply.form.state, values, surface)
    assert again.form is not None  # still refused: reopening shows the other change first


async def test_a_new_red_line_from_the_form(conversation: Conversation, services: Services,
                                            surface: Surface) -> None:
    opened = await conversation.on_text(ADMIN, "admin add redline", TEAMS)
    assert opened.form is not None
    assert opened.form.id == "red_line"
    values = {"id": "no-health-data", "title": "No health data in AI tools",
              "rule": "Never paste health records.", "why": "It is special category data.",
              "triggers": "health record\nmedical record", "applies_to": "midjourney,pilot"}
    saved = await conversation.on_submit(ADMIN, "red_line", opened.form.state, values, TEAMS)
    assert saved.title.startswith("Saved"), saved
    line = next(r for r in (await services.snapshot()).policy.red_lines
                if r.id == "no-health-data")
    assert line.triggers == ["health record", "medical record"]
    assert line.applies_to == ["midjourney", "pilot"]


def test_parse_submission_reports_every_missing_field() -> None:
    with pytest.raises(FormErrors) as caught:
        parse_submission("use_case", {"item": "", "version": "1"}, {"id": "x"})
    assert set(caught.value.errors) == {"name", "description", "examples"}


async def test_the_audit_names_the_admin(conversation: Conversation, services: Services,
                                         surface: Surface) -> None:
    await conversation.on_text(ADMIN, "admin status midjourney prohibited", surface)
    await conversation.on_text(ADMIN, "admin status MJ approved", surface)
    entry = (await services.store.audit.recent())[0]
    assert (entry.actor, entry.source, entry.allowed) == (ADMIN.id, "slack", True)
    assert isinstance(Actor("x", "teams").aliases, tuple)
