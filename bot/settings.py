"""All settings in one place, read once in app.py and passed down (never read deep in code)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["ROOT", "Settings", "SettingsError", "default_database_url", "is_loopback_host",
           "load_settings"]

ROOT = Path(__file__).resolve().parents[1]


def default_database_url() -> str:
    return f"sqlite+aiosqlite:///{ROOT / 'data' / 'concierge.db'}"


def is_loopback_host(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost" (what a dev-mode server may bind to)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


class SettingsError(Exception):
    """Every missing or invalid setting, named in one message."""


def _split(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Environment variables (and a `.env` file) that configure the concierge."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Core
    database_url: str = Field(default_factory=default_database_url)
    policy_path: Path = ROOT / "policies"
    # hybrid: sentence embeddings + words (default); lexical: words only, no model;
    # embedding: embeddings only; semantic: embeddings under per-use-case SVMs
    matcher: Literal["hybrid", "lexical", "embedding", "semantic"] = "hybrid"
    # Deprecated alias of EMBEDDING_MODEL_DIR (the folder must now hold an ONNX model).
    semantic_model_path: Path | None = None
    # Sentence-embedding model folder (manifest.json, model.onnx, tokenizer.json); the
    # bundled all-MiniLM-L6-v2 (int8 ONNX) when unset. See docs/configuration.md.
    embedding_model_dir: Path | None = None
    # ONNX Runtime threads per embedding call (capped at the machine's cores)
    embedding_threads: int = Field(default=1, ge=1, le=64)
    match_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    max_question_chars: int = Field(default=4000, ge=100, le=40000)
    # A one-shot `ask` on a SQLite file keeps the live policy's built index in `<db>.index/`
    # and the next one loads it instead of building it (bot/core/index_cache.py)
    index_cache: bool = True
    pseudonym_key: SecretStr | None = None
    # A file holding the key instead (Docker/Kubernetes secrets); see bot/keys.py
    pseudonym_key_file: Path | None = None
    # Country whose national phone formats the redactor reads ("GB": 07700 900461)
    phone_region: str = "US"
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admin_usergroups: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # Operations: JSON lines for log shippers; "text" for a terminal
    log_format: Literal["json", "text"] = "json"
    metrics_enabled: bool = True
    # Seconds a stopping server waits for in-flight requests and replies to finish
    shutdown_timeout: float = Field(default=20.0, ge=0.0, le=300.0)

    # Server
    port: int = Field(default=3000, ge=1, le=65535)
    host: str = "0.0.0.0"
    # Answering off the event loop: worker processes (0 = a thread of the server process),
    # questions allowed to wait for them (beyond that: a polite "busy" reply), and how
    # long a replica holds an event while answering before a redelivery may re-answer it.
    answer_workers: int = Field(default=1, ge=0, le=32)
    answer_queue_limit: int = Field(default=200, ge=1, le=100_000)
    event_lease_seconds: float = Field(default=60.0, ge=0.5, le=3600.0)
    # `serve` answers in a separate process at this lower CPU priority (os.nice), so the
    # serving process only checks and acks requests; false (or Slack Socket Mode): one
    # process does both.
    answer_process: bool = True
    answer_nice: int = Field(default=19, ge=0, le=19)
    # What the front acked and the answering process has not finished is kept here until
    # done, and answered after a crash (default: `<db>.spool/` next to a SQLite file, else
    # data/spool). Each entry is written before the ack (it survives any process crash);
    # SPOOL_FSYNC also fdatasyncs it (survives a power loss; costs the acks, see benchmarks).
    spool_dir: Path | None = None
    spool_fsync: bool = False
    # Requests the front may have acked and the answering process not finished; beyond it
    # the front answers 503 (the platforms deliver again later), so a starved answering
    # process cannot pile up work and memory without end.
    handover_limit: int = Field(default=2000, ge=1, le=1_000_000)

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str | None = None

    # Teams
    microsoft_app_id: str | None = None
    microsoft_app_password: SecretStr | None = None
    microsoft_app_tenant_id: str | None = None
    microsoft_app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = "MultiTenant"
    # Tenants whose activities are answered; empty means MICROSOFT_APP_TENANT_ID alone
    teams_allowed_tenants: Annotated[list[str], NoDecode] = Field(default_factory=list)
    teams_dev_mode: bool = False

    # Ask IT (issue 13 §4): where "Ask IT" posts a question for a person to answer.
    # Slack: a channel id (C0123ABCD) the bot is a member of; Teams: the id of a channel
    # conversation the bot is installed in (19:…@thread.tacv2). Unset: the button says how
    # to reach IT (the policy's meta.contact) instead of posting.
    it_channel: str | None = None
    teams_it_conversation: str | None = None

    # Leadership digest
    digest_enabled: bool = True
    digest_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    digest_time: str = Field(default="09:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    digest_timezone: str = "UTC"
    digest_slack_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    digest_teams_conversations: Annotated[list[str], NoDecode] = Field(default_factory=list)
    min_group_size: int = Field(default=5, ge=2)

    # Retention: query and unmet logs older than this are deleted (None keeps them)
    retention_days: int | None = Field(default=None, ge=1)

    @field_validator(
        "admins",
        "admin_usergroups",
        "teams_allowed_tenants",
        "digest_slack_channels",
        "digest_teams_conversations",
        mode="before",
    )
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split(value)

    @field_validator("it_channel", "teams_it_conversation", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("it_channel")
    @classmethod
    def _slack_channel_id(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[CG][A-Z0-9]{6,}", value):
            raise ValueError(
                "must be a Slack channel id such as C0123ABCD (channel details → About → "
                "Channel ID), not the channel's name")
        return value

    @field_validator("teams_it_conversation")
    @classmethod
    def _teams_conversation_id(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("19:"):
            raise ValueError(
                "must be a Teams channel conversation id such as 19:…@thread.tacv2 "
                "(the channel's link holds it), not the channel's name")
        # A thread's id (";messageid=…") names one thread: posts go to the channel itself.
        return value.split(";messageid=", 1)[0] if value is not None else None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _non_empty_url(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("phone_region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        region = value.strip().upper()
        if region == "US":  # the default: no need to import libphonenumber (~30 ms) to know
            return region
        import phonenumbers

        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(f"unknown region {value!r}, use an ISO country code such as GB")
        return region

    @field_validator("digest_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Europe/Berlin") from None
        return value

    @property
    def allowed_tenants(self) -> frozenset[str]:
        """Tenant ids Teams answers; empty means any (a MultiTenant bot without a list)."""
        tenants = self.teams_allowed_tenants or (
            [self.microsoft_app_tenant_id] if self.microsoft_app_tenant_id else [])
        return frozenset(t.strip().casefold() for t in tenants if t.strip())

    def platform_problems(self) -> list[str]:
        """Half-configured platforms: each line names the setting that is missing.

        A platform with only part of its secrets used to start unmounted (404), which
        looks like a working server; now serving refuses to start instead.
        """

        def has(value: SecretStr | str | None) -> bool:
            if isinstance(value, SecretStr):
                return bool(value.get_secret_value().strip())
            return bool(value and value.strip())

        problems: list[str] = []
        token, secret = has(self.slack_bot_token), has(self.slack_signing_secret)
        socket = has(self.slack_app_token)
        if token and not secret and not socket:
            problems.append("SLACK_SIGNING_SECRET is missing (SLACK_BOT_TOKEN is set); or set "
                            "SLACK_APP_TOKEN for Socket Mode")
        if (secret or socket) and not token:
            given = "SLACK_SIGNING_SECRET" if secret else "SLACK_APP_TOKEN"
            problems.append(f"SLACK_BOT_TOKEN is missing ({given} is set)")
        app_id, password = has(self.microsoft_app_id), has(self.microsoft_app_password)
        msi = self.microsoft_app_type == "UserAssignedMSI"
        if app_id and not password and not msi:
            problems.append("MICROSOFT_APP_PASSWORD is missing (MICROSOFT_APP_ID is set)")
        if password and not app_id:
            problems.append("MICROSOFT_APP_ID is missing (MICROSOFT_APP_PASSWORD is set)")
        return problems

    def check_platforms(self) -> None:
        """Raise SettingsError naming every missing platform setting, in one message."""
        problems = self.platform_problems()
        if problems:
            raise SettingsError(
                "Cannot serve a half-configured chat platform (set the missing setting, or "
                "unset the others):\n" + "\n".join(f"  - {p}" for p in problems))

    @property
    def teams_credentials(self) -> bool:
        """An app id and a password: the Bot Framework verifies every request."""
        password = self.microsoft_app_password
        return bool(self.microsoft_app_id and password and password.get_secret_value())

    @property
    def teams_enabled(self) -> bool:
        """Teams runs authenticated with an app id and password, or in explicit dev mode."""
        return self.teams_credentials or self.teams_dev_mode

    def teams_problem(self) -> str | None:
        """Why these Teams settings are unsafe or cannot work (naming the fix), else None.
        Without credentials the SDK accepts unauthenticated requests: dev mode only."""
        if not self.teams_credentials:
            if self.microsoft_app_id or self.microsoft_app_password:
                return ("Teams: set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (or "
                        "neither, with TEAMS_DEV_MODE=1 for local development).")
            if not self.teams_dev_mode:
                return ("Teams: MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD are not set. "
                        "Without them the Bot Framework accepts unauthenticated requests, so "
                        "this is only allowed with TEAMS_DEV_MODE=1.")
            if not is_loopback_host(self.host):
                return (f"Teams: TEAMS_DEV_MODE=1 runs without authentication and must listen "
                        f"on loopback only, but HOST={self.host}. Set HOST=127.0.0.1, or set "
                        "MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD.")
            return None
        app_type = self.microsoft_app_type
        if app_type in ("SingleTenant", "UserAssignedMSI") and not self.microsoft_app_tenant_id:
            return f"Teams: MICROSOFT_APP_TYPE={app_type} needs MICROSOFT_APP_TENANT_ID."
        return None

    @property
    def slack_enabled(self) -> bool:
        """Slack runs only with both secrets set: an empty secret never means 'unverified'."""
        return bool(
            self.slack_bot_token
            and self.slack_bot_token.get_secret_value()
            and self.slack_signing_secret
            and self.slack_signing_secret.get_secret_value()
        )


def load_settings(**overrides: object) -> Settings:
    """Build Settings or raise SettingsError naming every bad variable at once.

    Values are never echoed: a mistyped secret must not end up in a terminal or log.
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems: dict[str, list[str]] = {}
        for error in exc.errors(include_url=False):
            loc = error["loc"]
            name = str(loc[0]).upper() if loc else "SETTINGS"
            message = error["msg"]
            if error["type"] == "missing":
                message = "is required but not set"
            problems.setdefault(name, []).append(message)
        lines = [f"  - {name}: {'; '.join(messages)}" for name, messages in problems.items()]
        raise SettingsError(
            f"Invalid settings ({len(problems)} to fix; set them in the environment or .env):\n"
            + "\n".join(lines)
        ) from None
