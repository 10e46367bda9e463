"""A private production stack for the fault drills and the load benchmark, all on loopback, all owned here.

- its own PostgreSQL cluster (initdb into a temp dir, its own port) and its own Redis (own port);
- ``massline serve`` in production settings (gunicorn, 3 sync workers) and a Celery worker;
- an aiosmtpd server that records every message it accepts (MASSLINE_EMAIL_URL points at it);
- this process also sets Django up against the same database, to create the API key, count rows and
  poke the outbox.

Nothing shared is touched: the shared PostgreSQL (5432) and Redis (6379) are never contacted. Every process
and directory is removed by ``close()``, at exit, and on SIGTERM/SIGINT.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from massline.testing_services import ServiceGroup, free_port, pg_available, wait_for_port  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


_T0 = time.monotonic()


def say(msg: str) -> None:
    print(f"[{time.monotonic() - _T0:6.1f} s] {msg} ({load_average()})", flush=True)


def cpu_seconds(pids: list[int]) -> float:
    """user+sys CPU seconds the live processes ``pids`` have used so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class SmtpSink:
    """An SMTP server on its own port that counts accepted messages by Message-ID."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.ids: Counter[str] = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
                from email import message_from_bytes

                mid = message_from_bytes(envelope.content).get("Message-ID", "").strip()
                with sink.lock:
                    sink.ids[mid] += 1
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def snapshot(self) -> Counter[str]:
        with self.lock:
            return Counter(self.ids)

    def stop(self) -> None:
        self.controller.stop()


class Stack:
    def __init__(self, name: str, *, web_workers: int = 3, celery_concurrency: int = 2, redis: bool = True):
        why = pg_available()
        if why:
            raise SystemExit(f"{name}: cannot start a private PostgreSQL cluster: {why}")
        self.group = ServiceGroup(prefix=f"massline-{name}-")
        self.web_workers = web_workers
        self.celery_concurrency = celery_concurrency
        self.use_redis = redis
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.redis_proc: subprocess.Popen | None = None
        self.smtp: SmtpSink | None = None
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, frame) -> None:
        self.close()
        raise SystemExit(128 + signum)

    # -- services -------------------------------------------------------------------------------------
    def start(self) -> Stack:
        say(f"private services under {self.group.root}")
        self.pg = self.group.postgres(settings={"max_connections": "200"})
        url = self.pg.create_database("massline")
        self.smtp = SmtpSink()
        self.web_port = free_port()
        var = self.group.root / "var"
        var.mkdir()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MASSLINE_", "DJANGO_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "massline.settings.production",
            "MASSLINE_SECRET_KEY": secrets.token_urlsafe(60),
            "MASSLINE_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # as behind the TLS proxy (deploy/nginx-massline.conf): the client sends X-Forwarded-Proto
            "MASSLINE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "DATABASE_URL": url,
            "MASSLINE_VAR_DIR": str(var),
            "MASSLINE_MODEL_PATH": str(var / "classifier.model"),
            "MASSLINE_EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "MASSLINE_SMS_URL": f"file://{var / 'sms.jsonl'}",
            "MASSLINE_SITE_URL": f"http://127.0.0.1:{self.web_port}",
            "MASSLINE_API_ANON_RATE_LIMIT": "100000000",
            "MASSLINE_LOG_LEVEL": "WARNING",
        }
        self.env.pop("REDIS_URL", None)
        if self.use_redis:
            self.redis_proc, self.redis_port = self.group.redis()
            self.env["REDIS_URL"] = f"redis://127.0.0.1:{self.redis_port}/0"
        os.environ.update(self.env)
        if not self.use_redis:
            os.environ.pop("REDIS_URL", None)
        self._setup_django()
        return self

    def _setup_django(self) -> None:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import transaction

        from massline.api.actions import create_api_key
        from massline.demo.city import build_city, build_staff
        from massline.intake.training import train_default_model

        t = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            build_city()
            build_staff()
        say(f"database migrated and the demo city built in {time.monotonic() - t:.0f} s")
        t = time.monotonic()
        say(f"routing model: {train_default_model()} ({time.monotonic() - t:.0f} s)")
        _, self.api_key = create_api_key("bench-client", rate_limit=100_000_000)

    def start_web(self) -> subprocess.Popen:
        cmd = [str(VENV_BIN / "massline"), "serve", "--addr", f"127.0.0.1:{self.web_port}"]
        self.web = self.group.spawn(cmd, env=self.env, log_name="web.log", cwd=ROOT)
        wait_for_port(self.web_port, 120, self.web)
        deadline = time.monotonic() + 60
        while len(self.gunicorn_workers()) < self.web_workers and time.monotonic() < deadline:
            time.sleep(0.3)
        say(f"massline serve on 127.0.0.1:{self.web_port}: gunicorn workers {self.gunicorn_workers()}")
        return self.web

    def start_worker(self) -> subprocess.Popen:
        cmd = [str(VENV_BIN / "celery"), "-A", "massline.tasks", "worker", "-l", "warning",
               "-c", str(self.celery_concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
               "-n", f"bench{len(self.group.procs)}@%h"]
        self.worker = self.group.spawn(cmd, env=self.env, log_name="worker.log", cwd=ROOT)
        return self.worker

    def kill_worker(self) -> None:
        """kill -9 the Celery worker and its pool processes (its whole process group)."""
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)

    def stop_redis(self) -> None:
        if self.redis_proc is not None:
            self.group.end(self.redis_proc, signal.SIGKILL)

    def restart_redis(self) -> None:
        self.redis_proc = self.group.spawn(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.group.root)], log_name=f"redis-{self.redis_port}b.log")
        wait_for_port(self.redis_port, 15, self.redis_proc)

    def gunicorn_workers(self) -> list[int]:
        """PIDs of gunicorn's worker processes (children of the gunicorn master under massline serve)."""
        if self.web is None:
            return []
        children = _children()
        masters = children.get(self.web.pid, [])
        return sorted(pid for m in masters for pid in children.get(m, []))

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.stop()
            except Exception:
                pass
            self.smtp = None
        self.group.close()

    # -- what is in the database -------------------------------------------------------------------------
    def requests_with_marker(self, marker: str) -> list[tuple[str, str]]:
        """(reference, title) of every stored request whose title carries ``marker``."""
        from django.db import close_old_connections

        from massline.workflow.models import Request

        close_old_connections()
        return list(Request.objects.filter(title__contains=marker).values_list("reference", "title"))


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


# -- the load client ---------------------------------------------------------------------------------------
@dataclass
class Outcome:
    started: float
    seconds: float
    status: int  # 0: no HTTP answer (connection reset, refused, timed out)
    marker: str = ""
    reference: str = ""
    error: str = ""


@dataclass
class LoadResult:
    outcomes: list[Outcome] = field(default_factory=list)

    def acknowledged(self) -> list[Outcome]:
        return [o for o in self.outcomes if 200 <= o.status < 300 and o.reference]

    def by_status(self) -> dict[str, int]:
        return dict(Counter(str(o.status) if o.status else f"no answer ({o.error})" for o in self.outcomes))

    def percentile(self, p: float, ok_only: bool = True) -> float:
        xs = sorted(o.seconds for o in (self.acknowledged() if ok_only else self.outcomes))
        if not xs:
            return float("nan")
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def intake_body(marker: str, n: int) -> bytes:
    texts = (
        "小区门口的路灯坏了两个星期，晚上很黑，老人出门不方便，请尽快维修。",
        "建材市场每天早上五点开始装卸货，噪音很大，影响周边居民休息。",
        "学校附近的人行道被占用停车，孩子上学只能走机动车道，很危险。",
        "楼上住户装修时间过长，周末也在施工，希望有关部门管一管。",
        "公交站台的遮雨棚破损漏水，下雨天候车很不方便。",
    )
    return json.dumps({
        "kind": "complaint",
        "title": f"{marker}-{n} 反映问题",
        "text": texts[n % len(texts)] + f"（编号{n}）",
        "place": {"address": "A1区桂花路12号"},
        "contact": {"name": "测试", "email": f"citizen{n}@example.test"},
    }, ensure_ascii=False).encode()


def run_load(port: int, *, clients: int, seconds: float, max_requests: int, path: str = "/api/requests",
             api_key: str = "", marker: str = "", timeout: float = 30.0) -> LoadResult:
    """``clients`` threads send requests back to back until ``seconds`` pass or ``max_requests`` are sent.
    POST /api/requests with a unique marker in each title (intake), or GET ``path`` (e.g. /api/health)."""
    result = LoadResult()
    lock = threading.Lock()
    counter = iter(range(max_requests))
    deadline = time.monotonic() + seconds
    post = path == "/api/requests"
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    if post:
        headers |= {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"}

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            t0 = time.monotonic()
            out = Outcome(t0, 0.0, 0, marker=f"{marker}-{n}" if post else "")
            try:
                if post:
                    conn.request("POST", path, body=intake_body(marker, n), headers=headers)
                else:
                    conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                out.status = resp.status
                if post and 200 <= resp.status < 300:
                    out.reference = json.loads(data).get("reference", "")
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except Exception as exc:  # no answer: the worker died, the server is down, a timeout
                out.error = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            out.seconds = time.monotonic() - t0
            with lock:
                result.outcomes.append(out)
        conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + timeout + 10)
    return result
