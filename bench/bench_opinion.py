"""Opinion-map speed: massline vs red-dwarf 0.4.0 on every shared conversation, the incremental update
on vtaiwan.uberx, and a synthetic full recompute (default 100k × 10k × 5M; ``--full``: 1M × 10k × 50M).

    .venv/bin/python bench/bench_opinion.py            # < ~3 minutes
    .venv/bin/python bench/bench_opinion.py --full     # adds the 1M-participant run (~a few minutes)

red-dwarf (a Python Pol.is implementation) pulls pandas, requests and friends, so it lives in its own
virtualenv, ``.venv-reddwarf`` beside ``.venv``; this script creates it (pip install red-dwarf==0.4.0)
when missing. Both sides are timed in the same run on the same machine, from a list of vote records to
groups + repness + consensus.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.shared_data import shared_data_dir  # noqa: E402

RD_VENV = ROOT / ".venv-reddwarf"
RD_PY = RD_VENV / "bin" / "python"

# Runs inside .venv-reddwarf: read votes.csv + comments.csv, time reddwarf's full pipeline.
RD_SCRIPT = r"""
import csv, json, sys, time, warnings
warnings.filterwarnings("ignore")
from reddwarf.implementations.polis import run_pipeline
out = {}
for d in sys.argv[2:]:
    votes = []
    with open(d + "/votes.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            votes.append({"participant_id": int(r["voter-id"]), "statement_id": int(r["comment-id"]),
                          "vote": int(float(r["vote"])), "modified": float(r["timestamp"])})
    # reddwarf keeps the first of duplicate votes in its pivot; give it the latest only, like Pol.is.
    latest = {}
    for v in sorted(votes, key=lambda v: v["modified"]):
        latest[(v["participant_id"], v["statement_id"])] = v
    votes = list(latest.values())
    mod_out = []
    with open(d + "/comments.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["moderated"].strip() == "-1":
                mod_out.append(int(r["comment-id"]))
    times, cpu = [], []
    for _ in range(int(sys.argv[1])):
        t, c = time.perf_counter(), time.process_time()
        res = run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out[d] = {"wall": times, "cpu": cpu}
print(json.dumps(out))
"""


def ensure_reddwarf() -> bool:
    if RD_PY.exists():
        return True
    print(f"creating {RD_VENV} with red-dwarf==0.4.0 (separate venv: it pulls pandas/requests)", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(RD_VENV)], check=True)
        subprocess.run([str(RD_PY), "-m", "pip", "install", "-q", "red-dwarf==0.4.0"], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  could not install red-dwarf: {exc}; peer timings skipped")
        return False
    return True


def conversations() -> list[Path]:
    base = shared_data_dir() / "polis"
    return (
        sorted(p for p in base.iterdir() if p.is_dir() and (p / "votes.csv").exists())
        if base.exists()
        else []
    )


def bench_conversations(repeats: int) -> list[dict]:
    from massline.core.opinion import OpinionMap, load_polis_export

    convs = conversations()
    if not convs:
        print("no shared conversations found; skipping")
        return []
    rd = {}
    if ensure_reddwarf():
        proc = subprocess.run(
            [str(RD_PY), "-c", RD_SCRIPT, str(repeats), *map(str, convs)], capture_output=True, text=True
        )
        if proc.returncode == 0:
            rd = json.loads(proc.stdout.strip().splitlines()[-1])
        else:
            print("red-dwarf run failed:\n" + proc.stderr[-2000:])
    rows = []
    print(f"\n== every shared conversation: fit from vote records (median of {repeats}) ==")
    print(
        f"{'conversation':46s} {'ptpts':>6s} {'stmts':>5s} {'votes':>7s} {'massline':>9s} {'red-dwarf':>9s} {'×':>6s}"
    )
    for d in convs:
        conv = load_polis_export(d)
        vm = conv.votes
        csr = vm.csr
        import numpy as np

        prow = np.repeat(np.arange(vm.shape[0]), np.diff(csr.indptr))
        # Plain Python values, as a database driver or csv reader hands them over.
        records = [
            (vm.participants[i], vm.statements[j], v, t)
            for i, j, v, t in zip(
                prow.tolist(), csr.indices.tolist(), csr.data.tolist(), vm.first_voted.tolist(), strict=True
            )
        ]
        times, cpus = [], []
        for _ in range(repeats):
            t, c = time.perf_counter(), time.process_time()
            OpinionMap(mod_out=conv.mod_out).fit(records)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        ours, ours_cpu = statistics.median(times), statistics.median(cpus)
        peer = statistics.median(rd[str(d)]["wall"]) if str(d) in rd else None
        peer_cpu = statistics.median(rd[str(d)]["cpu"]) if str(d) in rd else None
        ratio = peer / ours if peer else None
        cpu_ratio = peer_cpu / ours_cpu if peer_cpu else None
        rows.append(
            {
                "name": d.name,
                "participants": vm.shape[0],
                "statements": vm.shape[1],
                "votes": vm.nnz,
                "massline_s": ours,
                "reddwarf_s": peer,
                "ratio": ratio,
                "massline_cpu_s": ours_cpu,
                "reddwarf_cpu_s": peer_cpu,
                "cpu_ratio": cpu_ratio,
            }
        )
        print(
            f"{d.name[:46]:46s} {vm.shape[0]:6d} {vm.shape[1]:5d} {vm.nnz:7d} {ours * 1000:7.1f}ms "
            + (
                f"{peer * 1000:7.1f}ms {ratio:6.1f} | CPU {ours_cpu * 1000:6.1f}ms {peer_cpu * 1000:7.1f}ms {cpu_ratio:6.1f}"
                if peer
                else "      n/a"
            )
        )
    ratios = [r["ratio"] for r in rows if r["ratio"]]
    cpu_ratios = [r["cpu_ratio"] for r in rows if r["cpu_ratio"]]
    if cpu_ratios:
        print(
            f"CPU time: per-conversation speed-up median {statistics.median(cpu_ratios):.1f}×, "
            f"min {min(cpu_ratios):.1f}×"
        )
    if ratios:
        total_ours = sum(r["massline_s"] for r in rows)
        total_rd = sum(r["reddwarf_s"] for r in rows if r["reddwarf_s"])
        print(
            f"total: massline {total_ours:.2f}s, red-dwarf {total_rd:.2f}s -> {total_rd / total_ours:.1f}× faster; "
            f"per-conversation speed-up median {statistics.median(ratios):.1f}×, min {min(ratios):.1f}×"
        )
    return rows


def bench_incremental(trials: int = 9, n_new: int = 1000) -> dict | None:
    from sklearn.metrics import adjusted_rand_score

    from massline.core.opinion import OpinionMap, VoteMatrix, load_polis_export

    d = shared_data_dir() / "polis" / "vtaiwan.uberx"
    if not d.exists():
        print("vtaiwan.uberx missing; skipping the incremental benchmark")
        return None
    import csv

    with (d / "votes.csv").open(newline="") as fh:
        raw = [
            (int(r["voter-id"]), int(r["comment-id"]), float(r["vote"]), float(r["timestamp"]))
            for r in csv.DictReader(fh)
        ]
    raw.sort(key=lambda r: r[3])
    old, new = raw[:-n_new], raw[-n_new:]
    mod_out = load_polis_export(d).mod_out
    base_vm = VoteMatrix.from_votes(old)
    new_vm = VoteMatrix.from_votes(new)
    times, cpus, full_times = [], [], []
    for _ in range(trials):
        om = OpinionMap(mod_out=mod_out).fit(base_vm)
        t, c = time.perf_counter(), time.process_time()
        om.update(new_vm)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    t = time.perf_counter()
    full = OpinionMap(mod_out=mod_out).fit(VoteMatrix.from_votes(raw))
    full_times.append(time.perf_counter() - t)
    same = [p for p in full.in_conversation_ if om.groups_.get(p) is not None]
    ari = adjusted_rand_score([full.groups_[p] for p in same], [om.groups_[p] for p in same])
    inc, fresh, inc_cpu = statistics.median(times), statistics.median(full_times), statistics.median(cpus)
    print(f"\n== incremental update: {n_new} new votes on vtaiwan.uberx ({len(raw):,} votes) ==")
    print(
        f"update {inc * 1000:.1f} ms (median of {trials}, max {max(times) * 1000:.1f} ms); "
        f"CPU {inc_cpu * 1000:.1f} ms; fresh full fit {fresh * 1000:.1f} ms; groups vs fresh fit ARI {ari:.3f}"
    )
    return {
        "update_ms": inc * 1000,
        "update_cpu_ms": inc_cpu * 1000,
        "max_ms": max(times) * 1000,
        "fresh_ms": fresh * 1000,
        "ari_vs_fresh": ari,
    }


def synth_worker(n: int, d: int, v: int, seed: int = 0) -> None:
    """Generate a synthetic conversation, fit it, print JSON timings + peak RSS (run in a subprocess)."""
    import numpy as np

    from massline.core.opinion import OpinionMap, VoteMatrix

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    n_groups = 4
    group = rng.integers(0, n_groups, n).astype(np.int8)
    lean = rng.normal(0, 1.2, (n_groups, d))  # per-group leaning on each statement
    pop = 1.0 / np.arange(1, d + 1) ** 0.6  # some statements are seen far more often
    cdf = np.cumsum(pop / pop.sum())
    per = np.clip(rng.poisson(v / n, n), 1, d)
    per = (per * (v / per.sum())).astype(np.int64)
    per[: v - int(per.sum())] += 1
    total = int(per.sum())
    rows = np.repeat(np.arange(n, dtype=np.int32), per)
    cols = np.empty(total, dtype=np.int32)
    vals = np.empty(total, dtype=np.int8)
    chunk = 5_000_000
    for s in range(0, total, chunk):
        e = min(total, s + chunk)
        c = np.searchsorted(cdf, rng.random(e - s)).astype(np.int32)
        np.minimum(c, d - 1, out=c)
        cols[s:e] = c
        p_agree = 1.0 / (1.0 + np.exp(-lean[group[rows[s:e]], c]))
        u = rng.random(e - s)
        x = np.where(u < 0.15, 0, np.where(rng.random(e - s) < p_agree, 1, -1))
        vals[s:e] = x
    # Votes arrive interleaved in time, not grouped by participant: shuffle so the build does the work.
    perm = rng.permutation(total)
    rows, cols, vals = rows[perm], cols[perm], vals[perm]
    del perm
    gen_s = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t, c = time.perf_counter(), time.process_time()
    vm = VoteMatrix.from_arrays(rows, cols, vals)
    build_s, build_cpu = time.perf_counter() - t, time.process_time() - c
    del rows, cols, vals
    t, c = time.perf_counter(), time.process_time()
    om = OpinionMap(verbose=True).fit(vm)
    fit_s, fit_cpu = time.perf_counter() - t, time.process_time() - c
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": n,
                "d": d,
                "votes": vm.nnz,
                "gen_s": gen_s,
                "build_s": build_s,
                "fit_s": fit_s,
                "total_s": build_s + fit_s,
                "build_cpu_s": build_cpu,
                "fit_cpu_s": fit_cpu,
                "load_avg": os.getloadavg()[0],
                "rss_after_gen_mb": rss_before,
                "peak_rss_mb": peak,
                "in_conv": len(om.in_conversation_),
                "groups": om.group_sizes(),
            }
        )
    )


def bench_synthetic(n: int, d: int, v: int) -> dict:
    print(
        f"\n== synthetic full recompute: {n:,} participants × {d:,} statements × {v:,} votes ==", flush=True
    )
    proc = subprocess.run(
        [sys.executable, __file__, "--synth-worker", str(n), str(d), str(v)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        raise SystemExit("synthetic worker failed")
    sys.stderr.write(proc.stderr)
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    print(
        f"matrix build {res['build_s']:.1f}s + map {res['fit_s']:.1f}s = {res['total_s']:.1f}s full recompute "
        f"(CPU {res['build_cpu_s'] + res['fit_cpu_s']:.1f}s; load average {res['load_avg']:.1f} on "
        f"{os.cpu_count()} CPUs); "
        f"peak RSS {res['peak_rss_mb'] / 1024:.2f} GB (generator alone {res['rss_after_gen_mb'] / 1024:.2f} GB); "
        f"{res['votes']:,} distinct votes, {res['in_conv']:,} on the map, groups {res['groups']}"
    )
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--full", action="store_true", help="also run 1M participants × 10k statements × 50M votes"
    )
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--synth-worker", nargs=3, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--json", metavar="OUT", help="write all figures as JSON")
    args = ap.parse_args()
    if args.synth_worker:
        synth_worker(*args.synth_worker)
        return
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    out = {"conversations": bench_conversations(args.repeats), "incremental": bench_incremental()}
    out["synthetic_small"] = bench_synthetic(100_000, 10_000, 5_000_000)
    if args.full:
        out["synthetic_full"] = bench_synthetic(1_000_000, 10_000, 50_000_000)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
