"""Portal, staff pages and intake under load, as ratios to a trivial endpoint, with N requests in PostgreSQL.

    .venv/bin/python bench/bench_portal.py --requests 100000      # 100k requests, 10 s per page
    .venv/bin/python bench/bench_portal.py --requests 1000000     # the 1M figure (load ~5 min once)
    .venv/bin/python bench/bench_portal.py --reload               # rebuild the database
    .venv/bin/python bench/bench_portal.py --requests 1000000 --load-only   # build or migrate it, measure nothing

1. A database of its own (``massline_bench_<N/1000>k`` on 127.0.0.1:5432, user postgres) is created, migrated,
   given the demo city and staff, and bulk-loaded with N requests (see portal_load.py: generated in
   PostgreSQL from real govmsg messages; the workflow actions are bypassed on purpose, since this
   measures reads). A later run reuses it when it was loaded with exactly N requests (the requests the
   intake phase adds do not count).
2. gunicorn serves the app on a free loopback port (DEBUG off; bench/portal_settings.py adds persistent
   database connections and, when Redis answers on 127.0.0.1:6379, a cache shared by the workers: the
   statistics and the page cache, massline/pagecache).
3. ``wrk`` (Debian package wrk; a small asyncio client is the fallback) holds 50 connections open for
   a fixed time per page and reports p50/p95/p99 and throughput. The trivial endpoint ``/api/health``
   is measured in the same run, on the same server, before each group of pages: every page is printed
   beside it, as a share of its throughput and a multiple of its p95, with the goals of issue #13:

   - anonymous pages (list, search, detail, statistics, report): >= 50 % of the throughput, p95 <= 3x;
   - staff queue pages and the dashboard (a signed-in session cookie): >= 25 % of the throughput;
   - intake, Open311 POST and REST POST (an API key; each body a different real message): >= 30 %.

   One connection alone is also timed per page, which is the page's own cost without queueing. The
   anonymous detail page is loaded over 500 different requests, so its first visits are cache misses.

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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import portal_load  # noqa: E402

GOAL_P95_MS = 50.0
SEARCHES = ["噪音扰民", "路燈"]  # a two-word query, and one word in Traditional (the data is Simplified)
RARE_SEARCH = "量子纠缠"  # matches nothing: the whole table is searched

# Placeholders (__PATHS__ …) are filled with Lua string literals (ASCII: JSON's escapes are Lua's).
WRK_LUA = r"""
local paths = {__PATHS__}
local bodies = {__BODIES__}
local headers = {__HEADERS__}
local method = __METHOD__
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
request = function()
  local body = nil
  if #bodies > 0 then
    counter = counter + 1
    body = (string.gsub(bodies[math.random(#bodies)], "@N@", counter .. "-" .. math.random(1000000000)))
  end
  return wrk.format(method, paths[math.random(#paths)], headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format(
    '@@{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "max": %d, "errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
      + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout))
end
"""

ANONYMOUS, STAFF, INTAKE, TRIVIAL = "anonymous", "staff", "intake", "trivial"
# issue #13: (least share of /api/health's throughput, most multiple of its p95)
GOALS = {ANONYMOUS: (0.50, 3.0), STAFF: (0.25, None), INTAKE: (0.30, None)}


@dataclass
class Load:
    """One thing to measure: paths picked at random, the same headers, and for a POST bodies picked at
    random in which ``@N@`` becomes a counter (so that no two submissions are the same text)."""

    name: str
    group: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    method: str = "GET"
    bodies: list[str] = field(default_factory=list)


def _lua(value: str) -> str:
    return json.dumps(value)  # ensure_ascii: a JSON string literal is a valid Lua one


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


def clear_bench_cache(url: str, prefix: str) -> None:
    """Drop this run's own keys (``prefix``: its database's name) from the shared Redis, nothing else."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


# --- the server -------------------------------------------------------------------------------------


class Server:
    def __init__(self, db_url: str, workers: int, threads: int, cache_url: str, plain: bool, extra_env=None):
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
        env.update(extra_env or {})
        self.env = env
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


class Worker:
    """Intake as in production: a private Redis (its own port) as the Celery broker of the server and of one
    ``massline worker`` process, which routes the submissions after they are answered (intake.deferred)."""

    def __init__(self, concurrency: int = 1):
        from massline.testing_services import ServiceGroup

        self.group = ServiceGroup("bench-portal-")
        self.group.__enter__()
        _proc, port = self.group.redis()
        self.broker = f"redis://127.0.0.1:{port}/0"
        self.concurrency = concurrency
        self.proc: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        cmd = [str(ROOT / ".venv/bin/celery"), "-A", "massline.tasks", "worker", "-l", "warning"]
        cmd += ["-c", str(self.concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"]
        cmd += ["-n", "bench-portal@%h"]
        self.proc = self.group.spawn(cmd, env=env, log_name="worker.log", cwd=ROOT)

    def stop(self) -> None:
        self.group.close()


def pending_routing() -> int:
    from massline.intake.models import PendingRouting

    return PendingRouting.objects.count()


def drain(base: str, limit: float = 60) -> None:
    """Wait until the server has worked off the requests still queued from the last run (sync workers
    keep serving the backlog after the clients are gone), so that runs don't overlap."""
    end = time.monotonic() + limit
    quick = 0
    while quick < 3 and time.monotonic() < end:
        try:
            _status, ms, _size = fetch(base + "/api/health")
        except OSError:  # a timeout: the server is still busy with the backlog
            ms = float("inf")
        quick = quick + 1 if ms < 20 else 0
        time.sleep(0.1)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, float, int]:
    """(status, milliseconds, bytes) of one GET."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=120) as r:
            body = r.read()
            return r.status, (time.perf_counter() - t0) * 1000, len(body)
    except urllib.error.HTTPError as e:
        return e.code, (time.perf_counter() - t0) * 1000, 0


# --- load generators --------------------------------------------------------------------------------


def run_wrk(base: str, load: Load, connections: int, seconds: float, threads: int) -> dict:
    lua = (
        WRK_LUA.replace("__PATHS__", ", ".join(_lua(p) for p in load.paths))
        .replace("__BODIES__", ", ".join(_lua(b) for b in load.bodies))
        .replace("__HEADERS__", ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in load.headers.items()))
        .replace("__METHOD__", _lua(load.method))
    )
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


async def _client(host, port, load: Load, deadline, lat, errs):
    counter = 0
    while time.monotonic() < deadline:
        path = random.choice(load.paths)
        body = b""
        if load.bodies:
            counter += 1
            body = random.choice(load.bodies).replace("@N@", f"{counter}-{random.randrange(10**9)}").encode()
        head = "".join(f"{k}: {v}\r\n" for k, v in load.headers.items())
        t0 = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(
                f"{load.method} {path} HTTP/1.1\r\nHost: {host}\r\n{head}Content-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n".encode()
                + body
            )
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


def run_python(base: str, load: Load, connections: int, seconds: float, threads: int) -> dict:
    host, port = base.removeprefix("http://").split(":")
    lat: list[float] = []
    errs: list = []

    async def main():
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(_client(host, int(port), load, deadline, lat, errs) for _ in range(connections))
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


def anonymous_loads(loaded: int, n_detail: int = 500) -> list[Load]:
    """The public pages, with random public references among the ``loaded`` requests for the detail page
    (the same ones in every run: the requests the intake phase adds are not drawn)."""
    from massline.portal.public import public_requests
    from massline.portal.stats import latest_month

    ids = portal_load.detail_sample(loaded, n_detail)
    refs = list(public_requests().filter(id__in=ids).values_list("reference", flat=True)[:n_detail])
    return [
        Load("list", ANONYMOUS, ["/requests/"]),
        Load("list page 2", ANONYMOUS, ["/requests/?page=2"]),  # the real "next" link once serving
        *(Load(f"search {q}", ANONYMOUS, [f"/requests/?q={quote(q)}"]) for q in SEARCHES),
        Load("detail", ANONYMOUS, [f"/requests/{r}/" for r in refs]),
        Load("statistics", ANONYMOUS, ["/statistics/"]),
        Load("report", ANONYMOUS, [f"/report/{latest_month()}/"]),
    ]


def staff_cookie(username: str) -> dict[str, str]:
    """A signed-in session for ``username`` (a demo login), as the Cookie header of every request."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def staff_loads() -> list[Load]:
    dispatcher, unit_staff = staff_cookie("dispatcher"), staff_cookie("staff-housing")
    supervisor = staff_cookie("supervisor")
    return [
        Load("staff dispatch queue", STAFF, ["/staff/queue/"], dispatcher),
        Load("staff unit queue", STAFF, ["/staff/unit/"], unit_staff),
        Load("staff all requests", STAFF, ["/staff/requests/"], dispatcher),
        Load("staff dashboard", STAFF, ["/staff/dashboard/"], supervisor),
    ]


def intake_loads(n_texts: int = 200) -> list[Load]:
    """Open311 and REST submissions of real messages (each with a counter, so no two are the same)."""
    from massline.api.actions import create_api_key
    from massline.workflow.models import Category

    _key, raw = create_api_key(f"bench_portal intake {time.time_ns()}")  # one per run
    code = (
        Category.objects.filter(level=1, default_unit__isnull=False)
        .order_by("id")
        .values_list("code", flat=True)
        .first()
    )
    texts, _replies, _real = portal_load._messages(limit=n_texts, seed=11)
    open311 = [
        urlencode(
            {
                "api_key": raw,
                "service_code": code,
                "lat": "28.2",
                "long": "112.9",
                "description": f"{text} (@N@)",
            }
        )
        for _title, text in texts
    ]
    rest = [json.dumps({"title": title, "text": f"{text} (@N@)", "category": code}) for title, text in texts]
    return [
        Load(
            "Open311 POST intake",
            INTAKE,
            ["/api/open311/v2/requests.json"],
            {"Content-Type": "application/x-www-form-urlencoded"},
            "POST",
            open311,
        ),
        Load(
            "REST POST intake",
            INTAKE,
            ["/api/requests"],
            {"Content-Type": "application/json", "Authorization": f"Bearer {raw}"},
            "POST",
            rest,
        ),
    ]


def next_page_path(base: str) -> str | None:
    """The list's own "next" link (an opaque cursor or a page number, whichever the list uses)."""
    import html
    import re

    with urllib.request.urlopen(base + "/requests/", timeout=120) as r:
        page = r.read().decode()
    found = re.search(r'<a rel="next" href="([^"]+)"', page)
    return "/requests/" + html.unescape(found.group(1)) if found else None


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
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated page names or groups (anonymous, staff, intake) to measure",
    )
    ap.add_argument("--no-staff", action="store_true", help="leave out the staff pages")
    ap.add_argument("--no-intake", action="store_true", help="leave out the POST intake (it adds requests)")
    ap.add_argument(
        "--inline-intake",
        action="store_true",
        help="no broker and no worker: route each submission inside its request, as without Redis",
    )
    ap.add_argument("--drop", action="store_true", help="drop the database at the end")
    ap.add_argument(
        "--load-only", action="store_true", help="build (or migrate) the database, then stop without serving"
    )
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
    os.environ["MASSLINE_SECRET_KEY"] = (
        "bench"  # the server's: the staff sessions made here must verify there
    )
    # Keys under the database's name: runs on other bench databases (the 100k and the 1M one, or another
    # session's run) neither read nor clear each other's cached pages.
    os.environ["MASSLINE_BENCH_CACHE_PREFIX"] = args.db
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
    load_info = portal_load.prepare(args.requests, args.db, reload=args.reload)
    if args.load_only:
        print(f"== {args.db} ready ({note}); --load-only: nothing measured", flush=True)
        return 0
    if use_redis:
        clear_bench_cache(cache_url, args.db)
        from massline.portal import stats

        t0 = time.perf_counter()
        stats.warm()
        load_info["statistics_warm_seconds"] = time.perf_counter() - t0
        print(
            f"== statistics computed before serving in {load_info['statistics_warm_seconds']:.1f} s "
            "(massline.portal.stats.warm(), a periodic task's job; later changes refresh in the background)",
            flush=True,
        )
    loads = anonymous_loads(args.requests)
    if args.rare_search:
        loads.append(
            Load(f"search {RARE_SEARCH} (no match)", ANONYMOUS, [f"/requests/?q={quote(RARE_SEARCH)}"])
        )
    if not args.no_staff:
        loads += staff_loads()
    if not args.no_intake:
        loads += intake_loads()
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        loads = [
            ld for ld in loads if ld.name in wanted or ld.name.split(" ")[0] in wanted or ld.group in wanted
        ]
    from django.db import connections

    connections.close_all()

    env = {"MASSLINE_API_RATE_LIMIT": "0"}  # one key submits for all 50 clients
    worker = None
    # the worker also detects the dashboard's hot issues (without a broker the page does, which at 1M
    # takes longer than gunicorn's timeout): started for the staff pages too
    if any(ld.group in (INTAKE, STAFF) for ld in loads) and not args.inline_intake:
        worker = Worker()
        env["CELERY_BROKER_URL"] = worker.broker  # tasks go to the worker; intake defers routing to it
    server = Server(
        db_url, args.workers, args.threads, cache_url if use_redis else "", args.plain_settings, env
    )
    if worker is not None:
        worker.start(server.env)
    results: dict[str, dict] = {}
    health: list[dict] = []
    rare_ms = float("nan")
    trivial = Load("health (trivial)", TRIVIAL, ["/api/health"])

    def measure(load: Load) -> dict:
        out: dict = {"group": load.group}
        drain(server.base)
        if args.single_seconds > 0:
            out["single_p50"] = run_load(server.base, load, 1, args.single_seconds, 1)["p50"]
        drain(server.base)
        out.update(run_load(server.base, load, args.connections, args.seconds, 2))
        return out

    try:
        server.wait(300)
        print(f"== server: {' '.join(server.cmd[1:])}", flush=True)
        print(
            "   intake: "
            + (
                f"routing deferred to a Celery worker ({worker.concurrency} process, broker {worker.broker}); "
                "the POST answers once the request is stored"
                if worker is not None
                else "routed inside each POST (no broker)"
            ),
            flush=True,
        )
        print(
            f"   settings: {'massline.settings.base' if args.plain_settings else 'bench/portal_settings.py'}"
            f", cache: {'Redis (shared)' if use_redis else 'per-process LocMem'}; loader: {loader}"
            f", {args.connections} connections, {args.seconds:g} s per page; {note}",
            flush=True,
        )
        following = next_page_path(server.base)
        for load in loads:
            if load.name == "list page 2" and following:
                load.paths = [following]
        print("== first request of each page (cold caches)", flush=True)
        for load in loads:
            if load.method != "GET":
                continue
            try:
                status, ms, size = fetch(server.base + load.paths[0], load.headers)
            except TimeoutError:  # bounded: the page is measured under load all the same
                print(f"   {load.name:<24} no answer within 120 s", flush=True)
                results[load.name] = {"cold_ms": float("inf"), "bytes": 0}
                continue
            # an error is noted, not fatal: the page is measured under load all the same (its errors counted)
            note = "" if status == 200 else f"  answered {status}"
            print(f"   {load.name:<24} {ms:8.0f} ms  {size / 1024:6.1f} KiB{note}", flush=True)
            results[load.name] = {"cold_ms": ms, "bytes": size, "cold_status": status}
        status, ms, _size = fetch(server.base + f"/requests/?q={quote(RARE_SEARCH)}")
        print(f"   search {RARE_SEARCH} (matches nothing): {ms:.0f} ms", flush=True)
        rare_ms = ms
        group = None
        for load in loads:
            if load.group != group:  # the baseline again before each group: the box is shared
                group = load.group
                health.append(measure(trivial))
                print(
                    f"   measured /api/health: p95 {health[-1]['p95']:.1f} ms, {health[-1]['rps']:.0f} req/s"
                )
            results.setdefault(load.name, {}).update(measure(load))
            r = results[load.name]
            print(f"   measured {load.name}: p95 {r['p95']:.1f} ms, {r['rps']:.0f} req/s", flush=True)
        health.append(measure(trivial))
        if worker is not None:
            routing = wait_for_routing()
            results["(routing after intake)"] = routing
    finally:
        server.stop()
        if worker is not None:
            worker.stop()

    base = {
        "rps": sum(h["rps"] for h in health) / len(health),
        "p95": sum(h["p95"] for h in health) / len(health),
    }
    table = report(results, base, health, args)
    print(table)
    print(f"one search that matches nothing ({RARE_SEARCH}, served once, cold): {rare_ms:.0f} ms")
    if "statistics_warm_seconds" in load_info:
        print(
            f"statistics computed from scratch (before serving): {load_info['statistics_warm_seconds']:.1f} s"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "requests": args.requests,
                    "note": note,
                    "load": load_info,
                    "rare_search_ms": rare_ms,
                    "health_runs": health,
                    "baseline": base,
                    "pages": results,
                },
                indent=1,
            )
        )
    if args.drop:
        portal_load.drop_database(args.db)
    return 0


def wait_for_routing(limit: float = 300) -> dict:
    """After the intake loads: how long the worker takes to route what is still pending."""
    t0 = time.perf_counter()
    left = pending_routing()
    first = left
    while left and time.perf_counter() - t0 < limit:
        time.sleep(1)
        left = pending_routing()
    seconds = time.perf_counter() - t0
    print(
        f"   routing: {first} submissions still pending when the load ended; {first - left} routed by the "
        f"worker in {seconds:.0f} s, {left} left",
        flush=True,
    )
    return {"pending_at_end": first, "left": left, "seconds": seconds}


def verdict(r: dict, base: dict) -> str:
    goal = GOALS.get(r["group"])
    if goal is None:
        return ""
    share, p95_times = goal
    ok = r["rps"] / base["rps"] >= share and (p95_times is None or r["p95"] / base["p95"] <= p95_times)
    want = f">= {share:.0%} of req/s" + (f", p95 <= {p95_times:g}x" if p95_times else "")
    return f"{'PASS' if ok else 'FAIL'} ({want})"


def report(results: dict[str, dict], base: dict, health: list[dict], args) -> str:
    """The figures as a Markdown table, each page beside /api/health (the mean of its runs)."""
    spread = ", ".join(f"{h['rps']:.0f}" for h in health)
    lines = [
        f"\n== {args.requests:,} requests; {args.connections} concurrent clients, {args.seconds:g} s per page; "
        f"/api/health {base['rps']:.0f} req/s, p95 {base['p95']:.1f} ms (mean of {len(health)} runs: {spread} req/s)",
        "",
        "| page | group | 1 conn p50 | p50 | p95 | p99 | req/s | errors | share of /api/health | p95 ÷ /api/health | goal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in results.items():
        if "rps" not in r:
            continue
        single = f"{r['single_p50']:.1f}" if "single_p50" in r else "-"
        lines.append(
            f"| {name} | {r['group']} | {single} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
            f"{r['rps']:.0f} | {r['errors']} | {r['rps'] / base['rps']:.0%} | {r['p95'] / base['p95']:.1f} | "
            f"{verdict(r, base)} |"
        )
    lines.append("(milliseconds; '1 conn p50' is one client alone: the page's own cost without queueing)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
