"""Read and write Pol.is data: openData CSV exports and the math-pca2.json reference fixtures.

openData folder: ``comments.csv`` (comment-id, author-id, moderated, comment-body, ...), ``votes.csv``
(timestamp, comment-id, voter-id, vote with 1 = agree, -1 = disagree, 0 = pass) and
``participants-votes.csv`` (one row per participant, Pol.is's ``group-id``, then one column per statement
id). Large exports sometimes lack votes.csv; the vote matrix is then read from participants-votes.csv.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..export import SafeWriter, unescape_cell
from .matrix import VoteMatrix

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_PV_META = {"participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}


class PolisExportError(ValueError):
    """The folder is not a readable Pol.is export."""


@dataclass
class PolisConversation:
    """A conversation loaded from Pol.is data."""

    votes: VoteMatrix
    comments: dict = field(default_factory=dict)  # statement id -> text
    mod_out: list = field(default_factory=list)
    meta: list = field(default_factory=list)
    polis_groups: dict = field(default_factory=dict)  # participant id -> Pol.is group-id or None
    xids: dict = field(default_factory=dict)
    name: str = ""
    math: dict | None = None  # math-pca2.json, for reference fixtures


def _int_or_str(value: str):
    value = value.strip()
    try:
        return int(value)
    except ValueError:
        try:
            f = float(value)
            return int(f) if f.is_integer() else value
        except ValueError:
            return value


def _read_comments(path: Path) -> tuple[dict, list]:
    comments, mod_out = {}, []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "comment-id" not in reader.fieldnames:
            raise PolisExportError(f"{path} has no 'comment-id' column; is this a Pol.is comments.csv?")
        for row in reader:
            tid = _int_or_str(row["comment-id"])
            # our own exports are formula-safe (see core/export.py); read them back exactly
            comments[tid] = unescape_cell(row.get("comment-body", "") or "")
            if (row.get("moderated") or "").strip() == "-1":
                mod_out.append(tid)
    return dict(sorted(comments.items(), key=lambda kv: (isinstance(kv[0], str), kv[0]))), mod_out


def _read_votes_csv(path: Path, progress: Callable[[str], None] | None) -> VoteMatrix:
    pids, tids, vals, ts = [], [], [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or not {"comment-id", "voter-id", "vote"} <= set(header):
            raise PolisExportError(f"{path} lacks the columns comment-id, voter-id and vote")
        ic, iv, ivote = header.index("comment-id"), header.index("voter-id"), header.index("vote")
        it = header.index("timestamp") if "timestamp" in header else None
        for n, row in enumerate(reader, 1):
            if not row:
                continue
            tids.append(_int_or_str(row[ic]))
            pids.append(_int_or_str(row[iv]))
            vals.append(float(row[ivote]))
            if it is not None:
                ts.append(float(row[it]) if row[it] else 0.0)
            if progress and n % 1_000_000 == 0:
                progress(f"read {n:,} votes")
    return VoteMatrix.from_arrays(
        _arr(pids), _arr(tids), np.asarray(vals), np.asarray(ts) if it is not None else None
    )


def _arr(keys: list) -> np.ndarray:
    if all(isinstance(k, int) for k in keys):
        return np.asarray(keys, dtype=np.int64)
    out = np.empty(len(keys), dtype=object)
    out[:] = keys
    return out


def _read_participants_votes(
    path: Path, want_matrix: bool, progress: Callable[[str], None] | None
) -> tuple[dict, dict, VoteMatrix | None]:
    groups, xids = {}, {}
    pids, tids, vals = [], [], []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header or "participant" not in header:
            raise PolisExportError(f"{path} has no 'participant' column")
        ip = header.index("participant")
        ig = header.index("group-id") if "group-id" in header else None
        ix = header.index("xid") if "xid" in header else None
        stmt_cols = [(i, _int_or_str(h)) for i, h in enumerate(header) if h not in _PV_META]
        for n, row in enumerate(reader, 1):
            if not row:
                continue
            pid = _int_or_str(row[ip])
            g = row[ig].strip() if ig is not None and ig < len(row) else ""
            groups[pid] = int(g) if g else None
            if ix is not None and row[ix]:
                xids[pid] = row[ix]
            if want_matrix:
                for i, tid in stmt_cols:
                    if i < len(row) and row[i] != "":
                        pids.append(pid)
                        tids.append(tid)
                        vals.append(float(row[i]))
            if progress and n % 100_000 == 0:
                progress(f"read {n:,} participant rows")
    vm = None
    if want_matrix:
        # Keep participants without any vote out; they cannot be placed on the map.
        vm = VoteMatrix.from_arrays(_arr(pids), _arr(tids), np.asarray(vals))
    return groups, xids, vm


def load_polis_export(
    directory: str | Path, progress: Callable[[str], None] | None = None
) -> PolisConversation:
    """Load a Pol.is openData export folder (comments.csv plus votes.csv or participants-votes.csv)."""
    d = Path(directory)
    if not d.is_dir():
        raise PolisExportError(f"{d} is not a directory")
    comments_path, votes_path, pv_path = d / "comments.csv", d / "votes.csv", d / "participants-votes.csv"
    if not votes_path.exists() and not pv_path.exists():
        raise PolisExportError(
            f"{d} holds neither votes.csv nor participants-votes.csv; a Pol.is openData export folder "
            "needs one of them (plus comments.csv for statement texts)"
        )
    comments, mod_out = _read_comments(comments_path) if comments_path.exists() else ({}, [])
    if votes_path.exists():
        if progress:
            progress(f"reading {votes_path}")
        vm: VoteMatrix | None = _read_votes_csv(votes_path, progress)
        groups: dict = {}
        xids: dict = {}
        if pv_path.exists():
            groups, xids, _ = _read_participants_votes(pv_path, False, progress)
    else:
        if progress:
            progress(f"no votes.csv; reading the vote matrix from {pv_path}")
        groups, xids, vm = _read_participants_votes(pv_path, True, progress)
    assert vm is not None
    return PolisConversation(
        votes=vm, comments=comments, mod_out=mod_out, polis_groups=groups, xids=xids, name=d.name
    )


def _get(obj: dict, *names):
    for n in names:
        if n in obj:
            return obj[n]
    raise KeyError(names[0])


def load_polis_reference(directory: str | Path) -> PolisConversation:
    """Load a red-dwarf / Pol.is API fixture: votes.json, comments.json and math-pca2.json."""
    d = Path(directory)
    for name in ("votes.json", "comments.json"):
        if not (d / name).exists():
            raise PolisExportError(f"{d} lacks {name}")
    votes = json.loads((d / "votes.json").read_text())
    pids = np.asarray([_get(v, "participant_id", "pid") for v in votes], dtype=np.int64)
    tids = np.asarray([_get(v, "statement_id", "tid") for v in votes], dtype=np.int64)
    vals = np.asarray([float(v["vote"]) for v in votes])
    ts = np.asarray([float(v["modified"]) for v in votes])
    vm = VoteMatrix.from_arrays(pids, tids, vals, ts)
    comments, mod_out, meta = {}, [], []
    for c in json.loads((d / "comments.json").read_text()):
        tid = int(_get(c, "statement_id", "tid"))
        comments[tid] = c.get("txt", "")
        if c.get("is_meta"):
            meta.append(tid)
        if c.get("is_meta") or _get(c, "moderated", "mod") == -1:
            mod_out.append(tid)
    math = json.loads((d / "math-pca2.json").read_text()) if (d / "math-pca2.json").exists() else None
    return PolisConversation(
        votes=vm,
        comments=dict(sorted(comments.items())),
        mod_out=sorted(mod_out),
        meta=sorted(meta),
        name=d.name,
        math=math,
    )


def polis_reference_groups(math: dict) -> dict:
    """{participant id: Pol.is group id} from a math-pca2.json (group -> base clusters -> members)."""
    base = math["base-clusters"]
    members = dict(zip(base["id"], base["members"], strict=True))
    out = {}
    for g in math["group-clusters"]:
        for bid in g["members"]:
            for pid in members[bid]:
                out[pid] = g["id"]
    return out


def _fmt_time(ms: float | None) -> tuple[str, str]:
    if ms is None or not np.isfinite(ms):
        return "", ""
    dt = datetime.fromtimestamp(ms / 1000.0, tz=UTC)
    return str(int(ms)), dt.strftime("%a %b %d %H:%M:%S UTC %Y")


def write_polis_export(
    directory: str | Path,
    model,
    comments: dict | None = None,
    mod_out: list | None = None,
    authors: dict | None = None,
) -> list[Path]:
    """Write comments.csv, votes.csv and participants-votes.csv (with our group-id) for a fitted map."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    vm = model.matrix_
    csr = vm.csr
    n, m = csr.shape
    tids = vm.statements
    pkeys = vm.participants
    comments = comments or {}
    mod = set(mod_out if mod_out is not None else model.mod_out)
    authors = authors or {}
    rows = np.repeat(np.arange(n), np.diff(csr.indptr))
    agrees = np.bincount(csr.indices, weights=(csr.data > 0), minlength=m).astype(int)
    disagrees = np.bincount(csr.indices, weights=(csr.data < 0), minlength=m).astype(int)
    written = []

    path = d / "comments.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        all_tids = list(tids) + [t for t in comments if t not in set(tids)]
        index = vm.statement_index()
        for t in all_tids:
            j = index.get(t)
            w.writerow(
                [
                    "",
                    "",
                    t,
                    authors.get(t, ""),
                    agrees[j] if j is not None else 0,
                    disagrees[j] if j is not None else 0,
                    -1 if t in mod else 1,
                    comments.get(t, ""),
                ]
            )
    written.append(path)

    path = d / "votes.csv"
    first = vm.first_voted
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for k in range(csr.nnz):
            ts, dt = _fmt_time(first[k] if first is not None else None)
            w.writerow([ts, dt, tids[csr.indices[k]], pkeys[rows[k]], int(csr.data[k])])
    written.append(path)

    path = d / "participants-votes.csv"
    groups = model.labels_
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = SafeWriter(fh)
        w.writerow(["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *tids])
        for i in range(n):
            lo, hi = csr.indptr[i], csr.indptr[i + 1]
            cells = [""] * m
            for j, v in zip(csr.indices[lo:hi], csr.data[lo:hi], strict=True):
                cells[j] = str(int(v))
            vals = csr.data[lo:hi]
            g = "" if groups[i] < 0 else int(groups[i])
            n_comments = sum(1 for t in tids if authors.get(t) == pkeys[i])
            w.writerow(
                [pkeys[i], g, n_comments, hi - lo, int((vals > 0).sum()), int((vals < 0).sum()), *cells]
            )
    written.append(path)
    return written


def polis_reference_centers(math: dict, components: np.ndarray, statements: list) -> tuple:
    """Pol.is's base-cluster and group centres from a math-pca2.json, in the coordinates of a map.

    Pol.is codes agree as -1 internally and its power iteration picks an arbitrary sign per axis, so each
    axis is flipped where needed to line up with ``components`` (our agree = +1 axes).
    """
    index = {t: i for i, t in enumerate(statements)}
    cols = [index[t] for t in math["tids"]]
    ref = np.asarray(math["pca"]["comps"], dtype=np.float64)
    signs = np.array([-np.sign(ref[c] @ components[c, cols]) or 1.0 for c in range(2)])
    base = math["base-clusters"]
    base_centers = np.column_stack([base["x"], base["y"]]) * signs
    group_centers = np.asarray([g["center"] for g in math["group-clusters"]], dtype=np.float64) * signs
    return base_centers, group_centers
