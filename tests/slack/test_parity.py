"""Every admin command through Slack over signed HTTP, with the outcome Teams must match.

The texts and expected outcomes are shared with the Teams test (tests/parity_cases.py).
"""

from __future__ import annotations

import json

from tests.parity_cases import ADMIN_CASES, ParityCase
from tests.slack.conftest import ADMIN, SlackHarness


async def _run(slack: SlackHarness, case: ParityCase) -> str:
    """Send the case as `/aitools …` from an admin; what came back, as text."""
    fake = slack.fake
    methods = {"message": "response_url", "form": "views.open",
               "file": "files.getUploadURLExternal"}
    method = methods[case.outcome]
    before = {m: len(fake.calls_to(m)) for m in methods.values()}
    assert await slack.command(case.text, user=ADMIN) == 200, case.text
    calls = await fake.wait_for(method, count=before[method] + 1)
    shown = calls[before[method]].params
    await fake.wait_for("response_url", count=before["response_url"]
                        + (case.outcome != "form"))
    others = {m for m in methods.values() if m != method and m != "response_url"}
    assert all(len(fake.calls_to(m)) == before[m] for m in others), case.text
    return json.dumps(shown, ensure_ascii=False)


async def test_every_admin_command_works_through_slack(slack: SlackHarness) -> None:
    store = slack.runtime.store
    for case in ADMIN_CASES:
        version = await store.policies.head_version()
        shown = await _run(slack, case)
        assert case.says.lower() in shown.lower(), (case.text, shown[:600])
        saved = await store.policies.head_version() > version
        assert saved == case.saves, case.text
    refused = [a for a in await store.audit.recent() if not a.allowed]
    assert refused == []  # the admin was never refused
