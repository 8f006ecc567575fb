"""A local stand-in for login.botframework.com: OpenID metadata, JWKS, and a signing key.

botframework-connector fetches the metadata with blocking `requests.get` from inside
the event loop, so this server runs its own loop in a thread; served from the test's
loop it would deadlock.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

__all__ = ["BOT_ISSUER", "OpenIdStub", "new_key"]

BOT_ISSUER = "https://api.botframework.com"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIdStub:
    """Serves /v1/.well-known/openidconfiguration and /keys for one RSA key (kid `test-kid`)."""

    def __init__(self, key: rsa.RSAPrivateKey, kid: str = "test-kid") -> None:
        self.key, self.kid = key, kid
        self.url = ""
        self.requests = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests += 1
        return web.json_response({"issuer": BOT_ISSUER, "jwks_uri": f"{self.url}/keys",
                                  "id_token_signing_alg_values_supported": ["RS256"]})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.kid, use="sig", endorsements=["msteams"])
        return web.json_response({"keys": [jwk]})

    async def _start(self) -> str:
        app = web.Application()
        app.router.add_get("/v1/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._keys)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}"

    def start(self) -> OpenIdStub:
        self._thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def token(self, *, key: rsa.RSAPrivateKey | None = None, kid: str | None = None,
              algorithm: str = "RS256", **claims: Any) -> str:
        """A Bot Framework channel token; override any claim, the key, kid or algorithm."""
        now = int(time.time())
        payload = {"iss": BOT_ISSUER, "nbf": now - 10, "iat": now - 10, "exp": now + 3600}
        payload.update(claims)
        headers = {"kid": kid if kid is not None else self.kid}
        if algorithm == "none":
            return jwt.encode(payload, None, algorithm="none", headers=headers)
        return jwt.encode(payload, key or self.key, algorithm=algorithm, headers=headers)
