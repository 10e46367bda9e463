"""Opinion-map speed: massline vs red-dwarf 0.4.0 on every shared conversation, the incremental update
on vtaiwan.uberx, and a synthetic full recompute (default 100k × 10k × 5M; ``--full``: 1M × 10k × 50M).

    .venv/bin/python bench/bench_opinion.py                          # < ~4 minutes
    .venv/bin/python bench/bench_opinion.py --only-conversations     # just the interleaved comparison
    .venv/bin/python bench/bench_opinion.py --full     # adds the 1M-participant run (~a few minutes)

red-dwarf (a Python Pol.is implementation) pulls pandas, requests and friends, so it lives in its own
virtualenv, ``.venv-reddwarf`` beside ``.venv``; this script creates it (pip install red-dwarf==0.4.0)
when missing. The two sides are timed interleaved, conversation by conversation (run massline, run
red-dwarf, then the other way round, ``--repeats`` times), from a list of vote records to groups + repness +
consensus; CPU time (time.process_time of each side's own process) is the figure that counts on a shared
machine, and both the min and the median over the runs are reported.
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

# Runs inside .venv-reddwarf as a long-lived worker: one JSON command per line on stdin, one JSON answer per
# line on stdout. "load" reads a conversation (untimed); "run" times reddwarf's full pipeline once, wall
# clock and CPU time of this process (time.process_time: every thread of the worker).
RD_WORKER = r"""
import csv, json, sys, time, warnings
warnings.filterwarnings("ignore")
from reddwarf.implementations.polis import run_pipeline
votes, mod_out = [], []
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["cmd"] == "load":
        d = cmd["dir"]
        raw = []
        with open(d + "/votes.csv", newline="") as fh:
            for r in csv.DictReader(fh):
                raw.append({"participant_id": int(r["voter-id"]), "statement_id": int(r["comment-id"]),
                            "vote": int(float(r["vote"])), "modified": float(r["timestamp"])})
        # reddwarf keeps the first of duplicate votes in its pivot; give it the latest only, like Pol.is.
        latest = {}
        for v in sorted(raw, key=lambda v: v["modified"]):
            latest[(v["participant_id"], v["statement_id"])] = v
        votes = list(latest.values())
        mod_out = []
        with open(d + "/comments.csv", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["moderated"].strip() == "-1":
                    mod_out.append(int(r["comment-id"]))
        print(json.dumps({"votes": len(votes)}), flush=True)
    elif cmd["cmd"] == "run":
        t, c = time.perf_counter(), time.process_time()
        run_pipeline(votes=votes, mod_out_statement_ids=mod_out, random_state=0)
        print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c}), flush=True)
"""


class RedDwarf:
    """The red-dwarf worker process (kept alive so that its imports are paid once, like ours)."""

    def __init__(self, blas_threads: int = 1) -> None:
        # One BLAS thread by default, like massline (pca.single_blas_thread): with more, idle BLAS threads
        # spin-wait and their CPU time lands on red-dwarf's bill, which would flatter our ratio.
        env = dict(os.environ)
        if blas_threads:
            for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                env[var] = str(blas_threads)
        self.proc = subprocess.Popen(
            [str(RD_PY), "-c", RD_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def ask(self, **cmd) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("red-dwarf worker died")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


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


def _records(conv) -> list[tuple]:
    """Plain Python (participant, statement, vote, time) tuples, as a database driver or csv reader gives."""
    import numpy as np

    vm = conv.votes
    csr = vm.csr
    prow = np.repeat(np.arange(vm.shape[0]), np.diff(csr.indptr))
    return [
        (vm.participants[i], vm.statements[j], v, t)
        for i, j, v, t in zip(
            prow.tolist(), csr.indices.tolist(), csr.data.tolist(), vm.first_voted.tolist(), strict=True
        )
    ]


def bench_conversations(repeats: int, rd_blas_threads: int = 1, only: list[str] | None = None) -> list[dict]:
    """Both sides interleaved, conversation by conversation: per repeat one massline fit and one red-dwarf
    run, alternating which goes first; one untimed warm-up run of each per conversation. CPU time is
    time.process_time of each side's own process (all its threads)."""
    from massline.core.opinion import OpinionMap, load_polis_export

    convs = [d for d in conversations() if not only or d.name in only]
    if not convs:
        print("no shared conversations found; skipping")
        return []
    rd = RedDwarf(rd_blas_threads) if ensure_reddwarf() else None
    print(f"red-dwarf BLAS threads: {rd_blas_threads or 'library default'}")
    rows = []
    print(
        f"\n== every shared conversation, interleaved: fit from vote records ({repeats} alternating runs each; "
        "min and median) =="
    )
    print(
        f"{'conversation':34s} {'ptpts':>5s} {'stmts':>5s} {'votes':>6s} | {'massline CPU ms':>16s} "
        f"{'red-dwarf CPU ms':>17s} {'× CPU':>11s} | {'massline wall':>13s} {'red-dwarf wall':>14s} {'× wall':>6s}"
    )
    print(f"{'':54s} {'min':>7s} {'median':>8s} {'min':>8s} {'median':>8s} {'min':>5s} {'median':>5s}")
    for d in convs:
        conv = load_polis_export(d)
        vm = conv.votes
        records = _records(conv)

        def ours(records=records, mod_out=conv.mod_out) -> tuple[float, float]:
            t, c = time.perf_counter(), time.process_time()
            OpinionMap(mod_out=mod_out).fit(records)
            return time.perf_counter() - t, time.process_time() - c

        ours()
        if rd:
            rd.ask(cmd="load", dir=str(d))
            rd.ask(cmd="run")
        o_wall, o_cpu, r_wall, r_cpu = [], [], [], []
        for r in range(repeats):
            for side in ("ours", "rd") if r % 2 == 0 else ("rd", "ours"):
                if side == "ours":
                    w, c = ours()
                    o_wall.append(w)
                    o_cpu.append(c)
                elif rd:
                    res = rd.ask(cmd="run")
                    r_wall.append(res["wall"])
                    r_cpu.append(res["cpu"])
        row = {
            "name": d.name,
            "participants": vm.shape[0],
            "statements": vm.shape[1],
            "votes": vm.nnz,
            "massline_cpu_min_s": min(o_cpu),
            "massline_cpu_median_s": statistics.median(o_cpu),
            "massline_wall_median_s": statistics.median(o_wall),
            "load_avg": os.getloadavg()[0],
        }
        line = (
            f"{d.name[:34]:34s} {vm.shape[0]:5d} {vm.shape[1]:5d} {vm.nnz:6d} | "
            f"{min(o_cpu) * 1000:7.1f} {statistics.median(o_cpu) * 1000:8.1f} "
        )
        if r_cpu:
            row.update(
                reddwarf_cpu_min_s=min(r_cpu),
                reddwarf_cpu_median_s=statistics.median(r_cpu),
                reddwarf_wall_median_s=statistics.median(r_wall),
                cpu_ratio_min=min(r_cpu) / min(o_cpu),
                cpu_ratio_median=statistics.median(r_cpu) / statistics.median(o_cpu),
                wall_ratio_median=statistics.median(r_wall) / statistics.median(o_wall),
            )
            line += (
                f"{min(r_cpu) * 1000:8.1f} {statistics.median(r_cpu) * 1000:8.1f} "
                f"{row['cpu_ratio_min']:5.1f} {row['cpu_ratio_median']:5.1f} | "
                f"{statistics.median(o_wall) * 1000:11.1f}ms {statistics.median(r_wall) * 1000:12.1f}ms "
                f"{row['wall_ratio_median']:6.1f} | load {row['load_avg']:.1f}"
            )
        else:
            line += "   red-dwarf n/a"
        print(line, flush=True)
        rows.append(row)
    if rd:
        rd.close()
    with_rd = [r for r in rows if "cpu_ratio_min" in r]
    if with_rd:
        by_min = [r["cpu_ratio_min"] for r in with_rd]
        by_med = [r["cpu_ratio_median"] for r in with_rd]
        tot_o = sum(r["massline_cpu_median_s"] for r in with_rd)
        tot_r = sum(r["reddwarf_cpu_median_s"] for r in with_rd)
        print(
            f"CPU time ratio per conversation: min-of-runs ratios median {statistics.median(by_min):.1f}×, lowest "
            f"{min(by_min):.1f}×; median-of-runs ratios median {statistics.median(by_med):.1f}×, lowest "
            f"{min(by_med):.1f}×; total CPU {tot_o:.2f} s vs {tot_r:.2f} s ({tot_r / tot_o:.1f}×); "
            f"{sum(x >= 20 for x in by_med)}/{len(by_med)} conversations ≥ 20× by median CPU "
            f"({sum(x >= 20 for x in by_min)}/{len(by_min)} by min); load average at the end "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (CPU-time ratios move with load: compare "
            "runs at similar load)"
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
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--synth-worker", nargs=3, type=int, help=argparse.SUPPRESS)
    ap.add_argument("--json", metavar="OUT", help="write all figures as JSON")
    ap.add_argument("--only-conversations", action="store_true", help="only the interleaved comparison")
    ap.add_argument("--conversation", action="append", help="limit the comparison to this conversation")
    ap.add_argument(
        "--rd-blas-threads", type=int, default=1, help="BLAS threads for red-dwarf (0: library default)"
    )
    args = ap.parse_args()
    if args.synth_worker:
        synth_worker(*args.synth_worker)
        return
    print(f"machine: {os.cpu_count()} CPUs; python {sys.version.split()[0]}")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    out: dict = {"conversations": bench_conversations(args.repeats, args.rd_blas_threads, args.conversation)}
    if not args.only_conversations:
        out["incremental"] = bench_incremental()
        out["synthetic_small"] = bench_synthetic(100_000, 10_000, 5_000_000)
    if args.full and not args.only_conversations:
        out["synthetic_full"] = bench_synthetic(1_000_000, 10_000, 50_000_000)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
