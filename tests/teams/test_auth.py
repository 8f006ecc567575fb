"""Bot Framework JWT checks over real HTTP: tokens signed by a local RSA key, metadata stubbed.

Two third-party boundaries are redirected, nothing of ours is replaced: the SDK's
channel OpenID metadata URL (`ChannelValidation.open_id_metadata_endpoint`, the
SDK's own override hook) points at a local stub, and the outbound AAD token the
bot would fetch from login.microsoftonline.com is a fixed string.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from botframework.connector.auth import ChannelValidation, JwtTokenExtractor
from botframework.connector.auth.microsoft_app_credentials import MicrosoftAppCredentials
from msrest.universal_http.requests import ClientRetryPolicy

from bot.runtime import Runtime
from bot.settings import SettingsError
from bot.teams.app import TEAMS_TURNS
from bot.teams.auth import TeamsConfigError
from bot.teams.bot import dedupe_key
from bot.web import build_web_app
from tests.teams.conftest import make_activity
from tests.teams.openid_stub import OpenIdStub, new_key

APP_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def openid(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenIdStub]:
    stub = OpenIdStub(new_key()).start()
    monkeypatch.setattr(ChannelValidation, "open_id_metadata_endpoint", stub.metadata_url)
    monkeypatch.setattr(JwtTokenExtractor, "metadataCache", {})
    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token",
                        lambda self, force_refresh=False: "outbound-test-token")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    try:
        yield stub
    finally:
        stub.stop()


@pytest.fixture
async def secured(serve, teams_settings, openid):
    return await serve(teams_settings(teams_dev_mode=False, microsoft_app_id=APP_ID,
                                      microsoft_app_password="test-password"))


async def test_valid_token_is_accepted_and_answered(secured, openid, connector):
    token = openid.token(aud=APP_ID, serviceurl=connector.url)
    body = make_activity(connector.url, "help")
    response = await secured.post(body, headers={"Authorization": f"Bearer {token}"})
    assert response.status == 201
    [reply] = await connector.wait_for(1)
    assert reply.authorization == "Bearer outbound-test-token"
    assert reply.cards[0]["body"][0]["text"] == "How I can help"
    assert openid.requests >= 1


# Claims are built when the test runs, not at collection: a long suite would otherwise
# age "not yet valid" into valid before the test gets to it.
CASES: dict[str, Callable[[], dict[str, object]]] = {
    "wrong issuer": lambda: {"iss": "https://evil.example"},
    "wrong audience": lambda: {"aud": "someone-elses-app"},
    "expired beyond the 5 minute leeway": lambda: {"exp": int(time.time()) - 600},
    "not yet valid": lambda: {"nbf": int(time.time()) + 900},
    "serviceUrl claim mismatch": lambda: {"serviceurl": "https://attacker.example/"},
}


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_claims_are_rejected(secured, openid, connector, case):
    claims = {"aud": APP_ID, "serviceurl": connector.url, **CASES[case]()}
    token = openid.token(**claims)
    response = await secured.post(make_activity(connector.url, "help"),
                                  headers={"Authorization": f"Bearer {token}"})
    assert response.status in (401, 403)
    assert connector.sent == []
    assert await secured.runtime.store.conversations.all("teams") == []


@pytest.mark.parametrize("case", ["bad signature", "alg none", "unknown key id", "HS256",
                                  "not a jwt", "missing header", "basic scheme",
                                  "wrong channel endorsement"])
async def test_forged_or_missing_tokens_are_rejected(secured, openid, connector, case):
    claims = {"aud": APP_ID, "serviceurl": connector.url}
    body = make_activity(connector.url, "help")
    headers: dict[str, str] = {}
    if case == "bad signature":
        headers["Authorization"] = "Bearer " + openid.token(key=new_key(), **claims)
    elif case == "alg none":
        headers["Authorization"] = "Bearer " + openid.token(algorithm="none", **claims)
    elif case == "unknown key id":
        headers["Authorization"] = "Bearer " + openid.token(kid="other-kid", **claims)
    elif case == "HS256":
        import jwt

        token = jwt.encode({"iss": "https://api.botframework.com", **claims},
                           "k" * 32, algorithm="HS256", headers={"kid": openid.kid})
        headers["Authorization"] = "Bearer " + token
    elif case == "not a jwt":
        headers["Authorization"] = "Bearer not.a.jwt"
    elif case == "basic scheme":
        headers["Authorization"] = "Basic " + openid.token(**claims)
    elif case == "wrong channel endorsement":
        headers["Authorization"] = "Bearer " + openid.token(**claims)
        body["channelId"] = "slack"
    response = await secured.post(body, headers=headers)
    assert response.status in (401, 403), case
    assert connector.sent == []


async def test_rejected_token_never_starts_a_turn(secured, openid, connector):
    """The token is checked before the 201, so a forged request leaves no trace at all."""
    from botbuilder.schema import Activity

    body = make_activity(connector.url, "help", activity_id="forged-1")
    forged = "Bearer " + openid.token(key=new_key(), aud=APP_ID, serviceurl=connector.url)
    response = await secured.post(body, headers={"Authorization": forged})
    assert response.status == 401
    assert secured.runner.app[TEAMS_TURNS].tasks == set()
    await connector.wait_for(1, within=0.5)  # a turn would have replied by now
    assert connector.sent == []
    assert await secured.runtime.store.conversations.all("teams") == []
    # Nobody claimed the activity: the first claim is still ours to make.
    assert await secured.runtime.store.events.claim(dedupe_key(Activity().deserialize(body)))


async def test_valid_token_is_acknowledged_before_the_reply(secured, openid, connector):
    token = openid.token(aud=APP_ID, serviceurl=connector.url)
    connector.fail_next(429, retry_after=1)  # the reply needs a second; the 201 does not
    started = time.monotonic()
    response = await secured.post(make_activity(connector.url, "help"),
                                  headers={"Authorization": f"Bearer {token}"})
    assert response.status == 201
    assert time.monotonic() - started < 1.0
    [reply] = await connector.wait_for(1, within=10)
    assert reply.authorization == "Bearer outbound-test-token"
    assert connector.attempts == 2


async def test_single_tenant_needs_a_tenant_id(teams_settings):
    settings = teams_settings(teams_dev_mode=False, microsoft_app_id=APP_ID,
                              microsoft_app_password="pw", microsoft_app_type="SingleTenant")
    runtime = await Runtime.start(settings)
    try:
        with pytest.raises(TeamsConfigError, match="MICROSOFT_APP_TENANT_ID"):
            build_web_app(runtime)
    finally:
        await runtime.close()


async def test_single_tenant_accepts_valid_tokens(serve, teams_settings, openid, connector):
    served = await serve(teams_settings(
        teams_dev_mode=False, microsoft_app_id=APP_ID, microsoft_app_password="pw",
        microsoft_app_type="SingleTenant", microsoft_app_tenant_id="tenant-1"))
    token = openid.token(aud=APP_ID, serviceurl=connector.url)
    response = await served.post(make_activity(connector.url, "redlines"),
                                 headers={"Authorization": f"Bearer {token}"})
    assert response.status == 201
    [reply] = await connector.wait_for(1)
    assert "Red lines" in reply.cards[0]["body"][0]["text"]


async def test_password_without_app_id_refuses_to_start(teams_settings):
    settings = teams_settings(teams_dev_mode=True, microsoft_app_password="pw")
    runtime = await Runtime.start(settings)
    try:
        with pytest.raises(SettingsError, match="MICROSOFT_APP_ID is missing"):
            build_web_app(runtime)
    finally:
        await runtime.close()


async def test_authenticated_mode_serves_non_loopback_hosts(serve, teams_settings, openid,
                                                            connector):
    """With credentials the SDK verifies every request, so HOST=0.0.0.0 is fine."""
    served = await serve(teams_settings(teams_dev_mode=False, microsoft_app_id=APP_ID,
                                        microsoft_app_password="pw", host="0.0.0.0"))
    response = await served.post(make_activity(connector.url, "help"))
    assert response.status == 401


def test_the_sdk_clients_retry_the_same_statuses_with_a_policy_built_from_a_set() -> None:
    """The SDK builds two msrest clients per activity, each with this retry policy; its
    500 safe codes are a set (a list cost 5 ms of the event loop per client)."""
    safe = [i for i in range(500) if i != 408] + [501, 505]
    assert ClientRetryPolicy().policy.status_forcelist == [i for i in range(999)
                                                           if i not in safe]
    assert isinstance(ClientRetryPolicy.safe_codes, frozenset)
