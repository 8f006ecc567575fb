"""What a platform endpoint answers before its SDK runs: JSON errors and JSON bodies.

SDKs answer 500 for a missing Content-Type or bad JSON; checked first, these are a
415 or a 400 with one clear sentence (aiohttp itself answers 413 above client_max_size).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

__all__ = ["json_body", "problem"]


def problem(status: int, message: str) -> web.Response:
    """A JSON error answer: {"error": message}."""
    return web.json_response({"error": message}, status=status)


async def json_body(request: web.Request) -> Any:
    """The request's JSON, or a 415 / 400 `web.Response` saying why there is none."""
    if request.content_type != "application/json":
        return problem(415, "expected application/json")
    try:
        return json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return problem(400, "the body is not valid JSON")
