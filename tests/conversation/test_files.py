"""Policy files in chat: import gated by the policy tests, and what-if replays that follow up."""

from __future__ import annotations

import yaml

from bot.core.concierge import Concierge
from bot.core.conversation import Conversation, Surface
from bot.core.conversation.files import file_intent
from bot.core.reply import Reply
from bot.core.services import Services
from bot.core.whatif import WhatIf
from bot.policy.files import dump_policy
from bot.runtime import matcher_factory
from bot.settings import Settings
from tests.conversation.conftest import ADMIN, EMPLOYEE, all_text


async def _draft(services: Services, **status: str) -> bytes:
    data = yaml.safe_load(dump_policy((await services.snapshot()).policy))
    for tool in data["tools"]:
        tool["status"] = status.get(tool["id"].replace("-", "_"), tool["status"])
    return yaml.safe_dump(data).encode()


async def _follow(reply: Reply) -> list[Reply]:
    assert reply.follow is not None
    return [r async for r in reply.follow()]


async def test_import_runs_the_policy_tests_and_force_is_audited(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    before = (await services.snapshot()).version
    draft = await _draft(services, midjourney="approved")
    refused = await conversation.on_file(ADMIN, "import", "p.yaml", draft, "", surface)
    assert refused.title == "Nothing was imported: the policy tests failed"
    assert "midjourney is not refused" in refused.text
    assert (await services.snapshot()).version == before
    forced = await conversation.on_file(ADMIN, "import", "p.yaml", draft, "force", surface)
    assert forced.title == f"Imported p.yaml as policy version {before + 1}"
    audit = await services.store.audit.recent()
    assert next(a for a in audit if a.action == "import" and not a.allowed).detail[
        "reason"] == "policy tests failed"
    assert next(a for a in audit if a.version == before + 1).detail["forced"] is True
    same = await conversation.on_file(ADMIN, "import", "p.yaml", draft, "", surface)
    assert "identical to the live policy" in same.title


async def test_bad_files_are_explained_and_change_nothing(
        conversation: Conversation, services: Services, surface: Surface) -> None:
    before = (await services.snapshot()).version
    invalid = await conversation.on_file(ADMIN, "import", "p.yaml",
                                         b"tools:\n  - id: x\n    status: maybe\n", "", surface)
    assert invalid.title == "Nothing was changed"
    assert "line" in invalid.text
    wrong = await conversation.on_file(ADMIN, "import", "p.pdf", b"%PDF", "", surface)
    assert ".yaml or .json" in wrong.title
    big = await conversation.on_file(ADMIN, "import", "p.yaml", b"a" * (1024 * 1024 + 1), "",
                                     surface)
    assert "larger than 1 MB" in big.title
    binary = await conversation.on_file(ADMIN, "import", "p.yaml", b"\xff\xfe", "", surface)
    assert "UTF-8" in binary.title
    stranger = await conversation.on_file(EMPLOYEE, "import", "p.yaml",
                                          await _draft(services), "", surface)
    assert stranger.title == "Not allowed"
    unclear = await conversation.on_file(ADMIN, "please look", "p.yaml", b"x", "", surface)
    assert "“import”" in unclear.title
    assert (await services.snapshot()).version == before


async def test_whatif_without_the_service_says_so(conversation: Conversation,
                                                  services: Services, surface: Surface) -> None:
    reply = await conversation.on_file(ADMIN, "whatif", "d.yaml", await _draft(services), "",
                                       surface)
    assert "not available on this server" in reply.title


async def test_whatif_replays_then_saves_follow_with_their_impact(
        concierge: Concierge, settings: Settings, surface: Surface) -> None:
    services = Services.build(concierge, admins=[ADMIN.id], make_whatif=lambda: WhatIf(
        concierge.store, make_matcher=matcher_factory(settings), admin=services.admin,
        workers=1))
    conversation = Conversation(services)
    await conversation.on_text(EMPLOYEE, "Can I use Synthesia to make a training video?",
                               surface)
    started = await conversation.on_file(ADMIN, "whatif", "d.yaml",
                                         await _draft(services, synthesia="approved"), "30",
                                         surface)
    assert started.kind == "whatif_progress"
    updates = await _follow(started)
    assert updates[-1].kind == "whatif"
    assert "Replayed" in updates[-1].footer
    refused = await conversation.on_file(EMPLOYEE, "whatif", "d.yaml", b"x", "", surface)
    assert refused.title == "Not allowed"

    opened = await conversation.on_text(ADMIN, "admin tool edit Synthesia", surface)
    assert opened.form is not None
    check = next(a for a in opened.actions if a.id == "check_impact")
    assert check.value == {"form": "tool", **opened.form.state}
    values = {f.id: ",".join(f.value) if isinstance(f.value, tuple) else f.value
              for f in opened.form.fields}
    checked = await conversation.on_action(
        ADMIN, "check_impact", {"form": "tool", **opened.form.state, **values,
                                "status": "approved"}, surface)
    assert checked.form is not None
    assert checked.form.intro.startswith("Impact on past asks")
    assert next(f.value for f in checked.form.fields if f.id == "status") == "approved"
    saved = await conversation.on_submit(ADMIN, "tool", opened.form.state,
                                         values | {"status": "approved"}, surface)
    assert saved.title.startswith("Saved as policy version")
    impact = await _follow(saved)
    assert impact[-1].kind == "whatif"
    assert "Impact of the tool Synthesia" in all_text(impact[-1])


def test_the_words_a_file_comes_with_are_read_the_same_on_both_platforms() -> None:
    assert file_intent("import force") == ("import", "force")
    assert file_intent("Admin What-if 30") == ("whatif", "30")
    assert file_intent("whatif") == ("whatif", "")
    assert file_intent("here is my policy")[0] == ""
    assert file_intent("")[0] == ""
