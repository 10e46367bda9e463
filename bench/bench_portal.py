"""Public portal under load: list, search, detail and statistics pages with N requests in PostgreSQL.

    .venv/bin/python bench/bench_portal.py                        # 200k requests, 10 s per page
    .venv/bin/python bench/bench_portal.py --requests 1000000     # the 1M figure (load ~5 min once)
    .venv/bin/python bench/bench_portal.py --reload               # rebuild the database

1. A database of its own (``massline_bench_<N/1000>k`` on 127.0.0.1:5432, user postgres) is created, migrated,
   given the demo city and staff, and bulk-loaded with N requests (see portal_load.py: generated in
   PostgreSQL from real govmsg messages; the workflow actions are bypassed on purpose, since this
   measures reads). A later run reuses it when it holds exactly N requests.
2. gunicorn serves the app on a free loopback port (DEBUG off; bench/portal_settings.py adds persistent
   database connections and, when Redis answers on 127.0.0.1:6379, a cache shared by the workers).
3. ``wrk`` (Debian package wrk; a small asyncio client is the fallback) holds 50 connections open for
   a fixed time per page and reports p50/p95/p99 and throughput. The trivial endpoint ``/api/health``
   is measured in the same run, on the same server, as the baseline: every page is printed beside it.
   One connection alone is also timed per page, which is the page's own cost without queueing.

Everything stays on 127.0.0.1. The machine note (cores, load) is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import portal_load  # noqa: E402

GOAL_P95_MS = 50.0
SEARCHES = ["噪音扰民", "路燈"]  # a two-word query, and one word in Traditional (the data is Simplified)
RARE_SEARCH = "量子纠缠"  # matches nothing: the whole table is searched

WRK_LUA = r"""
local paths = {%s}
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 1000)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format(
    '@@{"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "max": %%d, "errors": %%d, ' ..
    '"status_errors": %%d, "timeouts": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def clear_bench_cache(url: str) -> None:
    """Drop this benchmark's own keys (prefix massline_bench) from the shared Redis, nothing else."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match="massline_bench:*", count=1000))
    if keys:
        client.delete(*keys)


# --- the server -------------------------------------------------------------------------------------


class Server:
    def __init__(self, db_url: str, workers: int, threads: int, cache_url: str, plain: bool):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.update(
            DATABASE_URL=db_url,
            MASSLINE_DEBUG="0",
            MASSLINE_SECRET_KEY="bench",
            MASSLINE_ALLOWED_HOSTS="127.0.0.1",
            MASSLINE_API_ANON_RATE_LIMIT="0",  # the API limit (60/min per address) would throttle the baseline
            DJANGO_SETTINGS_MODULE="massline.settings.base" if plain else "portal_settings",
            MASSLINE_BENCH_CACHE_URL="" if plain else cache_url,
            PYTHONPATH=str(BENCH),
        )
        cmd = [str(ROOT / ".venv/bin/gunicorn"), "massline.wsgi", "-w", str(workers)]
        cmd += ["-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "--timeout", "120"]
        if threads > 1:
            cmd += ["-k", "gthread", "--threads", str(threads)]
        self.cmd = cmd
        self.log = tempfile.NamedTemporaryFile(prefix="bench-portal-gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout} s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def drain(base: str, limit: float = 60) -> None:
    """Wait until the server has worked off the requests still queued from the last run (sync workers
    keep serving the backlog after the clients are gone), so that runs don't overlap."""
    end = time.monotonic() + limit
    quick = 0
    while quick < 3 and time.monotonic() < end:
        _status, ms, _size = fetch(base + "/api/health")
        quick = quick + 1 if ms < 20 else 0
        time.sleep(0.1)


def fetch(url: str) -> tuple[int, float, int]:
    """(status, milliseconds, bytes) of one GET."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            body = r.read()
            return r.status, (time.perf_counter() - t0) * 1000, len(body)
    except urllib.error.HTTPError as e:
        return e.code, (time.perf_counter() - t0) * 1000, 0


# --- load generators --------------------------------------------------------------------------------


def run_wrk(base: str, paths: list[str], connections: int, seconds: float, threads: int) -> dict:
    lua = WRK_LUA % ", ".join(json.dumps(p) for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t",
                str(min(threads, connections)),
                "-c",
                str(connections),
                "-d",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "30s",
                "-s",
                f.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    line = next(x for x in out.splitlines() if x.startswith("@@"))
    r = json.loads(line[2:])
    return {
        "requests": r["requests"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50": r["p50"] / 1000,
        "p95": r["p95"] / 1000,
        "p99": r["p99"] / 1000,
        "max": r["max"] / 1000,
        "errors": r["errors"],
    }


async def _client(host, port, paths, deadline, lat, errs):
    while time.monotonic() < deadline:
        path = random.choice(paths)
        t0 = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            status = (await reader.readline()).split(b" ")[1]
            while await reader.read(65536):
                pass
            writer.close()
            lat.append((time.perf_counter() - t0) * 1000)
            if not status.startswith(b"2"):
                errs.append(status)
        except (OSError, IndexError) as exc:
            errs.append(exc)


def run_python(base: str, paths: list[str], connections: int, seconds: float, threads: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    lat: list[float] = []
    errs: list = []

    async def main():
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(host, int(port), paths, deadline, lat, errs) for _ in range(connections))
        )

    t0 = time.perf_counter()
    asyncio.run(main())
    wall = time.perf_counter() - t0
    lat.sort()

    def pct(q):
        return lat[min(len(lat) - 1, int(q * len(lat)))] if lat else float("nan")

    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "p50": pct(0.5),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": lat[-1] if lat else float("nan"),
        "errors": len(errs),
    }


# --- the run ----------------------------------------------------------------------------------------


def sample_paths(n_detail: int = 500) -> dict[str, list[str]]:
    """The pages to load, with random existing public references for the detail page."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM workflow_request")
        top = cur.fetchone()[0] or 0
    rng = random.Random(5)
    ids = rng.sample(range(1, top + 1), min(top, n_detail * 3))
    from massline.portal.public import public_requests

    refs = list(public_requests().filter(id__in=ids).values_list("reference", flat=True)[:n_detail])
    return {
        "health (trivial)": ["/api/health"],
        "list": ["/requests/"],
        "list page 2": ["/requests/?page=2"],
        **{f"search {q}": [f"/requests/?q={quote(q)}"] for q in SEARCHES},
        "detail": [f"/requests/{r}/" for r in refs],
        "statistics": ["/statistics/"],
    }


def machine_note() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores (shared), load average {load[0]:.1f} at start"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=200_000, help="requests in the database (default 200k)")
    ap.add_argument("--reload", action="store_true", help="rebuild the database even if it matches")
    ap.add_argument(
        "--db", default="", help="database name, starting massline_bench (default massline_bench_<N/1000>k)"
    )
    ap.add_argument("--seconds", type=float, default=10, help="load time per page (default 10)")
    ap.add_argument("--single-seconds", type=float, default=2, help="one-connection time per page (0: skip)")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4 for 2 cores)")
    ap.add_argument("--threads", type=int, default=1, help="gthread threads per worker (1: sync workers)")
    ap.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto")
    ap.add_argument(
        "--plain-settings",
        action="store_true",
        help="serve with massline.settings.base as is (no persistent connections, no Redis)",
    )
    ap.add_argument(
        "--rare-search", action="store_true", help=f"also load a search that matches nothing ({RARE_SEARCH})"
    )
    ap.add_argument("--only", default="", help="comma-separated page names to measure (default all)")
    ap.add_argument("--drop", action="store_true", help="drop the database at the end")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args(argv)
    args.db = args.db or f"{portal_load.DEFAULT_DB}_{args.requests // 1000}k"
    if not args.db.startswith("massline_bench"):
        ap.error("--db must start with massline_bench (the bench drops and recreates it)")

    loader = args.loader
    if loader == "auto":
        loader = "wrk" if shutil.which("wrk") else "python"
        if loader == "python":
            print("note: wrk not found (apt-get install wrk); using the slower asyncio client", flush=True)
    run_load = run_wrk if loader == "wrk" else run_python

    cache_url = "redis://127.0.0.1:6379/0"
    use_redis = not args.plain_settings and redis_up()
    if not args.plain_settings:
        # This process warms the statistics in the same (Redis) cache the server's workers read.
        os.environ["DJANGO_SETTINGS_MODULE"] = "portal_settings"
        os.environ["MASSLINE_BENCH_CACHE_URL"] = cache_url if use_redis else ""
    try:
        db_url = portal_load.configure(args.db)
        portal_load.database_exists("postgres")
    except Exception as exc:  # noqa: BLE001 - any connection failure means: no PostgreSQL here
        print(f"SKIP: PostgreSQL is not reachable at {portal_load.ADMIN_URL} ({exc})")
        return 0
    note = machine_note()
    load = portal_load.prepare(args.requests, args.db, reload=args.reload)
    if use_redis:
        clear_bench_cache(cache_url)
        from massline.portal import stats

        t0 = time.perf_counter()
        stats.warm()
        load["statistics_warm_seconds"] = time.perf_counter() - t0
        print(
            f"== statistics computed before serving in {load['statistics_warm_seconds']:.1f} s "
            "(massline.portal.stats.warm(), a periodic task's job; later changes refresh in the background)",
            flush=True,
        )
    pages = sample_paths()
    if args.rare_search:
        pages[f"search {RARE_SEARCH} (no match)"] = [f"/requests/?q={quote(RARE_SEARCH)}"]
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        pages = {
            k: v
            for k, v in pages.items()
            if k.split(" ")[0] in wanted or k in wanted or k.startswith("health")
        }
    from django.db import connections

    connections.close_all()

    server = Server(db_url, args.workers, args.threads, cache_url if use_redis else "", args.plain_settings)
    results: dict[str, dict] = {}
    rare_ms = float("nan")
    try:
        server.wait()
        print(f"== server: {' '.join(server.cmd[1:])}", flush=True)
        print(
            f"   settings: {'massline.settings.base' if args.plain_settings else 'bench/portal_settings.py'}"
            f", cache: {'Redis (shared)' if use_redis else 'per-process LocMem'}; loader: {loader}"
            f", {args.connections} connections, {args.seconds:g} s per page; {note}",
            flush=True,
        )
        print("== first request of each page (cold caches)", flush=True)
        for name, paths in pages.items():
            status, ms, size = fetch(server.base + paths[0])
            if status != 200:
                raise SystemExit(f"{name}: {paths[0]} answered {status}")
            print(f"   {name:<24} {ms:8.0f} ms  {size / 1024:6.1f} KiB", flush=True)
            results[name] = {"cold_ms": ms, "bytes": size}
        status, ms, _size = fetch(server.base + f"/requests/?q={quote(RARE_SEARCH)}")
        print(f"   search {RARE_SEARCH} (matches nothing: the whole table is read): {ms:.0f} ms", flush=True)
        rare_ms = ms
        for name, paths in pages.items():
            drain(server.base)
            if args.single_seconds > 0:
                one = run_load(server.base, paths, 1, args.single_seconds, 1)
                results[name]["single_p50"] = one["p50"]
            drain(server.base)
            many = run_load(server.base, paths, args.connections, args.seconds, 2)
            results[name].update(many)
            print(f"   measured {name}: p95 {many['p95']:.1f} ms, {many['rps']:.0f} req/s", flush=True)
    finally:
        server.stop()

    base = results["health (trivial)"]
    print(
        f"\n== {args.requests:,} requests; {args.connections} concurrent clients; goal p95 < {GOAL_P95_MS:g} ms"
    )
    head = f"{'page':<24} {'1 conn p50':>10} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>8} {'err':>5} "
    print(head + f"{'p95 ÷ trivial':>14} {'req/s ÷ trivial':>16}  goal")
    for name, r in results.items():
        single = f"{r['single_p50']:.1f}" if "single_p50" in r else "-"
        print(
            f"{name:<24} {single:>10} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} {r['rps']:8.0f} "
            f"{r['errors']:5d} {r['p95'] / base['p95']:14.1f} {r['rps'] / base['rps']:16.2f}  "
            + ("met" if r["p95"] < GOAL_P95_MS else "MISSED")
        )
    print("(milliseconds; '1 conn p50' is one client alone: the page's own cost without queueing)")
    print(f"one search that matches nothing ({RARE_SEARCH}, the whole table is read): {rare_ms:.0f} ms")
    if "statistics_warm_seconds" in load:
        print(f"statistics computed from scratch (before serving): {load['statistics_warm_seconds']:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "requests": args.requests,
                    "note": note,
                    "load": load,
                    "rare_search_ms": rare_ms,
                    "pages": results,
                },
                indent=1,
            )
        )
    if args.drop:
        portal_load.drop_database(args.db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
