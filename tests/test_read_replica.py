"""A streaming read replica serves the public pages (massline/db_router.py, enabled by MASSLINE_REPLICA_URL).

The test starts its own primary and its own streaming replica (``pg_basebackup -R``) on free loopback ports,
migrates the primary, submits a request there, waits until the replica has replayed it, and then:

- the public list shows the request, and the replica's statement log holds the page's query on
  ``workflow_request`` while the primary's holds none;
- the requester's own tracking page (read-your-writes) is read from the primary;
- with the primary stopped, the public list is still served, from the replica alone.

Skipped, saying why, where PostgreSQL 15's server binaries are missing (CI has them) or when
MASSLINE_SKIP_CLUSTER_TESTS=1. Bounded: every wait has a deadline; the clusters and their directories are
removed at the end, even on failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from massline.testing_services import ServiceGroup, free_port, pg_available

ROOT = Path(__file__).resolve().parent.parent
_why_not = pg_available() or (
    "MASSLINE_SKIP_CLUSTER_TESTS=1" if os.environ.get("MASSLINE_SKIP_CLUSTER_TESTS") == "1" else ""
)
pytestmark = pytest.mark.skipif(bool(_why_not), reason=f"needs private PostgreSQL clusters: {_why_not}")

# One child process does the Django work (the replica is a second database in its settings, read from
# MASSLINE_REPLICA_URL, and the test process's settings are already loaded). It takes one command per line
# on stdin and answers one JSON line, so Django starts once.
CHILD = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
TITLE = "REPLICA-LAMP-7319"
for line in sys.stdin:
    step, _, arg = line.strip().partition(" ")
    if step == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
        from massline.intake.actions import submit_request
        req = submit_request(text="Replica check: the lamp on Osmanthus Road is out.", title=TITLE,
                             kind="complaint", channel="web", auto_route=False)
        out = {"token": req.tracking_token}
    else:
        r = Client().get("/requests/" if step == "list" else f"/track/{arg}/", HTTP_ACCEPT_LANGUAGE="en")
        out = {"status": r.status_code, "found": TITLE in r.content.decode()}
    print(json.dumps(out), flush=True)
"""


class Child:
    def __init__(self, env: dict[str, str]):
        self.proc = subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def ask(self, command: str) -> dict:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10)
            raise AssertionError(f"the Django child failed on {command!r}: {self.proc.stderr.read()[-2000:]}")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def _request_reads(log: Path, start: int) -> int:
    """Statements on the requests table logged since byte ``start``."""
    text = log.read_bytes()[start:].decode("utf-8", "replace")
    return sum(1 for line in text.splitlines() if "statement:" in line and '"workflow_request"' in line)


def test_public_list_is_read_from_the_replica(tmp_path):
    logged = {"log_statement": "'all'"}
    with ServiceGroup(prefix="massline-replica-") as group:
        primary = group.postgres(settings=logged)
        url = primary.create_database("massline")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "massline.settings.base",
            "DATABASE_URL": url,
            "MASSLINE_VAR_DIR": str(tmp_path),
            "MASSLINE_NOTIFY": "0",
            "MASSLINE_THROTTLE_ENABLED": "0",
        }
        env.pop("REDIS_URL", None)
        env.pop("CELERY_BROKER_URL", None)
        replica_port = free_port()
        env["MASSLINE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{replica_port}/massline"
        child = Child(env)
        try:
            seeded = child.ask("migrate")  # migrations run on the primary only (the router's allow_migrate)

            replica = group.adopt(primary.replica(port=replica_port))
            replica.configure(logged)
            replica.start()
            target = primary.psql("SELECT pg_current_wal_lsn()")
            deadline = time.monotonic() + 30
            while replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "True":
                assert time.monotonic() < deadline, "the replica did not catch up within 30 s"
                time.sleep(0.2)
            assert replica.psql("SELECT pg_is_in_recovery()") == "True"

            p0, r0 = primary.log.stat().st_size, replica.log.stat().st_size
            assert child.ask("list") == {"status": 200, "found": True}
            assert _request_reads(replica.log, r0) >= 1, "the public list did not read from the replica"
            assert _request_reads(primary.log, p0) == 0, "the public list read requests from the primary"

            p1, r1 = primary.log.stat().st_size, replica.log.stat().st_size
            assert child.ask(f"track {seeded['token']}") == {"status": 200, "found": True}
            assert _request_reads(primary.log, p1) >= 1, "the tracking page must read the primary"
            assert _request_reads(replica.log, r1) == 0

            primary.stop("fast")
            assert child.ask("list") == {"status": 200, "found": True}
        finally:
            child.close()
