"""Incremental, stable clustering of unmet requests into candidate use cases.

Each unmet request is embedded once with the matcher's sentence model (its job phrase, see
`phrasing.py`) and the vector is stored, keyed by model id; a run only places requests not
yet in a candidate (`grouping.place`): a request joins the nearest candidate centroid when
close enough, the rest form new candidates. Placed requests never move and reviewed
candidates are never reshuffled, so leadership reads the same candidates week after week.

Candidates keep their centroid (the sum of their members' vectors) so they survive
retention deleting the requests they came from. A label is recomputed while a candidate
is young and unreviewed, and settles at `LABEL_SETTLE` members or at the first review.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bot.core.insights.grouping import DEFAULTS, Params, place
from bot.core.insights.labels import choose_label, key_terms
from bot.core.insights.vectors import (
    TextEmbedder,
    default_embedder,
    embed_text,
    from_bytes,
    to_bytes,
)
from bot.store.insights import CandidateRecord, InsightStore

__all__ = [
    "LABEL_SETTLE",
    "ClusterReport",
    "Plan",
    "TextEmbedder",
    "default_embedder",
    "embed_text",
    "make_plan",
    "merged_centroid",
    "refresh_candidates",
]

_log = logging.getLogger(__name__)

#: A candidate's label is settled (never recomputed) from this many members on.
LABEL_SETTLE = 5
_EMBED_BATCH = 2000


@dataclass
class Plan:
    """What one run changes; applied atomically by `InsightStore.apply_plan`."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)
    assign: dict[int, list[int]] = field(default_factory=dict)
    assign_new: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True)
class ClusterReport:
    placed: int
    joined: int
    created: int


def merged_centroid(source: CandidateRecord, target: CandidateRecord) -> bytes | None:
    """The centroid of `source` merged into `target`: both summed (same model only)."""
    if target.centroid is None:
        return None
    if source.centroid is None or source.centroid_model != target.centroid_model:
        return target.centroid
    return to_bytes(from_bytes(source.centroid) + from_bytes(target.centroid))


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.clip(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12, None)


def make_plan(
    ids: Sequence[int],
    questions: Sequence[str],
    x: np.ndarray,
    targets: Sequence[CandidateRecord],
    members: dict[int, list[tuple[str, bytes | None]]],
    *,
    model_id: str,
    params: Params = DEFAULTS,
    labels: np.ndarray | None = None,
) -> Plan:
    """Place the new requests (`x`, unit rows) among `targets`; pure (run it in a thread).

    `targets` must have centroids of `model_id`; `members` holds recent member questions
    of the targets whose label may still change. `labels` skips placing (already done).
    """
    centroids = np.stack([from_bytes(c.centroid) for c in targets if c.centroid]) \
        if targets else np.zeros((0, x.shape[1]), dtype=np.float32)
    if labels is None:
        labels = place(x, _unit(centroids) if len(centroids) else centroids, params)
    plan = Plan()
    joined: dict[int, list[int]] = {}
    fresh: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        (joined if label >= 0 else fresh).setdefault(int(label if label >= 0 else -1 - label),
                                                     []).append(row)
    groups: list[tuple[str, list[str], np.ndarray | None]] = []  # (key, texts, vectors)
    for t, rows in joined.items():
        cand = targets[t]
        if cand.label_fixed:
            continue
        old = members.get(cand.id, [])
        texts = [questions[r] for r in rows] + [q for q, _ in old]
        member_vecs = [x[r] for r in rows] + [from_bytes(v) for _, v in old if v is not None]
        groups.append((f"c{t}", texts,
                       np.stack(member_vecs) if len(member_vecs) == len(texts) else None))
    for g, rows in sorted(fresh.items()):
        groups.append((f"n{g}", [questions[r] for r in rows], x[rows]))
    terms = dict(zip((k for k, _, _ in groups), key_terms([t for _, t, _ in groups]),
                     strict=True))
    texts_of = {k: (t, v) for k, t, v in groups}
    for t, rows in sorted(joined.items()):
        cand = targets[t]
        total = cand.members + len(rows)
        update: dict[str, Any] = {
            "id": cand.id, "members": total, "centroid_model": model_id,
            "centroid": to_bytes(centroids[t] + x[rows].sum(axis=0)),
        }
        if not cand.label_fixed:
            label_texts, label_vecs = texts_of[f"c{t}"]
            update["terms"] = terms[f"c{t}"]
            update["label"] = choose_label(label_texts, label_vecs, terms[f"c{t}"])
            update["label_fixed"] = total >= LABEL_SETTLE
        plan.updates.append(update)
        plan.assign[cand.id] = [ids[r] for r in rows]
    for g, rows in sorted(fresh.items()):
        label_texts, label_vecs = texts_of[f"n{g}"]
        plan.new.append({
            "label": choose_label(label_texts, label_vecs, terms[f"n{g}"]), "terms": terms[f"n{g}"],
            "profile": {}, "members": len(rows), "label_fixed": len(rows) >= LABEL_SETTLE,
            "status": "open", "centroid": to_bytes(x[rows].sum(axis=0)),
            "centroid_model": model_id,
        })
        plan.assign_new.append([ids[r] for r in rows])
    return plan


async def _embed_missing(insights: InsightStore, embedder: TextEmbedder) -> int:
    """Embed every request that has no vector for this model yet (each one only once)."""
    done = 0
    while batch := await insights.without_vector(embedder.model_id, limit=_EMBED_BATCH):
        vectors = await asyncio.to_thread(embedder.encode, [embed_text(q) for _, q in batch])
        await insights.store_vectors(
            embedder.model_id, [(i, to_bytes(v)) for (i, _), v in zip(batch, vectors, strict=True)]
        )
        done += len(batch)
        if len(batch) < _EMBED_BATCH:
            break
    return done


async def _targets(insights: InsightStore, model_id: str) -> list[CandidateRecord]:
    """Candidates new requests may join, with centroids of this model (rebuilt if stale)."""
    found = [c for c in await insights.candidates() if c.status != "merged"]
    stale = [c for c in found if c.centroid is None or c.centroid_model != model_id]
    if stale:
        rows = await insights.members([c.id for c in stale], model_id, limit=10_000)
        for cand in stale:
            vecs = [from_bytes(v) for _, v in rows.get(cand.id, []) if v is not None]
            if vecs:
                centroid = to_bytes(np.sum(vecs, axis=0))
                await insights.update_candidate(cand.id, centroid=centroid,
                                                centroid_model=model_id)
        found = [c for c in await insights.candidates() if c.status != "merged"]
    return [c for c in found if c.centroid is not None and c.centroid_model == model_id]


async def refresh_candidates(
    insights: InsightStore,
    *,
    embedder: TextEmbedder | None = None,
    settings: object | None = None,
    params: Params = DEFAULTS,
) -> ClusterReport:
    """Place every unassigned unmet request into a candidate; safe to run on any replica."""
    if embedder is None and not await insights.unassigned(limit=1):
        return ClusterReport(0, 0, 0)
    embedder = embedder or default_embedder(settings)
    await _embed_missing(insights, embedder)
    for _attempt in range(3):
        new = await insights.unassigned_vectors(embedder.model_id)
        if not new:
            return ClusterReport(0, 0, 0)
        x = np.stack([from_bytes(v) for _, _, v in new])
        targets = await _targets(insights, embedder.model_id)
        centroids = np.stack([from_bytes(c.centroid) for c in targets if c.centroid]) \
            if targets else np.zeros((0, x.shape[1]), dtype=np.float32)
        labels = await asyncio.to_thread(
            place, x, _unit(centroids) if len(centroids) else centroids, params)
        touched = sorted({targets[int(t)].id for t in labels if t >= 0
                          and not targets[int(t)].label_fixed})
        members = await insights.members(touched, embedder.model_id)
        plan = await asyncio.to_thread(
            make_plan, [i for i, _, _ in new], [q for _, q, _ in new], x, targets, members,
            model_id=embedder.model_id, params=params, labels=labels,
        )
        ok = await insights.apply_plan(
            updates=[dict(u) for u in plan.updates], new=[dict(n) for n in plan.new],
            assign=plan.assign, assign_new=plan.assign_new,
        )
        if ok:
            joined = sum(len(v) for v in plan.assign.values())
            _log.info("clustered unmet requests",
                      extra={"placed": len(new), "new_candidates": len(plan.new)})
            return ClusterReport(len(new), joined, len(plan.new))
    _log.warning("clustering kept racing another replica; will retry next run")
    return ClusterReport(0, 0, 0)
