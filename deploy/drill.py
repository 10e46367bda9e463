"""Try the production steps of docs/operations.md on private services (nothing shared is touched):

  1. nginx in front of gunicorn: `nginx -t` on deploy/nginx-massline.conf, then nginx (TLS, self-signed) on
     a private port proxying to `massline serve`; /api/health and the portal's list over HTTPS.
  2. PgBouncer (transaction pooling) on a private port in front of a private cluster: migrations, the demo
     city, an Open311-style submission and public pages, all through it, with server-side cursors off.
  3. Backup and restore: pg_dump -Fc, pg_restore into a second database, row counts of every table and a
     checksum of the key tables compared.
  4. Migrations on upgrade: on the restored copy, the latest migration of each app is rolled back and
     `migrate` brings it forward again (what an upgrade does), with `migrate --check` before and after.
  5. Celery workers on several processes: two workers (-n w1, w2) take a burst of tasks from one queue.

    .venv/bin/python deploy/drill.py

Bounded (each wait has a deadline) and cleaned up at the end, even on failure.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _stack import VENV_BIN, say  # noqa: E402

from massline.testing_services import ServiceGroup, free_port, pg_available, wait_for_port  # noqa: E402

KEY_TABLES = ("workflow_request", "workflow_auditevent", "workflow_category", "workflow_unit", "auth_user")


def sh(*cmd: str, env: dict | None = None, timeout: float = 300, check: bool = True) -> str:
    done = subprocess.run(list(cmd), env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {done.stderr.strip()[-1500:]}")
    return done.stdout + done.stderr


def pgbouncer(group: ServiceGroup, pg_port: int) -> int:
    port = free_port()
    home = group.root / "pgbouncer"
    home.mkdir()
    conf = home / "pgbouncer.ini"
    users = home / "userlist.txt"
    users.write_text('"postgres" ""\n', encoding="utf-8")
    text = (ROOT / "deploy" / "pgbouncer.ini").read_text(encoding="utf-8")
    text = (text.replace("port=5432", f"port={pg_port}").replace("listen_port = 6432", f"listen_port = {port}")
            .replace("auth_type = scram-sha-256", "auth_type = trust")
            .replace("/etc/pgbouncer/userlist.txt", str(users)))
    text += f"admin_users = postgres\nunix_socket_dir = {home}\nlogfile = {home / 'pgbouncer.log'}\n"
    conf.write_text(text, encoding="utf-8")
    cmd = ["pgbouncer", str(conf)]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root
        for p in (home, conf, users):
            shutil.chown(p, "postgres")
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    proc = group.spawn(cmd, log_name="pgbouncer.out")
    wait_for_port(port, 15, proc)
    return port


def table_figures(url: str) -> dict[str, tuple[int, str]]:
    import psycopg

    out = {}
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY tablename")]
        for t in tables:
            n = conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            digest = ""
            if t in KEY_TABLES:
                h = hashlib.sha256()
                for row in conn.execute(f'SELECT t::text FROM "{t}" t ORDER BY id'):
                    h.update(row[0].encode())
                digest = h.hexdigest()[:16]
            out[t] = (n, digest)
    return out


def main() -> int:
    why = pg_available()
    if why:
        print(f"drill: {why}")
        return 2
    with ServiceGroup(prefix="massline-drill-") as group:
        for sig in (signal.SIGTERM, signal.SIGINT):  # a stopped drill still cleans up
            signal.signal(sig, lambda signum, frame: (group.close(), sys.exit(128 + signum)))
        pg = group.postgres()
        pg.create_database("massline")
        bouncer = pgbouncer(group, pg.port)
        say(f"own PostgreSQL on {pg.port}, PgBouncer (transaction pooling) on {bouncer}")
        var = group.root / "var"
        var.mkdir()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MASSLINE_", "DJANGO_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "massline.settings.production",
            "MASSLINE_SECRET_KEY": "drill-" + "k" * 10 + hashlib.sha256(os.urandom(16)).hexdigest(),
            "MASSLINE_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "MASSLINE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{bouncer}/massline",
            "MASSLINE_DB_DISABLE_SERVER_SIDE_CURSORS": "1",
            "MASSLINE_VAR_DIR": str(var),
            "MASSLINE_EMAIL_URL": f"file://{var / 'mail'}",
            "MASSLINE_NOTIFY": "1",
        }
        env.pop("REDIS_URL", None)
        # 2. through PgBouncer: migrate, the demo city and 150 requests (import), a submission, public pages
        t = time.monotonic()
        sh(str(VENV_BIN / "python"), "-c", SEED, env=env, timeout=600)
        say(f"through PgBouncer: migrated, demo city, 150 imported requests, API submission ({time.monotonic() - t:.0f} s)")
        pools = pg.psql("SELECT 1")  # the cluster itself is up
        stats = sh("psql", "-h", "127.0.0.1", "-p", str(bouncer), "-U", "postgres", "pgbouncer", "-tAc",
                   "SHOW STATS", check=False)
        say(f"pgbouncer SHOW STATS (massline row): {[ln for ln in stats.splitlines() if ln.startswith('massline')]}")
        del pools

        # 1. nginx in front of massline serve
        web_port, tls_port = free_port(), free_port()
        web = group.spawn([str(VENV_BIN / "massline"), "serve", "--addr", f"127.0.0.1:{web_port}"], env=env,
                          log_name="web.log")
        site = (ROOT / "deploy" / "nginx-massline.conf").read_text(encoding="utf-8")
        cert, key = group.root / "cert.pem", group.root / "key.pem"
        sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
           "-keyout", str(key), "-out", str(cert))
        site = (site.replace("127.0.0.1:8000", f"127.0.0.1:{web_port}")
                .replace("listen 80;", f"listen 127.0.0.1:{free_port()};").replace("listen [::]:80;", "")
                .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;")
                .replace("listen [::]:443 ssl http2;", "")
                .replace("/etc/ssl/certs/massline.pem", str(cert)).replace("/etc/ssl/private/massline.key", str(key))
                .replace("/srv/massline/staticfiles/", str(ROOT / "massline" / "static") + "/"))
        (group.root / "site.conf").write_text(site, encoding="utf-8")
        (group.root / "nginx.conf").write_text(
            f"pid {group.root / 'nginx.pid'};\nerror_log {group.root / 'nginx-error.log'};\n"
            "worker_processes 1;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n"
            f"  access_log {group.root / 'nginx-access.log'};\n"
            f"  client_body_temp_path {group.root}; proxy_temp_path {group.root};\n"
            f"  include {group.root / 'site.conf'};\n}}\n", encoding="utf-8")
        if shutil.which("nginx"):
            say("nginx -t: " + sh("nginx", "-t", "-c", str(group.root / "nginx.conf")).strip().replace("\n", " | "))
            nginx = group.spawn(["nginx", "-c", str(group.root / "nginx.conf"), "-g", "daemon off;"],
                                log_name="nginx.out")
            wait_for_port(tls_port, 15, nginx)
            wait_for_port(web_port, 120, web)
            ctx = ssl.create_default_context(cafile=str(cert))
            ctx.check_hostname = False
            for path in ("/api/health", "/api/open311/v2/requests.json", "/static/massline/massline.css"):
                with urllib.request.urlopen(f"https://127.0.0.1:{tls_port}{path}", context=ctx, timeout=60) as r:
                    say(f"nginx → gunicorn  GET https://127.0.0.1:{tls_port}{path}: {r.status}, "
                        f"{len(r.read())} bytes, HSTS {'yes' if r.headers.get('Strict-Transport-Security') else 'no'}")
        else:
            say("nginx is not installed (apt-get install nginx): skipped")

        # 3. backup and restore drill, straight on the cluster
        direct = pg.url("massline")
        dump = group.root / "massline.dump"
        pg_bin = Path("/usr/lib/postgresql/15/bin")
        t = time.monotonic()
        sh(str(pg_bin / "pg_dump"), "-Fc", "-f", str(dump), direct)
        pg.create_database("massline_restore")
        sh(str(pg_bin / "pg_restore"), "--no-owner", "-d", pg.url("massline_restore"), str(dump))
        before, after = table_figures(direct), table_figures(pg.url("massline_restore"))
        differing = [t for t in before if before[t] != after.get(t)]
        say(f"backup/restore: dump {dump.stat().st_size // 1024} KiB, {len(before)} tables, "
            f"{sum(n for n, _ in before.values())} rows; differing tables: {differing or 'none'}; "
            f"key tables {[f'{t}={before[t][0]} rows sha256:{before[t][1]}' for t in KEY_TABLES]} "
            f"({time.monotonic() - t:.0f} s)")

        # 4. migrations on upgrade, on the restored copy
        renv = {**env, "DATABASE_URL": pg.url("massline_restore")}
        rolled = sh(str(VENV_BIN / "python"), "-c", ROLLBACK, env=renv, timeout=600).strip()
        check = sh(str(VENV_BIN / "python"), "-m", "django", "migrate", "--check", env=renv, check=False)
        say(f"upgrade: rolled back {rolled}; migrate --check now says: {check.strip().splitlines()[-1:]}")
        t = time.monotonic()
        sh(str(VENV_BIN / "python"), "-m", "django", "migrate", "-v", "0", env=renv, timeout=600)
        ok = subprocess.run([str(VENV_BIN / "python"), "-m", "django", "migrate", "--check"], env=renv, cwd=ROOT,
                            capture_output=True, timeout=300).returncode == 0
        after_up = table_figures(pg.url("massline_restore"))
        kept = all(after_up[t][0] == before[t][0] for t in KEY_TABLES)
        say(f"upgrade: migrate applied them in {time.monotonic() - t:.0f} s; migrate --check passes: {ok}; "
            f"key tables' rows kept: {kept}")

        # 5. Celery workers on several processes
        redis, rport = group.redis()
        wenv = {**env, "REDIS_URL": f"redis://127.0.0.1:{rport}/0", "DATABASE_URL": direct}
        workers = [group.spawn([str(VENV_BIN / "celery"), "-A", "massline.tasks", "worker", "-c", "1", "-n", f"w{i}@%h",
                                "-l", "info", "--without-gossip", "--without-mingle"], env=wenv, log_name=f"w{i}.log")
                   for i in (1, 2)]
        out = sh(str(VENV_BIN / "python"), "-c", BURST, env=wenv, timeout=300)
        deadline = time.monotonic() + 120
        while True:
            counts = {f"w{i}": (group.root / f"w{i}.log").read_text(errors="replace").count("succeeded in")
                      for i in (1, 2)}
            if sum(counts.values()) >= 20 or time.monotonic() > deadline:
                break
            time.sleep(1)
        say(f"two Celery workers (one process each): {out.strip()}; tasks done per worker {counts}")
        del workers, redis
    return 0


SEED = r"""
import django; django.setup()
from django.core.management import call_command
from django.db import transaction
call_command("migrate", verbosity=0, interactive=False)
from massline.demo.city import build_city, build_staff
with transaction.atomic():
    build_city(); build_staff()
import csv, pathlib, tempfile
from massline.shared_data import shared_data_dir
src = shared_data_dir() / "govmsg" / "attachment2_testset_2801_unlabeled.csv"
tmp = pathlib.Path(tempfile.mkdtemp()) / "slice.csv"
with open(src, encoding="utf-8-sig", newline="") as a, open(tmp, "w", encoding="utf-8", newline="") as b:
    r, w = csv.reader(a), csv.writer(b)
    for i, row in enumerate(r):
        if i > 150: break
        w.writerow(row)
from massline.intake.importer import import_file
print(import_file(tmp, auto_route=False).imported)
from massline.api.actions import create_api_key
_, key = create_api_key("drill")
from django.test import Client
c = Client(HTTP_X_FORWARDED_PROTO="https")
r = c.post("/api/requests", {"kind": "complaint", "title": "PgBouncer drill", "text": "路灯坏了，请维修。",
           "contact": {"email": "a@example.test"}}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
assert r.status_code == 201, r.content
for path in ("/api/open311/v2/requests.json", "/api/open311/v2/services.json"):
    assert c.get(path).status_code == 200, path
"""

ROLLBACK = r"""
import django; django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
loader = MigrationLoader(connection)
done = []
apps = sorted({a for a, n in loader.disk_migrations if a.startswith(("workflow", "notify", "api", "intake"))})
for app in apps:
    names = sorted(n for a, n in loader.disk_migrations if a == app)
    if len(names) >= 2 and len(done) < 2:
        call_command("migrate", app, names[-2], verbosity=0)
        done.append(f"{app}.{names[-1]}")
print(", ".join(done))
"""

BURST = r"""
import django; django.setup()
from massline.notify.tasks import relay_due
for _ in range(20):
    relay_due.delay()
print("20 relay_due tasks queued")
"""

if __name__ == "__main__":
    raise SystemExit(main())
