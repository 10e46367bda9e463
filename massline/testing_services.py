"""Private, throw-away services for tests, fault drills and load benchmarks: a PostgreSQL cluster, a Redis
server and any child process, each on its own loopback port, each stopped and deleted by its owner.

Nothing here touches a shared service: a cluster is ``initdb``-ed into a fresh temporary directory and
started with ``pg_ctl`` on the port it is given; Redis is started with ``--save ""`` on its own port. When
this runs as root (CI), PostgreSQL runs as the ``postgres`` OS user, since it refuses to run as root.

    with ServiceGroup() as group:
        pg = group.postgres(port=5544)
        pg.create_database("massline")
        ...  # every process and directory is gone after the block, even on an exception
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PG_BIN = Path(os.environ.get("MASSLINE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def pg_available() -> str:
    """An empty string when a private cluster can be started here, else the reason why not."""
    for tool in ("initdb", "pg_ctl", "postgres", "pg_basebackup"):
        if not (PG_BIN / tool).exists():
            return f"{PG_BIN / tool} is missing (install PostgreSQL 15 or set MASSLINE_PG_BIN)"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser: PostgreSQL cannot be started as root"
    return ""


def free_port(preferred: int = 0) -> int:
    """``preferred`` if nothing listens on it on 127.0.0.1, else a free port the kernel picks."""
    for candidate in (preferred, 0) if preferred else (0,):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def wait_for_port(port: int, timeout: float = 30.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process {proc.args!r} exited with {proc.returncode} before listening")
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def _as_pg_user(cmd: Sequence[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else list(cmd)


class LocalPostgres:
    """One PostgreSQL cluster in its own directory, listening on 127.0.0.1:``port`` only."""

    def __init__(self, root: Path, port: int, name: str = "pg", settings: dict[str, str] | None = None):
        self.root = root / name
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "server.log"
        self.port = port
        self.settings = settings or {}

    def _run(self, *cmd: str, timeout: float = 120) -> str:
        done = subprocess.run(_as_pg_user(cmd), capture_output=True, text=True, timeout=timeout)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
        return done.stdout

    def _own_dirs(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")

    def init(self) -> LocalPostgres:
        self.root.mkdir(parents=True, exist_ok=True)
        self._own_dirs()
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.configure({"wal_level": "replica", "max_wal_senders": "4", **self.settings})
        with open(self.data / "pg_hba.conf", "a", encoding="utf-8") as fh:
            fh.write("host replication all 127.0.0.1/32 trust\n")
        return self

    def configure(self, extra: dict[str, str]) -> None:
        base = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.socket_dir}'",
            "logging_collector": "off",
        }
        lines = [f"{k} = {v}" for k, v in {**base, **extra}.items()]
        with open(self.data / "postgresql.auto.conf", "a", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")

    def start(self, timeout: float = 60) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", str(int(timeout)), "start", timeout=timeout + 10)

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, mode: str = "fast") -> None:
        self.stop(mode)
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=10) as conn:
            cur = conn.execute(sql)
            rows = cur.fetchall() if cur.description else []
        return "\n".join("|".join("" if v is None else str(v) for v in row) for row in rows)

    def create_database(self, name: str) -> str:
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def replica(self, port: int, name: str = "replica") -> LocalPostgres:
        """A streaming replica of this (running) cluster: ``pg_basebackup -R``, then its own port."""
        rep = LocalPostgres(self.root.parent, port, name)
        rep.root.mkdir(parents=True, exist_ok=True)
        rep._own_dirs()
        self._run(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-D", str(rep.data), "-R", "-X", "stream", "-c", "fast", "--no-sync")
        rep.configure({"hot_standby": "on"})
        return rep


class ServiceGroup:
    """Owns temp directories and child processes; ``close()`` (or leaving the ``with``) ends them all,
    and so does interpreter exit, so a failed run leaves nothing behind."""

    def __init__(self, prefix: str = "massline-svc-"):
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        os.chmod(self.root, 0o755)
        self.clusters: list[LocalPostgres] = []
        self.procs: list[subprocess.Popen] = []
        self._closed = False
        atexit.register(self.close)

    def __enter__(self) -> ServiceGroup:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def postgres(self, port: int = 0, name: str = "pg", settings: dict[str, str] | None = None) -> LocalPostgres:
        pg = LocalPostgres(self.root, free_port(port), name, settings)
        self.clusters.append(pg)
        pg.init()
        pg.start()
        return pg

    def adopt(self, pg: LocalPostgres) -> LocalPostgres:
        self.clusters.append(pg)
        return pg

    def spawn(self, cmd: Sequence[str], *, env: dict[str, str] | None = None, log_name: str = "",
              cwd: str | Path | None = None) -> subprocess.Popen:
        """Start a child in its own process group (so kill -9 of its group reaches its children)."""
        log = open(self.root / (log_name or f"proc{len(self.procs)}.log"), "ab")  # noqa: SIM115
        proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def redis(self, port: int = 0) -> tuple[subprocess.Popen, int]:
        port = free_port(port)
        proc = self.spawn(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                           "--appendonly", "no", "--dir", str(self.root)], log_name=f"redis-{port}.log")
        wait_for_port(port, 15, proc)
        return proc, port

    @staticmethod
    def end(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
        """Stop a child this group started, and its process group."""
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for proc in reversed(self.procs):
            try:
                self.end(proc)
            except Exception:  # keep cleaning up the rest
                pass
        for pg in reversed(self.clusters):
            try:
                pg.stop("immediate")
            except Exception:
                pass
        shutil.rmtree(self.root, ignore_errors=True)
