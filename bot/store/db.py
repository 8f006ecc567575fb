"""Engine and session factories. No globals: app.py builds one engine and passes it down."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, CursorResult, Result, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.store.revision import MIGRATIONS, head_revision

if TYPE_CHECKING:  # Alembic costs ~0.5 s to import: only when a migration must run
    from alembic.config import Config

__all__ = [
    "DB_ERRORS",
    "alembic_config",
    "head_revision",
    "is_sqlite",
    "make_engine",
    "make_sessionmaker",
    "rowcount",
    "upgrade",
]

#: What "the database is away" raises (driver, pool or network). Callers above the store
#: catch this tuple, so they degrade gracefully without naming SQLAlchemy themselves.
DB_ERRORS: tuple[type[Exception], ...] = (
    OperationalError, DBAPIError, PoolTimeout, OSError, ConnectionError,
)

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def normalize_url(url: str) -> str:
    """Accept the plain URLs operators paste (postgres://, sqlite:///) and pick async drivers."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver:
        parsed = parsed.set(drivername=driver)
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine that survives database restarts and concurrent SQLite writers."""
    url = normalize_url(url)
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # WAL + NORMAL never corrupts; a power cut may lose the last commits, not more.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_timeout", 5)
    return create_async_engine(url, pool_pre_ping=True, connect_args={"timeout": 5}, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    """Alembic config that works from any working directory."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade_sync(connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def _at_head(engine: AsyncEngine) -> bool:
    head = head_revision()
    if head is None:
        return False
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return [row[0] for row in rows] == [head]
    except DBAPIError:  # no alembic_version table yet: a fresh database
        return False


#: Key of the PostgreSQL advisory lock that serializes migrations across replicas.
MIGRATION_LOCK = 0x41_54_43  # "ATC"


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database to `revision` (idempotent; safe when replicas start together).

    On PostgreSQL the migration holds a transaction-scoped advisory lock, so a second
    replica waits, then finds the schema current. SQLite serializes writers itself.
    A database already at the newest migration is recognised without importing Alembic,
    so a one-shot command (`ask`) starts fast.
    """
    if revision == "head" and await _at_head(engine):
        return
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
            )
        await connection.run_sync(_upgrade_sync, revision)


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched. `AsyncSession.execute` is typed as returning a
    plain Result; for those statements it is a CursorResult, which counts them."""
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def commit_once(session: AsyncSession) -> bool:
    """Commit what the session added; False (rolled back) when a unique key was taken.

    The insert-once idiom of every ledger and vote: another replica or an earlier
    delivery inserting the same key first is an expected outcome, not an error.
    """
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return False
    return True
