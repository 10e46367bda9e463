"""Base clusters (k = 100) and opinion groups (k = 2..5, picked by silhouette), deterministically.

Pol.is clusters twice: participants' 2-D projections into ~100 *base clusters* (a downsampling), then the
base-cluster centres, weighted by their member counts, into 2-5 *groups*; the group count is the one with
the best silhouette, computed over the base clusters. Every random choice here comes from a seeded
generator, so the same input always gives the same output.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist

# Lloyd steps of Pol.is's group k-means: conversation.clj passes ``:cluster-iters``, a key its kmeans does not
# read, so kmeans's default ``max-iters 20`` applies (20 iterations after the first step).
POLIS_GROUP_STEPS = 21


def _assign(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Index of the nearest centre (the first one on exact ties)."""
    if len(x) * len(centers) <= 4_000_000:
        # cdist's squared distances are bit-identical to (dx² + dy²) and take one C pass.
        return cdist(x, centers, "sqeuclidean").argmin(axis=1)
    _, lab = cKDTree(centers).query(x)
    return np.asarray(lab, dtype=np.int64)


def _weighted_centers(x: np.ndarray, labels: np.ndarray, weights: np.ndarray, k: int) -> tuple:
    wsum = np.bincount(labels, weights=weights, minlength=k)
    cx = np.bincount(labels, weights=weights * x[:, 0], minlength=k)
    cy = np.bincount(labels, weights=weights * x[:, 1], minlength=k)
    nonempty = wsum > 0
    centers = np.stack([cx, cy], axis=1).astype(np.float64)
    centers[nonempty] = centers[nonempty] / wsum[nonempty, None]
    return centers, nonempty


def lloyd(
    x: np.ndarray,
    centers: np.ndarray,
    weights: np.ndarray | None = None,
    *,
    max_iter: int = 100,
    tol: float = 0.01,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted Lloyd iterations with Pol.is's rules.

    Each step assigns every point to its nearest centre, drops clusters left empty and moves the others to
    the weighted mean of their members. It stops when no centre moved by ``tol`` or more (Pol.is compares
    the sorted centres within 0.01) or after ``max_iter`` steps. Returns (centers, labels).

    The point-to-centre squared distances are kept between steps and only the columns of centres that
    moved are recomputed: a cluster whose members did not change gets bit-for-bit the same mean, and late
    steps move few centres (vtaiwan.uberx's 100 base clusters: 30 of 100 per step on average). Writing
    columns into the cache costs about as much as computing them, hence the full recompute beyond a third.
    Small problems (the groups) skip the bookkeeping, and so do large ones: beyond 500k distances the
    column writes leave the CPU cache and the cache stops paying (20,000 × 100: no faster).
    """
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=np.float64)
    wx, wy = w * x[:, 0], w * x[:, 1]
    centers = np.asarray(centers, dtype=np.float64)
    cache = 20_000 <= len(x) * len(centers) <= 500_000
    if cache:
        d2 = cdist(x, centers, "sqeuclidean")
        labels = d2.argmin(axis=1)
    else:
        labels = _assign(x, centers)
    for _ in range(max_iter):
        k = len(centers)
        wsum = np.bincount(labels, weights=w, minlength=k)
        cx = np.bincount(labels, weights=wx, minlength=k)
        cy = np.bincount(labels, weights=wy, minlength=k)
        nonempty = wsum > 0
        if nonempty.all():
            new = np.empty((k, 2))
            np.divide(cx, wsum, out=new[:, 0])
            np.divide(cy, wsum, out=new[:, 1])
            same = bool(np.all(np.sqrt(((new - centers) ** 2).sum(1)) < tol))
            old = centers
        else:
            new = np.column_stack([cx[nonempty] / wsum[nonempty], cy[nonempty] / wsum[nonempty]])
            same = False
            old = centers[nonempty]
            if cache:
                d2 = d2[:, nonempty]
        centers = new
        if cache:
            moved = np.flatnonzero((new != old).any(axis=1))
            if len(moved) * 3 > len(new):
                d2 = cdist(x, new, "sqeuclidean")
            elif len(moved):
                d2[:, moved] = cdist(x, new[moved], "sqeuclidean")
            labels = d2.argmin(axis=1)
        else:
            labels = _assign(x, centers)
        if same:
            break
    # Final consistent state: labels from the returned centres, no empty cluster.
    present = np.bincount(labels, minlength=len(centers)) > 0
    if not present.all():
        used = np.flatnonzero(present)
        remap = -np.ones(len(centers), dtype=np.int64)
        remap[used] = np.arange(len(used))
        centers, labels = centers[used], remap[labels]
    return centers, labels


def kmeanspp(x: np.ndarray, k: int, weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Weighted k-means++ seeding (a centre is drawn with probability ∝ weight × squared distance)."""
    n = len(x)
    cw = np.cumsum(weights)
    first = min(int(np.searchsorted(cw, rng.random() * cw[-1], side="right")), n - 1)
    centers = [x[first]]
    d2 = ((x - x[first]) ** 2).sum(1)
    for _ in range(1, k):
        cp = np.cumsum(d2 * weights)
        if cp[-1] <= 0:
            break
        i = min(int(np.searchsorted(cp, rng.random() * cp[-1], side="right")), n - 1)
        centers.append(x[i])
        np.minimum(d2, ((x - x[i]) ** 2).sum(1), out=d2)
    return np.asarray(centers)


def kmeanspp_batch(
    x: np.ndarray, k: int, weights: np.ndarray, rng: np.random.Generator, n_starts: int
) -> np.ndarray:
    """``n_starts`` weighted k-means++ seedings at once; the same draws as calling ``kmeanspp`` in turn
    (one uniform number per centre, consumed in order)."""
    n = len(x)
    r = rng.random(n_starts * k).reshape(n_starts, k)
    cw = np.cumsum(weights)
    idx = np.minimum(np.searchsorted(cw, r[:, 0] * cw[-1], side="right"), n - 1)
    centers = np.empty((n_starts, k, 2))
    centers[:, 0] = x[idx]
    d2 = ((x[None, :, :] - x[idx][:, None, :]) ** 2).sum(-1)
    for c in range(1, k):
        cp = np.cumsum(d2 * weights[None, :], axis=1)
        idx = np.minimum((cp <= (r[:, c] * cp[:, -1])[:, None]).sum(1), n - 1)
        centers[:, c] = x[idx]
        np.minimum(d2, ((x[None, :, :] - x[idx][:, None, :]) ** 2).sum(-1), out=d2)
    return centers


def farthest_top_up(x: np.ndarray, centers: np.ndarray, k: int) -> np.ndarray:
    """Add centres at the point farthest from all current centres until there are k (or no point is
    left away from every centre)."""
    out = list(np.asarray(centers, dtype=np.float64))
    d2 = np.min(((x[:, None, :] - np.asarray(out)[None, :, :]) ** 2).sum(-1), axis=1)
    while len(out) < k:
        i = int(np.argmax(d2))
        if d2[i] <= 0:
            break
        out.append(x[i].copy())
        np.minimum(d2, ((x - x[i]) ** 2).sum(1), out=d2)
    return np.asarray(out)


def _distinct_index(x: np.ndarray) -> np.ndarray:
    """Row index of the first occurrence of each distinct 2-D point, in row order."""
    _, idx = np.unique(x[:, 0] + 1j * x[:, 1], return_index=True)
    return np.sort(idx)


def first_distinct(x: np.ndarray, k: int) -> np.ndarray:
    """Pol.is's initialisation without history: the first k distinct points, in order."""
    return x[_distinct_index(x)[:k]]


def inertia(x: np.ndarray, centers: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    return float((weights * ((x - centers[labels]) ** 2).sum(1)).sum())


def best_kmeans(
    x: np.ndarray,
    k: int,
    weights: np.ndarray,
    *,
    n_init: int = 10,
    random_state: int = 0,
    warm: np.ndarray | None = None,
    max_iter: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted k-means, deterministic.

    With ``warm`` centres (the previous map's), Lloyd runs from them alone -- like Pol.is, which always
    restarts from its last clustering, so groups stay put between recomputes. Without, it runs from
    Pol.is's first-k-distinct start and ``n_init`` weighted k-means++ seeds drawn from ``random_state``
    and keeps the lowest weighted inertia (the earlier start wins ties).
    """
    n_distinct = len(_distinct_index(x))
    k = min(k, n_distinct)
    if warm is not None and len(warm) == k:
        starts = [np.asarray(warm, dtype=np.float64)]
    else:
        starts = [first_distinct(x, k)]
        rng = np.random.default_rng(random_state + 7919 * k)
        if n_init:
            starts.extend(kmeanspp_batch(x, k, weights, rng, n_init))
    if len(starts) == 1:
        c, lab = lloyd(x, starts[0], weights, max_iter=max_iter)
        return c, lab
    # All starts advance together (one vectorised Lloyd), then the winner is polished by the exact
    # single-start rules (empty clusters dropped).
    batch = np.stack([_pad(s, k) for s in starts])
    centers, inertias = _batch_lloyd(x, batch, weights, max_iter=max_iter)
    order = np.argsort(inertias, kind="stable")
    best = int(order[0])
    c, lab = lloyd(x, centers[best], weights, max_iter=max_iter)
    return c, lab


def _pad(start: np.ndarray, k: int) -> np.ndarray:
    """k-means++ may return fewer than k centres (too few distinct points); repeat the last one."""
    start = np.asarray(start, dtype=np.float64)
    if len(start) < k:
        start = np.vstack([start, np.repeat(start[-1:], k - len(start), axis=0)])
    return start


def _batch_lloyd(
    x: np.ndarray, centers: np.ndarray, weights: np.ndarray, *, max_iter: int = 100, tol: float = 0.01
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd iterations for S starts at once: centers (S, k, 2). An emptied cluster keeps its centre.

    Returns the final centres and each start's weighted inertia."""
    s_count, k, _ = centers.shape
    centers = centers.copy()
    offsets = (np.arange(s_count) * k)[:, None]
    w = np.tile(weights, s_count)
    wx = w * np.tile(x[:, 0], s_count)
    wy = w * np.tile(x[:, 1], s_count)
    size = s_count * k
    xt = x.T
    for _ in range(max_iter):
        # |x - c|² up to the per-point constant |x|², which does not change the argmin.
        d2 = (centers**2).sum(-1)[:, None, :] - 2.0 * (centers @ xt).transpose(0, 2, 1)  # (S, n, k)
        key = (d2.argmin(-1) + offsets).ravel()
        wsum = np.bincount(key, weights=w, minlength=size)
        cx = np.bincount(key, weights=wx, minlength=size)
        cy = np.bincount(key, weights=wy, minlength=size)
        flat = centers.reshape(-1, 2).copy()
        nz = wsum > 0
        flat[nz, 0] = cx[nz] / wsum[nz]
        flat[nz, 1] = cy[nz] / wsum[nz]
        new = flat.reshape(s_count, k, 2)
        moved2 = ((new - centers) ** 2).sum(-1).max()
        centers = new
        if moved2 < tol * tol:
            break
    d2 = ((x[None, :, None, :] - centers[:, None, :, :]) ** 2).sum(-1)
    inertias = (d2.min(-1) * weights[None, :]).sum(-1)
    return centers, inertias


def silhouette(dist: np.ndarray, labels: np.ndarray) -> float:
    """Pol.is's silhouette over base clusters: unweighted mean of (b - a) / max(a, b).

    A member alone in its group scores 0; ``dist`` is the distance matrix between base-cluster centres.
    """
    n = len(labels)
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    onehot = (labels[:, None] == groups[None, :]).astype(np.float64)
    sizes = onehot.sum(0)
    sums = dist @ onehot  # sum of distances from each point to each group's members
    own = np.searchsorted(groups, labels)
    own_size = sizes[own] - 1
    a = np.divide(sums[np.arange(n), own], own_size, out=np.zeros(n), where=own_size > 0)
    mean_other = sums / sizes[None, :]
    mean_other[np.arange(n), own] = np.inf
    b = mean_other.min(1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(n), where=denom > 0)
    s[own_size == 0] = 0.0
    return float(s.mean())


def base_clusters(
    x: np.ndarray,
    k: int = 100,
    *,
    random_state: int = 0,
    warm: np.ndarray | None = None,
    max_iter: int = 100,
    sample_size: int = 20_000,
    first_distinct_start: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """~k base clusters of the in-conversation projections. Returns (centers, labels).

    With at most k distinct points every distinct point is its own cluster (exactly what Pol.is gets).
    Otherwise: Lloyd from ``warm`` centres, else from the first k distinct points in row order
    (``first_distinct_start``, Pol.is's init-clusters) or a seeded k-means++ start. Beyond ``sample_size`` points the
    centres are learned on a fixed-seed sample, then every point is assigned once and the centres are
    recomputed from all members (cost O(n log k) instead of O(n k iterations)).
    """
    n = len(x)
    if n == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    # Distinct points, via one complex-number sort (much faster than np.unique(axis=0)).
    cx = x[:, 0] + 1j * x[:, 1]
    uniq_c, inverse = np.unique(cx, return_inverse=True)
    inverse = inverse.reshape(-1)
    uniq = np.column_stack([uniq_c.real, uniq_c.imag])
    if len(uniq) <= k:
        # Order clusters by first appearance, like Pol.is's init.
        first = np.full(len(uniq), n, dtype=np.int64)
        np.minimum.at(first, inverse, np.arange(n))
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return uniq[order], rank[inverse]
    rng = np.random.default_rng(random_state)
    fit_x = x
    if n > sample_size:
        fit_x = x[np.sort(rng.choice(n, sample_size, replace=False))]
    if warm is not None and len(warm):
        start = np.asarray(warm, dtype=np.float64)
        if len(start) < k:
            # The conversation grew since the last map: add centres at the most distal points, one at a
            # time, like Pol.is's clean-start-clusters (otherwise the count could never grow back).
            start = farthest_top_up(fit_x, start, k)
    elif first_distinct_start:
        start = first_distinct(fit_x, k)
    else:
        seed_x = fit_x if len(fit_x) <= 5000 else fit_x[np.sort(rng.choice(len(fit_x), 5000, replace=False))]
        seed_u = np.unique(seed_x, axis=0)
        start = kmeanspp(seed_u, min(k, len(seed_u)), np.ones(len(seed_u)), rng)
    centers, labels = lloyd(fit_x, start, max_iter=max_iter, tol=0.01)
    want = min(k, len(uniq))
    for _ in range(3):  # clusters emptied by Lloyd: re-seed them at the most distal points
        if len(centers) >= want:
            break
        centers, labels = lloyd(fit_x, farthest_top_up(fit_x, centers, want), max_iter=max_iter, tol=0.01)
    if fit_x is not x:
        labels = _assign(x, centers)
        centers, nonempty = _weighted_centers(x, labels, np.ones(n), len(centers))
        if not nonempty.all():
            centers = centers[nonempty]
        labels = _assign(x, centers)
    return centers, labels
