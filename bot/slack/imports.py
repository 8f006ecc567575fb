"""Import a policy YAML file an admin sends the bot in a direct message with `import`.

The file is fetched with the bot token only from Slack's own file host (or the
configured API host), validated in full, and saved as one new version; problems
are listed with their location in the file, and nothing changes.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.policy_tests import check_draft
from bot.errors import ConciergeError, InputError, PolicyFileError
from bot.policy.files import read_policy_text
from bot.render.blockkit import escape
from bot.slack.admin import problems_text
from bot.slack.context import SlackDeps, polite_error

__all__ = ["MAX_IMPORT_BYTES", "fetch_policy_file", "import_shared_file"]

_log = logging.getLogger(__name__)
MAX_IMPORT_BYTES = 1024 * 1024
_SUFFIXES = (".yaml", ".yml", ".json")


def _trusted(url: str, api_url: str) -> bool:
    """Only send the bot token to Slack's file hosts (or the configured API host)."""
    parts, api = urlsplit(url), urlsplit(api_url)
    host = parts.hostname or ""
    if parts.scheme == "https" and (host == "slack.com" or host.endswith(".slack.com")):
        return True
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


async def _download(url: str, token: str) -> bytes:
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(
        url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False
    ) as response:
        response.raise_for_status()
        data = await response.content.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError("file too large")
    return data


async def fetch_policy_file(client: AsyncWebClient, event: dict[str, Any],
                            word: str = "import") -> tuple[str, str]:
    """(name, text) of the policy file shared with `event`; InputError says what is wrong."""
    files = [f for f in event.get("files") or []
             if str(f.get("name", "")).lower().endswith(_SUFFIXES)]
    if not files:
        raise InputError(f"Please send the policy as a `.yaml` or `.json` file with the "
                         f"message `{word}`.")
    info = (await client.files_info(file=files[0]["id"])).get("file") or {}
    name = str(info.get("name") or files[0].get("name") or "policy.yaml")
    url = str(info.get("url_private_download") or info.get("url_private") or "")
    if int(info.get("size") or 0) > MAX_IMPORT_BYTES:
        raise InputError("That file is larger than 1 MB; a policy file should be much smaller.")
    if not url or not _trusted(url, str(client.base_url)):
        raise InputError("I couldn't fetch that file from Slack.")
    try:
        return name, (await _download(url, str(client.token))).decode("utf-8")
    except (UnicodeDecodeError, ValueError):
        raise InputError("That file is not a UTF-8 text file under 1 MB.") from None


async def _import(deps: SlackDeps, client: AsyncWebClient, event: dict[str, Any],
                  context: AsyncBoltContext, *, force: bool = False) -> str:
    bot_team = context.authorize_result.team_id if context.authorize_result else None
    actor, aliases = await deps.actor(event, bot_team)
    await deps.admin.require_admin(actor, "slack_import", "policy", aliases=aliases)
    name, text = await fetch_policy_file(client, event)
    loaded = read_policy_text(text, name)
    notes = [f"⚠ {escape(str(w))}" for w in loaded.warnings[:10]]
    report = await check_draft(deps.concierge, loaded)
    detail: dict[str, Any] = {}
    if report is not None:
        detail["tests"] = report.to_detail()
        if not report.ok and not force:
            await deps.runtime.store.audit.record(
                actor=actor.id, source=actor.source, action="slack_import", target="policy",
                allowed=False, detail={"reason": "policy tests failed", **detail})
            return ("Nothing was imported: the policy tests failed.\n```"
                    f"{escape(report.text(limit=10))}```\nFix the policy or its tests, or send "
                    "the file again with the message `import force` (recorded in the audit log).")
        detail["forced"] = not report.ok
        notes.append(escape(report.summary()))
    version = await deps.admin.import_policy(
        loaded.policy, actor=actor, summary=f"Imported {name[:100]} from Slack", aliases=aliases,
        files=loaded.files, detail=detail)
    tail = "".join(f"\n{n}" for n in notes)
    if version is None:
        return f"`{escape(name)}` is identical to the live policy; nothing changed.{tail}"
    return f"Imported `{escape(name)}` as policy version {version}.{tail}"


async def import_shared_file(deps: SlackDeps, client: AsyncWebClient, event: dict[str, Any],
                             context: AsyncBoltContext) -> None:
    """Handle a file shared in the bot's DM: import it when the message says `import`."""
    words = (event.get("text") or "").lower().split()
    if "import" not in words:
        text = ("To import a policy file, send it to me again with the message `import`; "
                "to see what it would change, with the message `whatif`. "
                "To ask a question, just type it.")
    else:
        try:
            text = await _import(deps, client, event, context, force="force" in words)
        except PolicyFileError as exc:
            text = escape(problems_text(exc))
        except ConciergeError as exc:
            text = escape(polite_error(exc))
        except (SlackApiError, aiohttp.ClientError) as exc:
            _log.warning("policy import download failed: %s", type(exc).__name__)
            text = "I couldn't fetch that file from Slack; please try again."
    await client.chat_postMessage(channel=event["channel"], text=text)
