"""API intake under load, on PostgreSQL, in production settings: requests/s, p50, p99, and the ratio to
/api/health measured in the same run (phases interleaved: health, intake, health, intake).

Everything runs on its own private services (bench/_stack.py): a PostgreSQL cluster and a Redis on their
own ports, `massline serve` (gunicorn, 3 sync workers) and a Celery worker sending the notifications to a
local SMTP sink. Each POST /api/requests carries a contact e-mail and no category, so the routing
classifier runs on every request (classification on); the receipts go through the outbox.

    .venv/bin/python bench/bench_intake_load.py                 # 50 clients, 2 x 30 s intake, 2 x 10 s health
    .venv/bin/python bench/bench_intake_load.py --quick         # 10 clients, 2 x 5 s

Baseline: /api/health on the same server in the same run (no database, no classification). Afterwards the
requests stored in the database are counted: they must equal the acknowledged ones (201 with a reference).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from _stack import LoadResult, Stack, cpu_seconds, load_average, run_load, say  # noqa: E402


def line(name: str, res: LoadResult, seconds: float) -> str:
    ok = len(res.acknowledged()) if name == "intake" else sum(1 for o in res.outcomes if o.status == 200)
    if name == "intake":
        p50, p99 = res.percentile(50), res.percentile(99)
    else:
        p50, p99 = res.percentile(50, ok_only=False), res.percentile(99, ok_only=False)
    return (f"{name:7s} {ok / seconds:8.1f} req/s  p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
            f"({ok} ok of {len(res.outcomes)}; {res.by_status()})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10 clients, 2 x 5 s intake (a smoke run)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60, help="intake seconds in total (two phases)")
    ap.add_argument("--health-seconds", type=float, default=20, help="/api/health seconds in total")
    args = ap.parse_args()
    if args.quick:
        args.clients, args.seconds, args.health_seconds = 10, 10, 6
    if args.seconds > 60 or args.clients > 200:
        ap.error("keep it bounded: at most 60 s of intake and 200 clients on this shared machine")

    stack = Stack("load")
    try:
        stack.start()
        stack.start_web()
        stack.start_worker()
        run_load(stack.web_port, clients=4, seconds=10, max_requests=20, api_key=stack.api_key, marker="WARM")
        marker = f"LOAD{int(time.time())}"
        intake, health = LoadResult(), LoadResult()
        web_pids = stack.gunicorn_workers()
        cpu0, wall0 = cpu_seconds(web_pids), time.monotonic()
        for phase in range(2):
            say(f"phase {phase + 1}: /api/health, {args.clients} clients, {args.health_seconds / 2:.0f} s")
            h = run_load(stack.web_port, clients=args.clients, seconds=args.health_seconds / 2,
                         max_requests=1_000_000, path="/api/health")
            health.outcomes += h.outcomes
            say(f"phase {phase + 1}: POST /api/requests, {args.clients} clients, {args.seconds / 2:.0f} s")
            r = run_load(stack.web_port, clients=args.clients, seconds=args.seconds / 2, max_requests=1_000_000,
                         api_key=stack.api_key, marker=f"{marker}P{phase}")
            intake.outcomes += r.outcomes
        cpu1, wall1 = cpu_seconds(web_pids), time.monotonic()
        stored = stack.requests_with_marker(marker)
        acked = {o.reference for o in intake.acknowledged()}
        stored_refs = [ref for ref, _ in stored]
        missing = acked - set(stored_refs)
        titles = [t for _, t in stored]
        duplicates = len(titles) - len(set(titles))
        print()
        print(f"API intake on PostgreSQL 15, production settings, gunicorn {stack.web_workers} sync workers, "
              f"{args.clients} concurrent clients; {load_average()}")
        print(line("intake", intake, args.seconds))
        print(line("health", health, args.health_seconds))
        h_rate = sum(1 for o in health.outcomes if o.status == 200) / args.health_seconds
        i_rate = len(acked) / args.seconds
        print(f"ratio   intake / health = {i_rate / h_rate:.3f}" if h_rate else "ratio   n/a (no health answers)")
        print(f"count   acknowledged {len(acked)}, stored {len(stored_refs)}, missing {len(missing)}, "
              f"duplicates {duplicates}, stored but not acknowledged {len(set(stored_refs) - acked)}")
        print(f"cpu     gunicorn workers {cpu1 - cpu0:.1f} s CPU in {wall1 - wall0:.1f} s wall "
              f"(2 cores, shared); the load client {sum(os.times()[:2]):.1f} s CPU")
        return 0 if not missing and not duplicates and len(stored_refs) == len(acked) else 1
    finally:
        stack.close()


if __name__ == "__main__":
    raise SystemExit(main())
