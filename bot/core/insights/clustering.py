"""Incremental, stable clustering of unmet requests into candidate use cases.

Why this shape: leadership reads the same candidates week after week, so a request,
once placed, never moves, and a settled label never changes. Each run only places the
new requests: one joins the nearest existing candidate when its cosine similarity (TF-IDF
over the concierge's own analyzer, so "summarise" and "summaries" meet) reaches the
threshold; the rest are grouped among themselves by a single leader pass plus one
k-means refinement step, which is linear in the number of requests.

Candidates keep a summed term profile (stems and weights, never question text), so they
survive retention deleting the requests they came from.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from bot.core.matching.text import stem_tokens, tokenize
from bot.store.insights import CandidateRecord, InsightStore

__all__ = ["THRESHOLD", "ClusterReport", "Doc", "Plan", "make_plan", "refresh_candidates"]

_log = logging.getLogger(__name__)

#: Cosine similarity a request needs to join a candidate (tuned on CLINC150 val queries).
THRESHOLD = 0.25
#: Cosine similarity at which two new groups' centroids are folded into one.
MERGE_THRESHOLD = 0.4
_REFINE_STEPS = 3
_PRIOR_DOCS = 100
#: A candidate's label is settled (never recomputed) from this many members on.
LABEL_SETTLE = 5
_PROFILE_TERMS = 200
_CHUNK = 2000
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")
# Words every request to an AI-tool concierge shares: they say nothing about the need.
_DOMAIN_STOP = frozenset({
    "ai", "tool", "tools", "app", "apps", "use", "using", "used", "need", "needs", "want",
    "wanted", "help", "please", "thanks", "approved", "approve", "allowed", "allow", "ok",
    "okay", "something", "anything", "way", "good", "best", "someone", "hi", "hello", "hey",
    "can", "could", "would", "should", "will", "get", "got", "like", "let", "know", "anyone",
})
_STOP = frozenset(stem_tokens([*ENGLISH_STOP_WORDS, *_DOMAIN_STOP]))


@dataclass(frozen=True)
class Doc:
    """One request as the clusterer sees it: id, question and its current candidate."""

    id: int
    question: str
    candidate_id: int | None = None


@dataclass
class Plan:
    """What one run changes; applied atomically by `InsightStore.apply_plan`."""

    updates: list[dict[str, object]] = field(default_factory=list)
    new: list[dict[str, object]] = field(default_factory=list)
    assign: dict[int, list[int]] = field(default_factory=dict)
    assign_new: list[list[int]] = field(default_factory=list)


@dataclass(frozen=True)
class ClusterReport:
    placed: int
    joined: int
    created: int


def _surface(question: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the meaningful words of a question."""
    words = tokenize(_PLACEHOLDER.sub(" ", question))
    return [
        (stem, word)
        for stem, word in zip(stem_tokens(words), words, strict=True)
        if stem not in _STOP and len(stem) > 1 and not stem.isdigit()
    ]


class _Space:
    """Vocabulary and IDF of one run, over every request the run can see."""

    def __init__(self, corpus: Sequence[list[str]]) -> None:
        self.vocab: dict[str, int] = {}
        df: Counter[str] = Counter()
        for terms in corpus:
            df.update(set(terms))
        for term in df:
            self.vocab[term] = len(self.vocab)
        # Pseudo-documents without any term: in a young deployment with a handful of
        # requests, a topic word shared by all of them must not lose all its weight.
        n = len(corpus) + _PRIOR_DOCS
        self.idf = np.ones(len(self.vocab))
        for term, count in df.items():
            self.idf[self.vocab[term]] = np.log((1 + n) / (1 + count)) + 1.0
        self.max_idf = float(np.log(1 + n) + 1.0)

    def profiles(self, docs: Sequence[list[str]]) -> sparse.csr_matrix:
        """Sublinear term frequencies, L2-normalised, without IDF (what candidates store)."""
        rows, cols, vals = [], [], []
        for r, terms in enumerate(docs):
            counts = Counter(terms)
            weights = {self.vocab[t]: 1.0 + np.log(c) for t, c in counts.items()}
            norm = np.sqrt(sum(w * w for w in weights.values())) or 1.0
            for col, w in weights.items():
                rows.append(r)
                cols.append(col)
                vals.append(w / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocab)))

    def weigh(self, profiles: sparse.csr_matrix) -> sparse.csr_matrix:
        """Apply IDF and L2-normalise rows: cosine similarity becomes a dot product."""
        weighted = profiles @ sparse.diags(self.idf)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)

    def candidate_matrix(self, candidates: Sequence[CandidateRecord]) -> sparse.csr_matrix:
        """Stored profiles with IDF; terms outside this run's vocabulary still count in the norm."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for r, cand in enumerate(candidates):
            known: list[tuple[int, float]] = []
            total = 0.0
            for term, weight in cand.profile.items():
                col = self.vocab.get(term)
                w = float(weight) * (self.idf[col] if col is not None else self.max_idf)
                total += w * w
                if col is not None:
                    known.append((col, w))
            norm = float(np.sqrt(total)) or 1.0
            for col, w in known:
                rows.append(r)
                cols.append(col)
                vals.append(w / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(candidates), len(self.vocab)))


def _leader(
    x: sparse.csr_matrix, existing: sparse.csr_matrix, threshold: float
) -> tuple[np.ndarray, int]:
    """Place each row: an existing centroid (>= 0) or a new group (encoded -1 - group)."""
    labels = np.empty(x.shape[0], dtype=np.int64)
    n_existing = existing.shape[0]
    seeds: list[int] = []  # row index of each new group's seed
    centroid_rows: list[sparse.csr_matrix] = []
    for start in range(0, x.shape[0], _CHUNK):
        chunk = x[start : start + _CHUNK]
        previous = sparse.vstack([existing, *centroid_rows]) if centroid_rows else existing
        to_known = (chunk @ previous.T).toarray() if previous.shape[0] else None
        inside = (chunk @ chunk.T).toarray()
        local_seeds: list[int] = []
        for i in range(chunk.shape[0]):
            best, best_sim = -1, threshold - 1e-9
            if to_known is not None and to_known.shape[1]:
                j = int(to_known[i].argmax())
                if to_known[i, j] >= best_sim:
                    best, best_sim = j, float(to_known[i, j])
            if local_seeds:
                sims = inside[i, local_seeds]
                k = int(sims.argmax())
                if sims[k] > best_sim:
                    best, best_sim = n_existing + len(centroid_rows) + k, float(sims[k])
            if best < 0:
                local_seeds.append(i)
                seeds.append(start + i)
                best = n_existing + len(centroid_rows) + len(local_seeds) - 1
            labels[start + i] = best if best < n_existing else -1 - (best - n_existing)
        centroid_rows.extend(chunk[s] for s in local_seeds)
    return labels, len(seeds)


def _group_centroids(
    x: sparse.csr_matrix, rows: np.ndarray, group_of: np.ndarray, groups: int
) -> tuple[sparse.csr_matrix, np.ndarray]:
    """Unit-length centroids of the new groups, and their sizes."""
    member = sparse.csr_matrix(
        (np.ones(rows.size), (group_of, np.arange(rows.size))), shape=(groups, rows.size)
    )
    centroids = member @ x[rows]
    norms = np.sqrt(np.asarray(centroids.multiply(centroids).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    sizes = np.asarray(member.sum(axis=1)).ravel()
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ centroids), sizes


def _reassign(x: sparse.csr_matrix, labels: np.ndarray, groups: int) -> np.ndarray:
    """One k-means step among the new groups only (existing placements never move)."""
    mine = np.flatnonzero(labels < 0)
    centroids, sizes = _group_centroids(x, mine, -1 - labels[mine], groups)
    alive = np.flatnonzero(sizes > 0)
    out = labels.copy()
    for start in range(0, mine.size, _CHUNK):
        rows = mine[start : start + _CHUNK]
        sims = (x[rows] @ centroids[alive].T).toarray()
        best = sims.argmax(axis=1)
        moved = sims[np.arange(rows.size), best] > 0  # a request with no terms stays put
        out[rows[moved]] = -1 - alive[best[moved]]
    return out


def _merge(x: sparse.csr_matrix, labels: np.ndarray, groups: int, threshold: float) -> np.ndarray:
    """Fold new groups whose centroids are alike into the larger one (leader over centroids)."""
    mine = np.flatnonzero(labels < 0)
    group_of = -1 - labels[mine]
    centroids, sizes = _group_centroids(x, mine, group_of, groups)
    order = np.argsort(-sizes, kind="stable")
    order = order[sizes[order] > 0]
    target = np.arange(groups)
    heads: list[int] = []
    for start in range(0, order.size, _CHUNK):
        block = order[start : start + _CHUNK]
        sims = (centroids[block] @ centroids[order].T).toarray()
        for i, g in enumerate(block):
            if heads:
                head_sims = sims[i, heads]
                k = int(head_sims.argmax())
                if head_sims[k] >= threshold:
                    target[g] = order[heads[k]]
                    continue
            heads.append(start + i)
    out = labels.copy()
    out[mine] = -1 - target[group_of]
    return out


def _refine(x: sparse.csr_matrix, labels: np.ndarray, groups: int) -> np.ndarray:
    """Polish the new groups: k-means steps, fold near-duplicates, one more step."""
    if groups < 2 or not (labels < 0).any():
        return labels
    for _ in range(_REFINE_STEPS):
        labels = _reassign(x, labels, groups)
    labels = _merge(x, labels, groups, MERGE_THRESHOLD)
    return _reassign(x, labels, groups)


def _label(terms: list[str], members: Sequence[list[tuple[str, str]]]) -> str:
    """Top terms as words, in the order the most typical member uses them."""
    surfaces: dict[str, Counter[str]] = {}
    for pairs in members:
        for stem, word in pairs:
            surfaces.setdefault(stem, Counter())[word] += 1
    words = [surfaces[t].most_common(1)[0][0] if t in surfaces else t for t in terms[:3]]
    if not words:
        return "Unclassified request"
    best = max(members, key=lambda p: len({s for s, _ in p} & set(terms[:3])), default=[])
    order = {stem: i for i, (stem, _) in reversed(list(enumerate(best)))}
    ranked = sorted(zip(terms[:3], words, strict=True), key=lambda tw: order.get(tw[0], 99))
    text = " ".join(w for _, w in ranked)
    return (text[:1].upper() + text[1:])[:200]


def _top_terms(profile: dict[str, float], space: _Space, n: int = 5) -> list[str]:
    def score(term: str) -> float:
        col = space.vocab.get(term)
        return profile[term] * (space.idf[col] if col is not None else space.max_idf)

    return sorted(profile, key=lambda t: (-score(t), t))[:n]


def _add_profile(base: dict[str, float], row: sparse.csr_matrix, terms: list[str]) -> None:
    for col, value in zip(row.indices, row.data, strict=True):
        base[terms[col]] = base.get(terms[col], 0.0) + float(value)


def _trim(profile: dict[str, float]) -> dict[str, float]:
    top = sorted(profile.items(), key=lambda kv: -kv[1])[:_PROFILE_TERMS]
    return {t: round(w, 5) for t, w in top}


def make_plan(
    docs: Sequence[Doc],
    candidates: Sequence[CandidateRecord],
    *,
    threshold: float = THRESHOLD,
) -> Plan:
    """Place every unassigned doc; pure and synchronous (run it in a worker thread)."""
    pairs = [_surface(d.question) for d in docs]
    stems = [[s for s, _ in p] for p in pairs]
    space = _Space(stems)
    new_idx = [i for i, d in enumerate(docs) if d.candidate_id is None]
    plan = Plan()
    if not new_idx:
        return plan
    profiles = space.profiles([stems[i] for i in new_idx])
    x = space.weigh(profiles)
    targets = [c for c in candidates if c.status != "merged"]
    existing = space.candidate_matrix(targets)
    labels, groups = _leader(x, existing, threshold)
    labels = _refine(x, labels, groups)
    terms = [""] * len(space.vocab)
    for term, col in space.vocab.items():
        terms[col] = term
    members: dict[int, list[list[tuple[str, str]]]] = {}
    for d, p in zip(docs, pairs, strict=True):
        if d.candidate_id is not None:
            members.setdefault(d.candidate_id, []).append(p)
    by_key: dict[int, list[int]] = {}
    for row, label in enumerate(labels):
        by_key.setdefault(int(label), []).append(row)
    for key, rows in sorted(by_key.items(), key=lambda kv: min(kv[1])):
        ids = [docs[new_idx[r]].id for r in rows]
        texts = [pairs[new_idx[r]] for r in rows]
        if key >= 0:
            cand = targets[key]
            profile = dict(cand.profile)
            for r in rows:
                _add_profile(profile, profiles[r], terms)
            update: dict[str, object] = {
                "id": cand.id, "profile": _trim(profile), "members": cand.members + len(rows)
            }
            if not cand.label_fixed:
                top = _top_terms(profile, space)
                update["terms"] = top
                update["label"] = _label(top, members.get(cand.id, []) + texts)
                update["label_fixed"] = cand.members + len(rows) >= LABEL_SETTLE
            plan.updates.append(update)
            plan.assign[cand.id] = ids
        else:
            profile = {}
            for r in rows:
                _add_profile(profile, profiles[r], terms)
            top = _top_terms(profile, space)
            plan.new.append({
                "label": _label(top, texts), "terms": top, "profile": _trim(profile),
                "members": len(rows), "label_fixed": len(rows) >= LABEL_SETTLE, "status": "open",
            })
            plan.assign_new.append(ids)
    return plan


async def refresh_candidates(
    insights: InsightStore, *, threshold: float = THRESHOLD, context_limit: int = 50_000
) -> ClusterReport:
    """Place every unassigned unmet request into a candidate; safe to run on any replica."""
    for _attempt in range(3):
        new = await insights.unassigned()
        if not new:
            return ClusterReport(0, 0, 0)
        context = await insights.assigned(limit=context_limit)
        docs = [Doc(i, q) for i, q in new] + [Doc(i, q, c) for i, q, c in context]
        candidates = await insights.candidates()
        plan = await asyncio.to_thread(make_plan, docs, candidates, threshold=threshold)
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
