"""`massline worker` and `massline beat` for real: a worker subprocess on the shared Redis (its own database
number, flushed before and after) and this test's database runs the tasks this process sends to the broker;
both commands refuse in one line to start without a reachable broker."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from massline.cli import main

REDIS = "redis://127.0.0.1:6379/11"  # a database number of these tests' own
ROOT = Path(__file__).resolve().parents[3]


def redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return client


def database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def start(command: list[str], tmp_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "massline.settings.base",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS,
        "CELERY_BROKER_URL": "",
        "MASSLINE_VAR_DIR": str(tmp_path),
        "MASSLINE_EMAIL_URL": f"file://{tmp_path / 'mail'}",
    }
    log = (tmp_path / f"{command[0]}.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "massline.cli", *command], cwd=ROOT, env=env, stdout=log, stderr=log
    )


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_for(check, seconds: float = 60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    return check()


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_the_tasks_sent_to_redis(tmp_path, receiver, subscribe, make_request):
    from celery import Celery

    from massline.notify import outbox as notify_outbox
    from massline.notify.models import Message
    from massline.webhooks import outbox as webhook_outbox
    from massline.webhooks.models import WebhookDelivery
    from massline.workflow import events

    client = redis_or_skip()
    client.flushdb()  # this number only, never the others
    subscribe("submit")
    # No relay in this process: the rows wait in the outboxes as if the broker had been down.
    events.unsubscribe(notify_outbox.relay)
    events.unsubscribe(webhook_outbox.relay)
    try:
        req = make_request(contact_email="citizen@example.org")
    finally:
        events.subscribe(notify_outbox.relay)
        events.subscribe(webhook_outbox.relay)
    (message,) = Message.objects.filter(request=req)
    (delivery,) = WebhookDelivery.objects.filter(request=req)
    assert (message.status, delivery.status) == ("pending", "pending")

    worker = start(["worker", "--concurrency", "1", "--loglevel", "info"], tmp_path)
    try:
        sender = Celery(broker=REDIS)
        sender.send_task("massline.notify.send", args=[message.pk])
        sender.send_task("massline.webhooks.deliver", args=[delivery.pk])
        sent = wait_for(lambda: Message.objects.get(pk=message.pk).status == "sent")
        delivered = wait_for(lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered")
    finally:
        stop(worker)
        client.flushdb()
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert sent and delivered, log[-3000:]
    assert "massline.notify.send" in log and "succeeded" in log
    (mail,) = (tmp_path / "mail").iterdir()
    assert req.reference in mail.read_text()
    assert [p["request"]["reference"] for p in receiver.payloads()] == [req.reference]


@pytest.mark.django_db  # only for the database's address: beat itself never touches it
def test_beat_starts_with_its_schedule_under_var(tmp_path):
    redis_or_skip()
    beat = start(["beat", "--loglevel", "info"], tmp_path)
    try:
        started = wait_for(
            lambda: "beat: Starting" in (tmp_path / "beat.log").read_text(errors="replace"), 30
        )
        alive = beat.poll() is None
    finally:
        stop(beat)
        redis_or_skip().flushdb()
    assert started and alive, (tmp_path / "beat.log").read_text(errors="replace")[-2000:]
    assert any(p.name.startswith("celerybeat-schedule") for p in tmp_path.iterdir())


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_no_broker_is_one_clear_line(command, monkeypatch, capsys):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    assert main([command]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no broker configured: set REDIS_URL" in err


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_an_unreachable_broker_is_one_clear_line(command, monkeypatch, capsys):
    port = closed_port()
    monkeypatch.setenv("REDIS_URL", f"redis://:hunter22@127.0.0.1:{port}/0")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    assert main([command, "--loglevel", "warning"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert f"cannot reach the broker at redis://:**@127.0.0.1:{port}/0" in err and "hunter22" not in err
