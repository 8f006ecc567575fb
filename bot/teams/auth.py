"""Bot Framework authentication built from Settings, never from the environment.

The SDK treats an empty app id as "authentication disabled": allowed only with
TEAMS_DEV_MODE (and then `app.py` serves loopback clients only). Any token-validation
failure becomes a PermissionError, so the SDK answers 401 instead of a 500.
"""

from __future__ import annotations

import logging

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity
from msrest.universal_http.requests import ClientRetryPolicy

from bot.settings import Settings

__all__ = ["SdkConfig", "StrictAuthentication", "TeamsConfigError", "build_adapter"]

_log = logging.getLogger(__name__)
# The SDK builds two msrest clients per activity, each with a retry policy that tests 999
# status codes against this 500-item list: 5 ms of the event loop per client, more than the
# rest of a Teams turn. As a set, the same policy is built in 0.1 ms.
ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]


class TeamsConfigError(ValueError):
    """Teams settings that would be unsafe or cannot work; the message names the fix."""


class SdkConfig:
    """The attribute names botbuilder's configuration classes read (APP_ID, APP_PASSWORD…)."""

    def __init__(self, settings: Settings) -> None:
        authenticated = settings.teams_credentials
        password = settings.microsoft_app_password
        self.APP_ID = settings.microsoft_app_id if authenticated else ""
        self.APP_PASSWORD = password.get_secret_value() if authenticated and password else ""
        self.APP_TYPE = settings.microsoft_app_type
        self.APP_TENANTID = settings.microsoft_app_tenant_id or ""

    def __repr__(self) -> str:  # never show the password in a traceback or log
        return f"SdkConfig(APP_ID={self.APP_ID!r}, APP_TYPE={self.APP_TYPE!r})"


class StrictAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's authentication, with every token-validation failure a PermissionError."""

    async def authenticate_request(
        self, activity: Activity, auth_header: str
    ) -> AuthenticateRequestResult:
        try:
            return await super().authenticate_request(activity, auth_header)
        except PermissionError:
            raise
        except Exception as exc:  # malformed JWT, bad signature, unknown kid, expired…
            _log.info("rejected Bot Framework token: %s", type(exc).__name__)
            raise PermissionError("invalid token") from None

    async def authenticate_streaming_request(
        self, auth_header: str, channel_id_header: str
    ) -> AuthenticateRequestResult:
        raise PermissionError("streaming connections are not supported")

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        try:
            return await super().authenticate_channel_request(auth_header)
        except PermissionError:
            raise
        except Exception:
            raise PermissionError("invalid token") from None


def check_settings(settings: Settings) -> bool:
    """Raise TeamsConfigError for unsafe or incomplete settings (`Settings.teams_problem`);
    True when requests are authenticated."""
    problem = settings.teams_problem()
    if problem is not None:
        raise TeamsConfigError(problem)
    if settings.teams_credentials and settings.teams_dev_mode:
        _log.warning("TEAMS_DEV_MODE is ignored: app credentials are set, requests are verified")
    return settings.teams_credentials


def build_adapter(settings: Settings) -> tuple[CloudAdapter, bool]:
    """The CloudAdapter for these settings and whether it verifies tokens."""
    authenticated = check_settings(settings)
    return CloudAdapter(StrictAuthentication(SdkConfig(settings))), authenticated
