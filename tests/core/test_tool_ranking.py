"""Within a use case, tools come in the policy's stated preference: status, then IT's order."""

from __future__ import annotations

from bot.core import compose
from bot.policy.models import Policy


def _tool(tool_id: str, status: str, limit: str | None) -> dict:
    return {"id": tool_id, "name": tool_id.title(), "status": status, "summary": "A tool.",
            "good_for": ["write"], "max_data_class": limit}


def test_status_first_then_the_order_it_wrote_not_the_biggest_data_allowance() -> None:
    policy = Policy.model_validate({
        "data_classes": [
            {"id": "public", "label": "Public", "description": "Anyone."},
            {"id": "internal", "label": "Internal", "description": "Staff."},
            {"id": "confidential", "label": "Confidential", "description": "Few."},
        ],
        "use_cases": [{"id": "write", "name": "Write", "description": "Write text.",
                       "examples": ["write a memo", "draft a letter", "write an email"]}],
        "tools": [
            _tool("zeta-pilot", "pilot", "confidential"),
            _tool("yankee", "approved", "public"),
            _tool("alpha", "approved", "confidential"),
            _tool("banned", "prohibited", "confidential"),
            _tool("xray", "standard", "internal"),
        ],
    })
    ranked = [t.id for t in compose.recommend(policy, "write")]
    # Before: approved tools sorted by data allowance, then name (alpha before yankee).
    assert ranked == ["xray", "yankee", "alpha"]
    # Data the message names still sinks the tools that may not take it (yankee: public).
    ranked = [t.id for t in compose.recommend(policy, "write", data_class="internal")]
    assert ranked == ["xray", "alpha", "zeta-pilot"]


def test_each_policy_recommends_its_own_tools_while_the_last_one_is_remembered() -> None:
    """`recommend` keeps each policy's tools per use case; a policy built later (a new
    version, possibly at the address of a freed one) is never answered with another's."""
    def policy(status: str) -> Policy:
        return Policy.model_validate({
            "data_classes": [{"id": "public", "label": "Public", "description": "Anyone."}],
            "use_cases": [{"id": "write", "name": "Write", "description": "Write text.",
                           "examples": ["write a memo", "draft a letter"]}],
            "tools": [_tool("alpha", status, None), _tool("beta", "approved", None)]})

    for _ in range(50):  # freed policies' addresses are reused: the cache must notice
        approved, retired = policy("approved"), policy("prohibited")
        assert [t.id for t in compose.recommend(approved, "write")] == ["alpha", "beta"]
        assert [t.id for t in compose.recommend(retired, "write")] == ["beta"]
        assert compose.recommend(retired, "other-job") == []
        del approved, retired
