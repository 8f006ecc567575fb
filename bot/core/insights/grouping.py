"""Grouping sentence embeddings of unmet requests: join existing candidates, then form new ones.

Why this shape:

- **Stable.** A request that reaches an existing candidate's centroid (cosine >= `join`)
  joins it, and nothing placed before ever moves, so candidates mean the same thing week
  after week; only the requests nobody's centroid claims are grouped anew.
- **Groups people would recognise.** New groups come from Ward's agglomerative clustering
  (scipy's, which scikit-learn's `ward_tree` runs) cut at a merge height `height`, with one
  guard: two subtrees are only one group when their requests are, on average, at least
  `cohesion` alike (cosine). Ward alone merges any two small groups (its cost grows with
  group size), which at a small company's scale fuses unrelated themes; the guard keeps
  them apart. The tree is built on requests each pulled toward their `neighbours` nearest
  requests, which evens out wording so paraphrases of one job meet first. Tiny groups then
  join a larger one they are close to (`absorb`), and k-means steps settle borders.
- **The same batch, the same groups, whatever the luck.** Ward's merge heights grow with
  the square root of group size, so `height` and `small` hold at the Ward input size they
  were tuned at (`scale` requests); a larger input (more asks of each job) scales them with
  it (`_at_size`). A batch of up to `whole` requests is therefore grouped whole, with no
  random sample to depend on.
- **Bounded cost.** Ward needs the pairwise distances of its input (quadratic time and
  memory), so a batch larger than `whole` is grouped on a random `sample`; the rest join
  the sample's groups by centroid, and what is left is grouped the same way in further
  rounds. Time is linear in the number of requests beyond the sample.

The defaults were chosen on CLINC150's train and validation splits, never its test split
(see `bench/clustering.py` and docs/benchmarks.md), and on the small-company check in
`tests/insights/themes.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

__all__ = ["DEFAULTS", "Params", "assign", "group_new", "place"]


@dataclass(frozen=True)
class Params:
    """Cosine thresholds and sizes; see the module docstring for what each one decides."""

    join: float = 0.45
    absorb: float = 0.35
    height: float = 2.25
    cohesion: float = 0.3
    neighbours: int = 2
    pull: float = 3.0
    dense: int = 1000
    small: int = 8
    scale: int = 3000
    whole: int = 5000
    sample: int = 3000
    rounds: int = 8
    refine: int = 3
    seed: int = 7


DEFAULTS = Params()


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.clip(norms, 1e-12, None)


def assign(x: np.ndarray, centroids: np.ndarray, threshold: float) -> np.ndarray:
    """Index of the nearest unit centroid per row, or -1 when none reaches `threshold`."""
    out = np.full(x.shape[0], -1, dtype=np.int64)
    if not x.shape[0] or not centroids.shape[0]:
        return out
    for start in range(0, x.shape[0], 8192):
        sims = x[start : start + 8192] @ centroids.T
        best = sims.argmax(axis=1)
        ok = sims[np.arange(best.size), best] >= threshold
        out[start : start + 8192][ok] = best[ok]
    return out


def _sums(x: np.ndarray, labels: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-group sums of rows (a sparse product: np.add.at is slow at 100k rows)."""
    from scipy import sparse  # only when clustering runs: CLI start-up stays light

    member = sparse.csr_matrix(
        (np.ones(labels.size, dtype=x.dtype), (labels, np.arange(labels.size))),
        shape=(k, labels.size),
    )
    return np.asarray(member @ x), np.bincount(labels, minlength=k)


def _smoothed(x: np.ndarray, p: Params) -> np.ndarray:
    """Each row pulled toward its `neighbours` nearest rows (weight `pull`), for Ward only.

    Two paraphrases of one job can be further apart than two different jobs in the same
    words; averaging each request with its nearest neighbours shrinks that wording noise
    so Ward's tree follows jobs. Only in batches of `dense` requests or more: there a job
    is usually asked many times, so a request's nearest neighbours are asks of its job;
    in a small batch (a weekly run, a small company) they are often another job's, and
    pulling toward them fuses themes (four asks each of voice-overs and music did).
    Only the tree and its guard see these vectors: centroids, joining and k-means use
    the requests' own vectors.
    """
    k = p.neighbours
    if k <= 0 or x.shape[0] < max(p.dense, k + 1):
        return x
    near = np.empty((x.shape[0], k + 1), dtype=np.intp)  # the row itself among them
    for start in range(0, x.shape[0], 1024):  # blocks: an n x n index array is 200 MB at 5,000
        block = -(x[start : start + 1024] @ x.T)
        near[start : start + 1024] = np.argpartition(block, k, axis=1)[:, : k + 1]
    return _unit(x + p.pull * x[near].mean(axis=1)).astype(x.dtype)


def _ward_tree(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ward's merge tree (scipy, as scikit-learn's `ward_tree` uses) of unit rows.

    Distances come from one float32 matrix product (|a-b|^2 = 2 - 2 a.b for unit rows)
    instead of `pdist`'s row-by-row loop in float64: the same tree up to float32 rounding
    of near-duplicates, several times faster at 3,000 rows.
    """
    from scipy.cluster.hierarchy import linkage  # only when clustering runs
    from scipy.spatial.distance import squareform

    rows = x.astype(np.float32)
    d = rows @ rows.T
    np.multiply(d, -2.0, out=d)
    d += 2.0
    np.clip(d, 0.0, None, out=d)
    np.fill_diagonal(d, 0.0)
    np.sqrt(d, out=d)
    condensed = squareform(d, checks=False)
    del d  # peak memory: the square matrix goes before the float64 copy linkage needs
    tree = linkage(condensed.astype(np.float64), method="ward")
    return tree[:, :2].astype(np.intp), tree[:, 2]


def _cut(x: np.ndarray, p: Params) -> np.ndarray:
    """Ward's tree over `x`, cut at `height` where both halves are `cohesion` alike."""
    n = x.shape[0]
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    x = _smoothed(x, p)
    children, heights = _ward_tree(x)
    sums = np.zeros((2 * n - 1, x.shape[1]), dtype=np.float64)
    sums[:n] = x
    size = np.ones(2 * n - 1)
    whole = np.ones(2 * n - 1, dtype=bool)
    for i, (a, b) in enumerate(children):
        sums[n + i] = sums[a] + sums[b]
        size[n + i] = size[a] + size[b]
        alike = float(sums[a] @ sums[b]) / (size[a] * size[b])
        whole[n + i] = whole[a] and whole[b] and heights[i] <= p.height and alike >= p.cohesion
    labels = np.empty(n, dtype=np.int64)
    stack, k = [2 * n - 2], 0
    while stack:
        node = stack.pop()
        if not whole[node]:
            stack.extend(int(c) for c in children[node - n])
            continue
        members = [node]
        while members:
            m = members.pop()
            if m < n:
                labels[m] = k
            else:
                members.extend(int(c) for c in children[m - n])
        k += 1
    return labels


def _settle(x: np.ndarray, labels: np.ndarray, p: Params, steps: int = 1) -> np.ndarray:
    """Tiny groups join a close larger one; then k-means steps among the groups."""
    k = int(labels.max()) + 1
    sums, sizes = _sums(x, labels, k)
    big = np.flatnonzero(sizes >= p.small)
    if big.size:
        lonely = np.flatnonzero(sizes[labels] < p.small)
        target = assign(x[lonely], _unit(sums[big]), p.absorb)
        moved = target >= 0
        labels = labels.copy()
        labels[lonely[moved]] = big[target[moved]]
    for _ in range(steps):
        sums, sizes = _sums(x, labels, k)
        alive = np.flatnonzero(sizes > 0)
        nearest = np.empty_like(labels)
        centroids = _unit(sums[alive]).astype(x.dtype)
        for start in range(0, x.shape[0], 8192):
            sims = x[start : start + 8192] @ centroids.T
            nearest[start : start + 8192] = alive[sims.argmax(axis=1)]
        # A singleton's "nearest" is its own vector: it stays put.
        labels = np.where(sizes[labels] > 1, nearest, labels)
    return labels


def _at_size(p: Params, rows: int) -> Params:
    """`p` for a Ward input of `rows` requests: `height` and `small` as tuned at `scale`.

    With `rows / scale` times as many asks per job, a job's group is that much larger,
    Ward's height to merge two such groups grows with its square root, and a group left
    tiny is that much larger too. Grouping a batch whole with these is what grouping a
    random `scale`-request sample of it did on average, without the luck of the draw
    (chosen on CLINC150 train samples, see docs/benchmarks.md). Never below `scale`: a
    small company's weekly batch keeps the settings as tuned.
    """
    if rows <= p.scale:
        return p
    factor = rows / p.scale
    return replace(p, height=p.height * factor**0.5, small=round(p.small * factor))


def _compact(labels: np.ndarray) -> np.ndarray:
    _, out = np.unique(labels, return_inverse=True)
    return out.astype(np.int64)


def group_new(x: np.ndarray, p: Params = DEFAULTS) -> np.ndarray:
    """Group rows nobody claimed; labels 0..k-1, numbered by first appearance."""
    n = x.shape[0]
    labels = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return labels
    rng = np.random.default_rng(p.seed)
    next_label = 0
    for round_ in range(p.rounds):
        todo = np.flatnonzero(labels < 0)
        if todo.size == 0:
            break
        size = p.sample if todo.size > p.whole else todo.size
        last = size == todo.size or round_ == p.rounds - 1
        picked = todo if size == todo.size else np.sort(rng.choice(todo, size, False))
        at = _at_size(p, picked.size)
        local = _settle(x[picked], _cut(x[picked], at), at)
        local = _compact(local)
        labels[picked] = next_label + local
        k = int(local.max()) + 1
        if not last:
            sums, _ = _sums(x[picked], local, k)
            rest = np.setdiff1d(todo, picked, assume_unique=True)
            target = assign(x[rest], _unit(sums), p.join)
            labels[rest[target >= 0]] = next_label + target[target >= 0]
        next_label += k
        if last:
            break
    left = np.flatnonzero(labels < 0)  # only when the rounds ran out: one group each
    labels[left] = next_label + np.arange(left.size)
    if p.refine:  # beyond a few samples' worth, one step: each costs a pass over all rows
        labels = _settle(x, labels, _at_size(p, n if n <= p.whole else p.sample),
                         steps=p.refine if n <= 4 * p.sample else 1)
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[np.searchsorted(np.unique(labels), labels)].astype(np.int64)


def place(x: np.ndarray, centroids: np.ndarray, p: Params = DEFAULTS) -> np.ndarray:
    """Labels for new rows: `i >= 0` joins existing centroid i, `-1 - g` is new group g."""
    joined = assign(x, centroids, p.join)
    rest = np.flatnonzero(joined < 0)
    out = joined.copy()
    if rest.size:
        out[rest] = -1 - group_new(x[rest], p)
    return out
