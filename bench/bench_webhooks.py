"""Webhook deliveries through a real `massline worker` on Redis, against in-process (eager) delivery.

    .venv/bin/python bench/bench_webhooks.py                   # 300 deliveries, worker --concurrency 2
    .venv/bin/python bench/bench_webhooks.py --deliveries 1000 --concurrency 4

A fresh SQLite database (temporary folder) gets the demo city; a local receiver (loopback, a free port)
checks every signature. N requests are submitted with the relay off, so N deliveries wait in the outbox;
a worker subprocess (Redis database 11, flushed before and after) is started and waited for, then the N
tasks are sent and the time until every row is delivered is measured. The baseline is the same N rows
delivered in this process, one after another. Both must end with exactly N accepted deliveries.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REDIS = "redis://127.0.0.1:6379/11"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args(argv)
    if args.deliveries < 1 or args.concurrency < 1:
        parser.error("--deliveries and --concurrency must be ≥ 1")
    tmp = tempfile.mkdtemp(prefix="massline-bench-webhooks-")
    try:
        return run(args, Path(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args, tmp: Path) -> int:
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="massline.settings.base",
        MASSLINE_VAR_DIR=str(tmp),
        MASSLINE_NOTIFY="0",
    )
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)  # this process delivers in-process; the worker gets the broker
    import django

    django.setup()
    import redis
    from celery import Celery
    from django.core.management import call_command

    from massline.console.actions import ConsoleActor
    from massline.demo import city
    from massline.intake.actions import submit_request
    from massline.webhooks import outbox
    from massline.webhooks.actions import create_subscription
    from massline.webhooks.delivery import deliver
    from massline.webhooks.models import WebhookDelivery
    from massline.webhooks.tests.receiver import Receiver
    from massline.workflow import events

    call_command("migrate", verbosity=0)
    city.build_city()
    city.build_staff()
    broker = redis.Redis.from_url(REDIS)
    broker.flushdb()
    at = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    n = args.deliveries
    with Receiver() as receiver:
        create_subscription(
            ConsoleActor.command("bench"), name="bench", url=receiver.url, events="*", secret=receiver.secret
        )
        events.unsubscribe(outbox.relay)  # rows wait in the outbox
        for i in range(2 * n):
            submit_request(text=f"路灯坏了,第{i}盏,晚上很黑。", title=f"路灯 {i}", at=at, auto_route=False)
        ids = list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))
        inline, queued = ids[:n], ids[n:]

        wall = time.perf_counter()
        for pk in inline:
            deliver(pk)
        inline_s = time.perf_counter() - wall

        env = {**os.environ, "REDIS_URL": REDIS}
        log = (tmp / "worker.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "massline.cli", "worker", "-c", str(args.concurrency), "-l", "info"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            deadline = time.monotonic() + 60
            while "ready." not in (tmp / "worker.log").read_text(errors="replace"):
                if time.monotonic() > deadline or worker.poll() is not None:
                    print((tmp / "worker.log").read_text(errors="replace")[-2000:])
                    return 1
                time.sleep(0.2)
            sender = Celery(broker=REDIS)
            wall = time.perf_counter()
            for pk in queued:
                sender.send_task("massline.webhooks.deliver", args=[pk])
            deadline = time.monotonic() + 600
            while WebhookDelivery.objects.filter(pk__in=queued, status="delivered").count() < n:
                if time.monotonic() > deadline:
                    print("the worker did not deliver everything within 600 s")
                    return 1
                time.sleep(0.1)
            worker_s = time.perf_counter() - wall
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            broker.flushdb()
        accepted = len(receiver.accepted)
        posts = len(receiver.attempts)
    assert accepted == 2 * n == posts, f"{accepted} accepted, {posts} POSTs for {2 * n} deliveries"
    print(f"in-process, one by one   {n} deliveries in {inline_s:6.2f} s  ({n / inline_s:7.1f}/s)")
    print(
        f"massline worker -c {args.concurrency}      {n} deliveries in {worker_s:6.2f} s  ({n / worker_s:7.1f}/s)"
        " from the first task sent to the last row marked delivered"
    )
    print(f"receiver: {accepted} accepted, {posts} POSTs, every signature checked")
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
