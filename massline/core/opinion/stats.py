"""Statement statistics: representativeness, consensus, group-informed consensus and priority.

Everything is counted with sparse products (groups × participants indicator times the agree / disagree /
seen patterns), then the Pol.is formulas are applied to whole arrays. Names follow Pol.is's repness.clj:
n = count, p = probability, r = representativeness, t = test z-score, a = agree, d = disagree, s = seen.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

Z90 = 1.2816  # one-sided 90% critical value, as hard-coded in Pol.is's stats.clj


def vote_patterns(csr: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
    """0/1 matrices of agree, disagree and seen (any vote) with ``csr``'s shape."""
    ones = np.ones(csr.nnz)
    seen = sp.csr_matrix((ones, csr.indices, csr.indptr), shape=csr.shape)
    agree = sp.csr_matrix(((csr.data > 0).astype(np.float64), csr.indices, csr.indptr), shape=csr.shape)
    disagree = sp.csr_matrix(((csr.data < 0).astype(np.float64), csr.indices, csr.indptr), shape=csr.shape)
    return agree, disagree, seen


def group_counts(
    csr: sp.csr_matrix, labels: np.ndarray, n_groups: int, entry_rows: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(na, nd, ns), each (n_groups, n_statements): counts among participants with label g (>= 0)."""
    d = csr.shape[1]
    if entry_rows is None:
        entry_rows = np.repeat(np.arange(csr.shape[0], dtype=np.int64), np.diff(csr.indptr))
    # Participants off the map go to an extra, discarded bucket (avoids a boolean copy of every vote).
    small = np.where(labels < 0, n_groups, labels).astype(np.int32)
    size = (n_groups + 1) * d * 3
    kt = np.int32 if size < 2**31 else np.int64
    key = small[entry_rows].astype(kt, copy=False)
    key *= d
    key += csr.indices
    key *= 3
    key += (csr.data + 1).astype(kt)
    counts = np.bincount(key, minlength=size)[: n_groups * d * 3].reshape(n_groups * d, 3).astype(np.float64)
    del key
    nd, npass, na = counts[:, 0], counts[:, 1], counts[:, 2]
    ns = na + nd + npass
    return na.reshape(n_groups, d), nd.reshape(n_groups, d), ns.reshape(n_groups, d)


def prop_test(succ: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z-test against 0.5, with +1 pseudo-counts."""
    succ = succ + 1.0
    n = n + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(succ1: np.ndarray, succ2: np.ndarray, n1: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """Pol.is's two-proportion z-test (group vs the rest), with +1 pseudo-counts."""
    succ1, succ2, n1, n2 = succ1 + 1.0, succ2 + 1.0, n1 + 1.0, n2 + 1.0
    pi1, pi2 = succ1 / n1, succ2 / n2
    pi_hat = (succ1 + succ2) / (n1 + n2)
    denom = np.sqrt(pi_hat * (1 - pi_hat) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / denom
    return np.where(pi_hat == 1, 0.0, z)


def repness_stats(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> dict[str, np.ndarray]:
    """All per-(group, statement) repness statistics as arrays of shape (n_groups, n_statements)."""
    rest_na = na.sum(0, keepdims=True) - na
    rest_nd = nd.sum(0, keepdims=True) - nd
    rest_ns = ns.sum(0, keepdims=True) - ns
    pa = (1 + na) / (2 + ns)
    pd = (1 + nd) / (2 + ns)
    return {
        "na": na,
        "nd": nd,
        "ns": ns,
        "pa": pa,
        "pd": pd,
        "pat": prop_test(na, ns),
        "pdt": prop_test(nd, ns),
        "ra": pa / ((1 + rest_na) / (2 + rest_ns)),
        "rd": pd / ((1 + rest_nd) / (2 + rest_ns)),
        "rat": two_prop_test(na, rest_na, ns, rest_ns),
        "rdt": two_prop_test(nd, rest_nd, ns, rest_ns),
    }


def _finalize(st: dict, g: int, j: int, tid) -> dict:
    agree = st["rat"][g, j] > st["rdt"][g, j]
    a, n = ("a", "na") if agree else ("d", "nd")
    return {
        "tid": tid,
        "n-success": int(st[n][g, j]),
        "n-trials": int(st["ns"][g, j]),
        "p-success": float(st["p" + a][g, j]),
        "p-test": float(st["p" + a + "t"][g, j]),
        "repness": float(st["r" + a][g, j]),
        # Pol.is casts the test value to a 32-bit float before output and before sorting on it.
        "repness-test": float(np.float32(st["r" + a + "t"][g, j])),
        "repful-for": "agree" if agree else "disagree",
    }


def select_rep_comments(
    st: dict[str, np.ndarray], tids: list, exclude: np.ndarray, *, pick_max: int = 5, z: float = Z90
) -> list[list[dict]]:
    """Pol.is's ``select-rep-comments``: up to ``pick_max`` representative statements per group.

    A statement is sufficient for a group when both its probability test and its representativeness test
    are significant (agree side or disagree side). The group's "best agree" statement goes first, the
    rest are sorted by repness × repness-test × p-success × p-test, then agrees come before disagrees.
    With no sufficient statement, the best agree (or else the statement with the largest test) stands in.
    """
    n_groups, n_st = st["na"].shape
    keep = np.flatnonzero(~exclude)
    sufficient_mask = ((st["rat"] > z) & (st["pat"] > z)) | ((st["rdt"] > z) & (st["pdt"] > z))
    agree_side = st["rat"] > st["rdt"]
    # The sort key of Pol.is's repness-sort, on finalized values (repness-test as a 32-bit float).
    metric = (
        np.where(agree_side, st["ra"], st["rd"])
        * np.where(agree_side, st["rat"], st["rdt"]).astype(np.float32).astype(np.float64)
        * np.where(agree_side, st["pa"], st["pd"])
        * np.where(agree_side, st["pat"], st["pdt"])
    )
    out = []
    for g in range(n_groups):
        best_agree = _best_agree(st, g, keep, z)
        suff = keep[sufficient_mask[g, keep]]
        head = []
        if best_agree is not None:
            ba = _finalize(st, g, best_agree, tids[best_agree])
            ba["n-agree"] = int(st["na"][g, best_agree])
            ba["best-agree"] = True
            head = [ba]
        if len(suff) == 0:
            if not head and len(keep):
                score = np.maximum(st["rat"][g, keep], st["rdt"][g, keep])
                j = int(keep[int(np.argmax(score))])
                head = [_finalize(st, g, j, tids[j])]
            out.append(head)
            continue
        if best_agree is not None:
            suff = suff[suff != best_agree]
        top = suff[np.argsort(-metric[g, suff], kind="stable")][: max(pick_max - len(head), 0)]
        chosen = head + [_finalize(st, g, int(j), tids[j]) for j in top]
        chosen = [r for r in chosen if r["repful-for"] == "agree"] + [
            r for r in chosen if r["repful-for"] == "disagree"
        ]
        out.append(chosen)
    return out


def _best_agree(st: dict, g: int, keep: np.ndarray, z: float) -> int | None:
    """Pol.is's running "best agree" comparison, vectorised: jump from one accepted statement to the
    next (a short chain) instead of visiting every statement in Python."""
    na, nd, ra, rat, pa, pat = (st[k][g, keep] for k in ("na", "nd", "ra", "rat", "pa", "pat"))
    voted = ~((na == 0) & (nd == 0))
    m1 = ra * rat * pa * pat
    m2 = pa * pat
    cand = np.flatnonzero(voted & ((pat > z) | ((ra > 1.0) & (pa > 0.5))))
    if len(cand) == 0:
        return None
    best = int(cand[0])
    while True:
        rest = slice(best + 1, None)
        if ra[best] > 1.0:
            hits = np.flatnonzero(voted[rest] & (m1[rest] > m1[best]))
        else:
            hits = np.flatnonzero(voted[rest] & (m2[rest] > m2[best]))
        if len(hits) == 0:
            return int(keep[best])
        best = best + 1 + int(hits[0])


def consensus(
    csr: sp.csr_matrix, tids: list, exclude: np.ndarray, *, pick_max: int = 5, z: float = Z90
) -> dict[str, list[dict]]:
    """Pol.is's consensus statements over *all* participants: the most agreed / disagreed statements.

    Candidates have p > 0.5 and a significant one-proportion test; they are ranked by p × test.
    """
    m = csr.shape[1]
    kt = np.int32 if m * 3 < 2**31 else np.int64
    key = csr.indices.astype(kt) * 3
    key += (csr.data + 1).astype(kt)
    counts = np.bincount(key, minlength=m * 3).reshape(m, 3).astype(np.float64)
    nd, na = counts[:, 0], counts[:, 2]
    ns = counts.sum(1)
    out: dict[str, list[dict]] = {}
    for side, n_succ in (("agree", na), ("disagree", nd)):
        p = (1 + n_succ) / (2 + ns)
        t = prop_test(n_succ, ns)
        cand = np.flatnonzero(~exclude & (p > 0.5) & (t > z))
        order = cand[np.argsort(-(p[cand] * t[cand]), kind="stable")][:pick_max]
        out[side] = [
            {
                "tid": tids[j],
                "n-success": int(n_succ[j]),
                "n-trials": int(ns[j]),
                "p-success": float(p[j]),
                "p-test": float(t[j]),
            }
            for j in order
        ]
    return out


def group_informed_consensus(na: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """Product over groups of the pseudo-counted agree probability (A + 1) / (S + 2), per statement."""
    return np.prod((na + 1.0) / (ns + 2.0), axis=0)


def priority(
    na: np.ndarray,
    nd: np.ndarray,
    ns: np.ndarray,
    extremity: np.ndarray,
    is_meta: np.ndarray,
    meta_priority: float = 7.0,
) -> np.ndarray:
    """Pol.is's comment priority, used to pick the next statement to show a voter.

    importance = (1 - p_pass) × (extremity + 1) × p_agree with +1/+2 pseudo-counts, scaled by
    1 + 8 × 2^(-seen / 5) so new statements surface, then squared; meta statements get 7² = 49.
    Counts are over the participants in groups.
    """
    npass = ns - (na + nd)
    p = (npass + 1.0) / (ns + 2.0)
    a = (na + 1.0) / (ns + 2.0)
    importance = (1.0 - p) * (extremity + 1.0) * a
    pr = importance * (1.0 + 8.0 * np.power(2.0, ns / -5.0))
    pr = np.where(is_meta, meta_priority, pr)
    return pr**2
