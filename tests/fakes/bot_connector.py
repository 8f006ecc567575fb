"""A local fake of the Bot Connector service (the activity's serviceUrl), for Teams tests.

It records every reply the bot POSTs to /v3/conversations/{id}/activities[/{replyToId}]
and every in-place update it PUTs to /v3/conversations/{id}/activities/{activityId}
(`sent`, with `updated` set), opens conversations (POST /v3/conversations, `created`),
stores files uploaded to /upload/{name} (the OneDrive upload URL of a file consent),
serves attachments from /files/{name},
answers member look-ups from a configurable roster, can fail the next N sends with a
chosen status (429/412/5xx/403…) and a Retry-After in seconds or as an HTTP date,
refuses activities larger than `max_bytes` with 413 like the real service, can hold
sends (the reply is accepted only if its sender is still connected when released:
a bot killed mid-send posted nothing), and rejects any other call with 404, so an
unexpected request fails the test instead of passing silently.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

__all__ = ["FakeBotConnector", "Recorded"]


@dataclass
class Recorded:
    conversation_id: str
    reply_to_id: str | None
    activity: dict[str, Any]
    authorization: str | None
    at: float
    updated: bool = False  # a PUT that replaced the message `reply_to_id` in place
    id: str = ""  # the message id the fake answered (what later updates refer to)

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Card payloads of this activity."""
        return [a["content"] for a in self.activity.get("attachments") or []
                if a.get("contentType") == "application/vnd.microsoft.card.adaptive"]


@dataclass
class FakeBotConnector:
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Recorded] = field(default_factory=list)
    attempts: int = 0
    failures: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    max_bytes: int | None = None
    held: list[str] = field(default_factory=list)  # conversation ids of sends being held
    abandoned: int = 0  # held sends whose sender hung up before the release
    _gate: asyncio.Event | None = None
    # Files users attached: Teams hands bots a pre-authenticated download link to these.
    files: dict[str, bytes] = field(default_factory=dict)
    # Files the bot uploaded after a file consent was accepted (name -> bytes).
    uploads: dict[str, bytes] = field(default_factory=dict)
    fail_updates: int = 0  # refuse the next N in-place updates with 404 (message gone)
    created: list[dict[str, Any]] = field(default_factory=list)  # POST /v3/conversations

    def fail_next(self, status: int, times: int = 1, *, code: str = "",
                  retry_after: float | str | None = None) -> None:
        """Answer the next `times` sends with `status` (e.g. 429, or 403 MessageWritesBlocked).

        `retry_after` is sent as given: seconds (10) or an HTTP date string.
        """
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {"error": {"code": code or f"Status{status}", "message": "fake failure"}}
        self.failures.extend([(status, headers, body)] * times)

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [card for record in self.sent for card in record.cards]

    def hold(self) -> None:
        """Keep every following send waiting until `release()`."""
        self._gate = asyncio.Event()

    def release(self) -> None:
        if self._gate is not None:
            self._gate.set()
            self._gate = None

    async def _send(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.failures:
            status, headers, body = self.failures.pop(0)
            return web.json_response(body, status=status, headers=headers)
        raw = await request.read()
        if self.max_bytes is not None and len(raw) > self.max_bytes:
            return web.json_response(
                {"error": {"code": "MessageSizeTooBig", "message": "too large"}}, status=413)
        if self._gate is not None:
            self.held.append(request.match_info["conversation_id"])
            await self._gate.wait()
            transport = request.transport
            if transport is None or transport.is_closing():
                self.abandoned += 1
                return web.Response(status=499)
        activity = await request.json()
        updated = request.method == "PUT"
        if updated and self.fail_updates:
            self.fail_updates -= 1
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        loop = asyncio.get_running_loop()
        message_id = request.match_info["reply_to_id"] if updated else f"reply-{next(self._ids)}"
        self.sent.append(Recorded(
            conversation_id=request.match_info["conversation_id"],
            reply_to_id=request.match_info.get("reply_to_id"),
            activity=activity,
            authorization=request.headers.get("Authorization"),
            at=loop.time(),
            updated=updated,
            id=message_id,
        ))
        self._changed.set()
        return web.json_response({"id": message_id})

    async def _create(self, request: web.Request) -> web.Response:
        """A new conversation (a bot opening a personal chat): its id."""
        self.created.append(await request.json())
        return web.json_response({"id": f"a:created-{len(self.created)}"}, status=201)

    async def _upload(self, request: web.Request) -> web.Response:
        """OneDrive's upload session: one PUT with the whole file and its Content-Range."""
        data = await request.read()
        if request.headers.get("Content-Range") != f"bytes 0-{len(data) - 1}/{len(data)}":
            return web.json_response({"error": "bad Content-Range"}, status=400)
        name = request.match_info["name"]
        self.uploads[name] = data
        return web.json_response({"id": f"item-{name}", "name": name, "size": len(data)},
                                 status=201)

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["name"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member_id"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFound"}}, status=404)
        return web.json_response(member)

    async def _unknown(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return web.json_response({"error": {"code": "NotFakedHere"}}, status=404)

    async def start(self) -> FakeBotConnector:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post(
            "/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._send)
        app.router.add_get(
            "/v3/conversations/{conversation_id}/members/{member_id}", self._member)
        app.router.add_put(
            "/v3/conversations/{conversation_id}/activities/{reply_to_id}", self._send)
        app.router.add_get("/files/{name}", self._file)
        app.router.add_put("/upload/{name}", self._upload)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(self, count: int, within: float = 5.0) -> list[Recorded]:
        """Wait until `count` replies were recorded (replies may follow the HTTP answer)."""
        try:
            async with asyncio.timeout(within):
                while len(self.sent) < count:
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            pass
        return self.sent
