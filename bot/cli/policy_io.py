"""What the `policies` commands share: the store without a running concierge, input, tests.

Policy commands open the store directly (migrated on open) instead of starting the
concierge, so `policies import` works on a brand-new DATABASE_URL and never builds
an index of a policy it is about to replace.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import PolicyConflict, PolicyFileError
from bot.policy.csv_tools import policy_with_csv_tools
from bot.policy.files import (
    LoadedPolicy,
    PolicyProblem,
    PolicyTestItem,
    read_policy,
)
from bot.policy.models import Policy
from bot.settings import Settings
from bot.store import Actor, Store, upgrade

if TYPE_CHECKING:
    from bot.core.policy_tests import PolicyTestReport

__all__ = ["live_tests", "open_store", "print_warnings", "read_input", "run_tests"]


async def live_tests(store: Store, version: int | None = None) -> list[PolicyTestItem]:
    """The policy tests kept with the live (or given) version's files."""
    from bot.core.policy_tests import live_tests as stored_tests

    return await stored_tests(store, version)


@asynccontextmanager
async def open_store(settings: Settings, *, import_default: bool = True) -> AsyncIterator[Store]:
    """The migrated store; an empty one first gets the default policy unless told not to."""
    store = Store.open(settings.database_url)
    try:
        await upgrade(store.engine)
        if import_default and await store.policies.head_version() == 0:
            loaded = read_policy(settings.policy_path)
            with suppress(PolicyConflict):  # another process imported it first
                await store.policies.save(
                    loaded.policy, actor=Actor("system", "startup"), action="import",
                    summary=f"Imported default policy from {settings.policy_path.name}/",
                    expected_version=0, files=loaded.files,
                )
        yield store
    finally:
        await store.close()


async def read_input(
    path: Path | None, csv: Path | None, settings: Settings, *, live: Policy | None = None
) -> LoadedPolicy:
    """A policy folder or file, a tools CSV on top of it (or of the live policy)."""
    if path is not None and path.suffix.lower() == ".csv":
        path, csv = None, path
    if csv is None:
        assert path is not None
        return read_policy(path)
    base = read_policy(path) if path is not None else None
    if base is None and live is None:
        raise PolicyFileError([PolicyProblem(
            str(csv), "", "a CSV holds only the tools; import a whole policy first, or give "
            "the folder with it: `policies import FOLDER --csv tools.csv`")])
    base_policy = base.policy if base else live
    assert base_policy is not None
    text = _read_csv(csv)
    policy = policy_with_csv_tools(base_policy, text, str(csv))
    return LoadedPolicy(policy, base.warnings if base else [], base.tests if base else [], {})


def _read_csv(csv: Path) -> str:
    if not csv.is_file():
        raise PolicyFileError([PolicyProblem(str(csv), "", "no such file")])
    try:
        return csv.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PolicyFileError([PolicyProblem(
            str(csv), "", "not UTF-8 text: save the sheet as 'CSV UTF-8'")]) from None


def run_tests(
    policy: Policy, tests: list[PolicyTestItem], settings: Settings
) -> PolicyTestReport:
    # Matching is heavy (NumPy, ONNX Runtime): imported only when tests actually run.
    from bot.core.advisor import build_index
    from bot.core.policy_tests import run_policy_tests
    from bot.runtime import matcher_factory

    index = build_index(0, policy, matcher_factory(settings), settings.match_threshold)
    return run_policy_tests(index, tests)


def print_warnings(warnings: list[PolicyProblem]) -> None:
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
