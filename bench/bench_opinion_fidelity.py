"""Opinion-map fidelity against Pol.is: the reference math dumps and the openData group-ids.

    .venv/bin/python bench/bench_opinion_fidelity.py

Part 1, ../shared/data/polis-reference (Pol.is's math-pca2.json): in-conversation set, PCA axes, then
groups / group-informed consensus / repness / consensus / priorities both from scratch and when k-means
starts from Pol.is's own previous state (as Pol.is itself always does).
Part 2, every conversation in ../shared/data/polis: adjusted Rand index between our groups and Pol.is's
exported group-id (participants grouped by both), median over conversations (goal ≥ 0.9).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from massline.core.opinion import OpinionMap, load_polis_export, load_polis_reference  # noqa: E402
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


def opendata_part() -> None:
    base = shared_data_dir() / "polis"
    if not base.exists():
        print("no polis openData; skipping part 2")
        return
    print("\n== openData conversations: our groups vs Pol.is's group-id ==")
    print(f"{'conversation':46s} {'ARI':>6s} {'k ours/Pol.is':>14s} {'grouped ours/Pol.is':>20s} {'fit':>8s}")
    scores = []
    for d in sorted(p for p in base.iterdir() if p.is_dir()):
        conv = load_polis_export(d)
        t = time.perf_counter()
        om = OpinionMap(mod_out=conv.mod_out).fit(conv.votes)
        dt = time.perf_counter() - t
        pg = {p: g for p, g in conv.polis_groups.items() if g is not None}
        both = [p for p in pg if om.groups_.get(p) is not None]
        ari = adjusted_rand_score([pg[p] for p in both], [om.groups_[p] for p in both])
        scores.append(ari)
        print(
            f"{d.name[:46]:46s} {ari:6.3f} {om.n_groups_:>7d}/{len(set(pg.values())):<6d} "
            f"{len(om.in_conversation_):>10d}/{len(pg):<9d} {dt * 1000:6.0f}ms"
        )
    print(
        f"median ARI {statistics.median(scores):.3f} (mean {statistics.mean(scores):.3f}) over {len(scores)} "
        f"conversations; goal ≥ 0.9"
    )


if __name__ == "__main__":
    reference_part()
    opendata_part()
