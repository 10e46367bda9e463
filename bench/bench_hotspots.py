"""Hot issues (熱點問題) on the challenge's attachment3: do the known hot issues surface, without a catch-all?

    .venv/bin/python bench/bench_hotspots.py

There are no gold labels for hot issues. The challenge names two of its top hot issues: "A市A5区
魅力之城小区 油烟噪音扰民" and "A市经济学院 强制实习". This prints our top 10, the ranks of those two, the
size of the largest group, and the run time. Baseline in the same run: connected components of the
same similarity links (cosine ≥ 0.28 within the window), ranked by the same heat index, which is
what a plain "threshold the similarity graph" approach gives.
"""

from __future__ import annotations

import csv
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.core import hotspots  # noqa: E402
from massline.shared_data import shared_data_dir  # noqa: E402

KNOWN = {
    "魅力之城 油烟噪音": {"236798", "242792", "268914", "272122"},
    "经济学院 强制实习": {"233759", "360112"},
}


def load() -> list[dict]:
    path = shared_data_dir() / "govmsg" / "attachment3_hot_issues_4326.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [
            {
                "id": r["留言编号"],
                "title": r["留言主题"],
                "text": r["留言主题"] + "\n" + r["留言详情"],
                "time": r["留言时间"],
                "requester": r["留言用户"],
                "likes": r["点赞数"],
                "dislikes": r["反对数"],
            }
            for r in csv.DictReader(f)
        ]


def rank_of(groups: list[set[str]], ids: set[str]) -> int | None:
    for rank, members in enumerate(groups, 1):
        if len(ids & members) >= max(1, len(ids) // 2):
            return rank
    return None


def baseline(records: list[dict]) -> tuple[list[set[str]], int]:
    """Connected components of the link graph, ranked by the same heat index."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    requests = hotspots._read(records)
    times = np.array([r.time.timestamp() for r in requests])
    x = hotspots._vectors(requests, 0.3)
    rows, cols, _ = hotspots._link_pairs(x, times, 60.0, 0.28, neighbours=10**9)
    n = len(requests)
    _, labels = connected_components(
        coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)), directed=False
    )
    moment = max(r.time for r in requests)
    scored = []
    for label in np.unique(labels):
        members = [requests[i] for i in np.nonzero(labels == label)[0]]
        people = len({r.requester for r in members})
        if len(members) < 2 or people < 2:
            continue
        first, last = min(r.time for r in members), max(r.time for r in members)
        heat = hotspots.heat_index(
            len(members),
            people,
            sum(r.likes for r in members),
            sum(r.dislikes for r in members),
            (moment - last) / timedelta(days=1),
            (last - first) / timedelta(days=1),
        )
        scored.append((heat, {str(r.id) for r in members}))
    scored.sort(key=lambda t: -t[0])
    return [members for _, members in scored], int(np.bincount(labels).max())


def main() -> None:
    if not (shared_data_dir() / "govmsg").exists():
        sys.exit(f"needs {shared_data_dir() / 'govmsg'}")
    records = load()
    started = time.perf_counter()
    issues = hotspots.detect_hot_issues(records)
    elapsed = time.perf_counter() - started
    print(f"attachment3: {len(records):,} messages, {len(issues)} hot issues in {elapsed:.1f} s\n")
    print(f"{'#':>3} {'heat':>6} {'msgs':>4} {'people':>6}  {'time span':23}  title")
    for rank, h in enumerate(issues[:10], 1):
        print(f"{rank:>3} {h.heat:>6.1f} {h.n_requests:>4} {h.n_requesters:>6}  {h.time_span:23}  {h.title}")

    started = time.perf_counter()
    base_groups, base_largest = baseline(records)
    base_elapsed = time.perf_counter() - started
    ours = [{str(i) for i in h.member_ids} for h in issues]
    print(f"\n{'':34}{'massline':>12}{'components':>12}")
    for name, ids in KNOWN.items():
        print(f"{'rank of ' + name:34}{rank_of(ours, ids) or '-':>12}{rank_of(base_groups, ids) or '-':>12}")
    print(f"{'largest group (messages)':34}{max(h.n_requests for h in issues):>12}{base_largest:>12}")
    print(f"{'groups with 2+ requesters':34}{len(issues):>12}{len(base_groups):>12}")
    print(f"{'time (s)':34}{elapsed:>12.1f}{base_elapsed:>12.1f}")


if __name__ == "__main__":
    main()
