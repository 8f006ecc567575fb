"""Shapes of signed Slack payloads that the listeners can use; anything else is a 400.

Bolt trusts a verified body's shape (a string `event` ends in a 500 deep in a
listener), so these run after the signature check (a forged body still gets 401)
and before dispatch. `unescape` undoes Slack's text escaping, so the concierge reads
and stores what the person typed and every renderer escapes once.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from slack_sdk.signature import SignatureVerifier

from bot.transport.shapes import ids, lists_of_objects, strings

__all__ = ["INTERACTIVE_TYPES", "shape_problem", "signature_ok", "unescape"]

INTERACTIVE_TYPES = frozenset({
    "block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut",
    "message_action", "interactive_message", "dialog_submission", "dialog_cancellation",
})
_ENVELOPES = frozenset({"event_callback", "url_verification", "app_rate_limited"})
_HANDLED_EVENTS = frozenset({"message", "app_mention", "app_home_opened"})
_EVENT_STRINGS = ("user", "text", "channel", "channel_type", "subtype", "ts", "thread_ts",
                  "bot_id", "tab")


def unescape(text: str) -> str:
    """Slack's message text escaping undone (the three entities only, `&amp;` last)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def signature_ok(secret: str, body: str, headers: Mapping[str, str | Sequence[str]]) -> bool:
    """The same HMAC check Bolt makes; used to put shape errors after signature errors."""
    def first(name: str) -> str:
        value = headers.get(name) or ""
        return value if isinstance(value, str) else next(iter(value), "")

    timestamp, signature = first("x-slack-request-timestamp"), first("x-slack-signature")
    try:
        return SignatureVerifier(secret).is_valid(body, timestamp, signature)
    except Exception:  # malformed headers: Bolt answers 401 for them
        return False


def signed_now(secret: str, body: str, headers: Mapping[str, str | Sequence[str]]
               ) -> dict[str, str | Sequence[str]]:
    """The headers of a request the front verified and acked, signed again with the time
    now: one handed over again after a crash may be older than Bolt's five minutes."""
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body) \
        or ""
    return {**headers, "x-slack-request-timestamp": [timestamp], "x-slack-signature": [signature]}


def _event_problem(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event object and type"
    # The events this app subscribes to carry these as strings (others, e.g. channel_created,
    # may carry objects; they are left to Bolt, which has no listener for them).
    handled = event["type"] in _HANDLED_EVENTS
    return (handled and strings(event, _EVENT_STRINGS, where="event.")) \
        or strings(body, ("event_id", "team_id")) or lists_of_objects(body, "authorizations")


def _view_problem(view: Any) -> str | None:
    if not isinstance(view, dict) or not isinstance(view.get("callback_id", ""), str):
        return "a view interaction needs a view object"
    state = view.get("state")
    if state is not None and not (isinstance(state, dict)
                                  and isinstance(state.get("values", {}), dict)):
        return "view.state.values must be an object"
    return None


def _interactive_problem(kind: str, body: dict[str, Any]) -> str | None:
    return (ids(body, ("user",), required=True) or ids(body, ("team", "channel", "enterprise"))
            or (kind == "block_actions" and lists_of_objects(body, "actions",
                                                             required="action_id", non_empty=True))
            or (kind in {"view_submission", "view_closed"} and _view_problem(body.get("view")))
            or strings(body, ("trigger_id", "response_url")))


def _command_problem(body: dict[str, Any]) -> str | None:
    return strings(body, ("command", "user_id", "team_id"), required=True) \
        or strings(body, ("text", "channel_id", "trigger_id", "response_url", "user_name"))


def shape_problem(body: Any) -> str | None:
    """Why this verified body is not a Slack payload we can handle, or None when it is."""
    if not isinstance(body, dict) or not body:
        return "empty or non-object body"
    if body.get("ssl_check") is not None:
        return None
    if "command" in body:
        return _command_problem(body)
    kind = body.get("type")
    if not isinstance(kind, str) or not kind:
        return "the payload has no type"
    if kind == "url_verification":
        return None if isinstance(body.get("challenge"), str) else "challenge must be a string"
    if kind == "event_callback":
        return _event_problem(body)
    if kind in INTERACTIVE_TYPES:
        return _interactive_problem(kind, body)
    if kind in _ENVELOPES:
        return None
    return f"unknown payload type {kind[:40]!r}"
