"""Read and write the policy's cached embeddings (see `embedding_tables`)."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import select, true, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.db import commit_once, rowcount
from bot.store.embedding_tables import PolicyEmbedding
from bot.store.records import StoredEmbeddings

__all__ = ["EmbeddingCache", "StoredEmbeddings"]


class EmbeddingCache:
    """One row per (policy version, model id); written once, rewritten only by `refresh`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def load(self, version: int, model_id: str) -> StoredEmbeddings | None:
        """The row for `version`, else the newest earlier one (most texts carry over)."""
        async with self._sessions() as session:
            row = await session.scalar(
                select(PolicyEmbedding)
                .where(
                    PolicyEmbedding.model_id == model_id,
                    PolicyEmbedding.policy_version <= version,
                )
                .order_by(PolicyEmbedding.policy_version.desc())
                .limit(1)
            )
            if row is None:
                return None
            matrix = np.frombuffer(row.vectors, dtype=np.float32).reshape(len(row.texts), row.dim)
            return StoredEmbeddings(
                row.policy_version, row.model_id, row.fingerprint, list(row.texts), matrix,
                row.calibration,
            )

    async def save(
        self,
        version: int,
        model_id: str,
        fingerprint: str,
        vectors: dict[str, np.ndarray],
        calibration: dict[str, Any] | None,
    ) -> bool:
        """Store the vectors for `version`; False when another process stored them first."""
        row = PolicyEmbedding(policy_version=version, model_id=model_id,
                              **_columns(fingerprint, vectors, calibration))
        async with self._sessions() as session:
            session.add(row)
            return await commit_once(session)

    async def refresh(
        self,
        version: int,
        model_id: str,
        fingerprint: str,
        vectors: dict[str, np.ndarray],
        calibration: dict[str, Any] | None,
        *,
        texts_added: bool = False,
    ) -> bool:
        """Rewrite `version`'s row when it was stored under another fingerprint (or, with
        `texts_added`, under this one but without texts the index now embeds too, such as
        red lines read by meaning since an upgrade: rewriting the same texts twice is
        harmless, so no guard is needed then).

        The fingerprint names what the matcher scores with (its scoring version, its
        out-of-scope bank, the policy's texts): after an upgrade changes it, the stored
        calibration no longer applies, and every new process would calibrate again (a
        cold `ask` some 0.3 s longer) until the policy changed. True when rewritten;
        False when the row already has this fingerprint (another process refreshed it).
        """
        async with self._sessions() as session:
            result = await session.execute(
                update(PolicyEmbedding)
                .where(PolicyEmbedding.policy_version == version,
                       PolicyEmbedding.model_id == model_id,
                       true() if texts_added else PolicyEmbedding.fingerprint != fingerprint)
                .values(**_columns(fingerprint, vectors, calibration))
            )
            await session.commit()
            return bool(rowcount(result))


def _columns(
    fingerprint: str, vectors: dict[str, np.ndarray], calibration: dict[str, Any] | None
) -> dict[str, Any]:
    texts = list(vectors)
    dim = len(next(iter(vectors.values()))) if texts else 0
    matrix = np.zeros((len(texts), dim), dtype=np.float32)
    for i, text in enumerate(texts):
        matrix[i] = vectors[text]
    return {"fingerprint": fingerprint, "dim": dim, "texts": texts,
            "vectors": matrix.tobytes(), "calibration": calibration}
