"""Versioned policy storage with an audit trail.

Every change writes a whole new snapshot whose `parent` is the version it was
based on. `parent` is unique, so concurrent editors cannot both win: the loser
gets PolicyConflict and re-reads, instead of silently overwriting. Every save,
whoever makes it, records what changed in words (audit and history) and, for
imports, the text of the files, so an export can give IT their comments back.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import PolicyConflict, UnknownVersion
from bot.policy.diff import describe_changes
from bot.policy.files import policy_to_data
from bot.policy.models import Policy
from bot.store.db import rowcount
from bot.store.records import Actor, Snapshot
from bot.store.tables import AuditEntry, PolicyVersion, PolicyVersionDetail

__all__ = ["Actor", "PolicyStore", "Snapshot", "VersionInfo", "content_hash"]


@dataclass(frozen=True)
class VersionInfo:
    version: int
    parent: int
    created_at: datetime
    actor: str
    source: str
    summary: str
    restored_from: int | None
    changes: tuple[str, ...] = ()


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _info(row: PolicyVersion, changes: list[Any] | None = None) -> VersionInfo:
    return VersionInfo(
        version=row.version,
        parent=row.parent,
        created_at=row.created_at,
        actor=row.actor,
        source=row.source,
        summary=row.summary,
        restored_from=row.restored_from,
        changes=tuple(str(c) for c in changes or ()),
    )


class PolicyStore:
    """Reads and writes policy versions; every write is audited in the same transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def head_version(self) -> int:
        """The live version number, 0 when no policy was ever imported."""
        async with self._sessions() as session:
            value = await session.scalar(select(func.max(PolicyVersion.version)))
            return int(value or 0)

    async def current(self) -> Snapshot | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)
            )
            if row is None:
                return None
            return Snapshot(row.version, Policy.model_validate(row.content), row.created_at)

    async def get(self, version: int) -> Snapshot:
        async with self._sessions() as session:
            row = await session.get(PolicyVersion, version)
            if row is None:
                raise UnknownVersion(f"There is no policy version {version}.")
            return Snapshot(row.version, Policy.model_validate(row.content), row.created_at)

    async def history(self, *, limit: int = 20) -> list[VersionInfo]:
        async with self._sessions() as session:
            rows = (
                await session.execute(
                    select(PolicyVersion, PolicyVersionDetail.changes)
                    .outerjoin(
                        PolicyVersionDetail,
                        PolicyVersionDetail.version == PolicyVersion.version,
                    )
                    .order_by(PolicyVersion.version.desc())
                    .limit(limit)
                )
            ).all()
            return [_info(row, changes) for row, changes in rows]

    async def files(self, version: int | None = None) -> dict[str, str] | None:
        """The policy files stored with `version` (default: the head) or the nearest earlier one.

        Chat edits store no files; their export starts from the last imported files.
        """
        query = select(PolicyVersionDetail.files).where(PolicyVersionDetail.files.is_not(None))
        if version is not None:
            query = query.where(PolicyVersionDetail.version <= version)
        async with self._sessions() as session:
            files = await session.scalar(
                query.order_by(PolicyVersionDetail.version.desc()).limit(1)
            )
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else None

    async def save(
        self,
        policy: Policy,
        *,
        actor: Actor,
        action: str,
        summary: str,
        expected_version: int | None = None,
        target: str = "",
        restored_from: int | None = None,
        detail: dict[str, Any] | None = None,
        files: dict[str, str] | None = None,
    ) -> int | None:
        """Store `policy` as a new version based on `expected_version` (default: the head).

        Returns the new version, or None when the content is identical to the head
        (nothing to version; the no-op is still audited, and new `files`, e.g. edited
        comments, replace the head's). Raises PolicyConflict when the head moved past
        `expected_version`.
        """
        data = policy_to_data(policy)
        digest = content_hash(data)
        # Read and write in separate transactions: the unique `parent` settles races, and a
        # write-only transaction never hits SQLite's read-to-write lock upgrade failure.
        async with self._sessions() as session:
            head = await session.scalar(
                select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)
            )
            head_version, head_hash = (head.version, head.content_hash) if head else (0, None)
            head_content = head.content if head and head.content_hash != digest else None
        base = head_version if expected_version is None else expected_version
        if base != head_version:
            raise PolicyConflict(_conflict_message(base, head_version))
        changes = (
            describe_changes(Policy.model_validate(head_content) if head_content else None, policy)
            if head_hash != digest
            else []
        )
        audit = AuditEntry(
            actor=actor.id,
            source=actor.source,
            action=action,
            target=target,
            allowed=True,
            detail={"summary": summary, **(detail or {}), "changes": changes},
        )
        async with self._sessions() as session:
            if head_hash == digest:
                audit.detail = {**audit.detail, "unchanged": True}
                audit.version = head_version
                session.add(audit)
                if files is not None and head_version:
                    await self._keep_files(session, head_version, files)
                await session.commit()
                return None
            # The number is the parent's plus one, not the database sequence's next value:
            # a racing insert that loses on `parent` still draws from a sequence, and the
            # winner would then be version 2 of a one-version history.
            row = PolicyVersion(
                version=head_version + 1,
                parent=head_version,
                actor=actor.id,
                source=actor.source,
                summary=summary,
                content=data,
                content_hash=digest,
                restored_from=restored_from,
            )
            session.add(row)
            try:
                await session.flush()
                audit.version = row.version
                session.add(audit)
                session.add(PolicyVersionDetail(version=row.version, changes=changes, files=files))
                await session.commit()
            except IntegrityError:
                await session.rollback()
                raise PolicyConflict(_conflict_message(base, base + 1)) from None
            return row.version

    async def rollback(self, version: int, *, actor: Actor) -> int | None:
        """Restore an earlier version by copying it forward as a new version (with its files)."""
        snapshot = await self.get(version)
        return await self.save(
            snapshot.policy,
            actor=actor,
            action="rollback",
            summary=f"Rolled back to version {version}",
            target=f"version:{version}",
            restored_from=version,
            files=await self.files(version),
        )

    @staticmethod
    async def _keep_files(session: AsyncSession, version: int, files: dict[str, str]) -> None:
        updated = await session.execute(
            update(PolicyVersionDetail)
            .where(PolicyVersionDetail.version == version)
            .values(files=files)
        )
        if not rowcount(updated):
            session.add(PolicyVersionDetail(version=version, changes=[], files=files))


def _conflict_message(base: int, head: int) -> str:
    return (
        f"The policy changed while you were editing (you started from version {base}, "
        f"it is now at version {head}). Nothing was saved: reload and apply your change again."
    )
