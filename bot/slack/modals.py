"""Admin forms (modals) for tools, red lines and use cases, and their submissions.

A form carries the policy version it was opened on, so two admins editing at
once cannot overwrite each other (the later one is told to reopen). The whole
policy is validated on submit; each problem is shown inline next to its field
with `response_action: errors`, keyed by the block id of that field.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import NotAuthorized, PolicyConflict, PolicyFileError
from bot.policy.models import Policy, Status
from bot.render.blockkit import escape, truncate
from bot.slack.context import SlackDeps, polite_error
from bot.slack.whatif import impact_form_blocks, watch_saved
from bot.store import Snapshot

__all__ = [
    "CALLBACK",
    "KINDS",
    "build_view",
    "errors_by_block",
    "existing_item",
    "item_from_state",
    "register",
]

_log = logging.getLogger(__name__)
CALLBACK = "concierge.admin.{kind}"
KINDS = {"tool": ("tool", "tools", "Tool"), "redline": ("red_line", "red_lines", "Red line"),
         "usecase": ("use_case", "use_cases", "Use case")}
View = dict[str, Any]
_LIST_FIELDS = {"aliases", "not_good_for", "triggers", "examples"}
_MULTI_FIELDS = {"good_for", "alternatives", "applies_to"}
_PATH = re.compile(r"^[a-z_]+\[\d+\]\.?(?P<rest>.*)$")
_BLOCK_OF = {"access.url": "access_url", "access.text": "access_text", "access": "access_text"}


def _label(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, 2000)}


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _label(truncate(text, 75)), "value": value[:150]}


def _text(block_id: str, label: str, initial: str | None, *, multiline: bool = False,
          optional: bool = False, hint: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value",
                               "multiline": multiline, "max_length": 3000}
    if initial:
        element["initial_value"] = initial[:3000]
    block = {"type": "input", "block_id": block_id, "label": _label(label),
             "element": element, "optional": optional}
    if hint:
        block["hint"] = _label(hint)
    return block


def _select(block_id: str, label: str, options: list[tuple[str, str]], initial: str | None,
            *, optional: bool = False) -> dict[str, Any]:
    opts = [_option(v, t) for v, t in options][:100]
    element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": opts}
    chosen = [o for o in opts if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return {"type": "input", "block_id": block_id, "label": _label(label), "element": element,
            "optional": optional}


def _multi(block_id: str, label: str, options: list[tuple[str, str]],
           initial: list[str]) -> dict[str, Any]:
    # Slack allows 100 options: keep the selected ones, then fill up.
    ordered = sorted(options, key=lambda o: o[0] not in initial)[:100]
    opts = [_option(v, t) for v, t in ordered]
    element: dict[str, Any] = {"type": "multi_static_select", "action_id": "value",
                               "options": opts}
    chosen = [o for o in opts if o["value"] in initial]
    if chosen:
        element["initial_options"] = chosen
    return {"type": "input", "block_id": block_id, "label": _label(label), "element": element,
            "optional": True}


def _lines(values: list[str] | None) -> str | None:
    return "\n".join(values) if values else None


def _tool_blocks(policy: Policy, item: dict[str, Any]) -> list[dict[str, Any]]:
    access = item.get("access") or {}
    return [
        _text("name", "Name", item.get("name")),
        _text("aliases", "Other names people use (one per line)", _lines(item.get("aliases")),
              multiline=True, optional=True),
        _select("status", "Status", [(s.value, s.value.replace("_", " ")) for s in Status],
                item.get("status")),
        _text("summary", "Summary", item.get("summary"), multiline=True),
        _multi("good_for", "Good for (use cases)",
               [(u.id, u.name) for u in policy.use_cases], item.get("good_for") or []),
        _text("not_good_for", "Not good for (one per line)", _lines(item.get("not_good_for")),
              multiline=True, optional=True),
        _select("max_data_class", "Most sensitive data allowed",
                [("none", "No company data / not stated")]
                + [(d.id, d.label) for d in policy.data_classes],
                item.get("max_data_class") or "none"),
        _text("access_text", "How to get access", access.get("text"), multiline=True,
              optional=True),
        _text("access_url", "Access link", access.get("url"), optional=True,
              hint="https://…"),
        _multi("alternatives", "Approved alternatives",
               [(t.id, t.name) for t in policy.tools if t.id != item.get("id")],
               item.get("alternatives") or []),
        _text("owner", "Owner", item.get("owner"), optional=True),
        _text("contact", "Contact", item.get("contact"), optional=True),
    ]


def _red_line_blocks(policy: Policy, item: dict[str, Any]) -> list[dict[str, Any]]:
    targets = [(t.id, t.name) for t in policy.tools] + [
        (s.value, f"every {s.value.replace('_', ' ')} tool") for s in Status]
    return [
        _text("title", "Title", item.get("title")),
        _text("rule", "Rule", item.get("rule"), multiline=True),
        _text("why", "Why", item.get("why"), multiline=True),
        _text("triggers", "Words that trigger it (one per line)", _lines(item.get("triggers")),
              multiline=True),
        _multi("applies_to", "Applies to (empty: everything)", targets,
               item.get("applies_to") or []),
    ]


def _use_case_blocks(policy: Policy, item: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _text("name", "Name", item.get("name")),
        _text("description", "Description", item.get("description"), multiline=True),
        _text("examples", "How people ask for it (one per line; three or more match best)",
              _lines(item.get("examples")), multiline=True),
    ]


def existing_item(policy: Policy, kind: str, item_id: str | None) -> dict[str, Any] | None:
    if item_id is None:
        return {}
    section = KINDS[kind][1]
    for item in getattr(policy, section):
        if item.id == item_id:
            return item.model_dump(mode="json", exclude_none=True)  # type: ignore[no-any-return]
    return None


def build_view(kind: str, policy: Policy, version: int, item_id: str | None) -> View | None:
    """The add/edit form, or None when `item_id` names nothing."""
    item = existing_item(policy, kind, item_id)
    if item is None:
        return None
    noun = KINDS[kind][2]
    builders = {"tool": _tool_blocks, "redline": _red_line_blocks, "usecase": _use_case_blocks}
    blocks = builders[kind](policy, item)
    if item_id is None:
        blocks.insert(0, _text("id", "Id (lowercase letters, digits, - or _)", None))
    else:
        blocks.insert(0, {"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"Editing `{escape(item_id)}` (policy version {version})"}]})
    blocks += impact_form_blocks()
    return {
        "type": "modal",
        "callback_id": CALLBACK.format(kind=kind),
        "title": _label(f"{'Edit' if item_id else 'Add'} {noun.lower()}"[:24]),
        "submit": _label("Save"),
        "close": _label("Cancel"),
        "private_metadata": json.dumps({"kind": kind, "id": item_id, "version": version}),
        "blocks": blocks[:100],
    }


def _value(state: dict[str, Any]) -> Any:
    element = state.get("value") or {}
    if "selected_options" in element:
        return [o["value"] for o in element["selected_options"] or []]
    if "selected_option" in element:
        return (element["selected_option"] or {}).get("value")
    return element.get("value")


def item_from_state(kind: str, values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Overlay the form's fields on the item's stored data (keeping fields the form lacks)."""
    item = dict(base)
    fields = {block_id: _value(state) for block_id, state in values.items()}
    access = {"text": fields.pop("access_text", None), "url": fields.pop("access_url", None)}
    for name, value in fields.items():
        if name in _LIST_FIELDS:
            value = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if isinstance(value, str):
            value = value.strip()
        if value in (None, "", "none") and name not in _MULTI_FIELDS | _LIST_FIELDS:
            item.pop(name, None)
        else:
            item[name] = value
    if kind == "tool":
        access = {k: v.strip() for k, v in access.items() if v and v.strip()}
        if access:
            item["access"] = access
        else:
            item.pop("access", None)
    return item


def errors_by_block(exc: PolicyFileError, block_ids: list[str]) -> dict[str, str]:
    """Each located problem on the input block of its field (else on the first field)."""
    errors: dict[str, list[str]] = {}
    for problem in exc.problems:
        match = _PATH.match(problem.path)
        rest = match["rest"] if match else ""
        field = re.sub(r"\[\d+\]", "", rest)
        block = _BLOCK_OF.get(field) or field.split(".")[0]
        if block not in block_ids:
            block = block_ids[0]
        errors.setdefault(block, []).append(problem.message)
    return {block: truncate("; ".join(msgs), 300) for block, msgs in errors.items()}


def _notice(title: str, text: str) -> View:
    return {"type": "modal", "title": _label(title[:24]), "close": _label("Close"),
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": escape(text)}}]}


def register(app: AsyncApp, deps: SlackDeps) -> None:
    @app.view(re.compile(r"^concierge\.admin\.(tool|redline|usecase)$"))
    async def submitted(ack: Any, body: dict[str, Any], view: dict[str, Any],
                        client: AsyncWebClient, context: AsyncBoltContext) -> None:
        deps.hold()
        meta = json.loads(view.get("private_metadata") or "{}")
        kind, item_id = meta.get("kind", "tool"), meta.get("id")
        values = (view.get("state") or {}).get("values") or {}
        block_ids = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
        first = block_ids[0] if block_ids else "name"
        try:
            index = await deps.concierge.index(force=True)
            policy = index.policy
            base = existing_item(policy, kind, item_id) or {}
            item = item_from_state(kind, values, base)
            if item_id is None and existing_item(policy, kind, str(item.get("id"))):
                await ack(response_action="errors", errors={
                    "id": "That id is taken: edit it with /aitools admin "
                          f"{kind} {item.get('id')}"})
                return
            bot_team = context.authorize_result.team_id if context.authorize_result else None
            actor, aliases = await deps.actor(body, bot_team)
            version = await deps.admin.upsert(KINDS[kind][0], item, actor=actor, aliases=aliases,
                                              expected_version=meta.get("version"))
        except NotAuthorized as exc:
            await ack(response_action="update", view=_notice("Not allowed", str(exc)))
            return
        except PolicyFileError as exc:
            await ack(response_action="errors", errors=errors_by_block(exc, block_ids))
            return
        except PolicyConflict:
            await ack(response_action="errors", errors={first: (
                "Someone else changed the policy while you were editing. "
                "Cancel and open the form again to see their change.")})
            return
        except Exception as exc:  # database down or a bug: say so in the form, never a 500
            _log.warning("admin form submission failed: %s", type(exc).__name__)
            await ack(response_action="errors", errors={first: polite_error(exc)})
            return
        await ack()
        noun = f"{KINDS[kind][2].lower()} `{escape(str(item.get('id')))}`"
        text = (f"No change to {noun}, so no new version was made." if version is None
                else f"Saved {noun} as policy version {version}.")
        await client.chat_postMessage(channel=body["user"]["id"], text=text)
        if version is not None:  # what the saved change does to past asks, and cover offers
            before = Snapshot(index.version, index.policy, datetime.now(UTC))
            await watch_saved(deps, client, body["user"]["id"], before, version, noun)
