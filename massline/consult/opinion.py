"""The one place where the consult app meets the opinion-map math (``massline.core.opinion``).

Everything the pages and tasks need goes through ``compute_map`` and ``priorities``; they turn the
estimator's output into a plain JSON document (the ``OpinionSnapshot.data`` format, below) so that
templates never see the math library's internals. Until a first map exists, the voting page falls back
to "fewest votes first".

Snapshot format::

    {"engine": str, "n_participants": int, "n_in_conversation": int, "n_votes": int, "n_statements": int,
     "groups": [{"id": 0, "label": "A", "size": int, "center": [x, y],
                 "repness": [{"tid": int, "repful_for": "agree"|"disagree", "n_success": int, "n_trials": int,
                              "p_success": float}]}],
     "points": [[x, y, group_id_or_-1, participant_id], ...],     # participants on the map
     "consensus": {"agree": [{"tid", "n_success", "n_trials", "p_success"}], "disagree": [...]},
     "group_informed_consensus": {tid: float}, "group_votes": {tid: [[agree, votes] of group 0, ...]},
     "priority": {tid: float}}
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence

import numpy as np

from massline.core.opinion import OpinionMap, VoteMatrix, stats

ENGINE = "massline.core.opinion"
GROUP_LABELS = string.ascii_uppercase


def _new_statement_priority() -> float:
    """Pol.is's priority for a statement nobody has seen yet (its formula with all counts at zero)."""
    z = np.zeros(1)
    return float(stats.priority(z, z, z, z, np.zeros(1, dtype=bool))[0])


NEW_STATEMENT_PRIORITY = _new_statement_priority()


def _stat(row: dict) -> dict:
    return {
        "tid": row["tid"],
        "repful_for": row.get("repful-for", "agree"),
        "n_success": row["n-success"],
        "n_trials": row["n-trials"],
        "p_success": row["p-success"],
    }


def _empty(n_participants: int, n_votes: int, n_statements: int) -> dict:
    return {
        "engine": ENGINE,
        "n_participants": n_participants,
        "n_in_conversation": 0,
        "n_votes": n_votes,
        "n_statements": n_statements,
        "groups": [],
        "points": [],
        "consensus": {"agree": [], "disagree": []},
        "group_informed_consensus": {},
        "group_votes": {},
        "priority": {},
    }


def as_matrix(votes: Sequence[tuple] | VoteMatrix) -> VoteMatrix:
    """Votes as the core's sparse matrix: rows of (participant_id, statement_id, value, first_voted_at)."""
    return votes if isinstance(votes, VoteMatrix) else VoteMatrix.from_votes(list(votes))


def fit_map(votes: Sequence[tuple] | VoteMatrix, mod_out: Iterable[int] = ()) -> OpinionMap | None:
    """Fit from scratch on the votes (rows of (participant_id, statement_id, value, first_voted_at), or a
    ``VoteMatrix``). ``mod_out``: statement ids moderated out (rejected); they stay out of the map and its
    lists. None when there are too few participants or statements for a map (PCA needs two of each).
    """
    vm = as_matrix(votes)
    if vm.shape[0] < 2 or vm.shape[1] < 2:
        return None
    return OpinionMap(mod_out=set(mod_out)).fit(vm)


def update_map(
    om: OpinionMap, new_votes: Sequence[tuple] | VoteMatrix, mod_out: Iterable[int] = ()
) -> OpinionMap:
    """Warm-started update (Pol.is's incremental recompute): apply new or changed votes, latest wins."""
    mod_out = set(mod_out)
    if mod_out != set(om.mod_out):
        om.set_moderation(mod_out=mod_out)
    vm = as_matrix(new_votes)
    if vm.nnz:
        om.update(vm)
    return om


def summarise(om: OpinionMap | None, votes: Sequence[tuple] | VoteMatrix = ()) -> dict:
    """The snapshot document of a fitted map (or of the votes alone when there is no map yet)."""
    if om is None:
        vm = as_matrix(votes)
        return _empty(vm.shape[0], int(vm.nnz), vm.shape[1])
    n, d = om.matrix_.shape
    sizes = om.group_sizes()
    groups = [
        {
            "id": g,
            "label": GROUP_LABELS[g % len(GROUP_LABELS)],
            "size": sizes[g],
            "center": [float(x) for x in om.group_centers_[g]],
            "repness": [_stat(r) for r in om.repness_.get(g, [])],
        }
        for g in range(om.n_groups_)
    ]
    points = []
    for p in om.in_conversation_:
        x, y = om.projections_[p]
        g = om.groups_.get(p)
        points.append([x, y, -1 if g is None else g, p])
    return {
        **_empty(n, int(om.matrix_.nnz), d),
        "n_in_conversation": len(om.in_conversation_),
        "groups": groups,
        "points": points,
        "consensus": {side: [_stat(r) for r in rows] for side, rows in om.consensus_.items()},
        "group_informed_consensus": {str(t): v for t, v in om.group_informed_consensus_.items()},
        "group_votes": _group_votes(om),
        "priority": {str(t): v for t, v in om.priority_.items()},
    }


def compute_map(votes: Sequence[tuple], mod_out: Iterable[int] = ()) -> dict:
    """Fit from scratch and summarise: the snapshot document of ``votes``."""
    return summarise(fit_map(votes, mod_out), votes)


def _group_votes(om) -> dict[str, list[list[int]]]:
    """Per statement, each group's [agree votes, votes] (from the map's own group counts)."""
    na, ns = om.group_votes_["A"], om.group_votes_["S"]
    return {
        str(t): [[int(na[g, j]), int(ns[g, j])] for g in range(na.shape[0])]
        for j, t in enumerate(om.statements_)
    }


def priorities(snapshot: dict | None, statement_ids: Iterable[int]) -> dict[int, float] | None:
    """Pol.is priorities for ``statement_ids``; statements newer than the map get the "unseen" priority.

    ``None`` when there is no map to read them from (the caller then shows the least-voted first).
    """
    known = (snapshot or {}).get("priority") or {}
    if not known:
        return None
    return {sid: float(known.get(str(sid), NEW_STATEMENT_PRIORITY)) for sid in statement_ids}
