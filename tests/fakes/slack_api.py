"""A local fake of the Slack Web API (aiohttp, 127.0.0.1, free port) that records every call.

It answers the methods the concierge uses with Slack's response shapes, rejects
unknown methods and missing tokens like Slack does, serves `response_url`s,
upload URLs and private file downloads, can be told to fail the next N calls
(response_url posts included) with 429 + Retry-After or a 5xx, and can hold a
method's calls: a held call counts only if its caller is still connected when
released (a bot killed mid-post posted nothing).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["Call", "FakeSlackApi"]

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000TEAM"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    status: int = 200
    at: float = field(default_factory=time.monotonic)
    result: dict[str, Any] = field(default_factory=dict)  # what the fake answered (ts, ids)


@dataclass
class _Fault:
    status: int
    retry_after: int | None
    method: str | None


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    """Form fields that carry JSON (blocks, view, files) decoded like Slack would."""
    out = dict(params)
    for key, value in params.items():
        if isinstance(value, str) and value[:1] in "[{":
            with contextlib.suppress(ValueError):
                out[key] = json.loads(value)
    return out


class FakeSlackApi:
    """Start with `await fake.start()`; point SLACK_API_URL at `fake.api_url`."""

    def __init__(self, *, token_prefix: str = "xoxb-") -> None:
        self.token_prefix = token_prefix
        self.attempts: list[Call] = []  # every request, including failed ones
        self.calls: list[Call] = []  # requests that were answered with ok
        self.unknown: list[str] = []
        self.usergroups: dict[str, list[str]] = {}
        self.emails: dict[str, str] = {}  # user id -> profile.email (users:read.email)
        self.names: dict[str, str] = {}  # user id -> profile.display_name
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.uploads: dict[str, bytes] = {}
        self._faults: list[_Fault] = []
        self.delays: dict[str, float] = {}  # method -> seconds before answering
        self._gates: dict[str, asyncio.Event] = {}  # held methods (see `hold`)
        self.held: list[str] = []  # calls that waited at a gate
        self.abandoned: list[str] = []  # held calls whose caller hung up: nothing posted
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # -- control -------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=10 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files/{file_id}/{name}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.api_url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str = "cmd") -> str:
        return f"{self.base_url}/response/{key}"

    def fail_next(self, count: int = 1, *, status: int = 429, retry_after: int | None = 1,
                  method: str | None = None) -> None:
        """Answer the next `count` calls (to `method`, or any) with `status`."""
        self._faults.extend(_Fault(status, retry_after, method) for _ in range(count))

    def add_file(self, name: str, content: bytes) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        info = {"id": file_id, "name": name, "size": len(content), "filetype": "yaml",
                "url_private_download": f"{self.base_url}/files/{file_id}/{name}"}
        self.files[file_id] = (info, content)
        return info

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 10.0) -> list[Call]:
        """Poll until `count` calls to `method` were recorded (work runs after the ack)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got "
                             f"{[c.method for c in self.calls]}")

    # -- handlers -------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.content_type.startswith("multipart/"):
            form = await request.post()
            params.update({k: v if isinstance(v, str) else v.file.read()
                           for k, v in form.items()})
        else:
            params.update(await request.post())
        return _decode(params)

    def _fault_for(self, method: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in (None, method):
                self._faults.remove(fault)
                return fault
        return None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        call = Call(method, params, dict(request.headers))
        self.attempts.append(call)
        await asyncio.sleep(self.delays.get(method, 0.0))
        fault = self._fault_for(method)
        if fault is not None:
            call.status = fault.status
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            error = "ratelimited" if fault.status == 429 else "fatal_error"
            return web.json_response({"ok": False, "error": error}, status=fault.status,
                                     headers=headers)
        if not await self._still_connected(request, method):
            return web.json_response({"ok": False, "error": "request_abandoned"}, status=499)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else params.get("token")
        if not token or not str(token).startswith(self.token_prefix):
            return web.json_response({"ok": False, "error": "not_authed"})
        name = re.sub(r"(?<=[a-z])([A-Z])", r"_\1", method).lower().replace(".", "_")
        handler = getattr(self, "_m_" + name, None)
        if handler is None:
            self.unknown.append(method)
            return web.json_response({"ok": False, "error": "unknown_method"}, status=404)
        self.calls.append(call)
        call.result = handler(params)
        return web.json_response({"ok": True, **call.result})

    async def _response_url(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.attempts.append(call := Call("response_url", payload, dict(request.headers)))
        fault = self._fault_for("response_url")
        if fault is not None:  # Slack answers response_url failures in plain text
            call.status = fault.status
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return web.Response(status=fault.status, text="internal_error", headers=headers)
        if not await self._still_connected(request, "response_url"):
            return web.Response(status=499)
        self.calls.append(call)
        return web.Response(text="ok")

    def hold(self, method: str) -> None:
        """Keep calls to `method` waiting until `release(method)`."""
        self._gates[method] = asyncio.Event()

    def release(self, method: str) -> None:
        gate = self._gates.pop(method, None)
        if gate is not None:
            gate.set()

    async def _still_connected(self, request: web.Request, method: str) -> bool:
        """Wait while `method` is held; a caller that hung up meanwhile posted nothing."""
        gate = self._gates.get(method)
        if gate is None:
            return True
        self.held.append(method)
        await gate.wait()
        transport = request.transport
        if transport is None or transport.is_closing():
            self.abandoned.append(method)
            return False
        return True

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        self.calls.append(Call("upload", {"file_id": request.match_info["file_id"]}, {}))
        return web.Response(text="OK - uploaded")

    async def _download(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer " + self.token_prefix):
            return web.Response(status=403)
        found = self.files.get(request.match_info["file_id"])
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[1], content_type="application/octet-stream")

    # -- methods (answers shaped like Slack's) ---------------------------------------
    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _m_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://example.slack.com/", "team": "Example", "user": "concierge",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                "is_enterprise_install": False}

    def _m_chat_post_message(self, p: dict[str, Any]) -> dict[str, Any]:
        ts = self._ts()
        return {"channel": p.get("channel"), "ts": ts,
                "message": {"type": "message", "text": p.get("text"), "ts": ts,
                            "bot_id": BOT_ID, "user": BOT_USER_ID}}

    def _m_chat_post_ephemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._ts()}

    def _m_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"channel": p.get("channel"), "ts": p.get("ts"), "text": p.get("text")}

    def _view(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view") or {}
        return {"view": {**(view if isinstance(view, dict) else {}), "id": f"V{next(self._ids)}"}}

    _m_views_open = _m_views_update = _m_views_push = _m_views_publish = _view

    def _m_files_get_upload_urlexternal(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):08d}"
        return {"upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _m_files_complete_upload_external(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files") or []
        return {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}

    def _m_files_upload(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"file": {"id": f"F{next(self._ids):08d}", "name": p.get("filename")}}

    def _m_files_info(self, p: dict[str, Any]) -> dict[str, Any]:
        info, _ = self.files.get(str(p.get("file")), ({}, b""))
        return {"file": info}

    def _m_usergroups_users_list(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"users": self.usergroups.get(str(p.get("usergroup")), [])}

    def _m_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user = str(p.get("user"))
        profile = {"email": self.emails[user]} if user in self.emails else {}
        if user in self.names:
            profile["display_name"] = self.names[user]
        return {"user": {"id": user, "team_id": TEAM_ID, "is_bot": False, "profile": profile}}

    def _m_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(p.get("users", "X")).lstrip("UW")[:10]}}
