"""Fault drills on a private production stack: nothing acknowledged may be lost, nothing sent twice unnoticed.

Starts its own PostgreSQL cluster, Redis, `massline serve` (gunicorn, production settings) and Celery
worker, plus an SMTP sink, all on private loopback ports (bench/_stack.py), then runs:

  gunicorn-kill  kill -9 a gunicorn worker every 3 s during API intake load
  worker-kill    kill -9 the Celery worker during a notification burst, restart it
  import-kill    kill -9 `massline import` (it runs in-process, not as a task) and the Celery worker
                 mid-import, then run the import again
  pg-restart     restart (immediate: crash-like) its own PostgreSQL during intake load
  redis-stop     kill -9 its own Redis during intake load, start it again (empty) later

After each: acknowledged requests (201 with a reference) against rows (by a unique marker in the title):
missing, duplicates, stored-but-unacknowledged; and for the notifications of those requests, the outbox rows
against the Message-IDs the SMTP sink received: sent once, never, or more than once.

    .venv/bin/python bench/faults.py --quick            # a smoke run (a few minutes)
    .venv/bin/python bench/faults.py                    # the full drill
    .venv/bin/python bench/faults.py --only redis-stop  # one scenario

Bounded: every load phase is at most 40 s and a fixed number of requests; every wait has a deadline.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

from _stack import ROOT, VENV_BIN, LoadResult, Stack, load_average, run_load, say  # noqa: E402

SCENARIOS = ("gunicorn-kill", "worker-kill", "import-kill", "pg-restart", "redis-stop")
GOVMSG = ROOT.parent / "shared" / "data" / "govmsg" / "attachment2_testset_2801_unlabeled.csv"


class Drill:
    def __init__(self, stack: Stack, quick: bool):
        self.stack = stack
        self.quick = quick
        self.report: dict[str, dict] = {}

    # -- helpers ----------------------------------------------------------------------------------------
    def during(self, seconds: float, clients: int, marker: str, action, max_requests: int = 5000) -> LoadResult:
        """Intake load for ``seconds`` while ``action(stop_event)`` runs in a thread."""
        stop = threading.Event()
        t = threading.Thread(target=action, args=(stop,), daemon=True)
        t.start()
        try:
            return run_load(self.stack.web_port, clients=clients, seconds=seconds, max_requests=max_requests,
                            api_key=self.stack.api_key, marker=marker)
        finally:
            stop.set()
            t.join(60)

    def intake_figures(self, marker: str, res: LoadResult) -> dict:
        stored = self.stack.requests_with_marker(marker)
        acked = {o.reference for o in res.acknowledged()}
        refs = [r for r, _ in stored]
        titles = [t for _, t in stored]
        return {
            "sent": len(res.outcomes),
            "answers": res.by_status(),
            "acknowledged": len(acked),
            "stored": len(refs),
            "missing": len(acked - set(refs)),
            "duplicates": len(titles) - len(set(titles)),
            "stored_not_acknowledged": len(set(refs) - acked),
        }

    def drain(self, request_filter: dict, timeout: float) -> dict:
        """Hand what is due to the worker until these requests' messages have all left the outbox (or
        ``timeout``). Stands in for the relay_due beat task; a row a killed worker left 'sending' counts as
        stale after 30 s here (10 minutes in production) so that the drill stays short."""
        from django.db import close_old_connections

        from massline.notify.delivery import message_id
        from massline.notify.models import Message
        from massline.notify.outbox import due, enqueue

        deadline = time.monotonic() + timeout
        open_states = ["pending", "retry", "sending"]
        while True:
            close_old_connections()
            try:
                waiting = Message.objects.filter(status__in=open_states, **request_filter).count()
                if not waiting or time.monotonic() > deadline:
                    break
                enqueue(due(stale_after=timedelta(seconds=30)))
            except Exception as exc:  # the database or broker is still coming back
                say(f"drain: {type(exc).__name__}: {exc}")
            time.sleep(3)
        time.sleep(2)  # the last sends reach the sink
        close_old_connections()
        rows = list(Message.objects.filter(channel="email", **request_filter))
        received = self.stack.smtp.snapshot() if self.stack.smtp else {}
        expected = {message_id(m): m for m in rows}
        by_status: dict[str, int] = {}
        for m in rows:
            by_status[m.status] = by_status.get(m.status, 0) + 1
        return {
            "messages": len(rows),
            "message_status": by_status,
            "received_once": sum(1 for mid in expected if received.get(mid, 0) == 1),
            "never_received": sum(1 for mid in expected if received.get(mid, 0) == 0),
            "duplicate_sends": sum(received.get(mid, 0) - 1 for mid in expected if received.get(mid, 0) > 1),
            "unique_message_ids": sum(1 for mid in expected if received.get(mid, 0) >= 1),
        }

    def record(self, name: str, figures: dict, notes: str = "") -> None:
        figures = {**figures, "load": load_average(), "notes": notes}
        self.report[name] = figures
        say(f"{name}: {json.dumps(figures, ensure_ascii=False)}")

    # -- scenarios --------------------------------------------------------------------------------------
    def gunicorn_kill(self) -> None:
        marker = f"GK{int(time.time())}"
        kills: list[int] = []

        def killer(stop: threading.Event) -> None:
            while not stop.wait(3):
                pids = self.stack.gunicorn_workers()
                if pids:
                    victim = pids[len(kills) % len(pids)]
                    try:
                        os.kill(victim, 9)
                        kills.append(victim)
                    except ProcessLookupError:
                        pass

        seconds, clients = (15, 10) if self.quick else (40, 20)
        res = self.during(seconds, clients, marker, killer)
        figs = self.intake_figures(marker, res)
        figs["workers_killed"] = len(kills)
        figs |= self.drain({"request__title__contains": marker}, 120)
        self.record("gunicorn-kill", figs)

    def worker_kill(self) -> None:
        marker = f"WK{int(time.time())}"
        n = 60 if self.quick else 200

        def killer(stop: threading.Event) -> None:
            if stop.wait(4):
                return
            self.stack.kill_worker()
            say("worker-kill: Celery worker killed (-9)")
            if stop.wait(4):
                pass
            self.stack.start_worker()
            say("worker-kill: Celery worker started again")

        res = self.during(40, 10, marker, killer, max_requests=n)
        figs = self.intake_figures(marker, res)
        time.sleep(10)  # the restarted worker comes up and takes what the web processes queued
        figs |= self.drain({"request__title__contains": marker}, 150)
        self.record("worker-kill", figs)

    def import_kill(self) -> None:
        if not GOVMSG.exists():
            self.record("import-kill", {}, f"skipped: {GOVMSG} is missing")
            return
        rows = 120 if self.quick else 500
        path = self.stack.group.root / "govmsg-slice.csv"
        with open(GOVMSG, encoding="utf-8-sig", newline="") as src, open(path, "w", encoding="utf-8",
                                                                             newline="") as dst:
            reader, writer = csv.reader(src), csv.writer(dst)
            writer.writerow(next(reader))
            ids = []
            for row in reader:
                if len(ids) >= rows:
                    break
                writer.writerow(row)
                ids.append(row[0].strip())
        from django.db import close_old_connections

        from massline.workflow.models import Request

        def imported() -> int:
            close_old_connections()
            return Request.objects.filter(channel="import", external_id__in=ids).count()

        # small batches, so that the kill lands between two committed batches, mid-import
        cmd = [str(VENV_BIN / "massline"), "import", str(path), "--batch-size", "10"]
        first = subprocess.Popen(cmd, env=self.stack.env, cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, start_new_session=True)
        deadline = time.monotonic() + 240
        while imported() < rows // 3 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.3)
        at_kill = imported()
        os.killpg(first.pid, 9)
        first.wait(10)
        self.stack.kill_worker()
        say(f"import-kill: import and Celery worker killed (-9) after {at_kill} of {rows} rows")
        self.stack.start_worker()
        second = subprocess.run(cmd, env=self.stack.env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        summary = second.stdout.strip().splitlines()[:1]
        close_old_connections()
        stored = list(Request.objects.filter(channel="import", external_id__in=ids)
                      .values_list("external_id", flat=True))
        figs = {
            "rows": rows,
            "imported_before_kill": at_kill,
            "second_run": summary[0] if summary else second.stderr[-300:],
            "second_run_exit": second.returncode,
            "stored": len(stored),
            "distinct_external_ids": len(set(stored)),
            "duplicates": len(stored) - len(set(stored)),
            "missing": len(set(ids) - set(stored)),
        }
        figs |= self.drain({"request__external_id__in": ids}, 150)
        self.record("import-kill", figs)

    def pg_restart(self) -> None:
        marker = f"PG{int(time.time())}"

        def restart(stop: threading.Event) -> None:
            if stop.wait(5):
                return
            t = time.monotonic()
            self.stack.pg.stop("immediate")  # as a crash: no checkpoint, recovery from WAL at start
            time.sleep(2)
            self.stack.pg.start()
            say(f"pg-restart: own PostgreSQL crashed (immediate) and back in {time.monotonic() - t:.1f} s")

        seconds, clients = (15, 10) if self.quick else (30, 20)
        res = self.during(seconds, clients, marker, restart)
        figs = self.intake_figures(marker, res)
        figs |= self.drain({"request__title__contains": marker}, 150)
        self.record("pg-restart", figs)

    def redis_stop(self) -> None:
        marker = f"RS{int(time.time())}"

        def outage(stop: threading.Event) -> None:
            if stop.wait(5):
                return
            self.stack.stop_redis()
            say("redis-stop: own Redis killed (-9)")
            stop.wait(8)
            self.stack.restart_redis()
            say("redis-stop: own Redis started again (empty: its queue is gone)")

        seconds, clients = (20, 10) if self.quick else (30, 20)
        res = self.during(seconds, clients, marker, outage)
        figs = self.intake_figures(marker, res)
        time.sleep(5)
        figs |= self.drain({"request__title__contains": marker}, 150)
        self.record("redis-stop", figs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="smaller, shorter phases (a smoke run)")
    ap.add_argument("--only", action="append", choices=SCENARIOS, help="run only this scenario (repeatable)")
    ap.add_argument("--json", help="write the figures to this JSON file")
    args = ap.parse_args()
    stack = Stack("faults")
    drill = Drill(stack, args.quick)
    try:
        stack.start()
        stack.start_web()
        stack.start_worker()
        run_load(stack.web_port, clients=2, seconds=20, max_requests=4, api_key=stack.api_key, marker="WARM")
        for name in args.only or SCENARIOS:
            say(f"== {name}")
            getattr(drill, name.replace("-", "_"))()
    finally:
        stack.close()
    if args.json:
        Path(args.json).write_text(json.dumps(drill.report, ensure_ascii=False, indent=2), encoding="utf-8")
    bad = [
        name for name, f in drill.report.items()
        if f.get("missing") or f.get("duplicates") or f.get("never_received")
    ]
    print("\nscenario        ack  stored missing dup  unacked-stored  msgs  once  never  dup-sends")
    for name, f in drill.report.items():
        print(f"{name:14s} {f.get('acknowledged', f.get('rows', '-'))!s:>5} {f.get('stored', '-')!s:>6} "
              f"{f.get('missing', '-')!s:>6} {f.get('duplicates', '-')!s:>4} "
              f"{f.get('stored_not_acknowledged', '-')!s:>14} {f.get('messages', '-')!s:>5} "
              f"{f.get('received_once', '-')!s:>5} {f.get('never_received', '-')!s:>6} "
              f"{f.get('duplicate_sends', '-')!s:>9}")
    print(f"{'FAILED: ' + ', '.join(bad) if bad else 'every acknowledged request stored once; every message sent'}"
          f" ({load_average()})")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
