"""The participants × statements vote matrix, kept sparse (CSR) from start to finish.

Votes are coded agree = +1, disagree = -1, pass = 0. A pass is a *stored* zero: the CSR pattern is the set
of (participant, statement) pairs that have a vote, and its data array holds the vote value. Nothing here
ever calls ``eliminate_zeros`` or builds the matrix through a path that sums duplicates, so a pass never
turns into "no vote". A participant's latest vote on a statement is the one that counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

AGREE, DISAGREE, PASS = 1, -1, 0


def _sort_key(key: Hashable) -> tuple:
    """Natural order for mixed keys: numbers by value first, then everything else by its text."""
    if isinstance(key, bool):
        return (1, str(key))
    if isinstance(key, int | float | np.integer | np.floating):
        return (0, float(key), "")
    return (1, str(key))


def _index_keys(keys: np.ndarray | Sequence, known: Sequence | None) -> tuple[list, np.ndarray]:
    """Map keys to dense indices. Known keys keep their index; new keys are sorted and appended."""
    arr = np.asarray(keys)
    if arr.dtype.kind in "iu" and (known is None or len(known) == 0):
        uniq, inv = np.unique(arr, return_inverse=True)
        return [k.item() for k in uniq], inv.astype(np.int64)
    mapping: dict = {k: i for i, k in enumerate(known or [])}
    out_keys = list(known or [])
    seq = arr.tolist() if isinstance(arr, np.ndarray) else list(keys)
    new = sorted({k for k in seq if k not in mapping}, key=_sort_key)
    for k in new:
        mapping[k] = len(out_keys)
        out_keys.append(k)
    inv = np.fromiter((mapping[k] for k in seq), dtype=np.int64, count=len(seq))
    return out_keys, inv


def build_csr(
    rows: np.ndarray,
    cols: np.ndarray,
    values: np.ndarray,
    shape: tuple[int, int],
    timestamps: np.ndarray | None = None,
) -> tuple[sp.csr_matrix, np.ndarray | None]:
    """Build a canonical CSR vote matrix, keeping only the latest vote per (row, column).

    "Latest" is the largest timestamp; without timestamps, the later position in the input. Returns the
    matrix (float64 data, explicit zeros for passes, sorted column indices, no duplicates) and, when
    timestamps are given, the *earliest* timestamp of each stored entry (when that pair was first voted),
    aligned with the matrix's data array.
    """
    n = len(rows)
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    values = np.asarray(values)
    if timestamps is not None:
        timestamps = np.asarray(timestamps, dtype=np.float64)
        if n and np.any(timestamps[1:] < timestamps[:-1]):
            tord = np.argsort(timestamps, kind="stable")
            rows, cols, values, timestamps = rows[tord], cols[tord], values[tord], timestamps[tord]
    # Position in time order: a larger position is a later vote.
    key = rows * max(shape[1], 1) + cols
    if n and np.all(key[1:] > key[:-1]):
        order = np.arange(n)
    else:
        order = np.argsort(key, kind="stable")
    skey = key[order]
    # Keep the last entry of every run of equal keys (stable sort -> last = latest).
    last = np.ones(n, dtype=bool)
    if n:
        last[:-1] = skey[1:] != skey[:-1]
    keep = order[last]
    first_ts = None
    if timestamps is not None:
        first = np.ones(n, dtype=bool)
        if n:
            first[1:] = skey[1:] != skey[:-1]
        first_ts = timestamps[order[first]]
    r = rows[keep]
    indptr = np.zeros(shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=shape[0]), out=indptr[1:])
    idx_dtype = np.int32 if max(shape[1], len(keep)) < 2**31 - 1 else np.int64
    mat = sp.csr_matrix(
        (values[keep].astype(np.float64), cols[keep].astype(idx_dtype), indptr.astype(idx_dtype)),
        shape=shape,
    )
    mat.has_sorted_indices = True
    return mat, first_ts


@dataclass
class VoteMatrix:
    """Sparse vote matrix plus the participant and statement keys of its rows and columns.

    ``csr`` has shape (len(participants), len(statements)); its data holds +1/-1/0 votes.
    ``first_voted`` (optional) holds, per stored entry, when the pair was first voted (for the
    once-in-stays-in replay of who is "in the conversation").
    """

    csr: sp.csr_matrix
    participants: list
    statements: list
    first_voted: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.csr.shape

    @property
    def nnz(self) -> int:
        return int(self.csr.nnz)

    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.csr.indptr).astype(np.int64)

    def votes_per_statement(self) -> np.ndarray:
        return np.bincount(self.csr.indices, minlength=self.shape[1]).astype(np.int64)

    def participant_index(self) -> dict:
        return {k: i for i, k in enumerate(self.participants)}

    def statement_index(self) -> dict:
        return {k: i for i, k in enumerate(self.statements)}

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_arrays(
        cls,
        participant_keys: np.ndarray | Sequence,
        statement_keys: np.ndarray | Sequence,
        values: np.ndarray | Sequence,
        timestamps: np.ndarray | Sequence | None = None,
        *,
        participants: Sequence | None = None,
        statements: Sequence | None = None,
    ) -> VoteMatrix:
        """Vectorised constructor: parallel arrays of participant key, statement key, vote, [time].

        ``participants`` / ``statements`` optionally fix the row / column order (and may list keys with
        no votes); keys not listed there are sorted and appended.
        """
        pkeys, rows = _index_keys(participant_keys, list(participants) if participants is not None else None)
        skeys, cols = _index_keys(statement_keys, list(statements) if statements is not None else None)
        vals = np.sign(np.asarray(values, dtype=np.float64))
        ts = None if timestamps is None else np.asarray(timestamps, dtype=np.float64)
        csr, first = build_csr(rows, cols, vals, (len(pkeys), len(skeys)), ts)
        return cls(csr, pkeys, skeys, first)

    @classmethod
    def from_votes(
        cls,
        votes: Iterable[Sequence],
        *,
        participants: Sequence | None = None,
        statements: Sequence | None = None,
    ) -> VoteMatrix:
        """From an iterable of (participant_key, statement_key, value) or (..., value, timestamp)."""
        p, s, v, t = [], [], [], []
        has_ts = None
        for vote in votes:
            p.append(vote[0])
            s.append(vote[1])
            v.append(vote[2])
            this_ts = len(vote) > 3 and vote[3] is not None
            if has_ts is None:
                has_ts = this_ts
            if has_ts:
                t.append(_timestamp(vote[3]) if this_ts else np.nan)
        ts = np.asarray(t, dtype=np.float64) if has_ts else None
        if ts is not None and np.isnan(ts).any():
            raise ValueError("either every vote has a timestamp or none has")
        return cls.from_arrays(
            _key_array(p),
            _key_array(s),
            np.asarray(v, dtype=np.float64),
            ts,
            participants=participants,
            statements=statements,
        )

    def update(self, votes: Iterable[Sequence] | VoteMatrix) -> tuple[VoteMatrix, np.ndarray, np.ndarray]:
        """A new matrix with ``votes`` applied (latest wins; new participants/statements appended).

        Returns (matrix, rows, cols) where rows/cols are the indices of the (deduplicated) new votes in
        the returned matrix, in the order they were first voted -- used by the in-conversation replay.
        """
        if isinstance(votes, VoteMatrix):
            new = votes
        else:
            new = VoteMatrix.from_votes(votes)
        pkeys, prow = _index_keys(np.asarray(new.participants, dtype=object), self.participants)
        skeys, scol = _index_keys(np.asarray(new.statements, dtype=object), self.statements)
        coo = new.csr.tocoo()
        nr, nc = prow[coo.row], scol[coo.col]
        shape = (len(pkeys), len(skeys))
        old = self.csr
        old_rows = np.repeat(np.arange(old.shape[0], dtype=np.int64), np.diff(old.indptr))
        old_cols = old.indices.astype(np.int64)
        width = max(shape[1], 1)
        old_key = old_rows * width + old_cols
        new_key = nr * width + nc
        rows = np.concatenate([old_rows, nr])
        cols = np.concatenate([old_cols, nc])
        vals = np.concatenate([old.data, coo.data])
        csr, _ = build_csr(rows, cols, vals, shape)
        first = None
        if self.first_voted is not None:
            # Keep the first-voted time of old entries; new pairs get the new vote's earliest time.
            new_first = new.first_voted if new.first_voted is not None else np.full(len(nr), np.inf)
            ft = np.concatenate([self.first_voted, new_first])
            key_all = np.concatenate([old_key, new_key])
            order = np.argsort(key_all, kind="stable")
            sk = key_all[order]
            firsts = np.ones(len(sk), dtype=bool)
            firsts[1:] = sk[1:] != sk[:-1]
            first = ft[order[firsts]]
        fresh = ~np.isin(new_key, old_key)
        if new.first_voted is not None:
            fo = np.argsort(new.first_voted[fresh], kind="stable")
        else:
            fo = np.arange(int(fresh.sum()))
        return VoteMatrix(csr, pkeys, skeys, first), nr[fresh][fo], nc[fresh][fo]


def _timestamp(value) -> float:
    if hasattr(value, "timestamp"):
        return float(value.timestamp()) * 1000.0
    return float(value)


def _key_array(keys: list) -> np.ndarray:
    if keys and all(isinstance(k, int | np.integer) and not isinstance(k, bool) for k in keys):
        return np.asarray(keys, dtype=np.int64)
    arr = np.empty(len(keys), dtype=object)
    arr[:] = keys
    return arr
