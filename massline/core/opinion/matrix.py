"""The participants × statements vote matrix, kept sparse (CSR) from start to finish.

Votes are coded agree = +1, disagree = -1, pass = 0. A pass is a *stored* zero: the CSR pattern is the set
of (participant, statement) pairs that have a vote, and its data array holds the vote value. Nothing here
ever calls ``eliminate_zeros`` or builds the matrix through a path that sums duplicates, so a pass never
turns into "no vote". A participant's latest vote on a statement is the one that counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

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
        if len(arr) == 0:
            return [], np.zeros(0, dtype=np.int64)
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo <= 4 * len(arr) + 1024:
            # Dense integer ids (the usual database case): O(n) instead of a sort.
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[arr - lo] = True
            uniq = np.flatnonzero(present) + lo
            rank = np.cumsum(present) - 1
            idx_dtype = np.int32 if len(uniq) < 2**31 else np.int64
            return uniq.tolist(), rank[arr - lo].astype(idx_dtype)
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


def _bucket(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], grouped: bool, idx_dtype
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bucket entries by row, keeping input order within a row, then sort each row's columns (stable).

    Returns (pos, indices, indptr, same): pos = input position of each entry; same[i] is True when entry
    i + 1 repeats entry i's (row, column)."""
    n = len(rows)
    n_rows = shape[0]
    if grouped:
        # Already grouped by row (e.g. exported per participant): no bucketing pass needed.
        indptr0 = np.zeros(n_rows + 1, dtype=idx_dtype)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr0[1:])
        csr = sp.csr_matrix((np.arange(n, dtype=np.int64), cols, indptr0), shape=shape)
    else:
        coo = sp.coo_matrix((np.arange(n, dtype=np.int64), (rows, cols)), shape=shape)
        coo.has_canonical_format = True  # we deduplicate ourselves below: never sum duplicates
        csr = coo.tocsr()
        del coo
    csr.has_sorted_indices = False
    csr.sort_indices()
    pos = csr.data
    ind = csr.indices
    indptr = csr.indptr
    if n > 1:
        same = ind[1:] == ind[:-1]
        row_start = np.zeros(n, dtype=bool)
        row_start[indptr[:-1][indptr[:-1] < n]] = True
        same &= ~row_start[1:]
    else:
        same = np.zeros(0, dtype=bool)
    return pos, ind, indptr, same


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
    aligned with the matrix's data array. Cost: O(nnz) bucketing by row plus small per-row sorts.
    """
    n = len(rows)
    n_rows, n_cols = shape
    idx_dtype = np.int32 if max(n_rows, n_cols, n) < 2**31 - 1 else np.int64
    rows = np.asarray(rows).astype(idx_dtype, copy=False)
    cols = np.asarray(cols).astype(idx_dtype, copy=False)
    values = np.asarray(values)
    tord = None
    grouped = bool(n) and bool(np.all(rows[1:] >= rows[:-1]))
    unsorted_time = False
    if timestamps is not None:
        timestamps = np.asarray(timestamps, dtype=np.float64)
        unsorted_time = bool(n) and bool(np.any(timestamps[1:] < timestamps[:-1]))
    bucketed = None
    if not unsorted_time or grouped:
        bucketed = _bucket(rows, cols, shape, grouped, idx_dtype)
        if unsorted_time and bucketed[3].any():
            bucketed = None  # duplicate votes, and their order must follow time: sort by time first
    if bucketed is None:
        assert timestamps is not None
        tord = np.argsort(timestamps, kind="stable")
        rows, cols = rows[tord], cols[tord]
        bucketed = _bucket(rows, cols, shape, False, idx_dtype)
    pos, ind, indptr, same = bucketed
    first_pos = pos
    if same.any():
        # Runs of duplicates: keep one entry per run with the latest vote and the earliest time. Only the
        # (usually few) entries involved in duplicates go through the per-run reductions.
        involved = np.zeros(n, dtype=bool)
        involved[:-1] |= same
        involved[1:] |= same
        inv_idx = np.flatnonzero(involved)
        sub_start = np.ones(len(inv_idx), dtype=bool)
        sub_start[1:] = ~same[inv_idx[1:] - 1]
        starts_sub = np.flatnonzero(sub_start)
        latest = np.maximum.reduceat(pos[inv_idx], starts_sub)
        earliest = np.minimum.reduceat(pos[inv_idx], starts_sub)
        removed = np.flatnonzero(same) + 1
        keep_mask = np.ones(n, dtype=bool)
        keep_mask[removed] = False
        keep = np.flatnonzero(keep_mask)
        kept_index = np.searchsorted(keep, inv_idx[starts_sub])
        new_pos = pos[keep]
        first_pos = new_pos.copy()
        new_pos[kept_index] = latest
        first_pos[kept_index] = earliest
        removed_rows = np.searchsorted(indptr, removed, side="right") - 1
        row_counts = np.diff(indptr) - np.bincount(removed_rows, minlength=n_rows)
        new_indptr = np.zeros(n_rows + 1, dtype=idx_dtype)
        np.cumsum(row_counts, out=new_indptr[1:])
        ind, pos, indptr = ind[keep], new_pos, new_indptr
    src = pos if tord is None else tord[pos]
    data = values[src].astype(np.float64)
    first_ts = None
    if timestamps is not None:
        first_ts = timestamps[first_pos if tord is None else tord[first_pos]]
    mat = sp.csr_matrix(
        (data, ind.astype(idx_dtype, copy=False), indptr.astype(idx_dtype, copy=False)), shape=shape
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
        vals = np.asarray(values)
        vals = np.sign(vals).astype(np.int8) if vals.dtype.kind in "iub" else np.sign(vals.astype(np.float64))
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
        votes = votes if isinstance(votes, list) else list(votes)
        fast = _numeric_records(votes)
        if fast is not None:
            return cls.from_arrays(*fast, participants=participants, statements=statements)
        if not votes:
            return cls.from_arrays(
                np.zeros(0, np.int64),
                np.zeros(0, np.int64),
                np.zeros(0),
                None,
                participants=participants,
                statements=statements,
            )
        widths = set(map(len, votes))
        if len(widths) != 1:
            widths = {min(widths)} if all(len(v) >= 3 for v in votes) else widths
            if min(widths) < 3:
                raise ValueError("each vote needs (participant, statement, value[, timestamp])")
            votes = [tuple(v[:3]) + ((v[3],) if len(v) > 3 else (None,)) for v in votes]
        columns = list(zip(*votes, strict=False))
        ts = None
        if len(columns) > 3:
            raw = columns[3]
            has = [t is not None for t in raw]
            if any(has):
                if not all(has):
                    raise ValueError("either every vote has a timestamp or none has")
                try:
                    ts = np.asarray(raw, dtype=np.float64)
                except (TypeError, ValueError):
                    ts = np.fromiter((_timestamp(t) for t in raw), dtype=np.float64, count=len(raw))
        return cls.from_arrays(
            _key_array(columns[0]),
            _key_array(columns[1]),
            np.asarray(columns[2], dtype=np.float64),
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
        fresh = ~_contains(np.sort(old_key), new_key)
        if new.first_voted is not None:
            fo = np.argsort(new.first_voted[fresh], kind="stable")
        else:
            fo = np.arange(int(fresh.sum()))
        return VoteMatrix(csr, pkeys, skeys, first), nr[fresh][fo], nc[fresh][fo]


def _numeric_records(votes: list) -> tuple | None:
    """Parse (int, int, number[, number]) tuples in one C pass; None when the records are anything else.

    What a database cursor or the csv reader of an export hands over. Keys must be integers (checked
    exactly); strings, None timestamps, datetimes, lists or mixed widths fall back to the general path.
    """
    if not votes:
        return None
    first = votes[0]
    if type(first) is not tuple or len(first) not in (3, 4) or type(first[0]) is not int:
        return None
    if type(first[1]) is not int:
        return None
    width = len(first)
    # One flat C pass over every field (faster than filling a record dtype); every record must then have
    # the same width, or the flat read would shift fields from one record into the next.
    if len(set(map(len, votes))) != 1:
        return None
    try:
        flat = np.fromiter(chain.from_iterable(votes), dtype=np.float64, count=width * len(votes))
    except (TypeError, ValueError):
        return None
    arr = flat.reshape(len(votes), width)
    keys = []
    for f in (0, 1):
        col = arr[:, f]
        if not (np.all(np.abs(col) < 2**53) and np.all(col == np.trunc(col))):
            return None
        keys.append(col.astype(np.int64))
    ts = arr[:, 3].copy() if width == 4 else None
    if ts is not None and not np.all(np.isfinite(ts)):
        return None
    return keys[0], keys[1], arr[:, 2].copy(), ts


def _contains(sorted_haystack: np.ndarray, needles: np.ndarray) -> np.ndarray:
    """Membership test against a sorted array (binary search; avoids hashing the big side)."""
    if len(sorted_haystack) == 0:
        return np.zeros(len(needles), dtype=bool)
    pos = np.searchsorted(sorted_haystack, needles)
    pos[pos == len(sorted_haystack)] = 0
    return sorted_haystack[pos] == needles


def _timestamp(value) -> float:
    if hasattr(value, "timestamp"):
        return float(value.timestamp()) * 1000.0
    return float(value)


def _key_array(keys: Sequence) -> np.ndarray:
    arr = np.asarray(keys)
    if arr.dtype.kind in "iu" and arr.ndim == 1:
        return arr.astype(np.int64, copy=False)
    if arr.dtype.kind == "U" and arr.ndim == 1:
        return arr.astype(object)
    out = np.empty(len(keys), dtype=object)
    out[:] = list(keys)
    return out
