"""Opinion-map fidelity against Pol.is: the reference math dumps and the openData group-ids.

    .venv/bin/python bench/bench_opinion_fidelity.py

Part 1, ../shared/data/polis-reference (Pol.is's math-pca2.json): in-conversation set, PCA axes, then
groups / group-informed consensus / repness / consensus / priorities both from scratch and when k-means
starts from Pol.is's own previous state (as Pol.is itself always does).
Part 2, every conversation in ../shared/data/polis: adjusted Rand index between our groups and Pol.is's
exported group-id (participants grouped by both), before (lowest-inertia k-means) and after (Pol.is's own
from-scratch clustering path), the silhouettes, what Pol.is's k-smoother does over the last updates, the
ARI with Pol.is's count forced, and the cause of each large disagreement. group-id is only read to score.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from massline.core.opinion import (  # noqa: E402
    OpinionMap,
    VoteMatrix,
    load_polis_export,
    load_polis_reference,
)
from massline.core.opinion.polis_io import polis_reference_centers, polis_reference_groups  # noqa: E402
from massline.shared_data import shared_data_dir  # noqa: E402


def _compare(om: OpinionMap, m: dict) -> dict:
    ref = polis_reference_groups(m)
    pids = [p for p in ref if om.groups_.get(p) is not None]
    ari = adjusted_rand_score([ref[p] for p in pids], [om.groups_[p] for p in pids])
    majority = {}
    for p in pids:
        majority.setdefault(om.groups_[p], []).append(ref[p])
    to_ref = {g: max(set(v), key=v.count) for g, v in majority.items()}
    gac_err = max(
        abs(om.group_informed_consensus_.get(int(t), np.nan) - v)
        for t, v in m["group-aware-consensus"].items()
    )
    rep_same = all(
        [r["tid"] for r in rows] == [r["tid"] for r in m["repness"].get(str(to_ref.get(g)), [])]
        for g, rows in om.repness_.items()
    ) and om.n_groups_ == len(m["group-clusters"])
    cons_same = all(
        [r["tid"] for r in om.consensus_[s]] == [r["tid"] for r in m["consensus"][s]]
        for s in ("agree", "disagree")
    )
    prio_err = max(
        abs(om.priority_.get(int(t), np.nan) - v) / max(v, 1e-12) for t, v in m["comment-priorities"].items()
    )
    return {
        "ari": ari,
        "k": om.n_groups_,
        "gac": gac_err,
        "rep": rep_same,
        "cons": cons_same,
        "prio": prio_err,
    }


def reference_part() -> None:
    base = shared_data_dir() / "polis-reference"
    if not base.exists():
        print("no polis-reference data; skipping part 1")
        return
    print("== Pol.is reference dumps (math-pca2.json) ==")
    print(
        f"{'conversation':32s} {'in-conv':>12s} {'pca |cos|':>10s} | {'from scratch: ARI  k  GAC err':>30s} | "
        f"{'from Pol.is state: ARI  GAC err  repness consensus prio relerr':>62s}"
    )
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        conv = load_polis_reference(d)
        m = conv.math
        om = OpinionMap(mod_out=conv.mod_out, meta=conv.meta).fit(conv.votes)
        ic = set(om.in_conversation_) == set(m["in-conv"])
        cols = [om.statements_.index(t) for t in m["tids"]]
        cos = min(
            abs(np.dot(m["pca"]["comps"][c], om.components_[c, cols]))
            / np.linalg.norm(m["pca"]["comps"][c])
            / np.linalg.norm(om.components_[c, cols])
            for c in range(2)
        )
        scratch = _compare(om, m)
        b, g = polis_reference_centers(m, om.components_, om.statements_)
        warm = OpinionMap(mod_out=conv.mod_out, meta=conv.meta, base_init=b, group_init=g).fit(
            conv.votes, in_conversation=m["in-conv"]
        )
        w = _compare(warm, m)
        ic_txt = "same" if ic else f"{len(om.in_conversation_)}/{len(m['in-conv'])}"
        print(
            f"{d.name:32s} {ic_txt:>12s} {cos:10.6f} | {scratch['ari']:17.3f} {scratch['k']:2d}/{len(m['group-clusters'])} "
            f"{scratch['gac']:8.1e} | {w['ari']:22.3f} {w['gac']:8.1e}  {str(w['rep']):>7s} {str(w['cons']):>9s} "
            f"{w['prio']:9.1e}"
        )


# Why each conversation with ARI < 0.9 disagrees, from the diagnostics this script prints (silhouettes, the
# smoother walk-back, forced-k ARI, who is grouped). Checked against the output on 2026-11-30.
CAUSES = {
    "15-per-hour-seattle": "6 participants we place (7+ votes) have no Pol.is group-id (votes after Pol.is's "
    "last update, or an export filter); the 2-way boundary differs by 10 participants (95/49 vs 99/39): Pol.is "
    "ran 2014-2019 from its warm-started history, we from scratch",
    "brexit-consensus": "group count: silhouette k=3 0.396 vs k=2 0.390, a near tie; the smoother walk-back "
    "shows k=3 best over every late update, so the smoother cannot explain Pol.is's k=2 -- its warm-started "
    "2-group clustering had the better silhouette; forced k=2 gives 0.878 (6 one-to-six-vote people only "
    "Pol.is grouped)",
    "scoop-hivemind.affordable-housing": "older Pol.is export: group-id for 86 participants with 1-6 votes "
    "(381 grouped vs our 295) and a 347/34 split that no k-means of today's projection reproduces (forced k=2: "
    "0.072)",
    "scoop-hivemind.freshwater": "older Pol.is export (16 people with 1-6 votes grouped); Pol.is's 9/108 split "
    "versus our 77/24 along the main axis; forced k does not help (0.133)",
    "scoop-hivemind.taxes": "same k, boundary differs (244/52 vs Pol.is 255/40): the first-distinct start "
    "lands on a neighbouring optimum; the lowest-inertia start gave 0.945 here",
    "scoop-hivemind.ubi": "older Pol.is export: 4 groups over 234 participants incl. 58 with 1-6 votes; we "
    "place 176 and pick k=3 (silhouette 0.418 vs 0.403 for k=4); forced k=4 gives 0.160",
}


def _raw_votes(d: Path) -> np.ndarray:
    import csv

    with (d / "votes.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = [
            (float(r["timestamp"]), int(r["voter-id"]), int(r["comment-id"]), float(r["vote"]))
            for r in csv.DictReader(fh)
        ]
    raw = np.asarray(rows, dtype=np.float64)
    return raw[np.argsort(raw[:, 0], kind="stable")]


def _score(pg: dict, om: OpinionMap) -> float:
    both = [p for p in pg if om.groups_.get(p) is not None]
    return float(adjusted_rand_score([pg[p] for p in both], [om.groups_[p] for p in both]))


def smoother_walkback(d: Path, mod_out: list, updates: int = 8, gap_ms: float = 5000.0) -> tuple[str, int]:
    """The k Pol.is's smoother would show after the last ``updates`` updates.

    The export is a snapshot, but votes.csv keeps every vote's time. Votes separated by less than ``gap_ms``
    are taken as one Pol.is update (its poller batches what arrived since the last run). For the state
    after each of the last ``updates`` updates we compute the silhouette-best k (from scratch), then run
    Pol.is's smoother over that sequence (a new k is adopted once it was best 4 updates running). Returns
    the sequence (oldest first) and the smoothed k. What it cannot see: Pol.is's own warm-started
    clusterings, whose silhouettes decide its this-k at every update.
    """
    raw = _raw_votes(d)
    ends = np.flatnonzero(np.diff(raw[:, 0]) > gap_ms) + 1
    cuts = sorted(set([len(raw)] + ends[::-1][: updates - 1].tolist()))
    ks = []
    for cut in cuts:
        r = raw[:cut]
        vm = VoteMatrix.from_arrays(r[:, 1].astype(np.int64), r[:, 2].astype(np.int64), r[:, 3], r[:, 0])
        ks.append(OpinionMap(mod_out=mod_out).fit(vm).n_groups_)
    last, count, smoothed = None, 0, ks[0]
    for k in ks:  # conversation.clj :group-k-smoother, :group-k-buffer 4
        count = count + 1 if k == last else 1
        last = k
        if count >= 4:
            smoothed = k
    return "".join(map(str, ks)), smoothed


def opendata_part() -> None:
    base = shared_data_dir() / "polis"
    if not base.exists():
        print("no polis openData; skipping part 2")
        return
    print("\n== openData conversations: our groups vs Pol.is's group-id (used only to score) ==")
    print(
        "before = lowest-inertia k-means (init='best', the previous default); after = Pol.is's own from-scratch\n"
        "path (init='polis'). k: before/after/Pol.is. smoother: best k after each of the last 8 updates -> the\n"
        "smoothed k. forced: ARI with Pol.is's count forced (a diagnostic, it reads group-id)."
    )
    print(
        f"{'conversation':40s} {'before':>6s} {'after':>6s} {'k b/a/P':>8s} {'silhouettes k=2..5 (after)':>27s} "
        f"{'smoother':>12s} {'forced':>6s} {'grouped us/P':>13s} {'fit':>6s}"
    )
    before, after = [], []
    scores: dict[str, float] = {}
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        conv = load_polis_export(d)
        pg = {p: g for p, g in conv.polis_groups.items() if g is not None}
        k_polis = len(set(pg.values()))

        old = OpinionMap(mod_out=conv.mod_out, init="best").fit(conv.votes)
        t = time.perf_counter()
        om = OpinionMap(mod_out=conv.mod_out).fit(conv.votes)
        dt = time.perf_counter() - t
        forced = OpinionMap(mod_out=conv.mod_out, n_groups=k_polis).fit(conv.votes)
        seq, smoothed = smoother_walkback(d, conv.mod_out)
        a_old, a_new = _score(pg, old), _score(pg, om)
        before.append(a_old)
        after.append(a_new)
        scores[d.name] = a_new
        sils = " ".join(f"{om.silhouettes_.get(k, float('nan')):.3f}" for k in range(2, 6))
        print(
            f"{d.name[:40]:40s} {a_old:6.3f} {a_new:6.3f} {old.n_groups_:>3d}/{om.n_groups_}/{k_polis} {sils:>27s} "
            f"{seq + '->' + str(smoothed):>12s} {_score(pg, forced):6.3f} {len(om.in_conversation_):>6d}/{len(pg):<6d} "
            f"{dt * 1000:4.0f}ms"
        )
    print(
        f"median ARI before {statistics.median(before):.3f} (mean {statistics.mean(before):.3f}), after "
        f"{statistics.median(after):.3f} (mean {statistics.mean(after):.3f}) over {len(after)} conversations; "
        "goal ≥ 0.9"
    )
    print("\nCauses of the large disagreements (ARI < 0.9 after):")
    for name, a_new in scores.items():
        if a_new < 0.9:
            print(
                f"  {name} ({a_new:.3f}): {CAUSES.get(name, 'NO CAUSE RECORDED -- investigate and add it to CAUSES')}"
            )
    for name in CAUSES:
        if name in scores and scores[name] >= 0.9:
            print(f"  {name}: now {scores[name]:.3f} (>= 0.9); its recorded cause is out of date")


if __name__ == "__main__":
    reference_part()
    opendata_part()
