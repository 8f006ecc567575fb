"""Versioned policy store and audit: on a real, migrated database."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.admin import PolicyAdmin
from bot.errors import NotAuthorized, PolicyConflict, PolicyFileError, UnknownVersion
from bot.policy import Policy, Status
from bot.store import Actor, Store

IT = Actor("U_IT", "slack")
OPERATOR = Actor("cli:ops", "cli")


async def test_every_change_is_a_new_version_and_rollback_restores(
    store: Store, sample_policy: Policy
) -> None:
    admin = PolicyAdmin(store, admins=["U_IT"])
    v1 = await admin.import_policy(sample_policy, actor=OPERATOR, summary="initial")
    assert v1 == 1
    tool = sample_policy.tools[0]
    v2 = await admin.set_status(tool.id, Status.PROHIBITED, actor=IT)
    assert v2 == 2
    assert (await store.policies.current()).policy.tool(tool.id).status is Status.PROHIBITED  # type: ignore[union-attr]
    v3 = await admin.rollback(1, actor=IT)
    assert v3 == 3
    restored = await store.policies.current()
    assert restored is not None
    assert restored.policy == sample_policy
    history = await store.policies.history()
    assert [h.version for h in history] == [3, 2, 1]
    assert history[0].restored_from == 1
    assert history[0].actor == "U_IT"
    audit = await store.audit.recent()
    assert [a.action for a in audit] == ["rollback", "set_status", "import"]
    assert audit[1].detail["changes"] == [f"{tool.name}: status standard → prohibited"]
    assert history[1].changes == (f"{tool.name}: status standard → prohibited",)
    assert history[1].summary == f"{tool.name}: status standard → prohibited"
    assert audit[0].detail["changes"] == [f"{tool.name}: status prohibited → standard"]


async def test_identical_import_makes_no_version(store: Store, sample_policy: Policy) -> None:
    admin = PolicyAdmin(store)
    assert await admin.import_policy(sample_policy, actor=OPERATOR, summary="a") == 1
    assert await admin.import_policy(sample_policy, actor=OPERATOR, summary="b") is None
    assert await store.policies.head_version() == 1


async def test_unknown_version(store: Store, sample_policy: Policy) -> None:
    await PolicyAdmin(store).import_policy(sample_policy, actor=OPERATOR, summary="a")
    with pytest.raises(UnknownVersion):
        await store.policies.get(99)


async def test_non_admin_is_refused_and_audited(store: Store, sample_policy: Policy) -> None:
    admin = PolicyAdmin(store, admins=["U_IT"])
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="a")
    with pytest.raises(NotAuthorized):
        await admin.set_status(
            sample_policy.tools[0].id, "prohibited", actor=Actor("U_BOB", "slack")
        )
    assert await store.policies.head_version() == 1
    refused = (await store.audit.recent())[0]
    assert (refused.actor, refused.allowed, refused.action) == ("U_BOB", False, "set_status")


async def test_admins_from_the_policy_and_by_alias(store: Store, sample_policy: Policy) -> None:
    policy = sample_policy.model_copy(
        update={"meta": sample_policy.meta.model_copy(update={"admins": ["it-lead@corp.example"]})}
    )
    admin = PolicyAdmin(store)
    await admin.import_policy(policy, actor=OPERATOR, summary="a")
    assert await admin.is_admin(Actor("29:abc", "teams", aliases=("IT-Lead@corp.example",)))
    assert not await admin.is_admin(Actor("29:abc", "teams"))


async def test_stale_editor_gets_a_conflict_not_a_lost_update(
    store: Store, sample_policy: Policy
) -> None:
    admin = PolicyAdmin(store, admins=["U_IT", "U_IT2"])
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="a")
    tool = sample_policy.tools[0].model_dump(mode="json", exclude_none=True)
    await admin.upsert("tool", {**tool, "summary": "First edit."}, actor=IT, expected_version=1)
    with pytest.raises(PolicyConflict, match="changed while you were editing"):
        await admin.upsert(
            "tool",
            {**tool, "summary": "Second edit."},
            actor=Actor("U_IT2", "slack"),
            expected_version=1,
        )
    live = (await store.policies.current()).policy.tool(tool["id"])  # type: ignore[union-attr]
    assert live is not None
    assert live.summary == "First edit."


async def test_concurrent_saves_from_one_base_only_one_wins(
    store: Store, sample_policy: Policy
) -> None:
    admin = PolicyAdmin(store, admins=["U_IT"])
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="a")
    tool = sample_policy.tools[0].model_dump(mode="json", exclude_none=True)
    results = await asyncio.gather(
        *[
            admin.upsert("tool", {**tool, "summary": f"Edit {n}."}, actor=IT, expected_version=1)
            for n in range(4)
        ],
        return_exceptions=True,
    )
    assert sum(isinstance(r, int) for r in results) == 1
    assert all(isinstance(r, PolicyConflict) for r in results if not isinstance(r, int))
    assert await store.policies.head_version() == 2


async def test_invalid_edit_changes_nothing(store: Store, sample_policy: Policy) -> None:
    admin = PolicyAdmin(store, admins=["U_IT"])
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="a")
    tool = sample_policy.tools[0].model_dump(mode="json", exclude_none=True)
    with pytest.raises(PolicyFileError, match="unknown use case 'nonsense'"):
        await admin.upsert("tool", {**tool, "good_for": ["nonsense"]}, actor=IT)
    assert await store.policies.head_version() == 1


async def test_retiring_a_tool_removes_its_references(store: Store, sample_policy: Policy) -> None:
    admin = PolicyAdmin(store, admins=["U_IT"])
    await admin.import_policy(sample_policy, actor=OPERATOR, summary="a")
    referenced = next(alt for t in sample_policy.tools for alt in t.alternatives)
    await admin.remove("tool", referenced, actor=IT)
    live = (await store.policies.current()).policy  # type: ignore[union-attr]
    assert live.tool(referenced) is None
    assert all(referenced not in t.alternatives for t in live.tools)


async def test_imported_files_are_kept_for_export_through_edits_and_rollbacks(
    store: Store,
) -> None:
    from bot.policy.files import read_policy
    from bot.policy.roundtrip import export_files
    from bot.settings import ROOT

    loaded = read_policy(ROOT / "policies")
    admin = PolicyAdmin(store, admins=["U_IT"])
    assert await admin.import_policy(loaded.policy, actor=OPERATOR, summary="a",
                                     files=loaded.files) == 1
    assert await store.policies.files() == loaded.files
    # A comment-only change imports no new version but keeps the new text.
    commented = {**loaded.files, "meta.yaml": loaded.files["meta.yaml"] + "# reviewed\n"}
    assert await admin.import_policy(loaded.policy, actor=OPERATOR, summary="b",
                                     files=commented) is None
    assert await store.policies.files(1) == commented
    # A chat edit stores no files: export starts from the last imported ones.
    assert await admin.set_status("deepseek", Status.UNDER_REVIEW, actor=IT) == 2
    assert await store.policies.files(2) == commented
    live = await store.policies.current()
    assert live is not None
    exported = export_files(live.policy, await store.policies.files(2))
    assert exported["meta.yaml"].endswith("# reviewed\n")
    assert "# ---------------------------------------------------------------- prohibited" \
        in exported["tools.yaml"]
    [history] = [h for h in await store.policies.history() if h.version == 2]
    assert history.changes == ("DeepSeek: status prohibited → under review",)
    # A rollback carries the files of the version it restores.
    assert await admin.rollback(1, actor=IT) == 3
    assert await store.policies.files(3) == commented
