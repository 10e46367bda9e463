"""``OpinionMap``: the Pol.is opinion map as a scikit-learn-style estimator.

    om = OpinionMap(mod_out=[3, 7]).fit(votes)      # votes: (participant, statement, value[, time])
    om.groups_          # {participant: group index or None}
    om.repness_         # {group index: [representative statement dicts]}
    om.update(new_votes)  # warm-started recompute after more votes

See docs/opinion-map.md for the math and every deliberate difference from Pol.is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

from . import cluster, pca, stats
from .matrix import VoteMatrix


def in_conversation_replay(
    rows: np.ndarray,
    cols: np.ndarray,
    n_participants: int,
    *,
    prior_counts: np.ndarray | None = None,
    prior_cols: np.ndarray | None = None,
    prior_in: np.ndarray | None = None,
    min_votes: int = 7,
    greedy_n: int = 15,
) -> np.ndarray:
    """Who is in the conversation, replaying first votes in time order ("once in, stays in").

    ``rows``/``cols`` are the (participant, statement) pairs in the order they were first voted. A
    participant joins as soon as they have voted on at least min(7, statements voted on so far); while
    fewer than ``greedy_n`` participants are in, the earliest participants are taken in as well
    (Pol.is's greedy fill). ``prior_*`` carry the state of an earlier replay for incremental updates.
    """
    n_cols = int(max(cols.max(initial=-1) + 1, 0 if prior_cols is None else len(prior_cols)))
    inside = np.zeros(n_participants, dtype=bool)
    counts0 = np.zeros(n_participants, dtype=np.int64)
    if prior_in is not None:
        inside[: len(prior_in)] = prior_in
    if prior_counts is not None:
        counts0[: len(prior_counts)] = prior_counts
    seen_col = np.zeros(n_cols, dtype=bool)
    if prior_cols is not None:
        seen_col[: len(prior_cols)] = prior_cols
    if len(rows) == 0:
        return inside
    # Number of distinct statements voted on so far, at each event.
    new_col_event = np.zeros(len(cols), dtype=bool)
    _, first_idx = np.unique(cols, return_index=True)
    new_col_event[first_idx] = True
    new_col_event &= ~seen_col[cols]
    n_cmts = int(seen_col.sum()) + np.cumsum(new_col_event)
    # Running vote count of the event's participant, at each event.
    order = np.lexsort((np.arange(len(rows)), rows))
    sr = rows[order]
    starts = np.ones(len(sr), dtype=bool)
    starts[1:] = sr[1:] != sr[:-1]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(len(sr)), 0))
    rank = np.empty(len(rows), dtype=np.int64)
    rank[order] = np.arange(len(sr)) - group_start + 1
    running = counts0[rows] + rank
    hit = running >= np.minimum(min_votes, n_cmts)
    inside[rows[hit]] = True
    # Greedy fill: until greedy_n participants are in, everyone who shows up is taken in.
    prior_count = int(prior_in.sum()) if prior_in is not None else 0
    if prior_count < greedy_n:
        _, first_seen = np.unique(rows, return_index=True)
        by_time = rows[np.sort(first_seen)]
        if prior_in is not None:
            by_time = by_time[~prior_in[by_time]]
        inside[by_time[: greedy_n - prior_count]] = True
    return inside


def in_conversation_from_matrix(
    csr: sp.csr_matrix, first_voted: np.ndarray, min_votes: int = 7, greedy_n: int = 15
) -> np.ndarray:
    """The same set as :func:`in_conversation_replay` over every vote in time order, in O(nnz).

    After the ``min_votes``-th statement has received its first vote, the rule is simply "at least
    ``min_votes`` votes", so only the early votes (up to that moment) need the replay; the greedy fill
    takes the ``greedy_n`` participants who voted first.
    """
    n, d = csr.shape
    counts = np.diff(csr.indptr)
    col_first = np.full(d, np.inf)
    np.minimum.at(col_first, csr.indices, first_voted)
    voted_cols = col_first[np.isfinite(col_first)]
    if len(voted_cols) < min_votes:
        rows_all = np.repeat(np.arange(n), counts)
        order = np.argsort(first_voted, kind="stable")
        return in_conversation_replay(
            rows_all[order], csr.indices[order].astype(np.int64), n, min_votes=min_votes, greedy_n=greedy_n
        )
    inside = counts >= min_votes
    t_k = np.partition(voted_cols, min_votes - 1)[min_votes - 1]
    early = np.flatnonzero(first_voted <= t_k)
    if len(early):
        rows_e = (np.searchsorted(csr.indptr, early, side="right") - 1).astype(np.int64)
        order = np.argsort(first_voted[early], kind="stable")
        inside |= in_conversation_replay(
            rows_e[order], csr.indices[early][order].astype(np.int64), n, min_votes=min_votes, greedy_n=0
        )
    if greedy_n:
        nonempty = np.flatnonzero(counts > 0)
        row_first = (
            np.minimum.reduceat(first_voted, csr.indptr[nonempty]) if len(nonempty) else first_voted[:0]
        )
        inside[nonempty[np.lexsort((nonempty, row_first))[:greedy_n]]] = True
    return inside


def in_conversation_static(
    counts: np.ndarray, n_cmts: int, min_votes: int = 7, greedy_n: int = 15
) -> np.ndarray:
    """Without vote times: at least min(7, statements) votes, topped up with the biggest voters to 15."""
    inside = counts >= min(min_votes, n_cmts)
    if inside.sum() < greedy_n:
        rest = np.flatnonzero(~inside & (counts > 0))
        rest = rest[np.argsort(-counts[rest], kind="stable")][: greedy_n - int(inside.sum())]
        inside[rest] = True
    return inside


class OpinionMap:
    """Pol.is-compatible opinion map over a sparse vote matrix.

    Parameters mirror Pol.is's defaults: ``base_k`` base clusters, group counts 2..``max_k`` (at most
    2 + base clusters // 12), ``min_votes`` votes to join the map, ``pick_max`` statements per list, z > 1.2816
    significance. ``mod_out`` statements are zeroed out of the map and never representative/consensus;
    ``meta`` statements are treated as moderated out and get the fixed meta priority.
    ``k_smoothing``: on ``update``, a new group count is adopted only after it won this many recomputes
    in a row (Pol.is's k-smoother; 1 disables). ``random_state`` seeds every random choice.
    ``base_init`` / ``group_init``: centres (in this map's coordinates) to start the base-cluster and
    group k-means from, e.g. a previous map's ``base_centers_`` / ``group_centers_`` -- what Pol.is does on
    every recompute. With ``group_init`` its group count is kept unless another wins ``k_smoothing``
    recomputes in a row. ``n_groups`` forces the group count instead of choosing it by silhouette.
    ``init`` (fresh fits only): ``"polis"`` clusters exactly as Pol.is does when it has no previous state
    -- base clusters started from the first 100 distinct participants in row order, groups from the first k
    distinct base clusters, at most 21 Lloyd steps for groups -- which is what matches Pol.is's exported
    groups best; ``"best"`` keeps the lowest-inertia of ``group_n_init`` k-means++ starts instead.
    """

    _inside: np.ndarray
    _k_state: dict | None
    _lazy: dict
    base_member_rows_: np.ndarray
    base_labels_: np.ndarray

    def __init__(
        self,
        *,
        mod_out: Iterable = (),
        meta: Iterable = (),
        base_k: int = 100,
        max_k: int = 5,
        min_votes: int = 7,
        greedy_n: int = 15,
        pick_max: int = 5,
        z_crit: float = stats.Z90,
        k_smoothing: int = 4,
        group_n_init: int = 10,
        init: str = "polis",
        exact_pca_max: int = 500,
        base_init: np.ndarray | None = None,
        group_init: np.ndarray | None = None,
        n_groups: int | None = None,
        random_state: int = 0,
        verbose: bool | Callable[[str], None] = False,
    ):
        self.mod_out = mod_out
        self.meta = meta
        self.base_k = base_k
        self.max_k = max_k
        self.min_votes = min_votes
        self.greedy_n = greedy_n
        self.pick_max = pick_max
        self.z_crit = z_crit
        self.k_smoothing = k_smoothing
        self.group_n_init = group_n_init
        if init not in ("polis", "best"):
            raise ValueError("init must be 'polis' or 'best'")
        self.init = init
        self.exact_pca_max = exact_pca_max
        self.base_init = base_init
        self.group_init = group_init
        self.n_groups = n_groups
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------------ public API

    def fit(
        self,
        votes: Iterable[Sequence] | VoteMatrix | None = None,
        *,
        matrix: sp.spmatrix | None = None,
        participants: Sequence | None = None,
        statements: Sequence | None = None,
        in_conversation: Iterable | None = None,
    ) -> OpinionMap:
        """Compute the map from scratch.

        ``votes``: iterable of (participant_key, statement_key, value[, timestamp]) -- value > 0 agree,
        < 0 disagree, 0 pass; the latest vote per pair counts -- or a ``VoteMatrix``; or give ``matrix``
        (sparse, participants × statements, passes stored as explicit zeros) with ``participants`` and
        ``statements`` key lists. ``in_conversation`` forces the set of participants on the map.
        """
        t0 = time.perf_counter()
        if isinstance(votes, VoteMatrix):
            vm = votes
        elif votes is not None:
            vm = VoteMatrix.from_votes(votes, participants=participants, statements=statements)
        elif matrix is not None:
            csr = sp.csr_matrix(matrix, dtype=np.float64)
            csr.sort_indices()
            n, d = csr.shape
            vm = VoteMatrix(
                csr,
                list(participants) if participants is not None else list(range(n)),
                list(statements) if statements is not None else list(range(d)),
            )
        else:
            raise ValueError("fit() needs votes, a VoteMatrix or a sparse matrix")
        self._log(f"vote matrix {vm.shape[0]:,} participants × {vm.shape[1]:,} statements, {vm.nnz:,} votes")
        self._k_state = None
        self.matrix_ = vm
        self._compute_in_conv(vm, forced=in_conversation)
        self._recompute(warm=False)
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def partial_fit(self, new_votes: Iterable[Sequence] | VoteMatrix) -> OpinionMap:
        """Add votes and recompute cheaply: warm-started PCA signs, base clusters and groups."""
        if not hasattr(self, "matrix_"):
            return self.fit(new_votes)
        t0 = time.perf_counter()
        old = self.matrix_
        vm, rows, cols = old.update(new_votes)
        self.matrix_ = vm
        prior_in = np.zeros(vm.shape[0], dtype=bool)
        prior_in[: len(self._inside)] = self._inside
        old_counts = np.zeros(vm.shape[0], dtype=np.int64)
        old_counts[: old.shape[0]] = old.votes_per_participant()
        old_cols = np.zeros(vm.shape[1], dtype=bool)
        old_cols[: old.shape[1]] = old.votes_per_statement() > 0
        self._inside = in_conversation_replay(
            rows,
            cols,
            vm.shape[0],
            prior_counts=old_counts,
            prior_cols=old_cols,
            prior_in=prior_in,
            min_votes=self.min_votes,
            greedy_n=self.greedy_n,
        )
        self._recompute(warm=True)
        self.update_seconds_ = time.perf_counter() - t0
        return self

    update = partial_fit

    def set_moderation(self, *, mod_out: Iterable | None = None, meta: Iterable | None = None) -> OpinionMap:
        """Change moderation and recompute (warm-started)."""
        if mod_out is not None:
            self.mod_out = mod_out
        if meta is not None:
            self.meta = meta
        self._recompute(warm=True)
        return self

    # ------------------------------------------------------------------ internals

    def _log(self, msg: str) -> None:
        if callable(self.verbose):
            self.verbose(msg)
        elif self.verbose:
            import sys

            print(f"[opinion] {msg}", file=sys.stderr, flush=True)

    def _compute_in_conv(self, vm: VoteMatrix, forced: Iterable | None) -> None:
        n = vm.shape[0]
        if forced is not None:
            pidx = vm.participant_index()
            inside = np.zeros(n, dtype=bool)
            inside[[pidx[p] for p in forced if p in pidx]] = True
        elif vm.first_voted is not None:
            inside = in_conversation_from_matrix(vm.csr, vm.first_voted, self.min_votes, self.greedy_n)
        else:
            n_cmts = int((vm.votes_per_statement() > 0).sum())
            inside = in_conversation_static(vm.votes_per_participant(), n_cmts, self.min_votes, self.greedy_n)
        self._inside = inside

    def _recompute(self, warm: bool) -> None:
        with pca.single_blas_thread():
            self._recompute_inner(warm)

    def _recompute_inner(self, warm: bool) -> None:
        t = time.perf_counter()
        vm = self.matrix_
        csr = vm.csr
        n, d = csr.shape
        sidx = vm.statement_index()
        meta = np.zeros(d, dtype=bool)
        meta[[sidx[s] for s in self.meta if s in sidx]] = True
        mod_out = np.zeros(d, dtype=bool)
        mod_out[[sidx[s] for s in self.mod_out if s in sidx]] = True
        mod_out |= meta
        has_votes = vm.votes_per_statement() > 0
        zeroed = mod_out & has_votes
        n_cmts = int(has_votes.sum())

        # --- PCA on every participant (Pol.is does the same), zeroed columns excluded.
        mu = pca.column_means(csr, np.flatnonzero(zeroed))
        z = pca.centered(csr, mu, zeroed)
        start = getattr(self, "components_", None) if warm else None
        comps, evals = pca.top_components(z, 2, start=start, exact_max=self.exact_pca_max)
        # Pol.is counts a moderated-out statement as "voted" for everyone (the column is set to 0).
        entry_rows = np.repeat(np.arange(n, dtype=np.int32 if n < 2**31 else np.int64), np.diff(csr.indptr))
        own = np.diff(csr.indptr).astype(np.int64)
        if zeroed.any():
            own -= np.bincount(entry_rows, weights=zeroed[csr.indices], minlength=n).astype(np.int64)
        n_votes = own + int(zeroed.sum())
        proj = pca.project(z, comps, n_cmts, n_votes)
        self._log(f"PCA done in {time.perf_counter() - t:.2f}s")

        # --- clustering of the in-conversation participants.
        t = time.perf_counter()
        inside = self._inside
        ic = np.flatnonzero(inside)
        x = proj[ic]
        if warm and getattr(self, "base_member_rows_", None) is not None and len(self.base_member_rows_):
            # Pol.is's clean start: each previous base cluster re-centred on its members' new positions.
            prev_rows, prev_lab = self.base_member_rows_, self.base_labels_
            nb_prev = int(prev_lab.max()) + 1
            cnt = np.bincount(prev_lab, minlength=nb_prev)
            cx = np.bincount(prev_lab, weights=proj[prev_rows, 0], minlength=nb_prev)
            cy = np.bincount(prev_lab, weights=proj[prev_rows, 1], minlength=nb_prev)
            keep = cnt > 0
            warm_base: np.ndarray | None = np.column_stack([cx[keep] / cnt[keep], cy[keep] / cnt[keep]])
        else:
            warm_base = None if warm else self.base_init
        polis_init = self.init == "polis"
        bc, blab = cluster.base_clusters(
            x, self.base_k, random_state=self.random_state, warm=warm_base, first_distinct_start=polis_init
        )
        weights = np.bincount(blab, minlength=len(bc)).astype(np.float64)
        nb = len(bc)
        max_k = min(self.max_k, 2 + nb // 12)
        dist = cdist(bc, bc)  # bit-identical to sqrt(dx² + dy²)
        clusterings, sils = {}, {}
        if warm:
            prev_groups = getattr(self, "_group_clusterings", {})
        elif self.group_init is not None and len(self.group_init):
            gi = np.asarray(self.group_init, dtype=np.float64)
            prev_groups = {len(gi): gi}
            self._k_state = {"last_k": len(gi), "count": self.k_smoothing, "smoothed_k": len(gi)}
        else:
            prev_groups = {}
        k_range = range(2, max_k + 1) if not self.n_groups else [min(self.n_groups, max(nb, 1))]
        fresh: dict = {}
        if polis_init and nb >= 2:
            # Pol.is's kmeans: first k distinct base clusters, and its group step passes :cluster-iters, a
            # key kmeans ignores, so the default of 20 iterations (21 steps) applies.
            distinct = bc[cluster._distinct_index(bc)]
            for k in k_range:
                if prev_groups.get(k) is None:
                    fresh[k] = cluster.lloyd(bc, distinct[:k], weights, max_iter=cluster.POLIS_GROUP_STEPS)
        for k in k_range:
            if nb < 2:
                break
            if k in fresh:
                centers, glab = fresh[k]
            else:
                centers, glab = cluster.best_kmeans(
                    bc,
                    k,
                    weights,
                    n_init=self.group_n_init,
                    random_state=self.random_state,
                    warm=prev_groups.get(k),
                )
            if len(centers) < k and k != k_range[0]:
                # Lloyd emptied a cluster: this "k" is a copy of a smaller clustering with the same
                # silhouette. Pol.is would let it win the tie and show k groups after the next update.
                continue
            clusterings[k] = (centers, glab)
            sils[k] = cluster.silhouette(dist, glab)
        self._group_clusterings = {k: c for k, (c, _) in clusterings.items()}
        if sils:
            best = max(sils.values())
            this_k = max(k for k, s in sils.items() if s == best)
            chosen_k = self._smooth_k(this_k, warm or self._k_state is not None)
            if chosen_k not in clusterings:
                chosen_k = this_k
            centers, glab = clusterings[chosen_k]
        else:
            centers, glab = bc[:1].copy() if nb else np.zeros((0, 2)), np.zeros(nb, dtype=np.int64)
            chosen_k, best = (1 if nb else 0), 0.0
        centers, glab = self._order_groups(centers, glab, weights, warm)
        labels = np.full(n, -1, dtype=np.int64)
        labels[ic] = glab[blab] if nb else -1
        n_groups = len(centers)
        self._log(f"clustering done in {time.perf_counter() - t:.2f}s: {nb} base clusters, {n_groups} groups")

        # --- statistics.
        t = time.perf_counter()
        tids = list(vm.statements)
        na, nd, ns = stats.group_counts(csr, labels, n_groups, entry_rows)
        st = stats.repness_stats(na, nd, ns)
        rep = stats.select_rep_comments(st, tids, mod_out, pick_max=self.pick_max, z=self.z_crit)
        cons = stats.consensus(csr, tids, mod_out, pick_max=self.pick_max, z=self.z_crit)
        gac = stats.group_informed_consensus(na, ns) if n_groups else np.zeros(d)
        extremity = pca.comment_extremity(mu, comps, n_cmts)
        prio = stats.priority(na.sum(0), nd.sum(0), ns.sum(0), extremity, meta)
        self._log(f"statistics done in {time.perf_counter() - t:.2f}s")

        # --- learned attributes.
        self.mean_ = mu
        self.components_ = comps
        self.explained_variance_ = evals
        self.projection_array_ = proj
        self.labels_ = labels
        self.in_conversation_mask_ = inside.copy()
        self.base_centers_ = bc
        self.base_labels_ = blab
        self.base_member_rows_ = ic
        self.base_weights_ = weights
        self.group_centers_ = centers
        self.base_group_labels_ = glab
        self.n_groups_ = n_groups
        self.silhouettes_ = sils
        self.group_votes_ = {"A": na, "D": nd, "S": ns}
        self.repness_stats_ = st
        self.comment_extremity_ = extremity
        self.comment_projection_ = pca.comment_projection(mu, comps, n_cmts)
        self.statement_mask_mod_out_ = mod_out
        self.statement_is_meta_ = meta
        self.n_cmts_ = n_cmts
        pkeys = vm.participants
        self.participants_ = pkeys
        self.statements_ = tids
        self.in_conversation_ = [pkeys[i] for i in ic.tolist()]
        self._lazy = {}  # projections_ / groups_ dicts are built on first access (1M entries cost ~1 s)
        self.repness_ = {g: rep[g] for g in range(n_groups)}
        self.consensus_ = cons
        self.group_informed_consensus_ = dict(zip(tids, gac.tolist(), strict=True)) if n_groups else {}
        self.priority_ = dict(zip(tids, prio.tolist(), strict=True))

    @property
    def projections_(self) -> dict:
        """{participant: (x, y)} for every participant (clustered or not), like Pol.is."""
        if "projections" not in self._lazy:
            p, keys = self.projection_array_, self.participants_
            self._lazy["projections"] = dict(zip(keys, map(tuple, p.tolist()), strict=True))
        return self._lazy["projections"]

    @property
    def groups_(self) -> dict:
        """{participant: group index, or None when not on the map}."""
        if "groups" not in self._lazy:
            labels = self.labels_.tolist()
            self._lazy["groups"] = {
                k: (g if g >= 0 else None) for k, g in zip(self.participants_, labels, strict=True)
            }
        return self._lazy["groups"]

    def _smooth_k(self, this_k: int, warm: bool) -> int:
        """Pol.is's k-smoother: switch group count only after it won ``k_smoothing`` times in a row."""
        state = self._k_state if warm and self._k_state else None
        if state is None:
            self._k_state = {"last_k": this_k, "count": 1, "smoothed_k": this_k}
            return this_k
        count = state["count"] + 1 if state["last_k"] == this_k else 1
        smoothed = this_k if count >= self.k_smoothing else state["smoothed_k"]
        self._k_state = {"last_k": this_k, "count": count, "smoothed_k": smoothed}
        return smoothed

    def _order_groups(self, centers, glab, weights, warm):
        """Stable group numbering: biggest group first on a fresh fit; matched to the last map on update."""
        k = len(centers)
        if k == 0:
            return centers, glab
        sizes = np.bincount(glab, weights=weights, minlength=k)
        prev = getattr(self, "group_centers_", None) if warm else None
        by_size = np.lexsort((centers[:, 1], centers[:, 0], -sizes))
        if prev is not None and len(prev):
            cost = ((centers[:, None, :] - prev[None, :, :]) ** 2).sum(-1)
            r, c = _match(cost)
            matched = r[np.argsort(c, kind="stable")].tolist()
            order = np.asarray(matched + [i for i in by_size.tolist() if i not in set(matched)])
        else:
            order = by_size
        rank = np.empty(k, dtype=np.int64)
        rank[order] = np.arange(k)
        return centers[order], rank[glab]

    # ------------------------------------------------------------------ output

    def group_sizes(self) -> list[int]:
        return np.bincount(self.labels_[self.labels_ >= 0], minlength=self.n_groups_).astype(int).tolist()

    def to_dict(self) -> dict:
        """A JSON-able summary (keys are strings, like Pol.is's math output)."""
        on_map = self.labels_ >= 0
        keys = self.participants_
        return {
            "n-participants": len(self.participants_),
            "n-statements": len(self.statements_),
            "n-votes": self.matrix_.nnz,
            "in-conv": [str(p) for p in self.in_conversation_],
            "groups": {str(keys[i]): int(self.labels_[i]) for i in np.flatnonzero(on_map)},
            "group-sizes": self.group_sizes(),
            "group-centers": self.group_centers_.tolist(),
            "projections": {
                str(keys[i]): self.projection_array_[i].tolist()
                for i in np.flatnonzero(self.in_conversation_mask_)
            },
            "repness": {str(g): _jsonable(r) for g, r in self.repness_.items()},
            "consensus": _jsonable(self.consensus_),
            "group-aware-consensus": {str(t): v for t, v in self.group_informed_consensus_.items()},
            "comment-priorities": {str(t): v for t, v in self.priority_.items()},
            "pca": {
                "center": self.mean_.tolist(),
                "comps": self.components_.tolist(),
                "comment-extremity": self.comment_extremity_.tolist(),
            },
        }


def _match(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum-cost matching of rows to columns (few groups: exhaustive; else greedy)."""
    from itertools import permutations

    k, m = cost.shape
    if max(k, m) <= 7:
        if k <= m:
            best = min(permutations(range(m), k), key=lambda p: sum(cost[i, p[i]] for i in range(k)))
            return np.arange(k), np.asarray(best)
        best = min(permutations(range(k), m), key=lambda p: sum(cost[p[j], j] for j in range(m)))
        return np.asarray(best), np.arange(m)
    rows, cols, used_r, used_c = [], [], set(), set()
    for flat in np.argsort(cost, axis=None, kind="stable"):
        i, j = divmod(int(flat), m)
        if i not in used_r and j not in used_c:
            rows.append(i)
            cols.append(j)
            used_r.add(i)
            used_c.add(j)
    return np.asarray(rows), np.asarray(cols)


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k) if not isinstance(k, str) else k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj
