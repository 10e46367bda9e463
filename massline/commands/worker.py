"""`massline worker`: run the background tasks (Celery) that web processes send to the broker.

The broker is ``CELERY_BROKER_URL``, else ``REDIS_URL`` (e.g. ``redis://127.0.0.1:6379/0``). Without one,
tasks run inside the process that queues them and no worker is needed; with one, every process (web,
worker, beat) sends tasks to it. Nothing is lost while no worker runs: notifications and webhooks wait in
their outboxes, and the beat's relay tasks hand them over again (docs/operations.md, "Workers and beat").
"""

from __future__ import annotations

import os
import sys

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def register(sub) -> None:
    p = sub.add_parser("worker", help="run background tasks from the broker in REDIS_URL (Celery worker)")
    p.add_argument(
        "--concurrency", "-c", type=int, default=0, help="worker processes (default: one per CPU core)"
    )
    p.add_argument("--loglevel", "-l", default="info", choices=LOG_LEVELS, type=str.lower)
    p.add_argument(
        "--pool",
        default="prefork",
        choices=("prefork", "solo", "threads"),
        help="prefork (default: separate processes), solo (one task at a time) or threads",
    )
    p.set_defaults(func=run)


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()


def broker_problem(command: str, timeout: float = 3.0) -> str | None:
    """One line saying why ``command`` cannot start (no broker, or one that does not answer), else None."""
    url = broker_url()
    if not url:
        return (
            f"massline {command}: no broker configured: set REDIS_URL=redis://127.0.0.1:6379/0 (or "
            "CELERY_BROKER_URL). Without one, tasks run inside the web process and no worker is needed."
        )
    from kombu import Connection
    from kombu.utils.url import maybe_sanitize_url

    shown = maybe_sanitize_url(url)
    try:
        with Connection(url, connect_timeout=timeout, transport_options={"socket_timeout": timeout}) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
    except Exception as exc:  # unknown scheme, refused, timed out, bad password: all one line
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return f"massline {command}: cannot reach the broker at {shown} ({reason})"
    return None


def celery_app():
    """The Celery app, set up for a process that talks to the broker (never eager)."""
    from massline.commands._django import setup_django

    setup_django()
    from massline.tasks import app

    app.conf.broker_url = broker_url()
    app.conf.task_always_eager = False
    return app


def run(args) -> int:
    problem = broker_problem("worker")
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.concurrency < 0:
        print("massline worker: --concurrency must be 1 or more (0: one per CPU core)", file=sys.stderr)
        return 2
    app = celery_app()
    argv = ["worker", f"--loglevel={args.loglevel.upper()}", f"--pool={args.pool}", "--hostname=massline@%h"]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    try:
        app.worker_main(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0
